package catalog

import (
	"cmp"
	"slices"
	"strings"
)

// CheapestCapable returns the model a cheapest_capable route selects among candidates: the one
// with the lowest input + output cost whose score for capability is at least minScore, ties
// broken by name so the choice is deterministic. It reports false when no candidate qualifies.
//
// Where this deliberately differs from the seed's ModelSelector.select_model:
//   - the seed compares scores against min(complexity, min_capability_score), where complexity
//     comes from regular expressions over each request's text; a route is chosen at plan time,
//     with no request text, so the threshold is min_capability_score itself. Both agree whenever
//     the request's complexity is at least min_capability_score.
//   - the seed silently falls back to gpt-4-turbo-preview when nothing qualifies; a route with
//     no capable model is a plan-time error instead (see Ranked for the models it lists).
//   - the seed breaks cost ties by dictionary order; this breaks them by name.
func CheapestCapable(candidates []Model, capability string, minScore int) (Model, bool) {
	var best Model
	found := false
	for _, m := range candidates {
		if m.Score(capability) < minScore {
			continue
		}
		if !found || cheaper(m, best) {
			best, found = m, true
		}
	}
	return best, found
}

// cheaper orders models by cost, then name.
func cheaper(a, b Model) bool {
	if a.Cost() != b.Cost() {
		return a.Cost() < b.Cost()
	}
	return a.Name < b.Name
}

// Ranked returns candidates ordered best first for capability: highest score, then lowest cost,
// then name. An error that no model meets a minimum score lists the head of this order.
func Ranked(candidates []Model, capability string) []Model {
	out := slices.Clone(candidates)
	slices.SortFunc(out, func(a, b Model) int {
		if c := cmp.Compare(b.Score(capability), a.Score(capability)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Cost(), b.Cost()); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}
