// Package sandbox starts and stops the local control plane the demo, the acceptance tests and
// the benchmarks run against: etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
// kwok for fake nodes, the VPA CRD, the Gateway API CRDs with GKE's HealthCheckPolicy CRD and
// GatewayClasses, stripe-mock, the GKE and Stripe emulators, the LLM emulator, and redis-server
// (the Memorystore the gateways share rate limits and their response cache through). It needs
// no network; every component listens on loopback.
package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The seeded GKE cluster every sandbox emulates.
const (
	Project  = "octollm-sandbox"
	Location = "us-central1"
	Cluster  = "octollm"
	// StripeKey is accepted by the Stripe emulator (any sk_test_ key is).
	StripeKey = "sk_test_octollm_sandbox"
	// KubernetesVersion is the version of the control-plane binaries tools/ builds.
	KubernetesVersion = "v1.34.3"
)

// Ports are the loopback ports of the sandbox's components.
type Ports struct {
	EtcdClient     int `json:"etcd_client"`
	EtcdPeer       int `json:"etcd_peer"`
	APIServer      int `json:"apiserver"`
	ControllerMgr  int `json:"controller_manager"`
	Scheduler      int `json:"scheduler"`
	Kwok           int `json:"kwok"`
	GKE            int `json:"gke"`
	Stripe         int `json:"stripe"`
	StripeMock     int `json:"stripe_mock"`
	StripeMockTLS  int `json:"stripe_mock_tls"`
	EmulatorsAdmin int `json:"emulators_admin"`
	LLM            int `json:"llm"`
	Redis          int `json:"redis"`
	Gateway        int `json:"gateway"`
	Registry       int `json:"registry"`
	MetricsServer  int `json:"metrics_server"`
	// KubeFaultProxy is the apiserver fault proxy's port (kubefaults.go); it listens only when
	// the sandbox started with apiserver faults.
	KubeFaultProxy int `json:"kube_fault_proxy"`
}

// PortsFrom lays the ports out from base (default 16400, OCTOLLM_SANDBOX_PORT_BASE).
func PortsFrom(base int) Ports {
	return Ports{
		EtcdClient: base + 1, EtcdPeer: base + 2, APIServer: base + 43,
		ControllerMgr: base + 57, Scheduler: base + 59, Kwok: base + 10,
		GKE: base + 20, Stripe: base + 21, StripeMock: base + 22, StripeMockTLS: base + 23,
		EmulatorsAdmin: base + 24, LLM: base + 25, Redis: base + 26, Gateway: base + 30,
		Registry: base + 27, MetricsServer: base + 28, KubeFaultProxy: base + 44,
	}
}

func (p Ports) named() []struct {
	name string
	port int
} {
	return []struct {
		name string
		port int
	}{
		{"etcd", p.EtcdClient}, {"etcd peer", p.EtcdPeer}, {"kube-apiserver", p.APIServer},
		{"kube-controller-manager", p.ControllerMgr}, {"kube-scheduler", p.Scheduler},
		{"kwok", p.Kwok}, {"GKE emulator", p.GKE}, {"Stripe emulator", p.Stripe},
		{"stripe-mock", p.StripeMock}, {"stripe-mock TLS", p.StripeMockTLS},
		{"emulators admin", p.EmulatorsAdmin}, {"LLM emulator", p.LLM}, {"redis-server", p.Redis},
		{"gateway", p.Gateway}, {"OCI registry", p.Registry}, {"metrics-server", p.MetricsServer},
		{"apiserver fault proxy", p.KubeFaultProxy},
	}
}

// CheckFree says which port, if any, something already listens on.
func (p Ports) CheckFree() error {
	for _, np := range p.named() {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", np.port))
		if err != nil {
			return fmt.Errorf("port %d (%s) is already in use: stop whatever listens there, or move the sandbox with OCTOLLM_SANDBOX_PORT_BASE", np.port, np.name)
		}
		_ = l.Close()
	}
	return nil
}

// State is what a running sandbox records in <dir>/state.json.
type State struct {
	Dir        string     `json:"dir"`
	Ports      Ports      `json:"ports"`
	Token      string     `json:"token"`
	CACert     string     `json:"ca_cert"`
	Kubeconfig string     `json:"kubeconfig"`
	Processes  []*process `json:"processes"`
	StartedAt  time.Time  `json:"started_at"`
	// Metrics: the sandbox runs metrics-server on kwok's simulated usage (Options.Metrics).
	Metrics bool `json:"metrics,omitempty"`
	// KubeFaults: the provider reaches the apiserver through the fault proxy (kubefaults.go).
	KubeFaults bool `json:"kube_faults,omitempty"`
}

// APIServerURL is the https URL of the sandbox apiserver.
func (s *State) APIServerURL() string {
	return fmt.Sprintf("https://127.0.0.1:%d", s.Ports.APIServer)
}

// GKEEndpoint is the host:port of the GKE emulator.
func (s *State) GKEEndpoint() string { return fmt.Sprintf("127.0.0.1:%d", s.Ports.GKE) }

// StripeURL is the base URL of the Stripe emulator.
func (s *State) StripeURL() string { return fmt.Sprintf("http://127.0.0.1:%d", s.Ports.Stripe) }

// LLMURL is the base URL of the LLM emulator; its OpenAI-compatible API is under /v1 and its
// Anthropic Messages API under /anthropic/v1.
func (s *State) LLMURL() string { return fmt.Sprintf("http://127.0.0.1:%d", s.Ports.LLM) }

// RedisURL is the URL of the sandbox's redis-server, which gateways share limits and cache through.
func (s *State) RedisURL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", s.Ports.Redis) }

// GatewayListen is where `make demo` runs the gateway.
func (s *State) GatewayListen() string { return fmt.Sprintf("127.0.0.1:%d", s.Ports.Gateway) }

// UpstreamProviders are the LLM providers the gateway knows, as named in route.json price sheets.
var UpstreamProviders = []string{"openai", "anthropic", "google", "mistral", "deepseek", "groq", "self-hosted"}

// Env returns the provider's environment for this sandbox, as name/value pairs. Kubernetes
// access is left to be derived from the GKE cluster, as on a real project.
func (s *State) Env() [][2]string {
	env := [][2]string{
		{"OCTOLLM_NAMESPACE", "octollm"},
		{"GOOGLE_PROJECT", Project},
		{"OCTOLLM_GKE_LOCATION", Location},
		{"OCTOLLM_GKE_CLUSTER", Cluster},
		{"OCTOLLM_GKE_ENDPOINT", s.GKEEndpoint()},
		{"OCTOLLM_GKE_INSECURE", "true"},
		{"GOOGLE_OAUTH_ACCESS_TOKEN", s.Token},
		{"STRIPE_API_KEY", StripeKey},
		{"OCTOLLM_STRIPE_API_BASE", s.StripeURL()},
		{"OCTOLLM_SANDBOX_KUBECONFIG", s.ProviderKubeconfig()},
		{"OCTOLLM_REDIS_URL", s.RedisURL()},
		{"OCTOLLM_GATEWAY_LISTEN", s.GatewayListen()},
		{"OCTOLLM_REGISTRY", s.RegistryHost()},
	}
	// The gateway's upstreams all point at the LLM emulator, which accepts any key.
	for _, p := range UpstreamProviders {
		envName := strings.ToUpper(strings.ReplaceAll(p, "-", "_"))
		base := s.LLMURL() + "/v1"
		if p == "anthropic" {
			base = s.LLMURL() + "/anthropic/v1"
		}
		env = append(env, [2]string{"OCTOLLM_UPSTREAM_" + envName + "_URL", base}, [2]string{envName + "_API_KEY", "sk-sandbox-" + p})
	}
	return env
}

func (s *State) pidsAlive() []*process {
	var alive []*process
	for _, p := range s.Processes {
		if p.alive() {
			alive = append(alive, p)
		}
	}
	return alive
}

// Load reads the state of the sandbox in dir. It returns (nil, nil) when none was started.
func Load(dir string) (*State, error) {
	data, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("read %s/state.json: %w", dir, err)
	}
	return &s, nil
}

// Running returns the state of the sandbox in dir when all its processes are alive.
func Running(dir string) (*State, bool) {
	s, err := Load(dir)
	if err != nil || s == nil || len(s.Processes) == 0 {
		return nil, false
	}
	return s, len(s.pidsAlive()) == len(s.Processes)
}

func (s *State) save() error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(s.Dir, "state.json.tmp")
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(s.Dir, "state.json"))
}

// Options configure Up.
type Options struct {
	Dir           string // state, data and logs; default .sandbox
	BinDir        string // where tools/ put the binaries; default bin
	SandboxBinary string // the octollm-sandbox binary that serves the emulators
	PortBase      int    // default 16400
	Log           io.Writer
	Timeout       time.Duration // default 90s (the target is 20s once binaries are built)
	// OperationDuration is how long each emulated GKE operation runs; default 2s.
	OperationDuration time.Duration
	// Metrics runs the resource metrics pipeline (kwok's simulated kubelet metrics,
	// metrics-server, metrics.k8s.io); default from OCTOLLM_SANDBOX_METRICS (1/true). Off by
	// default while kwok v0.7.0 can crash with it (see metrics.go).
	Metrics bool
}

func (o *Options) defaults() error {
	if o.Dir == "" {
		o.Dir = ".sandbox"
	}
	if o.BinDir == "" {
		o.BinDir = "bin"
	}
	if o.PortBase == 0 {
		o.PortBase = 16400
		if v := os.Getenv("OCTOLLM_SANDBOX_PORT_BASE"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1024 || n > 65000 {
				return fmt.Errorf("OCTOLLM_SANDBOX_PORT_BASE=%q: want a port number between 1024 and 65000", v)
			}
			o.PortBase = n
		}
	}
	if v := os.Getenv("OCTOLLM_SANDBOX_METRICS"); v != "" && !o.Metrics {
		on, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("OCTOLLM_SANDBOX_METRICS=%q: want 1 or 0 (true or false)", v)
		}
		o.Metrics = on
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.Timeout == 0 {
		o.Timeout = 90 * time.Second
	}
	if o.OperationDuration == 0 {
		o.OperationDuration = 2 * time.Second
	}
	var err error
	if o.Dir, err = filepath.Abs(o.Dir); err != nil {
		return err
	}
	if o.BinDir, err = filepath.Abs(o.BinDir); err != nil {
		return err
	}
	return nil
}

// Up starts a sandbox from an empty cluster and returns once every component is ready.
// It refuses to start a second sandbox in the same directory and names any taken port.
func Up(ctx context.Context, o Options) (*State, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	if s, running := Running(o.Dir); running {
		return s, fmt.Errorf("%w in %s (kube-apiserver at %s): use it, or stop it with `make sandbox-down`", ErrAlreadyRunning, o.Dir, s.APIServerURL())
	}
	if prev, _ := Load(o.Dir); prev != nil {
		// A half-dead sandbox: stop what is left of it before starting afresh.
		_ = stopAll(prev)
	}
	ports := PortsFrom(o.PortBase)
	if err := ports.CheckFree(); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(o.Dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()

	tok := make([]byte, 24)
	if _, err := rand.Read(tok); err != nil {
		return nil, err
	}
	s := &State{Dir: o.Dir, Ports: ports, Token: "octollm-" + hex.EncodeToString(tok), StartedAt: time.Now().UTC(), Metrics: o.Metrics}
	st := &starter{o: o, s: s}
	if err := st.run(ctx); err != nil {
		_ = stopAll(s)
		return nil, err
	}
	return s, nil
}

// Down stops exactly the processes the sandbox in dir recorded and removes its data.
func Down(dir string) (stopped int, err error) {
	s, err := Load(dir)
	if err != nil {
		return 0, err
	}
	if s == nil {
		return 0, nil
	}
	stopped = len(s.pidsAlive())
	if err := stopAll(s); err != nil {
		return stopped, err
	}
	return stopped, os.RemoveAll(dir)
}

func stopAll(s *State) error {
	var errs []string
	for i := len(s.Processes) - 1; i >= 0; i-- {
		if err := s.Processes[i].stop(10 * time.Second); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}
