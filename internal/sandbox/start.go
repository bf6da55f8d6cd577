package sandbox

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextclient "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"
)

// starter brings the components up in dependency order and records each one as it starts.
type starter struct {
	o   Options
	s   *State
	pki *pki
}

func (st *starter) logf(format string, args ...any) {
	_, _ = fmt.Fprintf(st.o.Log, "sandbox: "+format+"\n", args...)
}

func (st *starter) bin(name string) string { return filepath.Join(st.o.BinDir, name) }

func (st *starter) start(name, binary string, args ...string) (*process, error) {
	return st.startWithEnv(name, binary, nil, args...)
}

// waitFor polls check until it succeeds, the process dies or ctx ends; errors name the
// component and show the tail of its log.
func (st *starter) waitFor(ctx context.Context, p *process, what string, check func(context.Context) error) error {
	var last error
	for {
		if last = check(ctx); last == nil {
			return nil
		}
		if p != nil && !p.alive() {
			return fmt.Errorf("%s exited before it was ready; last lines of %s:\n%s", p.Name, p.Log, p.logTail(20))
		}
		select {
		case <-ctx.Done():
			msg := fmt.Sprintf("%s not ready in time: %v", what, last)
			if p != nil {
				msg += fmt.Sprintf("; last lines of %s:\n%s", p.Log, p.logTail(20))
			}
			return fmt.Errorf("%s", msg)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (st *starter) run(ctx context.Context) error {
	begin := time.Now()
	var err error
	if st.pki, err = newPKI(filepath.Join(st.s.Dir, "pki")); err != nil {
		return fmt.Errorf("generate certificates: %w", err)
	}
	st.s.CACert = st.pki.CACert
	if err := st.writeAuthFiles(); err != nil {
		return err
	}

	etcd, err := st.startEtcd()
	if err != nil {
		return err
	}
	// stripe-mock is independent of the cluster; let it load its spec while etcd starts.
	mock, err := st.start("stripe-mock", st.bin("stripe-mock"),
		"-http-addr", fmt.Sprintf("127.0.0.1:%d", st.s.Ports.StripeMock),
		"-https-addr", fmt.Sprintf("127.0.0.1:%d", st.s.Ports.StripeMockTLS))
	if err != nil {
		return err
	}
	redis, err := st.startRedis()
	if err != nil {
		return err
	}
	registry, err := st.startRegistry()
	if err != nil {
		return err
	}
	if err := st.waitFor(ctx, etcd, "etcd", httpOK(fmt.Sprintf("http://127.0.0.1:%d/health", st.s.Ports.EtcdClient), nil, "")); err != nil {
		return err
	}
	st.logf("etcd ready (%s)", since(begin))

	apiserver, err := st.startAPIServer()
	if err != nil {
		return err
	}
	caPool := x509.NewCertPool()
	caPEM, _ := os.ReadFile(st.pki.CACert)
	caPool.AppendCertsFromPEM(caPEM)
	if err := st.waitFor(ctx, apiserver, "kube-apiserver", httpOK(st.s.APIServerURL()+"/readyz", caPool, st.s.Token)); err != nil {
		return err
	}
	st.logf("kube-apiserver ready at %s (%s)", st.s.APIServerURL(), since(begin))

	cfg := &rest.Config{Host: st.s.APIServerURL(), BearerToken: st.s.Token, TLSClientConfig: rest.TLSClientConfig{CAData: caPEM}, QPS: 50, Burst: 100}
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}

	kcm, err := st.startControllerManager()
	if err != nil {
		return err
	}
	sched, err := st.startScheduler()
	if err != nil {
		return err
	}
	if err := st.installKwokMetricsCRDs(ctx, cfg); err != nil {
		return err
	}
	kwok, err := st.start("kwok", st.bin("kwok"), append(st.kwokMetricsArgs(),
		"--kubeconfig", st.s.Kubeconfig,
		"--manage-all-nodes=false",
		"--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
		"--node-ip=10.128.0.1",
		"--cidr=10.64.0.0/14",
		"--server-address", fmt.Sprintf("127.0.0.1:%d", st.s.Ports.Kwok),
		"--node-lease-duration-seconds=40")...)
	if err != nil {
		return err
	}
	if err := st.createMetricsObjects(ctx, cfg, kube); err != nil {
		return err
	}
	if err := st.installVPACRD(ctx, cfg); err != nil {
		return err
	}
	if err := st.installGatewayAPI(ctx, cfg); err != nil {
		return err
	}
	if err := installGVisorRuntimeClass(ctx, kube); err != nil {
		return err
	}
	st.logf("VerticalPodAutoscaler CRD established (%s)", since(begin))

	if err := st.waitFor(ctx, mock, "stripe-mock", tcpOpen(st.s.Ports.StripeMock)); err != nil {
		return err
	}
	if err := st.setupKubeFaults(); err != nil {
		return err
	}
	emu, err := st.start("emulators", st.o.SandboxBinary, "emulators", "--dir", st.s.Dir,
		"--operation-duration", st.o.OperationDuration.String())
	if err != nil {
		return err
	}
	for _, w := range []struct {
		p     *process
		what  string
		check func(context.Context) error
	}{
		{kcm, "kube-controller-manager", httpOK(fmt.Sprintf("https://127.0.0.1:%d/healthz", st.s.Ports.ControllerMgr), nil, "")},
		{sched, "kube-scheduler", httpOK(fmt.Sprintf("https://127.0.0.1:%d/healthz", st.s.Ports.Scheduler), nil, "")},
		{kwok, "kwok", httpOK(fmt.Sprintf("http://127.0.0.1:%d/healthz", st.s.Ports.Kwok), nil, "")},
		{redis, "redis-server", redisPing(st.s.Ports.Redis)},
		{registry, "OCI registry", httpOK("http://"+st.s.RegistryHost()+"/v2/", nil, "")},
		{emu, "GKE emulator", tcpOpen(st.s.Ports.GKE)},
		{emu, "Stripe emulator", tcpOpen(st.s.Ports.Stripe)},
		{emu, "LLM emulator", tcpOpen(st.s.Ports.LLM)},
	} {
		if err := st.waitFor(ctx, w.p, w.what, w.check); err != nil {
			return err
		}
	}
	st.logf("controllers, scheduler, kwok and emulators ready (%s)", since(begin))

	if err := st.waitFor(ctx, emu, "a Ready node without the not-ready taint", nodesReady(kube)); err != nil {
		return err
	}
	st.logf("nodes Ready (%s)", since(begin))
	if err := st.runMetricsServer(ctx, cfg, kube, begin); err != nil {
		return err
	}
	if err := st.writeEnv(); err != nil {
		return err
	}
	return st.s.save()
}

func since(t time.Time) string { return time.Since(t).Round(100 * time.Millisecond).String() }

func (st *starter) writeAuthFiles() error {
	// system:masters, as GKE grants the cluster creator; the same token is the "Google token"
	// the GKE emulator accepts, so deriving Kubernetes access from GKE works as in production.
	tokens := fmt.Sprintf("%s,octollm-admin,octollm-admin,\"system:masters\"\n", st.s.Token)
	if err := os.WriteFile(filepath.Join(st.s.Dir, "pki", "tokens.csv"), []byte(tokens), 0o600); err != nil {
		return err
	}
	st.s.Kubeconfig = filepath.Join(st.s.Dir, "kubeconfig")
	kubeconfig := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: octollm-sandbox
  cluster:
    server: %s
    certificate-authority: %s
users:
- name: octollm-admin
  user:
    token: %s
contexts:
- name: octollm-sandbox
  context:
    cluster: octollm-sandbox
    user: octollm-admin
current-context: octollm-sandbox
`, st.s.APIServerURL(), st.pki.CACert, st.s.Token)
	return os.WriteFile(st.s.Kubeconfig, []byte(kubeconfig), 0o600)
}

func (st *starter) writeEnv() error {
	var b strings.Builder
	b.WriteString("# Provider environment for the local sandbox: `source .sandbox/env`.\n")
	for _, kv := range st.s.Env() {
		fmt.Fprintf(&b, "export %s=%s\n", kv[0], kv[1])
	}
	return os.WriteFile(filepath.Join(st.s.Dir, "env"), []byte(b.String()), 0o600)
}

func (st *starter) startEtcd() (*process, error) {
	client := fmt.Sprintf("http://127.0.0.1:%d", st.s.Ports.EtcdClient)
	peer := fmt.Sprintf("http://127.0.0.1:%d", st.s.Ports.EtcdPeer)
	binary := st.bin("etcd")
	if _, err := os.Stat(binary); err != nil {
		binary = "/usr/bin/etcd"
	}
	return st.start("etcd", binary,
		"--name", "sandbox",
		"--data-dir", filepath.Join(st.s.Dir, "etcd"),
		"--listen-client-urls", client, "--advertise-client-urls", client,
		"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
		"--initial-cluster", "sandbox="+peer,
		"--quota-backend-bytes", strconv.Itoa(2<<30),
		"--log-level", "warn")
}

// startRedis starts the redis-server gateways share rate limits and their response cache
// through (Memorystore on GKE): loopback only, nothing persisted, its working dir in the sandbox.
func (st *starter) startRedis() (*process, error) {
	binary := st.bin("redis-server")
	if _, err := os.Stat(binary); err != nil {
		if binary, err = exec.LookPath("redis-server"); err != nil {
			return nil, fmt.Errorf("redis-server not found in %s or on PATH: run `make tools` (it installs Debian's redis-server)", st.o.BinDir)
		}
	}
	dir := filepath.Join(st.s.Dir, "redis")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return st.start("redis-server", binary,
		"--port", strconv.Itoa(st.s.Ports.Redis),
		"--bind", "127.0.0.1",
		"--protected-mode", "yes",
		"--save", "",
		"--appendonly", "no",
		"--dir", dir,
		"--daemonize", "no")
}

// SandboxAPIServerAdvertiseAddress is where the sandbox's apiserver says it is (nothing dials it).
const SandboxAPIServerAdvertiseAddress = "172.16.0.2"

func (st *starter) startAPIServer() (*process, error) {
	p := st.pki
	return st.start("kube-apiserver", st.bin("kube-apiserver"),
		"--etcd-servers", fmt.Sprintf("http://127.0.0.1:%d", st.s.Ports.EtcdClient),
		"--bind-address", "127.0.0.1",
		// Published in the default/kubernetes EndpointSlice, as GKE publishes its control plane's
		// private address; loopback is refused there, and octollm_platform's apiserver policy reads it.
		"--advertise-address", SandboxAPIServerAdvertiseAddress,
		"--secure-port", strconv.Itoa(st.s.Ports.APIServer),
		"--tls-cert-file", p.ServingCert, "--tls-private-key-file", p.ServingKey,
		"--client-ca-file", p.CACert,
		"--token-auth-file", filepath.Join(st.s.Dir, "pki", "tokens.csv"),
		"--authorization-mode", "Node,RBAC",
		"--enable-admission-plugins", "NodeRestriction,PodSecurity",
		"--service-cluster-ip-range", "10.96.0.0/16",
		"--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file", p.ServiceAccountPub,
		"--service-account-signing-key-file", p.ServiceAccountKey,
		"--allow-privileged=true",
		// The aggregation layer (metrics.k8s.io from metrics-server): the apiserver's front-proxy
		// client certificate and the requestheader settings aggregated servers authenticate with.
		"--proxy-client-cert-file", p.FrontProxyClientCert, "--proxy-client-key-file", p.FrontProxyClientKey,
		"--requestheader-client-ca-file", p.FrontProxyCACert,
		"--requestheader-allowed-names", "front-proxy-client",
		"--requestheader-username-headers", "X-Remote-User",
		"--requestheader-group-headers", "X-Remote-Group",
		"--requestheader-extra-headers-prefix", "X-Remote-Extra-",
		"--cert-dir", filepath.Join(st.s.Dir, "pki"),
		"--profiling=false",
		"--v=1")
}

func (st *starter) startControllerManager() (*process, error) {
	p := st.pki
	kc := st.s.Kubeconfig
	return st.start("kube-controller-manager", st.bin("kube-controller-manager"),
		"--kubeconfig", kc, "--authentication-kubeconfig", kc, "--authorization-kubeconfig", kc,
		"--bind-address", "127.0.0.1",
		"--secure-port", strconv.Itoa(st.s.Ports.ControllerMgr),
		"--cert-dir", filepath.Join(st.s.Dir, "pki", "kcm"),
		"--controllers", "*", // every default controller, nodelifecycle among them
		"--leader-elect=false",
		"--use-service-account-credentials=true",
		"--service-account-private-key-file", p.ServiceAccountKey,
		"--root-ca-file", p.CACert,
		"--cluster-signing-cert-file", p.CACert, "--cluster-signing-key-file", p.CAKey,
		"--node-monitor-grace-period", "40s",
		"--horizontal-pod-autoscaler-sync-period", "5s",
		"--profiling=false",
		"--v=1")
}

func (st *starter) startScheduler() (*process, error) {
	kc := st.s.Kubeconfig
	return st.start("kube-scheduler", st.bin("kube-scheduler"),
		"--kubeconfig", kc, "--authentication-kubeconfig", kc, "--authorization-kubeconfig", kc,
		"--bind-address", "127.0.0.1",
		"--secure-port", strconv.Itoa(st.s.Ports.Scheduler),
		"--cert-dir", filepath.Join(st.s.Dir, "pki", "scheduler"),
		"--leader-elect=false",
		"--profiling=false",
		"--v=1")
}

// installVPACRD installs the VerticalPodAutoscaler CRD tools/ copied from the
// k8s.io/autoscaler/vertical-pod-autoscaler module, as on a GKE cluster with VPA enabled.
func (st *starter) installVPACRD(ctx context.Context, cfg *rest.Config) error {
	return st.installCRDFile(ctx, cfg, filepath.Join(st.o.BinDir, "crds", "vpa-v1-crd-gen.yaml"))
}

// installCRDFile installs the CRDs of a YAML file tools/ copied into bin/crds and waits until
// they are established.
func (st *starter) installCRDFile(ctx context.Context, cfg *rest.Config, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("CRD %s: %w: run `make tools` first", filepath.Base(path), err)
	}
	client, err := apiextclient.NewForConfig(cfg)
	if err != nil {
		return err
	}
	for _, doc := range strings.Split(string(data), "\n---") {
		if strings.TrimSpace(doc) == "" {
			continue
		}
		var crd apiextv1.CustomResourceDefinition
		if err := yaml.Unmarshal([]byte(doc), &crd); err != nil {
			return fmt.Errorf("CRD %s: %w", path, err)
		}
		if crd.Kind != "CustomResourceDefinition" {
			continue
		}
		_, err := client.ApiextensionsV1().CustomResourceDefinitions().Create(ctx, &crd, metav1.CreateOptions{})
		if err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("install CRD %s: %w", crd.Name, err)
		}
		name := crd.Name
		if err := st.waitFor(ctx, nil, "CRD "+name, crdEstablished(client, name)); err != nil {
			return err
		}
	}
	return nil
}

func httpOK(url string, ca *x509.CertPool, token string) func(context.Context) error {
	tlsCfg := &tls.Config{RootCAs: ca, MinVersion: tls.VersionTLS12}
	if ca == nil {
		// kube-controller-manager and kube-scheduler serve self-signed certificates on loopback.
		tlsCfg.InsecureSkipVerify = true //nolint:gosec // loopback health checks of our own children
	}
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsCfg}}
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: %s", url, resp.Status)
		}
		return nil
	}
}

func tcpOpen(port int) func(context.Context) error {
	return func(ctx context.Context) error {
		d := net.Dialer{Timeout: time.Second}
		c, err := d.DialContext(ctx, "tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			return err
		}
		return c.Close()
	}
}

// redisPing succeeds once redis-server answers PING with +PONG on 127.0.0.1:port.
func redisPing(port int) func(context.Context) error {
	return func(ctx context.Context) error {
		d := net.Dialer{Timeout: time.Second}
		c, err := d.DialContext(ctx, "tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			return err
		}
		defer func() { _ = c.Close() }()
		_ = c.SetDeadline(time.Now().Add(2 * time.Second))
		if _, err := c.Write([]byte("PING\r\n")); err != nil {
			return err
		}
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			return fmt.Errorf("redis PING: %w", err)
		}
		if line = strings.TrimRight(line, "\r\n"); line != "+PONG" {
			return fmt.Errorf("redis PING: got %q", line)
		}
		return nil
	}
}

// nodesReady succeeds once at least one node exists and every node is Ready with no
// node.kubernetes.io/not-ready taint left (kwok reports Ready; nodelifecycle lifts the taint).
func nodesReady(kube kubernetes.Interface) func(context.Context) error {
	return func(ctx context.Context) error {
		nodes, err := kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		if err != nil {
			return err
		}
		if len(nodes.Items) == 0 {
			return fmt.Errorf("no nodes registered yet")
		}
		for _, n := range nodes.Items {
			ready := false
			for _, c := range n.Status.Conditions {
				if c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue {
					ready = true
				}
			}
			if !ready {
				return fmt.Errorf("node %s not Ready", n.Name)
			}
			for _, t := range n.Spec.Taints {
				if t.Key == corev1.TaintNodeNotReady || t.Key == corev1.TaintNodeUnreachable {
					return fmt.Errorf("node %s still has taint %s", n.Name, t.Key)
				}
			}
		}
		return nil
	}
}
