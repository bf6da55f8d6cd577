// Package gateway is the OctoLLM gateway runtime, the data plane of what the provider
// configures: it authenticates tenants by the SHA-256 of their key (the key Secrets
// octollm_tenant writes), routes each request by the model routes octollm_model_route writes,
// enforces the tenants' quotas and the routes' budgets, caches where a route asks for it,
// forwards to the upstream LLM providers and reports usage to Stripe under the billing plan's
// meters. It serves an OpenAI-compatible API: POST /v1/chat/completions and GET /v1/models.
//
// The pieces live in sub-packages: directory (informers over routes and keys), routing
// (strategies, fallbacks, circuit breaking), translate and upstream (provider adapters), limits
// and cache (shared through Redis across replicas), metering (crash-safe usage to Stripe) and
// metrics. This package wires them into the HTTP server; cmd/octollm-gateway is the command.
package gateway

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/cache"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/directory"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/limits"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/metering"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/metrics"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/routing"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/upstream"
)

// maxBodyBytes bounds a request body.
const maxBodyBytes = 8 << 20

// Snapshots is where the server reads routes and tenants (a *directory.Directory).
type Snapshots interface {
	Snapshot() *directory.Snapshot
	Ready() bool
}

// UsageMeter receives the usage of every completed request of a billed tenant.
type UsageMeter interface {
	Report(metering.Record) error
}

// Options are the server's collaborators and settings.
type Options struct {
	Directory Snapshots
	Upstream  *upstream.Client
	Limiter   *limits.Limiter
	Cache     cache.Cache // nil: no response cache
	Meter     UsageMeter  // nil: usage in metrics only (no Stripe configured)
	Metrics   *metrics.Metrics
	Breaker   *routing.Breaker
	Log       *slog.Logger
	// QueueTimeout bounds how long budget.on_exceed = "queue" holds a request (default 10s).
	QueueTimeout time.Duration
	// UpstreamTimeout bounds one upstream attempt (default 120s).
	UpstreamTimeout time.Duration
	// MaxInFlight sheds load: a chat completion beyond this many in flight is answered 503 with
	// Retry-After at once, instead of queueing until every request is late (0: no limit).
	MaxInFlight int64
}

// Server serves the gateway's HTTP API.
type Server struct {
	o        Options
	planner  *routing.Planner
	draining atomic.Bool
	inFlight atomic.Int64
	// semanticWarned records the routes whose semantic cache mode was reported unavailable.
	semanticWarned syncSet
}

// New builds a server.
func New(o Options) *Server {
	if o.QueueTimeout <= 0 {
		o.QueueTimeout = 10 * time.Second
	}
	if o.UpstreamTimeout <= 0 {
		o.UpstreamTimeout = 120 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Server{o: o, planner: &routing.Planner{Health: o.Breaker}}
}

// Drain makes /readyz fail so load balancers stop sending new requests; in-flight ones finish.
func (s *Server) Drain() { s.draining.Store(true) }

// Handler is the gateway's HTTP API, health endpoints and metrics.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chatCompletions)
	mux.HandleFunc("GET /v1/models", s.models)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.o.Metrics.Handler())
	return mux
}

func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) {
	switch {
	case s.draining.Load():
		http.Error(w, "draining: shutting down\n", http.StatusServiceUnavailable)
	case !s.o.Directory.Ready():
		http.Error(w, "not ready: routes and keys not synced yet\n", http.StatusServiceUnavailable)
	default:
		_, _ = w.Write([]byte("ready\n"))
	}
}

// apiError is OpenAI's error body, which the official SDKs parse.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    string  `json:"code,omitempty"`
}

func writeError(w http.ResponseWriter, status int, typ, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(apiError{Error: apiErrorBody{Message: msg, Type: typ, Code: code}})
}

// authenticate finds the tenant of the request's bearer key.
func (s *Server) authenticate(r *http.Request) (*directory.Tenant, *directory.Snapshot, string) {
	snap := s.o.Directory.Snapshot()
	auth := r.Header.Get("Authorization")
	key, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || key == "" {
		return nil, snap, "missing API key: send the tenant key as `Authorization: Bearer " + contract.APIKeyPrefix + "...`"
	}
	t := snap.Authenticate(sha256.Sum256([]byte(strings.TrimSpace(key))))
	if t == nil {
		return nil, snap, "invalid API key: the key is unknown or was rotated; use the tenant's current api_key"
	}
	return t, snap, ""
}

func (s *Server) models(w http.ResponseWriter, r *http.Request) {
	t, snap, msg := s.authenticate(r)
	if t == nil {
		writeError(w, http.StatusUnauthorized, "invalid_request_error", "invalid_api_key", msg)
		return
	}
	type model struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Created int64  `json:"created"`
		OwnedBy string `json:"owned_by"`
	}
	out := struct {
		Object string  `json:"object"`
		Data   []model `json:"data"`
	}{Object: "list", Data: []model{}}
	if len(t.Routes) > 0 || len(snap.Global) > 0 {
		out.Data = append(out.Data, model{ID: autoModel, Object: "model", OwnedBy: "octollm"})
	}
	for _, m := range t.AllowedModels() {
		p, _ := providerOf(snap, nil, m)
		out.Data = append(out.Data, model{ID: m, Object: "model", OwnedBy: p})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// newRequestID is the request's unique ID; usage identifiers in Stripe derive from it.
func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "req_" + hex.EncodeToString(b[:])
}
