package modelroute

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/octollm/terraform-provider-octollm/internal/catalog"
)

// Problem is one plan-time error: the attribute it is about, a summary and what to do.
type Problem struct {
	Path    path.Path
	Summary string
	Detail  string
}

// bestListed bounds how many models the "no capable model" error lists.
const bestListed = 3

// Validate checks the cross-field rules of a route whose configuration is wholly known. Rules
// a single attribute can check (ranges, enumerations, DNS labels) are schema validators.
func Validate(r Route) []Problem {
	var ps []Problem
	add := func(p path.Path, summary, format string, args ...any) {
		ps = append(ps, Problem{Path: p, Summary: summary, Detail: fmt.Sprintf(format, args...)})
	}

	if m := r.Match; m != nil {
		if m.MinComplexity > m.MaxComplexity {
			add(path.Root("match").AtName("min_complexity"), "match.min_complexity above max_complexity",
				"match.min_complexity (%d) is greater than match.max_complexity (%d), so the route matches no task: lower min_complexity or raise max_complexity (both 1-10).",
				m.MinComplexity, m.MaxComplexity)
		}
		if m.TaskTypes != nil && len(m.TaskTypes) == 0 {
			add(path.Root("match").AtName("task_types"), "Empty match.task_types",
				"match.task_types is empty, which matches no task: list task types, or remove task_types to match every task type.")
		}
		for i, tt := range m.TaskTypes {
			if strings.TrimSpace(tt) == "" {
				add(path.Root("match").AtName("task_types").AtListIndex(i), "Empty task type", "match.task_types[%d] is empty: remove it or name a task type such as \"code_review\".", i)
			} else if slices.Index(m.TaskTypes, tt) < i {
				add(path.Root("match").AtName("task_types").AtListIndex(i), "Duplicate task type", "match.task_types lists %q twice: remove one.", tt)
			}
		}
	}

	if r.Fallback != nil && (len(r.Fallback.On) == 0 || len(r.Fallback.Models) == 0) {
		add(path.Root("fallback"), "Incomplete fallback block",
			"The fallback block needs on (the triggers, such as [\"rate_limit\", \"timeout\"]) and models (the fallback models): set both, or remove the block.")
	}
	if r.Cache != nil && r.Cache.Mode == "" {
		add(path.Root("cache").AtName("mode"), "Missing cache.mode", "The cache block needs mode: set \"exact\" or \"semantic\", or remove the block.")
	}
	ps = append(ps, validateCustomModels(r)...)
	ps = append(ps, validateStrategy(r)...)
	ps = append(ps, validateTargets(r)...)
	ps = append(ps, validateFallback(r)...)

	if c := r.Cache; c != nil {
		if c.SimilarityThreshold != nil && (*c.SimilarityThreshold <= 0 || *c.SimilarityThreshold > 1) {
			add(path.Root("cache").AtName("similarity_threshold"), "cache.similarity_threshold outside (0, 1]",
				"cache.similarity_threshold is %s; it is a cosine similarity and must be greater than 0 and at most 1, such as 0.95.", strconv.FormatFloat(*c.SimilarityThreshold, 'g', -1, 64))
		}
		if c.Mode == "semantic" && c.TTLSeconds == nil {
			add(path.Root("cache").AtName("ttl_seconds"), "cache mode semantic without ttl_seconds",
				"cache.mode is \"semantic\" but cache.ttl_seconds is not set, so similar answers would be served forever: set ttl_seconds, such as 3600.")
		}
		if c.Mode == "exact" && c.SimilarityThreshold != nil {
			add(path.Root("cache").AtName("similarity_threshold"), "cache.similarity_threshold needs mode semantic",
				"cache.similarity_threshold applies only to cache.mode \"semantic\": remove it or set mode = \"semantic\".")
		}
		if c.TTLSeconds != nil && *c.TTLSeconds <= 0 {
			add(path.Root("cache").AtName("ttl_seconds"), "cache.ttl_seconds not positive",
				"cache.ttl_seconds is %d: set a number of seconds greater than 0, such as 3600.", *c.TTLSeconds)
		}
	}

	if b := r.Budget; b != nil {
		if b.USDPerDay == nil && b.TokensPerMinute == nil && b.RequestsPerMinute == nil {
			add(path.Root("budget"), "Empty budget", "The budget block sets no limit: set usd_per_day, tokens_per_minute or requests_per_minute, or remove the block.")
		}
		if b.USDPerDay != nil && *b.USDPerDay <= 0 {
			add(path.Root("budget").AtName("usd_per_day"), "budget.usd_per_day not positive",
				"budget.usd_per_day is %s: a budget must be greater than 0; remove usd_per_day for no daily limit.", strconv.FormatFloat(*b.USDPerDay, 'g', -1, 64))
		}
		for _, lim := range []struct {
			name string
			v    *int64
		}{{"tokens_per_minute", b.TokensPerMinute}, {"requests_per_minute", b.RequestsPerMinute}} {
			if lim.v != nil && *lim.v <= 0 {
				add(path.Root("budget").AtName(lim.name), "budget."+lim.name+" not positive",
					"budget.%s is %d: a budget must be greater than 0; remove %s for no limit.", lim.name, *lim.v, lim.name)
			}
		}
	}
	return ps
}

func validateCustomModels(r Route) []Problem {
	var ps []Problem
	for i, c := range r.CustomModels {
		p := path.Root("custom_model").AtListIndex(i)
		if _, ok := catalog.Lookup(c.Name); ok {
			ps = append(ps, Problem{p.AtName("name"), "custom_model shadows a catalog model",
				fmt.Sprintf("custom_model %q is already in the built-in catalog: use the catalog's entry (remove this block) or give the custom model another name, such as %q.", c.Name, c.Name+"-custom")})
		}
		for j := range i {
			if r.CustomModels[j].Name == c.Name {
				ps = append(ps, Problem{p.AtName("name"), "Duplicate custom_model",
					fmt.Sprintf("custom_model %q is declared twice (blocks %d and %d): remove one.", c.Name, j, i)})
			}
		}
		for _, cost := range []struct {
			name string
			v    float64
		}{{"input_cost_per_million", c.InputCostPerMillion}, {"output_cost_per_million", c.OutputCostPerMillion}} {
			if cost.v < 0 {
				ps = append(ps, Problem{p.AtName(cost.name), "Negative custom_model cost",
					fmt.Sprintf("custom_model %q has %s %s: set a price in USD per million tokens, 0 or more.", c.Name, cost.name, strconv.FormatFloat(cost.v, 'g', -1, 64))})
			}
		}
		if c.CachedInputCostPerMillion != nil && *c.CachedInputCostPerMillion < 0 {
			ps = append(ps, Problem{p.AtName("cached_input_cost_per_million"), "Negative custom_model cost",
				fmt.Sprintf("custom_model %q has a negative cached_input_cost_per_million: set 0 or more, or remove it.", c.Name)})
		}
		for k, v := range c.Capabilities {
			switch {
			case !slices.Contains(catalog.Capabilities(), k):
				ps = append(ps, Problem{p.AtName("capabilities"), "Unknown capability",
					fmt.Sprintf("custom_model %q scores %q, which is not a capability: use %s.", c.Name, k, orList(catalog.Capabilities()))})
			case v < catalog.MinScore || v > catalog.MaxScore:
				ps = append(ps, Problem{p.AtName("capabilities"), "Capability score out of range",
					fmt.Sprintf("custom_model %q scores %s %d: scores run from %d to %d.", c.Name, k, v, catalog.MinScore, catalog.MaxScore)})
			}
		}
	}
	return ps
}

func validateStrategy(r Route) []Problem {
	var ps []Problem
	if r.Strategy != StrategyCheapestCapable {
		if r.RequiredCapability != "" {
			ps = append(ps, Problem{path.Root("required_capability"), "required_capability needs strategy cheapest_capable",
				fmt.Sprintf("required_capability is used only by strategy \"cheapest_capable\", and strategy is %q: remove it or change the strategy.", r.Strategy)})
		}
		if r.MinCapabilityScore != nil {
			ps = append(ps, Problem{path.Root("min_capability_score"), "min_capability_score needs strategy cheapest_capable",
				fmt.Sprintf("min_capability_score is used only by strategy \"cheapest_capable\", and strategy is %q: remove it or change the strategy.", r.Strategy)})
		}
		if len(r.Targets) == 0 {
			ps = append(ps, Problem{path.Root("target"), "Strategy " + r.Strategy + " needs targets",
				fmt.Sprintf("strategy %q chooses among the route's targets, and there are none: add target blocks, or use strategy \"cheapest_capable\", which can choose from the whole catalog.", r.Strategy)})
		}
		return ps
	}
	if r.RequiredCapability == "" {
		ps = append(ps, Problem{path.Root("required_capability"), "Missing required_capability",
			fmt.Sprintf("strategy \"cheapest_capable\" needs required_capability: set %s.", orList(catalog.Capabilities()))})
	}
	if r.MinCapabilityScore == nil {
		ps = append(ps, Problem{path.Root("min_capability_score"), "Missing min_capability_score",
			fmt.Sprintf("strategy \"cheapest_capable\" needs min_capability_score: set a score from %d to %d, such as 7.", catalog.MinScore, catalog.MaxScore)})
	}
	if len(ps) > 0 || r.EffectiveModel() != "" || unresolved(r) {
		return ps
	}
	cands := r.Candidates()
	among := "the route's targets"
	if len(r.Targets) == 0 {
		among = "the catalog and the route's custom models"
	}
	var best []string
	for _, m := range catalog.Ranked(cands, r.RequiredCapability) {
		if len(best) == bestListed {
			break
		}
		best = append(best, fmt.Sprintf("%s (%s %d, $%s per 1M tokens in+out)", m.Name, r.RequiredCapability, m.Score(r.RequiredCapability), strconv.FormatFloat(m.Cost(), 'f', -1, 64)))
	}
	return append(ps, Problem{path.Root("min_capability_score"), "No capable model",
		fmt.Sprintf("No model among %s has %s %d or more. The best available: %s. Lower min_capability_score, or add a target that scores higher.",
			among, r.RequiredCapability, *r.MinCapabilityScore, strings.Join(best, ", "))})
}

// unresolved reports whether a target names an unknown model (reported on its own).
func unresolved(r Route) bool {
	for _, t := range r.Targets {
		if _, ok := r.Resolve(t.Model); !ok {
			return true
		}
	}
	return false
}

func validateTargets(r Route) []Problem {
	var ps []Problem
	allZero := len(r.Targets) > 0
	tiers := map[int64]bool{}
	for i, t := range r.Targets {
		p := path.Root("target").AtListIndex(i)
		if _, ok := r.Resolve(t.Model); !ok {
			ps = append(ps, Problem{p.AtName("model"), "Unknown model", p.AtName("model").String() + ": " + unknownModel(r, t.Model)})
		}
		for j := range i {
			if r.Targets[j].Model == t.Model {
				ps = append(ps, Problem{p.AtName("model"), "Duplicate target",
					fmt.Sprintf("target %q appears twice (target blocks %d and %d): merge them into one target.", t.Model, j, i)})
			}
		}
		if t.Weight != 0 {
			allZero = false
		}
		tiers[t.Priority] = true
	}
	if r.Strategy == StrategyWeighted && allZero {
		ps = append(ps, Problem{path.Root("target"), "All target weights are zero",
			"strategy \"weighted\" splits traffic by target.weight, and every weight is 0, so no request could be routed: give at least one target a weight above 0."})
	}
	if len(tiers) > 0 {
		levels := make([]int64, 0, len(tiers))
		for l := range tiers {
			levels = append(levels, l)
		}
		slices.Sort(levels)
		for i, l := range levels {
			if l != int64(i) {
				ps = append(ps, Problem{path.Root("target"), "Gap in target priorities",
					fmt.Sprintf("target priorities are %s; tiers must run 0, 1, 2, ... without gaps, so tier %d is missing: renumber the priorities.", joinInts(levels), i)})
				break
			}
		}
	}
	return ps
}

func validateFallback(r Route) []Problem {
	f := r.Fallback
	if f == nil {
		return nil
	}
	var ps []Problem
	for i, on := range f.On {
		if !slices.Contains(FallbackTriggers, on) {
			ps = append(ps, Problem{path.Root("fallback").AtName("on").AtListIndex(i), "Unknown fallback trigger",
				fmt.Sprintf("fallback.on lists %q, which is not a trigger: use %s.", on, orList(FallbackTriggers))})
		} else if slices.Index(f.On, on) < i {
			ps = append(ps, Problem{path.Root("fallback").AtName("on").AtListIndex(i), "Duplicate fallback trigger", fmt.Sprintf("fallback.on lists %q twice: remove one.", on)})
		}
	}
	for i, name := range f.Models {
		p := path.Root("fallback").AtName("models").AtListIndex(i)
		if _, ok := r.Resolve(name); !ok {
			ps = append(ps, Problem{p, "Unknown model", p.String() + ": " + unknownModel(r, name)})
		}
		if slices.ContainsFunc(r.Targets, func(t Target) bool { return t.Model == name }) {
			ps = append(ps, Problem{p, "Fallback model is also a target",
				fmt.Sprintf("fallback.models lists %q, which is already a target: a fallback must be a different model, or a failure would retry the model that failed. Remove it from fallback.models or from the targets.", name)})
		}
		if slices.Index(f.Models, name) < i {
			ps = append(ps, Problem{p, "Duplicate fallback model", fmt.Sprintf("fallback.models lists %q twice: remove one.", name)})
		}
	}
	return ps
}

// unknownModel is the catalog's "unknown model" sentence, with the route's custom models among
// the suggestions.
func unknownModel(r Route, name string) string {
	custom := make([]string, len(r.CustomModels))
	for i, c := range r.CustomModels {
		custom[i] = c.Name
	}
	return catalog.UnknownModelError(name, custom...) + " A model of your own needs a custom_model block."
}

func orList(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

func joinInts(vs []int64) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = strconv.FormatInt(v, 10)
	}
	return strings.Join(s, ", ")
}
