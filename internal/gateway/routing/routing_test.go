package routing

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

func route(id, tenant string, match *contract.Match, strategy string, targets ...contract.Target) *Route {
	d := contract.RouteDocument{SchemaVersion: 1, Models: map[string]contract.PriceSheet{}}
	d.Name, d.Tenant, d.Match, d.Strategy, d.Targets = id, tenant, match, strategy, targets
	for _, t := range targets {
		d.Models[t.Model] = contract.PriceSheet{Provider: "openai", InputCostPerMillion: float64(len(t.Model)), OutputCostPerMillion: 1}
	}
	if tenant != "" {
		id = tenant + "/" + id
	}
	return &Route{ID: id, Doc: d}
}

func all(string) bool { return true }

func TestSelect_tenantBeforeGlobalAndSpecificFirst(t *testing.T) {
	code := &contract.Match{TaskTypes: []string{"code"}, MinComplexity: 1, MaxComplexity: 10}
	narrow := &contract.Match{MinComplexity: 7, MaxComplexity: 10}
	global := []*Route{
		route("any", "", nil, contract.StrategyWeighted, contract.Target{Model: "a", Weight: 1}),
		route("hard", "", narrow, contract.StrategyWeighted, contract.Target{Model: "b", Weight: 1}),
		route("code", "", code, contract.StrategyWeighted, contract.Target{Model: "c", Weight: 1}),
	}
	Sort(global)
	tenant := []*Route{route("mine", "acme", &contract.Match{TaskTypes: []string{"chat"}, MinComplexity: 1, MaxComplexity: 10}, contract.StrategyWeighted, contract.Target{Model: "d", Weight: 1})}
	cases := []struct {
		req  Request
		want string
	}{
		{Request{TaskType: "chat", Complexity: 5}, "acme/mine"}, // the tenant's own route wins
		{Request{TaskType: "code", Complexity: 9}, "code"},      // task types listed beat a complexity range
		{Request{TaskType: "", Complexity: 9}, "hard"},          // narrower range beats "any"
		{Request{TaskType: "", Complexity: 3}, "any"},
		{Request{TaskType: "other", Complexity: 3}, "any"},
	}
	for _, c := range cases {
		got := Select(tenant, global, c.req)
		if got == nil || got.ID != c.want {
			t.Errorf("Select(%+v) = %v, want %s", c.req, got, c.want)
		}
	}
	if got := Select(nil, global[:1:1][:0], Request{Complexity: 5}); got != nil {
		t.Errorf("no routes: got %v", got)
	}
	// A route listing task types never matches a request without one.
	if code := global[0]; code.ID != "code" || code.Matches(Request{Complexity: 5}) {
		t.Errorf("route %s matched a request without a task type", code.ID)
	}
}

func TestPlanAuto_strategies(t *testing.T) {
	b := &Breaker{Threshold: 1, Cooldown: time.Minute}
	p := &Planner{Health: b, Rand: rand.New(rand.NewPCG(1, 2))}

	cc := route("cc", "", nil, contract.StrategyCheapestCapable, contract.Target{Model: "gpt-4o-mini"}, contract.Target{Model: "gpt-4o"})
	cc.Doc.EffectiveModel = "gpt-4o-mini"
	cc.Doc.Fallback = &contract.Fallback{On: []string{"server_error"}, Models: []string{"gpt-4o", "claude-haiku-4-5", "gemini-2.5-flash"}, MaxAttempts: 2}
	plan, err := p.PlanAuto(cc, all, nil)
	if err != nil || !slices.Equal(plan.Models, []string{"gpt-4o-mini", "gpt-4o", "claude-haiku-4-5"}) {
		t.Fatalf("cheapest_capable plan = %v, %v; want effective model then two fallbacks", plan.Models, err)
	}

	// weighted: 3:1 split, and a weight of 0 is never drawn.
	w := route("w", "", nil, contract.StrategyWeighted, contract.Target{Model: "x", Weight: 3}, contract.Target{Model: "y", Weight: 1}, contract.Target{Model: "z", Weight: 0})
	counts := map[string]int{}
	for range 4000 {
		plan, _ := p.PlanAuto(w, all, nil)
		counts[plan.Models[0]]++
	}
	if counts["z"] != 0 || counts["x"] < 2700 || counts["x"] > 3300 {
		t.Errorf("weighted 3:1:0 drew %v", counts)
	}

	// priority: lowest tier first; an open circuit moves to the next tier.
	pr := route("p", "", nil, contract.StrategyPriority, contract.Target{Model: "backup", Priority: 1}, contract.Target{Model: "main", Priority: 0})
	if plan, _ := p.PlanAuto(pr, all, nil); plan.Models[0] != "main" {
		t.Errorf("priority chose %v, want main", plan.Models)
	}
	b.Failure("main")
	if plan, _ := p.PlanAuto(pr, all, nil); plan.Models[0] != "backup" {
		t.Errorf("priority with main out chose %v, want backup", plan.Models)
	}

	// lowest_latency: an unobserved target first, then the fastest.
	ll := route("l", "", nil, contract.StrategyLowestLatency, contract.Target{Model: "slow"}, contract.Target{Model: "fast"}, contract.Target{Model: "new"})
	b.Success("slow", 900*time.Millisecond)
	b.Success("fast", 100*time.Millisecond)
	if plan, _ := p.PlanAuto(ll, all, nil); plan.Models[0] != "new" {
		t.Errorf("lowest_latency chose %v, want the unobserved target first", plan.Models)
	}
	b.Success("new", 500*time.Millisecond)
	if plan, _ := p.PlanAuto(ll, all, nil); plan.Models[0] != "fast" {
		t.Errorf("lowest_latency chose %v, want fast", plan.Models)
	}
}

func TestPlanAuto_onlyAllowedModels(t *testing.T) {
	p := &Planner{}
	w := route("w", "", nil, contract.StrategyWeighted, contract.Target{Model: "x", Weight: 1}, contract.Target{Model: "y", Weight: 1})
	onlyY := func(m string) bool { return m == "y" }
	for range 50 {
		plan, err := p.PlanAuto(w, onlyY, []string{"y"})
		if err != nil || !slices.Equal(plan.Models, []string{"y"}) {
			t.Fatalf("plan = %v, %v; want only y", plan.Models, err)
		}
	}
	_, err := p.PlanAuto(w, func(string) bool { return false }, []string{"claude-haiku-4-5"})
	if err == nil || !strings.Contains(err.Error(), `route "w" serves x, y, which this tenant may not use; it may use: claude-haiku-4-5`) {
		t.Fatalf("err = %v", err)
	}
}

func TestBreaker_opensAndRecovers(t *testing.T) {
	now := time.Unix(1000, 0)
	b := &Breaker{Threshold: 3, Cooldown: 10 * time.Second, Now: func() time.Time { return now }}
	for i := range 2 {
		if b.Failure("m") {
			t.Fatalf("opened after %d failures", i+1)
		}
	}
	if !b.Failure("m") || b.Available("m") {
		t.Fatal("the third consecutive failure should take the model out")
	}
	now = now.Add(11 * time.Second)
	if !b.Available("m") {
		t.Fatal("after the cool-down one trial request should go through")
	}
	b.Begin("m")
	if b.Available("m") {
		t.Fatal("only one trial request at a time")
	}
	if !b.Failure("m") || b.Available("m") {
		t.Fatal("a failed trial should re-open the circuit")
	}
	now = now.Add(11 * time.Second)
	b.Begin("m")
	b.Success("m", time.Second)
	if !b.Available("m") || len(b.Open()) != 0 {
		t.Fatal("a successful trial should close the circuit")
	}
}

func TestCheapest(t *testing.T) {
	r := route("w", "", nil, contract.StrategyWeighted, contract.Target{Model: "long-name", Weight: 1}, contract.Target{Model: "short", Weight: 1})
	if m, ok := Cheapest(r.Doc, all); !ok || m != "short" {
		t.Errorf("Cheapest = %q", m)
	}
	if m, _ := Cheapest(r.Doc, func(m string) bool { return m != "short" }); m != "long-name" {
		t.Errorf("Cheapest among allowed = %q", m)
	}
}
