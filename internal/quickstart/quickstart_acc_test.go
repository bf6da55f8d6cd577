package quickstart_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/acctest/netpol"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox/podrun"
)

// demo is one sandbox with the quickstart applied by scripts/demo.sh.
type demo struct {
	root, dir, state, dataDir string
	sandbox                   *sandbox.State
	kube                      kubernetes.Interface
}

// run runs scripts/demo.sh (what `make demo` runs after building) and returns its output.
func (d *demo) run(t *testing.T, base int) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "bash", filepath.Join(d.root, "scripts", "demo.sh"))
	cmd.Dir = d.root
	cmd.Env = append(os.Environ(),
		"OCTOLLM_DEMO_DIR="+d.dir, "OCTOLLM_DEMO_STATE="+d.state, "TF_DATA_DIR="+d.dataDir,
		"OCTOLLM_SANDBOX_PORT_BASE="+strconv.Itoa(base))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	t.Logf("scripts/demo.sh:\n%s", out.String())
	if err != nil {
		logs, _ := os.ReadFile(filepath.Join(d.dir, "logs", "gateway.log"))
		t.Fatalf("scripts/demo.sh failed: %v\ngateway log:\n%s", err, logs)
	}
	return out.String()
}

// output reads one of the quickstart's outputs, as written by `tofu output <format> name`
// (-raw for a string, -json for anything).
func (d *demo) output(t *testing.T, format, name string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), filepath.Join(d.root, "bin", "tofu"), "-chdir="+filepath.Join(d.root, "examples", "quickstart"),
		"output", "-state="+d.state, format, name)
	// As the README has users do: with demo.sh's dev_overrides, since the committed lock file
	// names a release of the provider that this machine has not installed.
	cmd.Env = append(os.Environ(), "TF_DATA_DIR="+d.dataDir, "TF_CLI_CONFIG_FILE="+filepath.Join(d.dir, "dev.tfrc"))
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("tofu output %s %s: %v\n%s", format, name, err, exit.Stderr)
		}
		t.Fatalf("tofu output %s %s: %v", format, name, err)
	}
	return string(out)
}

// The quickstart's proof: `make demo` applies the whole platform and serves a request; a second
// run plans no changes; the gateway runs as its pod would, as its ServiceAccount, from the
// project's image by digest; the executor arm runs on GKE Sandbox nodes.
func TestAccQuickstart(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("TF_ACC is not set: the quickstart test starts a sandbox of its own")
	}
	root, err := acctest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	d := &demo{root: root, dir: filepath.Join(work, "sandbox"), state: filepath.Join(work, "terraform.tfstate"), dataDir: filepath.Join(work, "tfdata")}
	base, err := acctest.FreePortBase()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if pid, err := os.ReadFile(filepath.Join(d.dir, "gateway.pid")); err == nil {
			if n, err := strconv.Atoi(strings.TrimSpace(string(pid))); err == nil {
				if p, err := os.FindProcess(n); err == nil {
					_ = p.Kill()
				}
			}
		}
		_ = exec.Command(filepath.Join(root, "bin", "octollm-sandbox"), "down", "--dir", d.dir).Run()
	})

	first := d.run(t, base)
	for _, want := range []string{"demo: pushed 127.0.0.1:", "Apply complete!", "HTTP/1.1 200 OK", "a token of ServiceAccount octollm/octollm-gateway"} {
		if !strings.Contains(first, want) {
			t.Errorf("the first make demo did not print %q", want)
		}
	}
	second := d.run(t, base)
	if !strings.Contains(second, "No changes.") || !strings.Contains(second, "HTTP/1.1 200 OK") {
		t.Errorf("the second make demo applied changes or did not serve: want \"No changes.\" and a 200")
	}

	st, ok := sandbox.Running(d.dir)
	if !ok {
		t.Fatalf("the demo's sandbox in %s is not running", d.dir)
	}
	d.sandbox = st
	cfg, err := clientcmd.BuildConfigFromFlags("", st.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	if d.kube, err = kubernetes.NewForConfig(cfg); err != nil {
		t.Fatal(err)
	}

	t.Run("gateway image by digest, as its ServiceAccount", func(t *testing.T) { gatewayIdentity(t, d) })
	t.Run("tenants served through the gateway as its pod runs", func(t *testing.T) { tenantsServed(t, d) })
	t.Run("executor arm on GKE Sandbox nodes", func(t *testing.T) { executorOnGVisor(t, d) })
	t.Run("network paths through the live policies", func(t *testing.T) { networkPaths(t, d) })
	// Last: it breaks the gateway's RBAC.
	t.Run("without its RoleBinding the gateway does not serve", func(t *testing.T) { withoutRoleBinding(t, d, cfg) })
}

// The check above would catch a missing RoleBinding: with it deleted, the gateway run the same
// way is refused by the apiserver and never becomes ready.
func withoutRoleBinding(t *testing.T, d *demo, cfg *rest.Config) {
	if err := d.kube.RbacV1().RoleBindings("octollm").Delete(t.Context(), "octollm-gateway-reader", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	listen, err := podrun.FreeLoopback()
	if err != nil {
		t.Fatal(err)
	}
	pod, err := podrun.Prepare(t.Context(), podrun.Options{Config: cfg, Namespace: "octollm", Deployment: "gateway", WorkDir: t.TempDir(),
		Overrides: map[string]string{"OCTOLLM_GATEWAY_LISTEN": listen, "OCTOLLM_GATEWAY_SPOOL_DIR": t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cmd := pod.Command(ctx)
	var log syncBuffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(log.String(), "forbidden") {
		if time.Now().After(deadline) {
			t.Fatalf("the gateway without its RoleBinding logged no forbidden error:\n%s", log.String())
		}
		time.Sleep(500 * time.Millisecond)
	}
	resp, err := http.Get("http://" + listen + "/readyz") //nolint:noctx // loopback, bounded by the process
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Errorf("the gateway is ready although it cannot read routes or keys")
	}
}

// syncBuffer is a bytes.Buffer the process writes while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func component(name, kind string) map[string]string {
	return map[string]string{"app": name, "app.kubernetes.io/name": name, "app.kubernetes.io/component": kind,
		"app.kubernetes.io/part-of": "octollm", "app.kubernetes.io/managed-by": "terraform-provider-octollm"}
}

// The quickstart's NetworkPolicies, with SOC 2's default deny enforced on the platform namespace
// and every tenant, evaluated by cyclonus: what the gateway needs is open, the rest is shut.
func networkPaths(t *testing.T, d *demo) {
	ns := "octollm"
	c, err := netpol.Load(t.Context(), d.kube, ns, "tenant-demo", "tenant-acme")
	if err != nil {
		t.Fatal(err)
	}
	deny, err := d.kube.NetworkingV1().NetworkPolicies(ns).List(t.Context(), metav1.ListOptions{LabelSelector: "app.kubernetes.io/managed-by=terraform-provider-octollm"})
	if err != nil {
		t.Fatal(err)
	}
	denies := 0
	for _, p := range deny.Items {
		if strings.HasPrefix(p.Name, "compliance-") {
			denies++
		}
	}
	if denies == 0 {
		t.Fatalf("no compliance default-deny NetworkPolicy in %s: the SOC 2 baseline is not enforced", ns)
	}
	gateway := c.Pod(ns, component("gateway", "gateway")).As("gateway")
	orchestrator := c.Pod(ns, component("orchestrator", "orchestrator")).As("orchestrator")
	executor := c.Pod(ns, component("executor-arm", "arm")).As("executor-arm")
	tenantA := c.Pod("tenant-demo", map[string]string{"app": "worker"}).As("tenant demo pod")
	tenantB := c.Pod("tenant-acme", map[string]string{"app": "worker"}).As("tenant acme pod")
	apiserver, apiPort := c.APIServer()
	outside := netpol.External("203.0.113.10").As("outside")
	redisPort := d.sandbox.Ports.Redis
	if err := c.Check(
		netpol.Flow{From: outside, To: gateway, Port: 8080, Allowed: true},
		netpol.Flow{From: netpol.External("35.191.4.20").As("GKE load balancer"), To: gateway, Port: 8080, Allowed: true},
		netpol.Flow{From: gateway, To: c.KubeDNS(), Port: 53, Protocol: netpol.UDP, Allowed: true},
		netpol.Flow{From: gateway, To: apiserver, Port: apiPort, Allowed: true},
		netpol.Flow{From: gateway, To: netpol.External("104.18.7.192").As("an LLM provider"), Port: 443, Allowed: true},
		netpol.Flow{From: gateway, To: netpol.External("54.187.174.169").As("Stripe"), Port: 443, Allowed: true},
		netpol.Flow{From: gateway, To: netpol.External("10.20.0.3").As("Memorystore"), Port: redisPort, Allowed: true},
		netpol.Flow{From: gateway, To: netpol.External("169.254.169.254").As("metadata server"), Port: 80, Allowed: false},
		netpol.Flow{From: gateway, To: orchestrator, Port: 8000, Allowed: true},
		netpol.Flow{From: orchestrator, To: executor, Port: 8006, Allowed: true},
		netpol.Flow{From: tenantA, To: tenantB, Port: 8080, Allowed: false},
		netpol.Flow{From: tenantA, To: orchestrator, Port: 8000, Allowed: false},
		netpol.Flow{From: tenantA, To: gateway, Port: 8080, Allowed: false},
		netpol.Flow{From: outside, To: executor, Port: 8006, Allowed: false},
		netpol.Flow{From: executor, To: netpol.External("104.18.7.192"), Port: 443, Allowed: false},
	); err != nil {
		t.Error(err)
	}
}

// The live Deployment names the pushed image by digest and runs as the gateway's ServiceAccount
// with a token; nothing else in the platform namespace mounts one.
func gatewayIdentity(t *testing.T, d *demo) {
	var gw struct {
		Image          string `json:"image"`
		Digest         string `json:"digest"`
		ServiceAccount string `json:"service_account"`
	}
	if err := json.Unmarshal([]byte(d.output(t, "-json", "gateway")), &gw); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(gw.Image, fmt.Sprintf("127.0.0.1:%d/octollm/gateway@sha256:", d.sandbox.Ports.Registry)) || !strings.HasSuffix(gw.Image, gw.Digest) {
		t.Errorf("output gateway.image = %q (digest %q): want the sandbox registry's repository by digest", gw.Image, gw.Digest)
	}
	deps, err := d.kube.AppsV1().Deployments("octollm").List(t.Context(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range deps.Items {
		pod := dep.Spec.Template.Spec
		token := pod.AutomountServiceAccountToken != nil && *pod.AutomountServiceAccountToken
		switch dep.Name {
		case "gateway":
			if pod.Containers[0].Image != gw.Image || pod.ServiceAccountName != gw.ServiceAccount || !token {
				t.Errorf("gateway runs %s as %q (token %v): want %s as %q with a token", pod.Containers[0].Image, pod.ServiceAccountName, token, gw.Image, gw.ServiceAccount)
			}
		default:
			if token {
				t.Errorf("%s mounts an API token; only the gateway should", dep.Name)
			}
		}
	}
}

// Both tenants' keys are served by the gateway the demo started from the image (a request
// routed by the chat route), and a wrong key is refused.
func tenantsServed(t *testing.T, d *demo) {
	url := "http://" + d.sandbox.GatewayListen() + "/v1/chat/completions"
	for _, tc := range []struct {
		key  string
		want int
	}{
		{d.output(t, "-raw", "demo_api_key"), http.StatusOK},
		{d.output(t, "-raw", "acme_api_key"), http.StatusOK},
		{"sk-octollm-not-a-key", http.StatusUnauthorized},
	} {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(`{"model":"auto","messages":[{"role":"user","content":"Hello"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tc.key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("POST %s with key %.12s...: %d %s, want %d", url, tc.key, resp.StatusCode, body, tc.want)
		}
		if tc.want == http.StatusOK && resp.Header.Get("X-OctoLLM-Route") != "chat" {
			t.Errorf("served by route %q, want chat", resp.Header.Get("X-OctoLLM-Route"))
		}
	}
}

// The executor arm (sandboxed, on spot) runs only on nodes of the GKE Sandbox pool.
func executorOnGVisor(t *testing.T, d *demo) {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	for {
		pods, err := d.kube.CoreV1().Pods("octollm").List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=executor-arm"})
		if err != nil {
			t.Fatal(err)
		}
		placed, problems := 0, []string{}
		for _, p := range pods.Items {
			if p.Spec.NodeName == "" {
				problems = append(problems, p.Name+" not scheduled: "+condition(p, corev1.PodScheduled))
				continue
			}
			node, err := d.kube.CoreV1().Nodes().Get(ctx, p.Spec.NodeName, metav1.GetOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if node.Labels["sandbox.gke.io/runtime"] != "gvisor" || node.Labels["workload-type"] != "spot" {
				t.Fatalf("executor pod %s runs on %s (labels %v): want a gVisor spot node", p.Name, node.Name, node.Labels)
			}
			placed++
		}
		if len(pods.Items) > 0 && placed == len(pods.Items) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("executor arm pods not all placed: %d of %d (%s)", placed, len(pods.Items), strings.Join(problems, "; "))
		case <-time.After(2 * time.Second):
		}
	}
}

func condition(p corev1.Pod, kind corev1.PodConditionType) string {
	for _, c := range p.Status.Conditions {
		if c.Type == kind {
			return fmt.Sprintf("%s=%s %s %s", c.Type, c.Status, c.Reason, c.Message)
		}
	}
	return "no " + string(kind) + " condition"
}
