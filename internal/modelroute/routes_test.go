package modelroute_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/modelroute"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func ptr[T any](v T) *T { return &v }

// The routes the unit and acceptance tests share: each has an HCL spelling (for Terraform) and
// a Route (for the pure functions); both must render the golden file testdata/<name>.json.
// codeReview's HCL is the docs' example, examples/resources/octollm_model_route/resource.tf.
var (
	// codeReview is the example route.
	codeReview = modelroute.Route{
		Name: "code-review", Tenant: "acme",
		Match:              &modelroute.Match{TaskTypes: []string{"code_review"}, MinComplexity: 1, MaxComplexity: 10},
		Strategy:           "cheapest_capable",
		RequiredCapability: "coding", MinCapabilityScore: ptr[int64](7),
		Targets: []modelroute.Target{{Model: "gpt-4o", Weight: 80, Priority: 0}, {Model: "claude-sonnet-4-5", Weight: 20, Priority: 1}},
		CustomModels: []modelroute.CustomModel{{
			Name: "mistral-7b-ft", Provider: "self-hosted", InputCostPerMillion: 0.2, OutputCostPerMillion: 0.2,
			ContextWindow: ptr[int64](32768), Capabilities: map[string]int64{"reasoning": 6, "coding": 6, "knowledge": 6},
		}},
		Fallback: &modelroute.Fallback{On: []string{"rate_limit", "timeout", "server_error", "context_window"}, Models: []string{"gpt-4o-mini"}, MaxAttempts: 2},
		Retry:    &modelroute.Retry{Attempts: 2, BackoffMS: 500, RespectRetryAfter: true},
		Cache:    &modelroute.Cache{Mode: "semantic", TTLSeconds: ptr[int64](3600), SimilarityThreshold: ptr(0.95), PartitionByTenant: true},
		Budget:   &modelroute.Budget{USDPerDay: ptr(100.0), TokensPerMinute: ptr[int64](200000), RequestsPerMinute: ptr[int64](600), OnExceed: "downgrade"},
	}

	// codeReviewUpdated is codeReview after an update: the custom model becomes a target and
	// capable enough, the fallback and cache change, the budget goes.
	codeReviewUpdated = modelroute.Route{
		Name: "code-review", Tenant: "acme",
		Match:              &modelroute.Match{TaskTypes: []string{"code_review", "refactor"}, MinComplexity: 3, MaxComplexity: 9},
		Strategy:           "cheapest_capable",
		RequiredCapability: "coding", MinCapabilityScore: ptr[int64](6),
		Targets: []modelroute.Target{{Model: "gpt-4o", Weight: 1, Priority: 0}, {Model: "mistral-7b-ft", Weight: 1, Priority: 0}},
		CustomModels: []modelroute.CustomModel{{
			Name: "mistral-7b-ft", Provider: "self-hosted", InputCostPerMillion: 0.2, OutputCostPerMillion: 0.2,
			ContextWindow: ptr[int64](32768), Capabilities: map[string]int64{"reasoning": 6, "coding": 6, "knowledge": 6},
		}},
		Fallback: &modelroute.Fallback{On: []string{"rate_limit"}, Models: []string{"claude-haiku-4-5", "gpt-4o-mini"}, MaxAttempts: 1},
		Cache:    &modelroute.Cache{Mode: "exact", TTLSeconds: ptr[int64](600), PartitionByTenant: true},
	}
	codeReviewUpdatedHCL = `
resource "octollm_model_route" "code_review" {
  name                 = "code-review"
  tenant               = "acme"
  match {
    task_types     = ["code_review", "refactor"]
    min_complexity = 3
    max_complexity = 9
  }
  required_capability  = "coding"
  min_capability_score = 6
  target {
    model = "gpt-4o"
  }
  target {
    model = "mistral-7b-ft"
  }
  custom_model {
    name                    = "mistral-7b-ft"
    input_cost_per_million  = 0.2
    output_cost_per_million = 0.2
    context_window          = 32768
    capabilities            = { reasoning = 6, coding = 6, knowledge = 6 }
  }
  fallback {
    on     = ["rate_limit"]
    models = ["claude-haiku-4-5", "gpt-4o-mini"]
  }
  cache {
    mode        = "exact"
    ttl_seconds = 600
  }
}
`

	// summaries is a global cheapest_capable route over the whole catalog.
	summaries = modelroute.Route{
		Name: "summaries", Strategy: "cheapest_capable", RequiredCapability: "knowledge", MinCapabilityScore: ptr[int64](8),
	}
	summariesHCL = `
resource "octollm_model_route" "summaries" {
  name                 = "summaries"
  required_capability  = "knowledge"
  min_capability_score = 8
}
`

	// chat is a global weighted route.
	chat = modelroute.Route{
		Name: "chat", Strategy: "weighted",
		Targets: []modelroute.Target{{Model: "gpt-4o-mini", Weight: 70}, {Model: "gemini-2.5-flash", Weight: 30}, {Model: "claude-haiku-4-5", Weight: 0, Priority: 1}},
		Retry:   &modelroute.Retry{Attempts: 3, BackoffMS: 250, RespectRetryAfter: false},
		Budget:  &modelroute.Budget{USDPerDay: ptr(12.5), OnExceed: "reject"},
	}
	chatHCL = `
resource "octollm_model_route" "chat" {
  name     = "chat"
  strategy = "weighted"
  target {
    model  = "gpt-4o-mini"
    weight = 70
  }
  target {
    model  = "gemini-2.5-flash"
    weight = 30
  }
  target {
    model    = "claude-haiku-4-5"
    weight   = 0
    priority = 1
  }
  retry {
    attempts            = 3
    backoff_ms          = 250
    respect_retry_after = false
  }
  budget {
    usd_per_day = 12.5
  }
}
`
)

// golden returns testdata/<name>.json, rewriting it from got with -update.
func golden(t *testing.T, name string, got []byte) []byte {
	t.Helper()
	file := filepath.Join("testdata", name+".json")
	if *update && got != nil {
		if err := os.WriteFile(file, got, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -run TestRouteJSONGolden -update to write it)", err)
	}
	return want
}
