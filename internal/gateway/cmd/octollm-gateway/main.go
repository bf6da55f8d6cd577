// Command octollm-gateway is the OctoLLM gateway runtime: it serves the routes, keys, quotas and
// meters the Terraform provider writes. Every flag also comes from the environment variable
// shown in --help, the same ones the provider reads, so one Deployment env serves both.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	// Mozilla's CA roots in the binary, for images (and hosts) without a CA bundle of their own.
	_ "golang.org/x/crypto/x509roots/fallback"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/octollm/terraform-provider-octollm/internal/gateway"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/cache"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/directory"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/limits"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/metering"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/metrics"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/routing"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/upstream"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

// config is the gateway's configuration; each field has a flag and an environment variable.
type config struct {
	listen          string
	namespace       string
	kubeconfig      string
	kubeContext     string
	stripeKey       string
	stripeBase      string
	redisURL        string
	spoolDir        string
	shutdownGrace   time.Duration
	queueTimeout    time.Duration
	upstreamTimeout time.Duration
	circuitFailures int
	circuitCooldown time.Duration
	cacheEntries    int
	maxInFlight     int
	logLevel        string
}

// setting registers one flag whose default comes from an environment variable.
type settings struct {
	fs   *flag.FlagSet
	errs []string
}

func (s *settings) str(p *string, name, env, def, usage string) {
	if v := os.Getenv(env); v != "" {
		def = v
	}
	s.fs.StringVar(p, name, def, usage+" ($"+env+")")
}

func (s *settings) duration(p *time.Duration, name, env string, def time.Duration, usage string) {
	if v := os.Getenv(env); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			s.errs = append(s.errs, fmt.Sprintf("%s=%q: want a Go duration such as \"30s\"", env, v))
		} else {
			def = d
		}
	}
	s.fs.DurationVar(p, name, def, usage+" ($"+env+")")
}

func (s *settings) integer(p *int, name, env string, def int, usage string) {
	if v := os.Getenv(env); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.errs = append(s.errs, fmt.Sprintf("%s=%q: want a whole number", env, v))
		} else {
			def = n
		}
	}
	s.fs.IntVar(p, name, def, usage+" ($"+env+")")
}

func parseConfig(args []string) (config, error) {
	var c config
	s := &settings{fs: flag.NewFlagSet("octollm-gateway", flag.ContinueOnError)}
	s.str(&c.listen, "listen", "OCTOLLM_GATEWAY_LISTEN", ":8080", "address to serve the API, /healthz, /readyz and /metrics on")
	s.str(&c.namespace, "namespace", "OCTOLLM_NAMESPACE", "octollm", "platform namespace holding the route ConfigMaps and tenant key Secrets")
	s.str(&c.kubeconfig, "kubeconfig", "KUBE_CONFIG_PATH", "", "kubeconfig file; empty: the pod's in-cluster configuration")
	s.str(&c.kubeContext, "kube-context", "KUBE_CTX", "", "context in the kubeconfig; empty: its current context")
	s.str(&c.stripeKey, "stripe-api-key", "STRIPE_API_KEY", "", "Stripe secret key for usage billing; empty: usage is metered in metrics only")
	s.str(&c.stripeBase, "stripe-api-base", "OCTOLLM_STRIPE_API_BASE", "", "Stripe API base URL (the sandbox's Stripe emulator); empty: https://api.stripe.com")
	s.str(&c.redisURL, "redis-url", "OCTOLLM_REDIS_URL", "", "Redis (Memorystore) URL shared by every replica for limits and the response cache; empty: in-process, so limits hold per replica")
	s.str(&c.spoolDir, "spool-dir", "OCTOLLM_GATEWAY_SPOOL_DIR", "/var/spool/octollm-gateway", "directory where usage is spooled before Stripe acknowledges it (a persistent volume survives restarts)")
	s.duration(&c.shutdownGrace, "shutdown-grace", "OCTOLLM_GATEWAY_SHUTDOWN_GRACE", 25*time.Second, "on SIGTERM, how long in-flight requests and the usage flush may take")
	s.duration(&c.queueTimeout, "queue-timeout", "OCTOLLM_GATEWAY_QUEUE_TIMEOUT", 10*time.Second, "longest wait of a request queued by budget.on_exceed = \"queue\"")
	s.duration(&c.upstreamTimeout, "upstream-timeout", "OCTOLLM_GATEWAY_UPSTREAM_TIMEOUT", 120*time.Second, "longest upstream attempt (and, when streaming, the longest wait for the next event)")
	s.integer(&c.circuitFailures, "circuit-failures", "OCTOLLM_GATEWAY_CIRCUIT_FAILURES", 3, "consecutive failures that take a model out")
	s.duration(&c.circuitCooldown, "circuit-cooldown", "OCTOLLM_GATEWAY_CIRCUIT_COOLDOWN", 10*time.Second, "how long a model stays out before a trial request")
	s.integer(&c.maxInFlight, "max-in-flight", "OCTOLLM_GATEWAY_MAX_IN_FLIGHT", 1024, "chat completions served at once; more are answered 503 with Retry-After (0: no limit)")
	s.integer(&c.cacheEntries, "cache-entries", "OCTOLLM_GATEWAY_CACHE_ENTRIES", 10000, "entries of the in-process response cache (without Redis)")
	s.str(&c.logLevel, "log-level", "OCTOLLM_GATEWAY_LOG_LEVEL", "info", "debug, info, warn or error")
	s.fs.Usage = func() {
		out := s.fs.Output()
		_, _ = fmt.Fprintf(out, "octollm-gateway %s: serves the routes, tenant keys, quotas and meters the octollm provider writes.\n\nFlags (each also read from the environment variable shown):\n", version)
		s.fs.PrintDefaults()
		_, _ = fmt.Fprintf(out, "\nUpstream LLM providers, by the provider name route price sheets use (%s):\n"+
			"  OCTOLLM_UPSTREAM_<PROVIDER>_URL   base URL (default: the vendor's public API; self-hosted has none)\n"+
			"  <PROVIDER>_API_KEY                its key, e.g. OPENAI_API_KEY, ANTHROPIC_API_KEY, SELF_HOSTED_API_KEY\n",
			strings.Join(providerNames(), ", "))
	}
	if err := s.fs.Parse(args); err != nil {
		return c, err
	}
	if len(s.errs) > 0 {
		return c, errors.New(strings.Join(s.errs, "; "))
	}
	return c, nil
}

func main() {
	c, err := parseConfig(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "octollm-gateway:", err)
		os.Exit(2)
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "octollm-gateway:", err)
		os.Exit(1)
	}
}

func kubeConfig(c config) (*rest.Config, error) {
	if c.kubeconfig == "" {
		cfg, err := rest.InClusterConfig()
		if err != nil {
			return nil, fmt.Errorf("kubernetes: not in a pod (%w): set KUBE_CONFIG_PATH or --kubeconfig", err)
		}
		return cfg, nil
	}
	rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: c.kubeconfig}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: c.kubeContext}).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("kubernetes: KUBE_CONFIG_PATH=%s: %w", c.kubeconfig, err)
	}
	return cfg, nil
}

func run(c config) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return fmt.Errorf("OCTOLLM_GATEWAY_LOG_LEVEL=%q: want debug, info, warn or error", c.logLevel)
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	restCfg, err := kubeConfig(c)
	if err != nil {
		return err
	}
	restCfg.UserAgent = "octollm-gateway/" + version
	kube, err := kubernetes.NewForConfig(restCfg)
	if err != nil {
		return fmt.Errorf("kubernetes: %w", err)
	}
	providers, err := upstream.ProvidersFromEnv(os.Getenv)
	if err != nil {
		return err
	}

	var store limits.Store
	var respCache cache.Cache
	if c.redisURL != "" {
		client, err := limits.OpenRedis(c.redisURL)
		if err != nil {
			return fmt.Errorf("OCTOLLM_REDIS_URL: %w", err)
		}
		defer client.Close()
		store = limits.NewRedisClient(client)
		respCache = cache.NewRedis(client)
		log.Info("limits and cache shared through Redis", "redis", redactURL(c.redisURL))
	} else {
		store = limits.NewMemory()
		respCache = cache.NewMemory(c.cacheEntries)
		log.Warn("no OCTOLLM_REDIS_URL: limits and the response cache are per replica; with N replicas a tenant may get up to N times its requests_per_minute")
	}

	var meter *metering.Meter
	var usage metrics.UsageStats
	if c.stripeKey != "" {
		meter, err = metering.Open(metering.Config{Dir: c.spoolDir, StripeKey: c.stripeKey, StripeAPIBase: c.stripeBase, Logger: log})
		if err != nil {
			return fmt.Errorf("usage spool %s (OCTOLLM_GATEWAY_SPOOL_DIR): %w", c.spoolDir, err)
		}
		usage = func() (float64, float64, float64, float64) {
			st := meter.Stats()
			return float64(st.Spooled), float64(st.Pending), float64(st.Delivered), float64(st.DeadLettered)
		}
	} else {
		log.Warn("no STRIPE_API_KEY: usage is metered in metrics only, not billed")
	}
	m := metrics.New(usage)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	dir := directory.New(kube, c.namespace, log, directory.Hooks{
		Rejected: func(r directory.Rejection) { m.ConfigRejected.WithLabelValues(r.Kind, r.Name).Inc() },
		Reloaded: func(s *directory.Snapshot) {
			m.ConfigReloads.Inc()
			m.Routes.Set(float64(len(s.Routes)))
			m.Tenants.Set(float64(s.Tenants))
		},
	})
	dirErr := make(chan error, 1)
	dirCtx, stopDir := context.WithCancel(context.Background())
	defer stopDir()
	go func() { dirErr <- dir.Run(dirCtx) }()

	opts := gateway.Options{
		Directory: dir, Upstream: upstream.New(providers), Limiter: limits.New(store, time.Now), Cache: respCache,
		Metrics: m, Breaker: &routing.Breaker{Threshold: c.circuitFailures, Cooldown: c.circuitCooldown}, Log: log,
		QueueTimeout: c.queueTimeout, UpstreamTimeout: c.upstreamTimeout, MaxInFlight: int64(c.maxInFlight),
	}
	if meter != nil {
		opts.Meter = meter
	}
	srv := gateway.New(opts)
	lis, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("listen on %s (OCTOLLM_GATEWAY_LISTEN): %w", c.listen, err)
	}
	httpSrv := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(lis) }()
	log.Info("octollm-gateway serving", "version", version, "listen", lis.Addr().String(), "namespace", c.namespace, "providers", len(providers), "billing", meter != nil)

	select {
	case <-ctx.Done():
		log.Info("shutting down: no new requests; finishing in-flight ones and flushing usage", "grace", c.shutdownGrace)
	case err = <-serveErr:
		log.Error("server stopped", "error", err)
	case err = <-dirErr:
		log.Error("route and key watch stopped", "error", err)
	}
	srv.Drain()
	graceCtx, cancel := context.WithTimeout(context.Background(), c.shutdownGrace)
	defer cancel()
	if shutdownErr := httpSrv.Shutdown(graceCtx); shutdownErr != nil {
		log.Error("in-flight requests cut short", "error", shutdownErr)
	}
	stopDir()
	if meter != nil {
		if closeErr := meter.Close(graceCtx); closeErr != nil {
			log.Error("usage not fully flushed; it stays spooled and is sent on the next start", "error", closeErr)
		}
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

func providerNames() []string {
	names := make([]string, len(upstream.KnownProviders))
	for i, p := range upstream.KnownProviders {
		names[i] = p.Name
	}
	return names
}

// redactURL drops the password from a Redis URL for logging.
func redactURL(raw string) string {
	if i := strings.Index(raw, "@"); i > 0 {
		if j := strings.Index(raw, "://"); j > 0 && j < i {
			return raw[:j+3] + "***" + raw[i:]
		}
	}
	return raw
}
