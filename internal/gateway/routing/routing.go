// Package routing decides, for one request, which route applies and in which order the gateway
// tries models: the route's strategy picks the first model, the route's fallback list follows,
// models the tenant may not use are left out, and models whose circuit is open are tried only
// when nothing healthy is left. It is pure logic over the contract's route documents, the
// observed latencies and the circuit breaker; it makes no calls.
//
// The rules, as docs/guides/model-route-contract.md ("How the gateway applies routes") states them:
//
//   - A route matches a request when its match covers the request's task type
//     (X-OctoLLM-Task-Type; a route listing task types never matches a request without one)
//     and complexity (X-OctoLLM-Complexity, 1-10, default 5).
//   - The tenant's own routes come before global routes. Among routes of the same level the
//     more specific wins: task types listed before none, then the narrower complexity range,
//     then the name, so the choice never depends on the order ConfigMaps arrived in.
//   - cheapest_capable sends to effective_model; weighted draws among targets with a weight
//     above 0; priority uses the lowest tier with a healthy model; lowest_latency takes the
//     target with the lowest observed latency, trying unobserved targets first.
//   - Then the fallback models in order, at most fallback.max_attempts of them.
package routing

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// DefaultComplexity is the complexity of a request without X-OctoLLM-Complexity.
const DefaultComplexity = 5

// Request is what routing needs to know of one request.
type Request struct {
	TaskType   string
	Complexity int64
}

// Route is one parsed route.json with its identity.
type Route struct {
	ID  string // name, or tenant/name
	Doc contract.RouteDocument
}

// Matches reports whether the route covers the request.
func (r *Route) Matches(req Request) bool {
	m := r.Doc.Match
	if m == nil {
		return true
	}
	if len(m.TaskTypes) > 0 && !slices.Contains(m.TaskTypes, req.TaskType) {
		return false
	}
	lo, hi := m.MinComplexity, m.MaxComplexity
	if lo == 0 {
		lo = 1
	}
	if hi == 0 {
		hi = 10
	}
	return req.Complexity >= lo && req.Complexity <= hi
}

// Names reports whether the route names model anywhere (targets, fallbacks, effective model,
// custom models): its price sheet holds exactly those.
func (r *Route) Names(model string) bool {
	_, ok := r.Doc.Models[model]
	return ok
}

// specificity orders routes of one level: task types listed first, then the narrower complexity
// range, then the ID.
func specificity(a, b *Route) int {
	ta, tb := a.Doc.Match != nil && len(a.Doc.Match.TaskTypes) > 0, b.Doc.Match != nil && len(b.Doc.Match.TaskTypes) > 0
	if ta != tb {
		if ta {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(width(a), width(b)); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

func width(r *Route) int64 {
	if r.Doc.Match == nil {
		return 10
	}
	lo, hi := max(r.Doc.Match.MinComplexity, 1), r.Doc.Match.MaxComplexity
	if hi == 0 {
		hi = 10
	}
	return hi - lo
}

// Sort orders routes of one level as Select tries them.
func Sort(routes []*Route) { slices.SortFunc(routes, specificity) }

// Select returns the route for the request: the first matching tenant route, else the first
// matching global route (both lists sorted with Sort), or nil.
func Select(tenantRoutes, globalRoutes []*Route, req Request) *Route {
	for _, level := range [][]*Route{tenantRoutes, globalRoutes} {
		for _, r := range level {
			if r.Matches(req) {
				return r
			}
		}
	}
	return nil
}

// SelectNaming returns the route for an explicit model: the first route (tenant routes, then
// global) that matches the request and names the model, else the first that names it, or nil.
func SelectNaming(tenantRoutes, globalRoutes []*Route, req Request, model string) *Route {
	var named *Route
	for _, level := range [][]*Route{tenantRoutes, globalRoutes} {
		for _, r := range level {
			if !r.Names(model) {
				continue
			}
			if r.Matches(req) {
				return r
			}
			if named == nil {
				named = r
			}
		}
	}
	return named
}

// Health is what the planner asks of the circuit breaker and the latency tracker.
type Health interface {
	// Available reports whether model's circuit lets a request through.
	Available(model string) bool
	// Latency is model's observed latency in seconds; ok is false before any observation.
	Latency(model string) (seconds float64, ok bool)
}

// Plan is the models to try for one request, in order, under one route.
type Plan struct {
	Route  *Route
	Models []string
}

// ErrNotAllowed is returned when every model a route would use is outside the tenant's
// allowed models.
type ErrNotAllowed struct {
	Route   string
	Models  []string
	Allowed []string
}

func (e *ErrNotAllowed) Error() string {
	return fmt.Sprintf("route %q serves %s, which this tenant may not use; it may use: %s",
		e.Route, strings.Join(e.Models, ", "), listOrNone(e.Allowed))
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "no models (set allowed_models on the tenant)"
	}
	return strings.Join(l, ", ")
}

// Planner turns a route into the models to try.
type Planner struct {
	Health Health
	// Rand draws weighted choices; nil uses the global source.
	Rand *rand.Rand
}

func (p *Planner) float() float64 {
	if p.Rand != nil {
		return p.Rand.Float64()
	}
	return rand.Float64() //nolint:gosec // load spreading, not security
}

// PlanAuto plans a request for model "auto" under route r for a tenant allowed the models in
// allowed.
func (p *Planner) PlanAuto(r *Route, allowed func(string) bool, allowedList []string) (Plan, error) {
	var primary []string // candidates for the first model, best first
	d := r.Doc
	switch d.Strategy {
	case contract.StrategyCheapestCapable:
		primary = []string{d.EffectiveModel}
	case contract.StrategyWeighted:
		primary = p.weighted(d.Targets, allowed)
	case contract.StrategyPriority:
		primary = p.priority(d.Targets, allowed)
	case contract.StrategyLowestLatency:
		primary = p.lowestLatency(d.Targets, allowed)
	}
	var attempts []string
	for _, m := range primary {
		if allowed(m) && !slices.Contains(attempts, m) {
			attempts = append(attempts, m)
			break
		}
	}
	attempts = p.withFallbacks(d, attempts, allowed)
	if len(attempts) == 0 {
		return Plan{}, &ErrNotAllowed{Route: r.ID, Models: modelsOf(d), Allowed: allowedList}
	}
	return Plan{Route: r, Models: p.healthyFirst(attempts)}, nil
}

// PlanExplicit plans a request naming model itself: that model, then r's fallbacks (r may be nil).
func (p *Planner) PlanExplicit(r *Route, model string, allowed func(string) bool) Plan {
	attempts := []string{model}
	if r != nil {
		attempts = p.withFallbacks(r.Doc, attempts, allowed)
	}
	return Plan{Route: r, Models: attempts}
}

func (p *Planner) withFallbacks(d contract.RouteDocument, attempts []string, allowed func(string) bool) []string {
	if d.Fallback == nil {
		return attempts
	}
	n := 0
	for _, m := range d.Fallback.Models {
		if int64(n) >= d.Fallback.MaxAttempts && d.Fallback.MaxAttempts > 0 {
			break
		}
		if allowed(m) && !slices.Contains(attempts, m) {
			attempts = append(attempts, m)
			n++
		}
	}
	return attempts
}

// healthyFirst keeps the order but moves models with an open circuit to the end, so they are
// tried only when every healthy one has failed.
func (p *Planner) healthyFirst(models []string) []string {
	if p.Health == nil {
		return models
	}
	out := make([]string, 0, len(models))
	var open []string
	for _, m := range models {
		if p.Health.Available(m) {
			out = append(out, m)
		} else {
			open = append(open, m)
		}
	}
	return append(out, open...)
}

func (p *Planner) available(m string) bool { return p.Health == nil || p.Health.Available(m) }

// weighted draws one target by weight among the allowed, available ones (all allowed ones when
// none is available), and returns it first.
func (p *Planner) weighted(targets []contract.Target, allowed func(string) bool) []string {
	pick := func(requireAvailable bool) string {
		var total int64
		for _, t := range targets {
			if t.Weight > 0 && allowed(t.Model) && (!requireAvailable || p.available(t.Model)) {
				total += t.Weight
			}
		}
		if total == 0 {
			return ""
		}
		x := int64(p.float() * float64(total))
		for _, t := range targets {
			if t.Weight > 0 && allowed(t.Model) && (!requireAvailable || p.available(t.Model)) {
				if x < t.Weight {
					return t.Model
				}
				x -= t.Weight
			}
		}
		return ""
	}
	if m := pick(true); m != "" {
		return []string{m}
	}
	if m := pick(false); m != "" {
		return []string{m}
	}
	return nil
}

// priority returns the targets by tier, the lowest tier with an available model first.
func (p *Planner) priority(targets []contract.Target, allowed func(string) bool) []string {
	sorted := slices.Clone(targets)
	slices.SortStableFunc(sorted, func(a, b contract.Target) int { return cmp.Compare(a.Priority, b.Priority) })
	var out, down []string
	for _, t := range sorted {
		if !allowed(t.Model) {
			continue
		}
		if p.available(t.Model) {
			out = append(out, t.Model)
		} else {
			down = append(down, t.Model)
		}
	}
	return append(out, down...)
}

// lowestLatency returns the allowed targets fastest first; a target never observed comes before
// every observed one, so each is measured.
func (p *Planner) lowestLatency(targets []contract.Target, allowed func(string) bool) []string {
	type cand struct {
		model    string
		latency  float64
		observed bool
		up       bool
	}
	var cs []cand
	for _, t := range targets {
		if !allowed(t.Model) {
			continue
		}
		c := cand{model: t.Model, up: p.available(t.Model)}
		if p.Health != nil {
			c.latency, c.observed = p.Health.Latency(t.Model)
		}
		cs = append(cs, c)
	}
	slices.SortStableFunc(cs, func(a, b cand) int {
		if a.up != b.up {
			if a.up {
				return -1
			}
			return 1
		}
		if a.observed != b.observed {
			if !a.observed {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.latency, b.latency)
	})
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.model
	}
	return out
}

// Cheapest returns the cheapest model (input + output price per million tokens, ties by name)
// of the route's price sheet that allowed accepts: what budget.on_exceed = "downgrade" serves.
func Cheapest(d contract.RouteDocument, allowed func(string) bool) (string, bool) {
	best, bestCost, found := "", 0.0, false
	for _, name := range slices.Sorted(maps.Keys(d.Models)) {
		if !allowed(name) {
			continue
		}
		s := d.Models[name]
		c := s.InputCostPerMillion + s.OutputCostPerMillion
		if !found || c < bestCost {
			best, bestCost, found = name, c, true
		}
	}
	return best, found
}

func modelsOf(d contract.RouteDocument) []string { return slices.Sorted(maps.Keys(d.Models)) }
