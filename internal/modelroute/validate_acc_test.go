package modelroute_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

// Every plan-time rule of the issue, and the ones the schema adds, fails `plan` with a message
// that names the attribute and says what to do. Nothing reaches the cluster.
func TestAccModelRoute_badInput(t *testing.T) {
	acctest.PreCheck(t)
	const capable = "required_capability = \"coding\"\n  min_capability_score = 7\n"
	cases := map[string]struct{ body, want string }{
		// The rules.
		"unknown model": {capable + `target {
    model = "gpt4o"
  }`, `Unknown model ... target[0].model: unknown model "gpt4o": did you mean "gpt-4o"? See data.octollm_model_catalog for the list. A model of your own needs a custom_model block.`},
		"unknown model, custom suggested": {capable + `target {
    model = "my-coder-f"
  }
  custom_model {
    name = "my-coder-ft"
    input_cost_per_million = 0.1
    output_cost_per_million = 0.1
    capabilities = { coding = 8 }
  }`, `unknown model "my-coder-f": did you mean "my-coder-ft"?`},
		"weights all zero": {`strategy = "weighted"
  target {
    model  = "gpt-4o"
    weight = 0
  }
  target {
    model  = "gpt-4o-mini"
    weight = 0
  }`, `All target weights are zero ... every weight is 0, so no request could be routed: give at least one target a weight above 0.`},
		"duplicate targets": {capable + `target {
    model = "gpt-4o"
  }
  target {
    model = "gpt-4o"
  }`, `Duplicate target ... target "gpt-4o" appears twice (target blocks 0 and 1): merge them into one target.`},
		"fallback is a target": {capable + `target {
    model = "gpt-4o"
  }
  fallback {
    on     = ["timeout"]
    models = ["gpt-4o"]
  }`, `Fallback model is also a target ... fallback.models lists "gpt-4o", which is already a target`},
		"priority gap": {`strategy = "priority"
  target {
    model    = "gpt-4o"
    priority = 0
  }
  target {
    model    = "gpt-4o-mini"
    priority = 2
  }`, `Gap in target priorities ... target priorities are 0, 2; tiers must run 0, 1, 2, ... without gaps, so tier 1 is missing: renumber the priorities.`},
		"priority not from 0": {`strategy = "priority"
  target {
    model    = "gpt-4o"
    priority = 1
  }`, `target priorities are 1; ... so tier 0 is missing`},
		"similarity zero": {capable + `cache {
    mode = "semantic"
    ttl_seconds = 60
    similarity_threshold = 0
  }`, `cache.similarity_threshold is 0; it is a cosine similarity and must be greater than 0 and at most 1, such as 0.95.`},
		"similarity above one": {capable + `cache {
    mode = "semantic"
    ttl_seconds = 60
    similarity_threshold = 1.5
  }`, `cache.similarity_threshold is 1.5;`},
		"semantic without ttl": {capable + `cache {
    mode = "semantic"
  }`, `cache mode semantic without ttl_seconds ... set ttl_seconds, such as 3600.`},
		"budget usd zero": {capable + `budget {
    usd_per_day = 0
  }`, `budget.usd_per_day is 0: a budget must be greater than 0; remove usd_per_day for no daily limit.`},
		"budget tokens negative": {capable + `budget {
    tokens_per_minute = -5
  }`, `budget.tokens_per_minute is -5: a budget must be greater than 0; remove tokens_per_minute for no limit.`},
		"budget requests zero": {capable + `budget {
    requests_per_minute = 0
  }`, `budget.requests_per_minute is 0: a budget must be greater than 0`},
		"complexity min above max": {capable + `match {
    min_complexity = 8
    max_complexity = 3
  }`, `match.min_complexity (8) is greater than match.max_complexity (3), so the route matches no task: lower min_complexity or raise max_complexity`},
		"complexity below 1": {capable + `match {
    min_complexity = 0
  }`, `Attribute match.min_complexity value must be between 1 and 10, got: 0`},
		"complexity above 10": {capable + `match {
    max_complexity = 11
  }`, `Attribute match.max_complexity value must be between 1 and 10, got: 11`},
		"no capable model": {`required_capability = "coding"
  min_capability_score = 10
  target {
    model = "gpt-4o-mini"
  }
  target {
    model = "gpt-4o"
  }`, `No capable model ... No model among the route's targets has coding 10 or more. The best available: gpt-4o (coding 8, $12.5 per 1M tokens in+out), gpt-4o-mini (coding 7, $0.75 per 1M tokens in+out). Lower min_capability_score, or add a target that scores higher.`},
		"tenant not a label": {capable + `tenant = "Acme_Corp"`, `Attribute tenant must be a DNS-1123 label`},
		"unknown fallback trigger": {capable + `fallback {
    on     = ["timeout", "overloaded"]
    models = ["gpt-4o-mini"]
  }`, `Unknown fallback trigger ... fallback.on lists "overloaded", which is not a trigger: use rate_limit, timeout, server_error or context_window.`},

		// The rules that come with them.
		"unknown fallback model": {capable + `fallback {
    on     = ["timeout"]
    models = ["claude-haiku"]
  }`, `fallback.models[0]: unknown model "claude-haiku": did you mean "claude-haiku-4-5"?`},
		"cheapest without capability": {`min_capability_score = 7`, `Missing required_capability ... strategy "cheapest_capable" needs required_capability: set reasoning, coding or knowledge.`},
		"cheapest without score":      {`required_capability = "coding"`, `Missing min_capability_score ... set a score from 1 to 10, such as 7.`},
		"capability on weighted": {`strategy = "weighted"
  required_capability = "coding"
  target {
    model = "gpt-4o"
  }`, `required_capability is used only by strategy "cheapest_capable", and strategy is "weighted": remove it or change the strategy.`},
		"weighted without targets": {`strategy = "weighted"`, `Strategy weighted needs targets ... add target blocks, or use strategy "cheapest_capable"`},
		"unknown strategy":         {`strategy = "random"`, `Attribute strategy value must be one of: ["cheapest_capable" "weighted" "priority" "lowest_latency"], got: "random"`},
		"score out of range": {`required_capability = "coding"
  min_capability_score = 11`, `Attribute min_capability_score value must be between 1 and 10, got: 11`},
		"custom shadows catalog": {capable + `custom_model {
    name = "gpt-4o"
    input_cost_per_million = 1
    output_cost_per_million = 1
    capabilities = { coding = 9 }
  }`, `custom_model "gpt-4o" is already in the built-in catalog`},
		"custom bad capability": {capable + `custom_model {
    name = "mine"
    input_cost_per_million = 1
    output_cost_per_million = 1
    capabilities = { humour = 9 }
  }`, `custom_model "mine" scores "humour", which is not a capability: use reasoning, coding or knowledge.`},
		"custom score range": {capable + `custom_model {
    name = "mine"
    input_cost_per_million = 1
    output_cost_per_million = 1
    capabilities = { coding = 12 }
  }`, `custom_model "mine" scores coding 12: scores run from 1 to 10.`},
		"custom negative cost": {capable + `custom_model {
    name = "mine"
    input_cost_per_million = -1
    output_cost_per_million = 1
    capabilities = { coding = 7 }
  }`, `custom_model "mine" has input_cost_per_million -1: set a price in USD per million tokens, 0 or more.`},
		"empty budget": {capable + `budget {
    on_exceed = "queue"
  }`, `Empty budget ... set usd_per_day, tokens_per_minute or requests_per_minute, or remove the block.`},
		"exact with similarity": {capable + `cache {
    mode = "exact"
    similarity_threshold = 0.9
  }`, `cache.similarity_threshold applies only to cache.mode "semantic"`},
		"cache without mode": {capable + `cache {
    ttl_seconds = 60
  }`, `Missing cache.mode ... set "exact" or "semantic", or remove the block.`},
		"fallback without models": {capable + `fallback {
    on = ["timeout"]
  }`, `Incomplete fallback block ... set both, or remove the block.`},
		"bad name": {capable, `Attribute name must be a DNS-1123 label`},
		"empty task types": {capable + `match {
    task_types = []
  }`, `match.task_types is empty, which matches no task: list task types, or remove task_types to match every task type.`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			routeName := "bad"
			if name == "bad name" {
				routeName = "Bad_Route"
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      fmt.Sprintf("resource \"octollm_model_route\" \"bad\" {\n  name = %q\n  %s\n}\n", routeName, tc.body),
					PlanOnly:    true,
					ExpectError: acctest.ErrorText(tc.want),
				}},
			})
		})
	}
}

func TestAccModelCatalog_badVendor(t *testing.T) {
	acctest.PreCheck(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      `data "octollm_model_catalog" "x" { vendor = "openia" }`,
			ExpectError: acctest.ErrorText(`Unknown provider ... vendor is "openia", and no catalog model is served by it: use anthropic, deepseek, google, groq, mistral, openai or self-hosted`),
		}},
	})
}
