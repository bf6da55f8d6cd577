// Package catalog is the provider's built-in model catalog: the LLMs a route or a tenant can
// name, with their list prices (USD per million tokens), context windows and capability scores.
// It is pure data and pure functions, shared by the model-route and tenant families so both agree
// on which models exist and what they cost.
//
// Prices are the vendors' public list prices for the standard (non-batch, non-priority) tier as
// of the date in each entry, taken from the page in Source. Capability scores use the seed's
// 1-10 scale; the seed's four models keep the seed's scores, the others are the maintainers'
// estimates on that scale, not vendor figures.
package catalog

import (
	"slices"
	"strings"
)

// The capabilities a model is scored on, as in the seed's ModelSelector.
const (
	CapabilityReasoning = "reasoning"
	CapabilityCoding    = "coding"
	CapabilityKnowledge = "knowledge"
)

// Capabilities returns the capability names in the order messages show them.
func Capabilities() []string {
	return []string{CapabilityReasoning, CapabilityCoding, CapabilityKnowledge}
}

// MinScore and MaxScore bound a capability score.
const (
	MinScore = 1
	MaxScore = 10
)

// Model is one entry of the catalog.
type Model struct {
	// Name is the identifier routes use, such as gpt-4o.
	Name string
	// Provider is who serves the model: openai, anthropic, google, mistral, deepseek, groq,
	// self-hosted.
	Provider string
	// InputPerMillion, OutputPerMillion and CachedInputPerMillion are USD per million tokens;
	// CachedInputPerMillion is 0 when the vendor lists no cached-input price.
	InputPerMillion, OutputPerMillion, CachedInputPerMillion float64
	// ContextWindow is the maximum number of input tokens.
	ContextWindow int64
	// Capabilities maps reasoning, coding and knowledge to a score from 1 to 10.
	Capabilities map[string]int
	// Source is the URL of the pricing page; PriceDate is the date (YYYY-MM-DD) of the price.
	Source, PriceDate string
}

// Cost is what cheapest-capable selection compares: input plus output USD per million tokens,
// as the seed's ModelSelector does with sum(MODEL_COSTS[m]).
func (m Model) Cost() float64 {
	return m.InputPerMillion + m.OutputPerMillion
}

// Score is the model's score for a capability, 0 when the capability is not scored.
func (m Model) Score(capability string) int {
	return m.Capabilities[capability]
}

// clone returns m with its own Capabilities map, so callers cannot change the catalog.
func (m Model) clone() Model {
	caps := make(map[string]int, len(m.Capabilities))
	for k, v := range m.Capabilities {
		caps[k] = v
	}
	m.Capabilities = caps
	return m
}

// Models returns every catalog entry sorted by name. The slice and its maps are a copy.
func Models() []Model {
	out := make([]Model, len(builtin))
	for i, m := range builtin {
		out[i] = m.clone()
	}
	slices.SortFunc(out, func(a, b Model) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Names returns the names of every catalog entry, sorted.
func Names() []string {
	names := make([]string, len(builtin))
	for i, m := range builtin {
		names[i] = m.Name
	}
	slices.Sort(names)
	return names
}

// Lookup returns the catalog entry with exactly this name.
func Lookup(name string) (Model, bool) {
	for _, m := range builtin {
		if m.Name == name {
			return m.clone(), true
		}
	}
	return Model{}, false
}

// Suggest returns the catalog name closest to name, for a "did you mean", or "" when no name is
// close enough to be a likely typo.
func Suggest(name string) string {
	return SuggestAmong(name, Names())
}

// SuggestAmong returns the candidate closest to name, or "" when none is close. Case and
// punctuation are ignored first ("GPT4o" matches "gpt-4o"); otherwise the edit distance must be
// at most a third of the name's length (and at least 2 edits are always allowed). Ties go to the
// first name in sorted order so the suggestion is deterministic.
func SuggestAmong(name string, candidates []string) string {
	sorted := slices.Clone(candidates)
	slices.Sort(sorted)
	key := squash(name)
	if key == "" {
		return ""
	}
	best, bestDist := "", -1
	for _, c := range sorted {
		if c == name {
			continue
		}
		d := distance(key, squash(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" || bestDist > max(2, len([]rune(key))/3) {
		return ""
	}
	return best
}

// UnknownModelError is the sentence for a model name that is not in the catalog, with a
// "did you mean" when a catalog name, or one of extra (such as a route's own models), is close.
func UnknownModelError(name string, extra ...string) string {
	if s := SuggestAmong(name, append(Names(), extra...)); s != "" {
		return `unknown model "` + name + `": did you mean "` + s + `"? See data.octollm_model_catalog for the list.`
	}
	return `unknown model "` + name + `": it is not in the built-in catalog. See data.octollm_model_catalog for the list.`
}

// squash lowercases s and drops everything but letters and digits.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// distance is the Levenshtein edit distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
