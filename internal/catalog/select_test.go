package catalog_test

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/catalog"
)

// seedTable is the seed's ModelSelector: MODEL_COSTS and MODEL_CAPABILITIES, in its order.
func seedTable(t *testing.T) []catalog.Model {
	t.Helper()
	seed := []struct {
		name                string
		input, output       float64
		reasoning, code, kn int
	}{
		{"gpt-4-turbo-preview", 10, 30, 10, 9, 10},
		{"gpt-4", 30, 60, 10, 10, 10},
		{"gpt-3.5-turbo", 0.5, 1.5, 7, 7, 8},
		{"mistral-7b-instruct", 0.2, 0.2, 6, 6, 6},
	}
	out := make([]catalog.Model, len(seed))
	for i, s := range seed {
		m, ok := catalog.Lookup(s.name)
		if !ok {
			t.Fatalf("the seed's %s is not in the catalog", s.name)
		}
		// The catalog keeps the seed's table unchanged.
		if m.InputPerMillion != s.input || m.OutputPerMillion != s.output ||
			m.Score(catalog.CapabilityReasoning) != s.reasoning || m.Score(catalog.CapabilityCoding) != s.code ||
			m.Score(catalog.CapabilityKnowledge) != s.kn {
			t.Fatalf("catalog entry %+v differs from the seed's %+v", m, s)
		}
		out[i] = m
	}
	return out
}

// seedSelectModel transliterates the seed's ModelSelector.select_model for a task whose
// _assess_complexity is complexity.
func seedSelectModel(table []catalog.Model, capability string, minScore, complexity int) string {
	var suitable []catalog.Model
	for _, m := range table {
		if m.Score(capability) >= min(complexity, minScore) {
			suitable = append(suitable, m)
		}
	}
	if len(suitable) == 0 {
		return "gpt-4-turbo-preview"
	}
	// Python's min keeps the first of equal keys, in the table's order.
	return slices.MinFunc(suitable, func(a, b catalog.Model) int { return cmp.Compare(a.Cost(), b.Cost()) }).Name
}

// seedAssessComplexity transliterates the seed's ModelSelector._assess_complexity.
func seedAssessComplexity(task string) int {
	indicators := []struct {
		pattern string
		score   int
	}{
		{`(?i)multi-step|complex|advanced|intricate`, 9},
		{`(?i)requires.*reasoning|logical.*deduction`, 8},
		{`(?i)analyze|evaluate|compare`, 7},
		{`(?i)explain|describe|summarize`, 6},
		{`(?i)translate|convert|transform`, 5},
		{`(?i)list|enumerate|identify`, 4},
		{`(?i)yes|no|true|false`, 3},
		{`(?i)simple|basic|straightforward`, 2},
	}
	complexity := 5
	for _, ind := range indicators {
		if regexp.MustCompile(ind.pattern).MatchString(task) {
			complexity = max(complexity, ind.score)
		}
	}
	return complexity
}

// TestCheapestCapableReproducesSeedModelSelector: under the seed's cost and capability table,
// the same capability and minimum score select the same model as the seed's select_model.
func TestCheapestCapableReproducesSeedModelSelector(t *testing.T) {
	table := seedTable(t)
	for _, tc := range []struct {
		capability string
		minScore   int
		task       string // a task description whose complexity is at least minScore
		want       string
	}{
		{"reasoning", 7, "analyze the logs", "gpt-3.5-turbo"}, // the seed's defaults
		{"reasoning", 1, "translate this", "mistral-7b-instruct"},
		{"reasoning", 5, "translate this", "mistral-7b-instruct"},
		{"reasoning", 6, "explain the diff", "mistral-7b-instruct"},
		{"reasoning", 8, "requires careful reasoning", "gpt-4-turbo-preview"},
		{"reasoning", 9, "a complex multi-step plan", "gpt-4-turbo-preview"},
		{"coding", 6, "summarize the patch", "mistral-7b-instruct"},
		{"coding", 7, "evaluate this function", "gpt-3.5-turbo"},
		{"coding", 8, "logical deduction over the code", "gpt-4-turbo-preview"},
		{"coding", 9, "an intricate refactor", "gpt-4-turbo-preview"},
		{"knowledge", 6, "describe the system", "mistral-7b-instruct"},
		{"knowledge", 7, "compare two designs", "gpt-3.5-turbo"},
		{"knowledge", 8, "requires reasoning about history", "gpt-3.5-turbo"},
		{"knowledge", 9, "advanced research question", "gpt-4-turbo-preview"},
	} {
		t.Run(fmt.Sprintf("%s>=%d", tc.capability, tc.minScore), func(t *testing.T) {
			complexity := seedAssessComplexity(tc.task)
			if complexity < tc.minScore {
				t.Fatalf("task %q has complexity %d < %d; the row does not test what it claims", tc.task, complexity, tc.minScore)
			}
			if seed := seedSelectModel(table, tc.capability, tc.minScore, complexity); seed != tc.want {
				t.Fatalf("the seed selects %s, the table says %s", seed, tc.want)
			}
			got, ok := catalog.CheapestCapable(table, tc.capability, tc.minScore)
			if !ok || got.Name != tc.want {
				t.Errorf("CheapestCapable = %s (%v), want %s", got.Name, ok, tc.want)
			}
		})
	}
}

// TestCheapestCapableAgreesWithSeedWheneverComplexityCoversMinScore checks every capability,
// minimum score and complexity the seed can produce (5-9), in the region where the seed's
// threshold min(complexity, min_capability_score) equals min_capability_score.
func TestCheapestCapableAgreesWithSeedWheneverComplexityCoversMinScore(t *testing.T) {
	table := seedTable(t)
	for _, capability := range catalog.Capabilities() {
		for minScore := catalog.MinScore; minScore <= catalog.MaxScore; minScore++ {
			for complexity := 5; complexity <= 9; complexity++ {
				if complexity < minScore {
					continue
				}
				want := seedSelectModel(table, capability, minScore, complexity)
				if got, ok := catalog.CheapestCapable(table, capability, minScore); !ok || got.Name != want {
					t.Errorf("%s>=%d at complexity %d: got %s (%v), seed %s", capability, minScore, complexity, got.Name, ok, want)
				}
			}
		}
	}
}

// TestCheapestCapableDeliberateDifferences pins where the plan-time rule departs from the seed.
func TestCheapestCapableDeliberateDifferences(t *testing.T) {
	table := seedTable(t)

	// coding >= 10: the seed's threshold is capped by complexity (at most 9), so it picks the
	// cheaper gpt-4-turbo-preview (coding 9); the route honours the score and picks gpt-4.
	if seed := seedSelectModel(table, "coding", 10, 9); seed != "gpt-4-turbo-preview" {
		t.Errorf("seed picks %s", seed)
	}
	if got, _ := catalog.CheapestCapable(table, "coding", 10); got.Name != "gpt-4" {
		t.Errorf("CheapestCapable(coding, 10) = %s, want gpt-4", got.Name)
	}

	// Nothing qualifies: the seed falls back to gpt-4-turbo-preview, the route reports false.
	if _, ok := catalog.CheapestCapable(table, "coding", 11); ok {
		t.Error("CheapestCapable(coding, 11) found a model")
	}
	if _, ok := catalog.CheapestCapable(table, "humour", 1); ok {
		t.Error("an unscored capability found a model")
	}

	// Equal cost: the name decides, whatever the order of the candidates.
	a := catalog.Model{Name: "b-model", InputPerMillion: 1, OutputPerMillion: 1, Capabilities: map[string]int{"coding": 8}}
	b := catalog.Model{Name: "a-model", InputPerMillion: 0.5, OutputPerMillion: 1.5, Capabilities: map[string]int{"coding": 8}}
	for _, cands := range [][]catalog.Model{{a, b}, {b, a}} {
		if got, _ := catalog.CheapestCapable(cands, "coding", 8); got.Name != "a-model" {
			t.Errorf("tie broken to %s, want a-model", got.Name)
		}
	}
}

func TestCheapestCapableOverWholeCatalog(t *testing.T) {
	for _, tc := range []struct {
		capability string
		minScore   int
		want       string
	}{
		{"coding", 1, "mistral-7b-instruct"},
		{"coding", 7, "gpt-4o-mini"},
		{"coding", 8, "deepseek-chat"},
		{"coding", 9, "gpt-5-mini"},
		{"coding", 10, "gpt-5"},
		{"reasoning", 10, "gemini-2.5-pro"}, // ties gpt-5 at 11.25: the name decides
		{"knowledge", 10, "gemini-2.5-pro"},
	} {
		if got, ok := catalog.CheapestCapable(catalog.Models(), tc.capability, tc.minScore); !ok || got.Name != tc.want {
			t.Errorf("%s>=%d: got %s (%v), want %s", tc.capability, tc.minScore, got.Name, ok, tc.want)
		}
	}
}

func TestRanked(t *testing.T) {
	ranked := catalog.Ranked(catalog.Models(), "coding")
	var top []string
	for _, m := range ranked[:4] {
		top = append(top, m.Name)
	}
	// Score 10 first, cheapest first among them.
	if want := []string{"gpt-5", "claude-sonnet-4-5", "claude-opus-4-1", "gpt-4"}; !slices.Equal(top, want) {
		t.Errorf("Ranked(coding)[:4] = %v, want %v", top, want)
	}
}
