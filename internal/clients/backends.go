// Package clients holds the provider's thin GKE, Kubernetes and Stripe clients and the
// configuration that reaches them. Every resource family reaches its backends through here.
package clients

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/stripe/stripe-go/v76"
	stripeclient "github.com/stripe/stripe-go/v76/client"
)

// StripeConfig is the provider's stripe block after environment defaults were applied.
type StripeConfig struct {
	APIKey  string
	APIBase string // default https://api.stripe.com; the local sandbox's emulator otherwise
}

// Config is the whole provider configuration.
type Config struct {
	Namespace      string
	RequestTimeout time.Duration
	GKE            GKEConfig
	Kubernetes     KubeConfig
	Stripe         StripeConfig
	// ProviderVersion is the provider's version, recorded in compliance evidence.
	ProviderVersion string
}

// ErrNoClusterConfig is returned when a resource needs a cluster and nothing says which.
var ErrNoClusterConfig = errors.New("no GKE or Kubernetes configuration: set the provider's gke block " +
	"(project, location, cluster; or GOOGLE_PROJECT, OCTOLLM_GKE_LOCATION, OCTOLLM_GKE_CLUSTER) " +
	"or its kubernetes block (host and token, or config_path; or KUBE_HOST and KUBE_TOKEN, or KUBE_CONFIG_PATH)")

// Backends connects lazily: a plan that only validates configuration never dials anything,
// and a configuration only one backend needs is checked when that backend is first used.
type Backends struct {
	Config Config

	gkeOnce sync.Once
	gke     *GKE
	gkeErr  error

	kubeOnce sync.Once
	kube     *Kube
	kubeErr  error

	stripeOnce sync.Once
	stripeHTTP *http.Client
	stripeErr  error
}

// NewBackends returns the backends of a configuration; nothing is dialled yet.
func NewBackends(cfg Config) *Backends {
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	return &Backends{Config: cfg}
}

// GKE returns the GKE client, or an error naming what is missing.
func (b *Backends) GKE(ctx context.Context) (*GKE, error) {
	b.gkeOnce.Do(func() {
		c := b.Config.GKE
		if !c.Configured() {
			if b.Config.Kubernetes.Configured() {
				b.gkeErr = errors.New("no GKE configuration: set the provider's gke block (project, location, cluster) or GOOGLE_PROJECT, OCTOLLM_GKE_LOCATION and OCTOLLM_GKE_CLUSTER")
			} else {
				b.gkeErr = ErrNoClusterConfig
			}
			return
		}
		var missing []string
		for _, f := range []struct{ name, env, v string }{
			{"gke.project", "GOOGLE_PROJECT", c.Project},
			{"gke.location", "OCTOLLM_GKE_LOCATION", c.Location},
			{"gke.cluster", "OCTOLLM_GKE_CLUSTER", c.Cluster},
		} {
			if f.v == "" {
				missing = append(missing, fmt.Sprintf("%s (%s)", f.name, f.env))
			}
		}
		if len(missing) > 0 {
			b.gkeErr = fmt.Errorf("incomplete gke configuration: set %v", missing)
			return
		}
		b.gke, b.gkeErr = NewGKE(ctx, c, b.Config.RequestTimeout)
	})
	return b.gke, b.gkeErr
}

// Kube returns the Kubernetes client: from the kubernetes block when it is set, otherwise
// derived from the GKE cluster (endpoint, CA and a Google token).
func (b *Backends) Kube(ctx context.Context) (*Kube, error) {
	b.kubeOnce.Do(func() {
		if b.Config.Kubernetes.Configured() {
			cfg, err := RESTConfigFromBlock(b.Config.Kubernetes)
			if err != nil {
				b.kubeErr = err
				return
			}
			b.kube, b.kubeErr = NewKube(cfg, "kubernetes block", b.Config.RequestTimeout)
			return
		}
		gke, err := b.GKE(ctx)
		if err != nil {
			b.kubeErr = err
			return
		}
		cluster, err := gke.GetCluster(ctx, gke.Config.ClusterName())
		if err != nil {
			b.kubeErr = fmt.Errorf("derive Kubernetes access from the GKE cluster: %w", err)
			return
		}
		cfg, err := RESTConfigFromGKE(cluster, gke.Tokens)
		if err != nil {
			b.kubeErr = err
			return
		}
		b.kube, b.kubeErr = NewKube(cfg, "GKE cluster "+gke.Config.ClusterName(), b.Config.RequestTimeout)
	})
	return b.kube, b.kubeErr
}

// Stripe returns a Stripe client for one operation, or an error naming what is missing. Its
// retries (stripe-go retries network errors, 409s and 5xx, POSTs' too, up to 6 times) are logged at INFO to
// ctx's provider logger, so `TF_LOG=INFO` shows an apply waiting on Stripe; nothing else
// stripe-go would log (request and response bodies) is.
func (b *Backends) Stripe(ctx context.Context) (*stripeclient.API, error) {
	b.stripeOnce.Do(func() {
		if b.Config.Stripe.APIKey == "" {
			b.stripeErr = errors.New("no Stripe configuration: set stripe.api_key (STRIPE_API_KEY) for tenants with billing and billing plans")
			return
		}
		// stripe-go's default: 80 s per request. One client, so connections are reused.
		b.stripeHTTP = &http.Client{Timeout: 80 * time.Second, Transport: stripeRetryTransport{base: http.DefaultTransport}}
	})
	if b.stripeErr != nil {
		return nil, b.stripeErr
	}
	c := b.Config.Stripe
	// stripe-go would print every failed request to stderr; failures reach the user as
	// diagnostics with Stripe's message instead.
	cfg := &stripe.BackendConfig{MaxNetworkRetries: stripe.Int64(stripeMaxRetries), LeveledLogger: stripeRetryLogger{ctx: ctx}, HTTPClient: b.stripeHTTP}
	if c.APIBase != "" {
		cfg.URL = stripe.String(c.APIBase)
	}
	backend := stripe.GetBackendWithConfig(stripe.APIBackend, cfg)
	api := &stripeclient.API{}
	api.Init(c.APIKey, &stripe.Backends{API: backend, Connect: backend, Uploads: backend})
	return api, nil
}

// stripeRetryLogger passes stripe-go's retry notices ("Initiating retry 1 for request POST
// host/v1/customers after sleeping 500ms": method, host and path only) to tflog at INFO and
// drops everything else, which can hold request or response bodies.
type stripeRetryLogger struct{ ctx context.Context }

func (l stripeRetryLogger) Debugf(string, ...any) {}
func (l stripeRetryLogger) Errorf(string, ...any) {}
func (l stripeRetryLogger) Infof(string, ...any)  {}
func (l stripeRetryLogger) Warnf(format string, v ...any) {
	if strings.HasPrefix(format, "Initiating retry") {
		tflog.Info(l.ctx, "Stripe: "+fmt.Sprintf(format, v...))
	}
}

func homeDir() (string, error) { return os.UserHomeDir() }

// FromProviderData returns the Backends the provider's Configure handed a resource or data
// source: nil before the provider is configured (validation runs then), and an error that
// marks a provider bug for anything else.
func FromProviderData(data any) (*Backends, error) {
	if data == nil {
		return nil, nil
	}
	b, ok := data.(*Backends)
	if !ok {
		return nil, fmt.Errorf("expected *clients.Backends, got %T; this is a bug in the provider", data)
	}
	return b, nil
}
