package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox/faults"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox/gkeemu"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox/llmemu"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox/stripeemu"
)

// stripeRequestLog is the file, in the sandbox directory dir, where the Stripe emulator logs
// every request it serves (see stripeemu.Config.RequestLog).
func stripeRequestLog(dir string) string { return filepath.Join(dir, "stripe-requests.jsonl") }

// emulators serves the GKE emulator (gRPC), the Stripe emulator (HTTP, validated against
// stripe-mock), the LLM emulator (HTTP) and an admin endpoint that changes injected faults, the
// GKE cluster's security fields (/gke/cluster-security) and the LLM emulator's latency
// (/llm/latency) at run time and serves the LLM emulator's request counters (/llm/stats).
func emulators(args []string) error {
	fs := flag.NewFlagSet("emulators", flag.ExitOnError)
	dir := fs.String("dir", ".sandbox", "state directory of the sandbox being served")
	opDuration := fs.Duration("operation-duration", 2*time.Second, "how long each emulated GKE operation runs")
	_ = fs.Parse(args)

	st, err := sandbox.Load(*dir)
	if err != nil {
		return err
	}
	if st == nil {
		return fmt.Errorf("no sandbox state in %s", *dir)
	}
	ca, err := os.ReadFile(st.CACert)
	if err != nil {
		return err
	}
	restCfg, err := clientcmd.BuildConfigFromFlags("", st.Kubeconfig)
	if err != nil {
		return err
	}
	kube, err := kubernetes.NewForConfig(restCfg)
	if err != nil {
		return err
	}
	gkeFaults, err := faults.FromEnv("OCTOLLM_SANDBOX_GKE_FAULT")
	if err != nil {
		return err
	}
	stripeFaults, err := faults.FromEnv("OCTOLLM_SANDBOX_STRIPE_FAULT")
	if err != nil {
		return err
	}
	// The admin endpoint can switch faults on later, so the injectors always exist.
	if gkeFaults == nil {
		gkeFaults = faults.New(0, 0, time.Now().UnixNano())
	}
	if stripeFaults == nil {
		stripeFaults = faults.New(0, 0, time.Now().UnixNano())
	}

	llm, err := newLLMEmulator()
	if err != nil {
		return err
	}

	kubeFaults, kubeEndpoint, serveKubeProxy, err := kubeFaultProxy(st, ca)
	if err != nil {
		return err
	}
	gke, err := gkeemu.New(gkeemu.Config{
		Project: sandbox.Project, Location: sandbox.Location, Cluster: sandbox.Cluster,
		Endpoint:          kubeEndpoint,
		CACertPEM:         ca,
		MasterVersion:     sandbox.KubernetesVersion[1:] + "-gke.100",
		OperationDuration: *opDuration,
		Token:             st.Token,
		Kube:              kube,
		Faults:            gkeFaults,
	})
	if err != nil {
		return err
	}
	gkeLis, err := net.Listen("tcp", st.GKEEndpoint())
	if err != nil {
		return err
	}
	// Every Stripe request is logged for `octollm-sandbox stripe-contract`.
	stripeLog, err := os.OpenFile(stripeRequestLog(st.Dir), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer stripeLog.Close()
	stripe := stripeemu.New(stripeemu.Config{
		ValidatorURL: fmt.Sprintf("http://127.0.0.1:%d", st.Ports.StripeMock),
		Faults:       stripeFaults,
		RequestLog:   stripeLog,
	})
	stripeSrv := &http.Server{Addr: fmt.Sprintf("127.0.0.1:%d", st.Ports.Stripe), Handler: stripe, ReadHeaderTimeout: 10 * time.Second}

	admin := http.NewServeMux()
	admin.Handle("/faults/gke", gkeFaults.ControlHandler())
	admin.Handle("/faults/stripe", stripeFaults.ControlHandler())
	admin.Handle("/faults/kube", kubeFaults.ControlHandler())
	admin.Handle("/gke/cluster-security", gke.SecurityHandler())
	admin.Handle("/faults/llm", llm.FaultsHandler())
	admin.Handle("/llm/latency", llm.LatencyHandler())
	admin.Handle("/llm/stats", llm.StatsHandler())
	adminSrv := &http.Server{Addr: fmt.Sprintf("127.0.0.1:%d", st.Ports.EmulatorsAdmin), Handler: admin, ReadHeaderTimeout: 10 * time.Second}

	llmSrv := &http.Server{Addr: fmt.Sprintf("127.0.0.1:%d", st.Ports.LLM), Handler: llm, ReadHeaderTimeout: 10 * time.Second}

	errs := make(chan error, 5)
	if serveKubeProxy != nil {
		go func() { errs <- serveKubeProxy() }()
	}
	go func() { errs <- gke.Serve(gkeLis) }()
	go func() { errs <- stripeSrv.ListenAndServe() }()
	go func() { errs <- llmSrv.ListenAndServe() }()
	go func() { errs <- adminSrv.ListenAndServe() }()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	select {
	case <-ctx.Done():
	case err = <-errs:
	}
	gke.Stop()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = stripeSrv.Shutdown(shutdownCtx)
	_ = llmSrv.Shutdown(shutdownCtx)
	_ = adminSrv.Shutdown(shutdownCtx)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// newLLMEmulator builds the LLM emulator. As for the other emulators,
// OCTOLLM_SANDBOX_LLM_FAULT_ERROR_RATE fails that fraction of requests (with 503 unavailable) and
// OCTOLLM_SANDBOX_LLM_FAULT_LATENCY delays every answer (as the time to first token); both can
// change later on the admin endpoint (/faults/llm, /llm/latency).
func newLLMEmulator() (*llmemu.Emulator, error) {
	inj, err := faults.FromEnv("OCTOLLM_SANDBOX_LLM_FAULT")
	if err != nil {
		return nil, err
	}
	env := inj.Settings() // zero when neither variable is set
	cfg := llmemu.Config{Latency: llmemu.Latency{TimeToFirstToken: env.Latency}}
	if env.ErrorRate > 0 {
		cfg.Fault = &llmemu.Fault{Kind: llmemu.FaultUnavailable, Rate: env.ErrorRate}
	}
	return llmemu.New(cfg)
}

// kubeFaultProxy listens, when the sandbox started with apiserver faults (sandbox.KubeFaultEnvPrefix),
// on the fault proxy's port and returns its injector, the endpoint the GKE emulator hands out for
// the cluster (the proxy's, else the apiserver's) and the function that serves the proxy. Without
// faults it returns a nil injector, the apiserver's endpoint and a nil function.
func kubeFaultProxy(st *sandbox.State, caPEM []byte) (*faults.KubeInjector, string, func() error, error) {
	direct := fmt.Sprintf("127.0.0.1:%d", st.Ports.APIServer)
	if !st.KubeFaults {
		return nil, direct, nil, nil
	}
	inj, err := faults.KubeFromEnv(sandbox.KubeFaultEnvPrefix)
	if err != nil {
		return nil, "", nil, err
	}
	if inj == nil { // the variables changed since `up`; the admin endpoint can still turn faults on
		if inj, err = faults.NewKube(faults.KubeSettings{}, time.Now().UnixNano()); err != nil {
			return nil, "", nil, err
		}
	}
	certFile, keyFile := st.KubeServingCertPaths()
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, "", nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", st.Ports.KubeFaultProxy)
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", nil, fmt.Errorf("apiserver fault proxy: %w", err)
	}
	upstream, _ := url.Parse(st.APIServerURL())
	_, serve, err := faults.ServeKubeProxy(lis, cert, upstream, caPEM, inj)
	if err != nil {
		return nil, "", nil, err
	}
	return inj, addr, serve, nil
}
