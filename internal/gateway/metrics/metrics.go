// Package metrics registers the gateway's Prometheus metrics once, in one struct. Label values
// come from configuration (tenant and route names, the models routes name), never from request
// text, so their number stays bounded.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the gateway's metrics.
type Metrics struct {
	Registry *prometheus.Registry

	Requests         *prometheus.CounterVec   // tenant, model, route, code
	Tokens           *prometheus.CounterVec   // tenant, model, direction (input, output)
	CostUSD          *prometheus.CounterVec   // tenant, model
	Duration         *prometheus.HistogramVec // route, model: whole request
	UpstreamDuration *prometheus.HistogramVec // provider, model: one upstream attempt
	TimeToFirstToken *prometheus.HistogramVec // model
	InFlight         prometheus.Gauge
	UpstreamErrors   *prometheus.CounterVec // model, class
	Fallbacks        *prometheus.CounterVec // route, from, to
	CircuitOpen      *prometheus.CounterVec // model
	LimitRejections  *prometheus.CounterVec // limit, action
	LimitErrors      prometheus.Counter
	CacheResults     *prometheus.CounterVec // route, result (hit, miss)
	CacheUnavailable *prometheus.GaugeVec   // route, mode: 1 while a route's cache mode cannot be served
	ConfigRejected   *prometheus.CounterVec // kind, name
	ConfigReloads    prometheus.Counter
	Routes           prometheus.Gauge
	Tenants          prometheus.Gauge
	UsageSpooled     prometheus.GaugeFunc
	UsagePending     prometheus.GaugeFunc
	UsageDelivered   prometheus.GaugeFunc
	UsageDeadLetter  prometheus.GaugeFunc
}

// UsageStats reads the usage meter's counters for the usage gauges.
type UsageStats func() (spooled, pending, delivered, deadLettered float64)

// New registers every metric on a fresh registry, with the Go and process collectors.
func New(usage UsageStats) *Metrics {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	f := factory{r}
	latencyBuckets := []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}
	m := &Metrics{
		Registry:         r,
		Requests:         f.counterVec("octollm_gateway_requests_total", "Requests served, by tenant, model, route and HTTP status code.", "tenant", "model", "route", "code"),
		Tokens:           f.counterVec("octollm_gateway_tokens_total", "LLM tokens, by tenant, model and direction (input, output).", "tenant", "model", "direction"),
		CostUSD:          f.counterVec("octollm_gateway_cost_usd_total", "Cost in USD at the route's price sheet, by tenant and model.", "tenant", "model"),
		Duration:         f.histogramVec("octollm_gateway_request_duration_seconds", "Whole request latency, by route and model.", latencyBuckets, "route", "model"),
		UpstreamDuration: f.histogramVec("octollm_gateway_upstream_duration_seconds", "Latency of one upstream attempt, by provider and model.", latencyBuckets, "provider", "model"),
		TimeToFirstToken: f.histogramVec("octollm_gateway_time_to_first_token_seconds", "Time to the first streamed token, by model.", latencyBuckets, "model"),
		InFlight:         f.gauge("octollm_gateway_in_flight_requests", "Requests being served now: the queue-depth signal an HPA can scale on."),
		UpstreamErrors:   f.counterVec("octollm_gateway_upstream_errors_total", "Failed upstream attempts, by model and failure class.", "model", "class"),
		Fallbacks:        f.counterVec("octollm_gateway_fallbacks_total", "Requests moved to a fallback model, by route and models.", "route", "from", "to"),
		CircuitOpen:      f.counterVec("octollm_gateway_circuit_opened_total", "Times a model was taken out after consecutive failures.", "model"),
		LimitRejections:  f.counterVec("octollm_gateway_limit_actions_total", "Requests over a limit, by limit (a quota, a budget, or max_in_flight) and the action taken (reject, downgrade, queue).", "limit", "action"),
		LimitErrors:      f.counter("octollm_gateway_limit_store_errors_total", "Limit checks that failed (Redis unreachable); the gateway serves such requests (fails open)."),
		CacheResults:     f.counterVec("octollm_gateway_cache_total", "Response cache lookups, by route and result (hit, miss).", "route", "result"),
		CacheUnavailable: f.gaugeVec("octollm_gateway_cache_unavailable", "1 for a route whose cache mode the gateway cannot serve (semantic: no embedding model or vector store); it serves uncached.", "route", "mode"),
		ConfigRejected:   f.counterVec("octollm_gateway_config_rejected_total", "Route ConfigMaps and key Secrets refused (unknown schema_version, invalid route or record); the last good version keeps serving.", "kind", "name"),
		ConfigReloads:    f.counter("octollm_gateway_config_reloads_total", "Snapshots of routes and keys published."),
		Routes:           f.gauge("octollm_gateway_routes", "Routes being served."),
		Tenants:          f.gauge("octollm_gateway_tenants", "Tenants with a key."),
	}
	if usage != nil {
		stat := func(i int) func() float64 {
			return func() float64 {
				a, b, c, d := usage()
				return [4]float64{a, b, c, d}[i]
			}
		}
		m.UsageSpooled = f.gaugeFunc("octollm_gateway_usage_spooled", "Usage records written to the spool since start.", stat(0))
		m.UsagePending = f.gaugeFunc("octollm_gateway_usage_pending", "Usage records spooled and not yet acknowledged by Stripe.", stat(1))
		m.UsageDelivered = f.gaugeFunc("octollm_gateway_usage_delivered", "Usage records delivered to Stripe since start.", stat(2))
		m.UsageDeadLetter = f.gaugeFunc("octollm_gateway_usage_dead_lettered", "Usage records Stripe refused for good (see the spool's dead-letter file).", stat(3))
	}
	return m
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

type factory struct{ r *prometheus.Registry }

func (f factory) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	f.r.MustRegister(c)
	return c
}

func (f factory) counter(name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	f.r.MustRegister(c)
	return c
}

func (f factory) gauge(name, help string) prometheus.Gauge {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
	f.r.MustRegister(g)
	return g
}

func (f factory) gaugeVec(name, help string, labels ...string) *prometheus.GaugeVec {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
	f.r.MustRegister(g)
	return g
}

func (f factory) gaugeFunc(name, help string, fn func() float64) prometheus.GaugeFunc {
	g := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, fn)
	f.r.MustRegister(g)
	return g
}

func (f factory) histogramVec(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels)
	f.r.MustRegister(h)
	return h
}
