package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/octollm/terraform-provider-octollm/internal/catalog"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/cache"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/directory"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/limits"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/metering"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/routing"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/translate"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/upstream"
)

// autoModel asks the gateway to choose the model by the request's task type and complexity.
const autoModel = "auto"

// HeaderCache says whether the response came from the route's cache ("hit") or not ("miss").
const HeaderCache = "X-OctoLLM-Cache"

// HeaderRequestID carries the request's ID, which Stripe's meter event identifiers derive from.
const HeaderRequestID = "X-OctoLLM-Request-Id"

// noRoute labels metrics of requests served without a route (an explicit model no route names).
const noRoute = "none"

// exchange is one request in flight.
type exchange struct {
	id      string
	tenant  *directory.Tenant
	snap    *directory.Snapshot
	req     *translate.ChatRequest
	body    []byte
	plan    routing.Plan
	routeID string
	started time.Time
	model   string              // the model that served the request
	price   contract.PriceSheet // its price sheet (zero for a cache hit, which costs nothing)
}

func (s *Server) chatCompletions(w http.ResponseWriter, r *http.Request) {
	m := s.o.Metrics
	m.InFlight.Inc()
	defer m.InFlight.Dec()
	x := &exchange{id: newRequestID(), started: time.Now(), routeID: noRoute}
	w.Header().Set(HeaderRequestID, x.id)
	var status int
	if n := s.inFlight.Add(1); s.o.MaxInFlight > 0 && n > s.o.MaxInFlight {
		m.LimitRejections.WithLabelValues("max_in_flight", "reject").Inc()
		w.Header().Set("Retry-After", "1")
		status = http.StatusServiceUnavailable
		writeError(w, status, "api_error", "overloaded", fmt.Sprintf(
			"the gateway is serving its limit of %d requests (OCTOLLM_GATEWAY_MAX_IN_FLIGHT); retry shortly, or add replicas", s.o.MaxInFlight))
	} else {
		status = s.serveChat(w, r, x)
	}
	s.inFlight.Add(-1)
	tenant, model := "", x.model
	if x.tenant != nil {
		tenant = x.tenant.Name
	}
	if model == "" {
		model = "none"
	}
	m.Requests.WithLabelValues(tenant, model, x.routeID, strconv.Itoa(status)).Inc()
	m.Duration.WithLabelValues(x.routeID, model).Observe(time.Since(x.started).Seconds())
}

// serveChat serves one chat completion and returns the status it answered with.
func (s *Server) serveChat(w http.ResponseWriter, r *http.Request, x *exchange) int {
	var msg string
	if x.tenant, x.snap, msg = s.authenticate(r); x.tenant == nil {
		writeError(w, http.StatusUnauthorized, "invalid_request_error", "invalid_api_key", msg)
		return http.StatusUnauthorized
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "invalid_request_error", "request_too_large", fmt.Sprintf("request body: %v (at most %d bytes)", err, maxBodyBytes))
		return http.StatusRequestEntityTooLarge
	}
	x.body = body
	if x.req, err = translate.DecodeChatRequest(body); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "invalid_request", err.Error())
		return http.StatusBadRequest
	}
	rreq, err := routingRequest(r.Header)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "invalid_header", err.Error())
		return http.StatusBadRequest
	}
	ctx := r.Context()

	// The tenant's own quota first: requests per minute, tokens per month.
	q := x.tenant.Record.Quota
	if d, err := s.o.Limiter.AdmitTenant(ctx, x.tenant.Name, q.RequestsPerMinute, q.LLMTokensPerMonth); err != nil {
		s.limitStoreFailed(err)
	} else if !d.Allowed {
		s.o.Metrics.LimitRejections.WithLabelValues(d.Limit, "reject").Inc()
		return writeLimited(w, d, fmt.Sprintf("tenant %s is over its %s quota (%s); retry after %s, or raise quota.%s on the tenant",
			x.tenant.Name, d.Limit, d.Scope, retryAfterText(d.RetryAfter), d.Limit))
	}

	if status := s.plan(w, x, rreq); status != 0 {
		return status
	}
	if x.plan.Route != nil {
		x.routeID = x.plan.Route.ID
		w.Header().Set(contract.HeaderRoute, x.routeID)
		if status := s.admitRoute(ctx, w, x); status != 0 {
			return status
		}
	}

	cacheKey := s.cacheKey(x)
	if cacheKey != "" {
		if cached, ok, err := s.o.Cache.Get(ctx, cacheKey); err == nil && ok {
			s.o.Metrics.CacheResults.WithLabelValues(x.routeID, "hit").Inc()
			x.model = x.plan.Models[0]
			w.Header().Set(contract.HeaderModel, x.model)
			w.Header().Set(HeaderCache, "hit")
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(cached)
			s.account(ctx, x, translate.Usage{}, 0)
			return http.StatusOK
		}
		s.o.Metrics.CacheResults.WithLabelValues(x.routeID, "miss").Inc()
		w.Header().Set(HeaderCache, "miss")
	}

	if x.req.Stream {
		return s.stream(w, r, x)
	}
	res, err := s.attempt(ctx, x, func(ctx context.Context, provider, model string) (any, error) {
		return s.o.Upstream.Complete(ctx, provider, model, model, x.req)
	})
	if err != nil {
		return s.writeUpstreamError(w, err)
	}
	c := res.(*upstream.Completion)
	w.Header().Set(contract.HeaderModel, x.model)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(c.Body)
	s.account(ctx, x, c.Usage, c.Duration)
	if cacheKey != "" {
		if err := s.o.Cache.Set(ctx, cacheKey, c.Body, cacheTTL(x.plan.Route)); err != nil {
			s.o.Log.Warn("cache write failed", "route", x.routeID, "error", err)
		}
	}
	return http.StatusOK
}

// routingRequest reads X-OctoLLM-Task-Type and X-OctoLLM-Complexity.
func routingRequest(h http.Header) (routing.Request, error) {
	req := routing.Request{TaskType: strings.TrimSpace(h.Get(contract.HeaderTaskType)), Complexity: routing.DefaultComplexity}
	if v := strings.TrimSpace(h.Get(contract.HeaderComplexity)); v != "" {
		c, err := strconv.ParseInt(v, 10, 64)
		if err != nil || c < 1 || c > 10 {
			return req, fmt.Errorf("header %s: %q is not a whole number from 1 to 10", contract.HeaderComplexity, v)
		}
		req.Complexity = c
	}
	return req, nil
}

// plan chooses the route and the models to try; it answers the request itself (and returns
// its status) when none can serve it.
func (s *Server) plan(w http.ResponseWriter, x *exchange, rreq routing.Request) int {
	t := x.tenant
	if x.req.Model == autoModel || x.req.Model == "" {
		route := routing.Select(t.Routes, x.snap.Global, rreq)
		if route == nil {
			writeError(w, http.StatusNotFound, "invalid_request_error", "no_route",
				fmt.Sprintf("no route serves tenant %s for task type %q and complexity %d: add an octollm_model_route whose match covers it, or name a model (allowed: %s)",
					t.Name, rreq.TaskType, rreq.Complexity, strings.Join(t.AllowedModels(), ", ")))
			return http.StatusNotFound
		}
		p, err := s.planner.PlanAuto(route, t.Allowed, t.AllowedModels())
		if err != nil {
			writeError(w, http.StatusForbidden, "permission_error", "model_not_allowed", err.Error())
			return http.StatusForbidden
		}
		x.plan = p
		return 0
	}
	if !t.Allowed(x.req.Model) {
		allowed := "none (set allowed_models on the tenant)"
		if len(t.AllowedModels()) > 0 {
			allowed = strings.Join(t.AllowedModels(), ", ")
		}
		writeError(w, http.StatusForbidden, "permission_error", "model_not_allowed",
			fmt.Sprintf("model %q is not allowed for tenant %s; it may use: %s, or \"auto\"", x.req.Model, t.Name, allowed))
		return http.StatusForbidden
	}
	x.plan = s.planner.PlanExplicit(routing.SelectNaming(t.Routes, x.snap.Global, rreq, x.req.Model), x.req.Model, t.Allowed)
	return 0
}

// admitRoute applies the route's budget: reject, downgrade to the cheapest model, or queue.
func (s *Server) admitRoute(ctx context.Context, w http.ResponseWriter, x *exchange) int {
	b := x.plan.Route.Doc.Budget
	if b == nil {
		return 0
	}
	budget := limits.RouteBudget{}
	if b.RequestsPerMinute != nil {
		budget.RequestsPerMinute = *b.RequestsPerMinute
	}
	if b.TokensPerMinute != nil {
		budget.TokensPerMinute = *b.TokensPerMinute
	}
	if b.USDPerDay != nil {
		budget.USDPerDay = *b.USDPerDay
	}
	deadline := time.Now().Add(s.o.QueueTimeout)
	for {
		d, err := s.o.Limiter.AdmitRoute(ctx, x.routeID, budget)
		if err != nil {
			s.limitStoreFailed(err)
			return 0
		}
		if d.Allowed {
			return 0
		}
		switch b.OnExceed {
		case "downgrade":
			if m, ok := routing.Cheapest(x.plan.Route.Doc, x.tenant.Allowed); ok {
				s.o.Metrics.LimitRejections.WithLabelValues(d.Limit, "downgrade").Inc()
				x.plan.Models = []string{m}
				return 0
			}
		case "queue":
			wait := min(max(d.RetryAfter, 10*time.Millisecond), time.Until(deadline))
			if wait > 0 {
				s.o.Metrics.LimitRejections.WithLabelValues(d.Limit, "queue").Inc()
				select {
				case <-ctx.Done():
					return 499
				case <-time.After(wait):
				}
				continue
			}
		}
		s.o.Metrics.LimitRejections.WithLabelValues(d.Limit, "reject").Inc()
		return writeLimited(w, d, fmt.Sprintf("route %s is over its budget.%s (%s); retry after %s",
			x.routeID, d.Limit, d.Scope, retryAfterText(d.RetryAfter)))
	}
}

func (s *Server) limitStoreFailed(err error) {
	s.o.Metrics.LimitErrors.Inc()
	s.o.Log.Warn("limit check failed; serving the request without it (fail open)", "error", err)
}

func writeLimited(w http.ResponseWriter, d limits.Decision, msg string) int {
	secs := int(math.Ceil(d.RetryAfter.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	writeError(w, http.StatusTooManyRequests, "rate_limit_error", "rate_limit_exceeded", msg)
	return http.StatusTooManyRequests
}

func retryAfterText(d time.Duration) string {
	return (time.Duration(math.Ceil(d.Seconds())) * time.Second).String()
}

// cacheKey is the request's key in the route's exact cache, or "" when the request is not
// cached: no route or no exact cache, a streamed request, or a temperature other than 0.
func (s *Server) cacheKey(x *exchange) string {
	route := x.plan.Route
	if route == nil || route.Doc.Cache == nil || s.o.Cache == nil {
		return ""
	}
	if route.Doc.Cache.Mode == "semantic" {
		if s.semanticWarned.add(route.ID) {
			s.o.Log.Warn("semantic cache needs an embedding model and a vector store, which the platform does not provision yet; serving this route uncached", "route", route.ID)
			s.o.Metrics.CacheUnavailable.WithLabelValues(route.ID, "semantic").Set(1)
		}
		return ""
	}
	if x.req.Stream || !cache.Cacheable(x.req.Temperature) {
		return ""
	}
	canonical, err := cache.Canonical(x.body)
	if err != nil {
		return ""
	}
	return cache.Key(route.ID, x.tenant.Name, x.plan.Models[0], route.Doc.Cache.PartitionByTenant || route.Doc.Tenant != "", canonical)
}

func cacheTTL(r *routing.Route) time.Duration {
	if r.Doc.Cache.TTLSeconds != nil && *r.Doc.Cache.TTLSeconds > 0 {
		return time.Duration(*r.Doc.Cache.TTLSeconds) * time.Second
	}
	return time.Hour
}

// attempt tries the plan's models in order: each with the route's retries (backoff doubled per
// retry, Retry-After respected), moving to the next model on a failure the route's fallback
// lists. call makes one upstream call.
func (s *Server) attempt(ctx context.Context, x *exchange, call func(ctx context.Context, provider, model string) (any, error)) (any, error) {
	var route *routing.Route
	var retry *contract.Retry
	var fallbackOn []string
	if route = x.plan.Route; route != nil {
		retry = route.Doc.Retry
		if route.Doc.Fallback != nil {
			fallbackOn = route.Doc.Fallback.On
		}
	}
	var lastErr error
	for i, model := range x.plan.Models {
		price, ok := priceOf(x.snap, route, model)
		provider := price.Provider
		if !ok || provider == "" {
			lastErr = &upstream.Error{Class: translate.ClassClient, Status: http.StatusBadRequest,
				Message: fmt.Sprintf("model %q has no provider: it is neither in the built-in catalog nor a custom_model of a route", model)}
			continue
		}
		tries := 1
		if retry != nil {
			tries += int(retry.Attempts)
		}
		for try := 0; try < tries; try++ {
			s.o.Breaker.Begin(model)
			callCtx, cancel := context.WithTimeout(ctx, s.o.UpstreamTimeout)
			began := time.Now()
			res, err := call(callCtx, provider, model)
			elapsed := time.Since(began)
			cancel()
			s.o.Metrics.UpstreamDuration.WithLabelValues(provider, model).Observe(elapsed.Seconds())
			if err == nil {
				s.o.Breaker.Success(model, elapsed)
				x.model, x.price = model, price
				return res, nil
			}
			lastErr = err
			class := errorClass(err)
			s.o.Metrics.UpstreamErrors.WithLabelValues(model, class).Inc()
			if class == translate.ClassRateLimit || class == translate.ClassServerError || class == translate.ClassTimeout {
				if s.o.Breaker.Failure(model) {
					s.o.Metrics.CircuitOpen.WithLabelValues(model).Inc()
					s.o.Log.Warn("model taken out after consecutive failures", "model", model, "class", class)
				}
			}
			if ctx.Err() != nil {
				return nil, lastErr
			}
			if !retryable(class) || try == tries-1 {
				break
			}
			if !sleep(ctx, backoff(retry, try, err)) {
				return nil, lastErr
			}
		}
		if i+1 < len(x.plan.Models) && slices.Contains(fallbackOn, errorClass(lastErr)) {
			s.o.Metrics.Fallbacks.WithLabelValues(x.routeID, model, x.plan.Models[i+1]).Inc()
			continue
		}
		return nil, lastErr
	}
	return nil, lastErr
}

func retryable(class string) bool {
	return class == translate.ClassRateLimit || class == translate.ClassServerError || class == translate.ClassTimeout
}

func errorClass(err error) string {
	var ue *upstream.Error
	if errors.As(err, &ue) {
		return ue.Class
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return translate.ClassTimeout
	}
	return translate.ClassServerError
}

// backoff is the wait before retry number try+1: backoff_ms doubled per retry, or the
// upstream's Retry-After when the route respects it and it is longer.
func backoff(r *contract.Retry, try int, err error) time.Duration {
	if r == nil {
		return 0
	}
	d := time.Duration(r.BackoffMS) * time.Millisecond << try
	var ue *upstream.Error
	if r.RespectRetryAfter && errors.As(err, &ue) && ue.RetryAfter > d {
		d = ue.RetryAfter
	}
	return d
}

func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// writeUpstreamError answers with the last upstream failure, in OpenAI's error shape.
func (s *Server) writeUpstreamError(w http.ResponseWriter, err error) int {
	var ue *upstream.Error
	if !errors.As(err, &ue) {
		ue = &upstream.Error{Class: errorClass(err), Message: err.Error()}
	}
	status, typ := http.StatusBadGateway, "api_error"
	switch ue.Class {
	case translate.ClassRateLimit:
		status, typ = http.StatusTooManyRequests, "rate_limit_error"
		if ue.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(ue.RetryAfter.Seconds())))))
		}
	case translate.ClassTimeout:
		status = http.StatusGatewayTimeout
	case translate.ClassContextWindow:
		status, typ = http.StatusBadRequest, "invalid_request_error"
	case translate.ClassClient:
		status, typ = http.StatusBadRequest, "invalid_request_error"
		if ue.Status >= 400 && ue.Status < 500 {
			status = ue.Status
		}
	}
	writeError(w, status, typ, ue.Class, "upstream "+ue.Provider+": "+ue.Message)
	return status
}

// providerOf finds which upstream serves model: the route's price sheet, any route's, then the
// built-in catalog.
func providerOf(snap *directory.Snapshot, route *routing.Route, model string) (string, bool) {
	if sheet, ok := priceOf(snap, route, model); ok && sheet.Provider != "" {
		return sheet.Provider, true
	}
	return "", false
}

// priceOf finds model's price sheet: the route's, any route's, then the built-in catalog.
func priceOf(snap *directory.Snapshot, route *routing.Route, model string) (contract.PriceSheet, bool) {
	if route != nil {
		if p, ok := route.Doc.Models[model]; ok {
			return p, true
		}
	}
	for _, r := range snap.Routes {
		if p, ok := r.Doc.Models[model]; ok {
			return p, true
		}
	}
	if m, ok := catalog.Lookup(model); ok {
		return contract.PriceSheet{Provider: m.Provider, InputCostPerMillion: m.InputPerMillion, OutputCostPerMillion: m.OutputPerMillion,
			CachedInputCostPerMillion: m.CachedInputPerMillion, ContextWindow: m.ContextWindow, PriceSource: m.Source, PriceDate: m.PriceDate}, true
	}
	return contract.PriceSheet{}, false
}

// account records a completed request: token and cost metrics, the limits' counters, and the
// usage report to Stripe for a billed tenant. A cache hit is an API call with no tokens and no
// upstream time.
func (s *Server) account(ctx context.Context, x *exchange, u translate.Usage, upstreamTime time.Duration) {
	tenant, model := x.tenant.Name, x.model
	usd := (float64(u.InputTokens)*x.price.InputCostPerMillion + float64(u.OutputTokens)*x.price.OutputCostPerMillion) / 1e6
	m := s.o.Metrics
	m.Tokens.WithLabelValues(tenant, model, "input").Add(float64(u.InputTokens))
	m.Tokens.WithLabelValues(tenant, model, "output").Add(float64(u.OutputTokens))
	m.CostUSD.WithLabelValues(tenant, model).Add(usd)
	routeID := ""
	if x.plan.Route != nil {
		routeID = x.plan.Route.ID
	}
	// The request is complete: its accounting must not be cut short by a client that left.
	ctx = context.WithoutCancel(ctx)
	if err := s.o.Limiter.Record(ctx, tenant, routeID, u.Total(), usd); err != nil {
		s.limitStoreFailed(err)
	}
	if s.o.Meter == nil || x.tenant.CustomerID == "" {
		return
	}
	if err := s.o.Meter.Report(metering.Record{
		RequestID: x.id, Tenant: tenant, CustomerID: x.tenant.CustomerID,
		InputTokens: u.InputTokens, OutputTokens: u.OutputTokens, UpstreamSeconds: upstreamTime.Seconds(), At: time.Now(),
	}); err != nil {
		s.o.Log.Error("usage not spooled; this request will not be billed", "tenant", tenant, "request_id", x.id, "error", err)
	}
}

// syncSet is a set of strings safe for concurrent use.
type syncSet struct {
	mu sync.Mutex
	m  map[string]bool
}

// add adds k and reports whether it was new.
func (s *syncSet) add(k string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m[k] {
		return false
	}
	if s.m == nil {
		s.m = map[string]bool{}
	}
	s.m[k] = true
	return true
}
