package modelroute_test

import (
	"slices"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/modelroute"
)

// Each rule reports on the attribute it is about; the acceptance test checks the messages.
func TestValidatePaths(t *testing.T) {
	base := func(edit func(r *modelroute.Route)) modelroute.Route {
		r := codeReview
		r.Targets, r.CustomModels = slices.Clone(codeReview.Targets), slices.Clone(codeReview.CustomModels)
		f, c, b := *codeReview.Fallback, *codeReview.Cache, *codeReview.Budget
		r.Fallback, r.Cache, r.Budget = &f, &c, &b
		edit(&r)
		return r
	}
	if ps := modelroute.Validate(codeReview); len(ps) != 0 {
		t.Fatalf("the issue's example is refused: %+v", ps)
	}
	for _, tc := range []struct {
		name string
		r    modelroute.Route
		path string
	}{
		{"unknown target", base(func(r *modelroute.Route) { r.Targets[1].Model = "claude-sonet" }), "target[1].model"},
		{"duplicate target", base(func(r *modelroute.Route) { r.Targets[1].Model = "gpt-4o" }), "target[1].model"},
		{"weights zero", base(func(r *modelroute.Route) {
			r.Strategy, r.RequiredCapability, r.MinCapabilityScore = "weighted", "", nil
			r.Targets[0].Weight, r.Targets[1].Weight = 0, 0
		}), "target"},
		{"priority gap", base(func(r *modelroute.Route) { r.Targets[1].Priority = 3 }), "target"},
		{"fallback is target", base(func(r *modelroute.Route) { r.Fallback.Models = []string{"claude-sonnet-4-5"} }), "fallback.models[0]"},
		{"unknown trigger", base(func(r *modelroute.Route) { r.Fallback.On = []string{"timeout", "oops"} }), "fallback.on[1]"},
		{"similarity", base(func(r *modelroute.Route) { r.Cache.SimilarityThreshold = ptr(1.01) }), "cache.similarity_threshold"},
		{"semantic ttl", base(func(r *modelroute.Route) { r.Cache.TTLSeconds = nil }), "cache.ttl_seconds"},
		{"budget", base(func(r *modelroute.Route) { r.Budget.USDPerDay = ptr(-1.0) }), "budget.usd_per_day"},
		{"complexity", base(func(r *modelroute.Route) { r.Match = &modelroute.Match{MinComplexity: 9, MaxComplexity: 2} }), "match.min_complexity"},
		{"no capable model", base(func(r *modelroute.Route) { r.RequiredCapability, r.MinCapabilityScore = "knowledge", ptr[int64](10) }), "min_capability_score"},
		{"custom shadows", base(func(r *modelroute.Route) { r.CustomModels[0].Name = "gpt-4" }), "custom_model[0].name"},
	} {
		ps := modelroute.Validate(tc.r)
		if len(ps) != 1 || ps[0].Path.String() != tc.path {
			t.Errorf("%s: problems %+v, want one at %s", tc.name, ps, tc.path)
		}
	}
}
