package clients

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"cloud.google.com/go/container/apiv1/containerpb"
	"golang.org/x/oauth2"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/version"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// KubeConfig is the provider's kubernetes block after environment defaults were applied.
type KubeConfig struct {
	Host                 string
	Token                string
	ClusterCACertificate string // PEM
	ConfigPath           string
	ConfigContext        string
	Insecure             bool // skip TLS verification; loopback hosts only
}

// Configured reports whether the block (or its environment variables) says how to connect.
func (c KubeConfig) Configured() bool {
	return c.Host != "" || c.ConfigPath != ""
}

// Kube reaches one cluster's apiserver.
type Kube struct {
	Config    *rest.Config
	Clientset kubernetes.Interface
	Dynamic   dynamic.Interface
	// Source says where access came from, for error messages: "kubernetes block" or "GKE cluster".
	Source string
}

// InsecureProblem explains why the kubernetes block's insecure (no TLS verification) is refused
// for its host, or returns "": only a loopback apiserver may skip it. The provider reports it at
// configuration; RESTConfigFromBlock refuses the same, and checks a host read from config_path too.
func (c KubeConfig) InsecureProblem() string {
	if c.Insecure && c.Host != "" && !IsLoopback(c.Host) {
		return fmt.Sprintf("kubernetes.insecure is allowed only for loopback hosts, and kubernetes.host %q is not one: remove insecure and set cluster_ca_certificate.", c.Host)
	}
	return ""
}

// RESTConfigFromBlock builds a client configuration from the kubernetes block.
func RESTConfigFromBlock(c KubeConfig) (*rest.Config, error) {
	if msg := c.InsecureProblem(); msg != "" {
		return nil, errors.New(msg)
	}
	var cfg *rest.Config
	if c.ConfigPath != "" {
		rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: expandHome(c.ConfigPath)}
		overrides := &clientcmd.ConfigOverrides{CurrentContext: c.ConfigContext}
		if c.Host != "" {
			overrides.ClusterInfo.Server = c.Host
		}
		loaded, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
		if err != nil {
			return nil, fmt.Errorf("kubernetes.config_path: load %s: %w", c.ConfigPath, err)
		}
		cfg = loaded
		if c.Insecure && !IsLoopback(cfg.Host) {
			return nil, fmt.Errorf("kubernetes.insecure: skipping TLS verification is allowed only for loopback hosts, and %q is not one", cfg.Host)
		}
	} else {
		cfg = &rest.Config{Host: c.Host}
		if c.ClusterCACertificate != "" {
			cfg.CAData = []byte(c.ClusterCACertificate)
		}
	}
	if c.Token != "" {
		cfg.BearerToken = c.Token
		cfg.BearerTokenFile = ""
	}
	if c.Insecure {
		cfg.Insecure = true
		cfg.CAData = nil
		cfg.CAFile = ""
	}
	return cfg, nil
}

// RESTConfigFromGKE derives access from the cluster GKE reports: its endpoint and CA, and a
// Google token, as `gcloud container clusters get-credentials` does.
func RESTConfigFromGKE(cluster *containerpb.Cluster, tokens oauth2.TokenSource) (*rest.Config, error) {
	if cluster.GetEndpoint() == "" {
		return nil, fmt.Errorf("GKE cluster %s reports no endpoint yet (status %s): wait until it is RUNNING or set the kubernetes block", cluster.GetName(), cluster.GetStatus())
	}
	ca, err := base64.StdEncoding.DecodeString(cluster.GetMasterAuth().GetClusterCaCertificate())
	if err != nil {
		return nil, fmt.Errorf("GKE cluster %s: decode its CA certificate: %w", cluster.GetName(), err)
	}
	cfg := &rest.Config{Host: "https://" + cluster.GetEndpoint(), TLSClientConfig: rest.TLSClientConfig{CAData: ca}}
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		return &oauth2.Transport{Source: tokens, Base: rt}
	})
	return cfg, nil
}

// NewKube builds clients from a REST configuration, bounding every request by timeout
// (including dial and TLS handshake) so an unreachable endpoint fails rather than hangs.
func NewKube(cfg *rest.Config, source string, timeout time.Duration) (*Kube, error) {
	cfg = rest.CopyConfig(cfg)
	cfg.Timeout = timeout
	// The apiserver protects itself with API Priority and Fairness (429 with Retry-After,
	// which client-go and Retry retry with backoff); a client-side limit of 50 requests
	// per second made the provider 5x slower than kubectl at 200 tenants (bench/tenants).
	cfg.QPS, cfg.Burst = 400, 800
	cfg.UserAgent = "terraform-provider-octollm"
	dialer := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	cfg.Dial = dialer.DialContext
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubernetes: %w", err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubernetes: %w", err)
	}
	return &Kube{Config: cfg, Clientset: cs, Dynamic: dyn, Source: source}, nil
}

// ServerVersion reads the apiserver's /version, retried through transient errors (429, 5xx,
// resets) as every other read is.
func (k *Kube) ServerVersion(ctx context.Context) (*version.Info, error) {
	var body []byte
	err := Retry(ctx, KubeTransient, "read server version", func(ctx context.Context) (err error) {
		body, err = k.Clientset.Discovery().RESTClient().Get().AbsPath("/version").Do(ctx).Raw()
		return err
	})
	if err != nil {
		return nil, k.Error("read server version", err)
	}
	var info version.Info
	if err := json.Unmarshal(body, &info); err != nil {
		return nil, fmt.Errorf("kubernetes: read server version: %w", err)
	}
	return &info, nil
}

// Error turns an apiserver or transport error into one that says what to check.
func (k *Kube) Error(op string, err error) error {
	host := k.Config.Host
	switch {
	case apierrors.IsUnauthorized(err):
		return fmt.Errorf("kubernetes: unauthorized (401) at %s during %s: the credentials from the %s were rejected; check kubernetes.token (KUBE_TOKEN) or kubernetes.config_path, or for GKE-derived access that the Google identity may use the cluster", host, op, k.Source)
	case apierrors.IsForbidden(err):
		return fmt.Errorf("kubernetes: forbidden (403) at %s during %s: %w; grant the provider's identity RBAC for it", host, op, err)
	case isTimeout(err):
		return fmt.Errorf("kubernetes: %s at %s timed out: the apiserver is unreachable or not answering; check kubernetes.host and the network, or raise request_timeout: %w", op, host, err)
	default:
		return fmt.Errorf("kubernetes: %s at %s: %w", op, host, err)
	}
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return apierrors.IsTimeout(err) || strings.Contains(err.Error(), "Client.Timeout exceeded")
}

func expandHome(p string) string {
	if strings.HasPrefix(p, "~/") {
		if home, err := homeDir(); err == nil {
			return home + p[1:]
		}
	}
	return p
}
