# Plan only, with a mock provider: no cluster is needed (scripts/tofu-test.sh without a sandbox).

mock_provider "octollm" {}

run "default_is_the_seed_route" {
  command = plan

  assert {
    condition     = keys(octollm_model_route.this) == ["default"]
    error_message = "the default routes are not the one global route named default"
  }
  assert {
    condition     = octollm_model_route.this["default"].strategy == "cheapest_capable" && octollm_model_route.this["default"].required_capability == "reasoning" && octollm_model_route.this["default"].min_capability_score == 7
    error_message = "the default route is not the cheapest model with reasoning 7 or more"
  }
  assert {
    condition     = octollm_model_route.this["default"].tenant == null && octollm_model_route.this["default"].fallback.models[0] == "gpt-4o" && octollm_model_route.this["default"].retry.attempts == 2
    error_message = "the default route is not global with a gpt-4o fallback and 2 retries"
  }
}

run "tenant_route_with_targets_cache_and_budget" {
  command = plan
  variables {
    routes = {
      code-review = {
        tenant   = "acme"
        strategy = "weighted"
        targets  = [{ model = "claude-sonnet-4-5", weight = 3 }, { model = "gpt-4o", weight = 1 }]
        cache    = { mode = "exact", ttl_seconds = 300 }
        budget   = { usd_per_day = 50, on_exceed = "downgrade" }
      }
    }
  }
  assert {
    condition     = octollm_model_route.this["code-review"].tenant == "acme" && length(octollm_model_route.this["code-review"].target) == 2 && octollm_model_route.this["code-review"].target[0].weight == 3
    error_message = "the tenant route's weighted targets did not pass through"
  }
  assert {
    condition     = octollm_model_route.this["code-review"].cache.partition_by_tenant && octollm_model_route.this["code-review"].budget.on_exceed == "downgrade"
    error_message = "the cache is not partitioned by tenant by default, or the budget did not pass through"
  }
}

run "match_block_only_when_set" {
  command = plan
  variables {
    routes = {
      any    = { required_capability = "coding", min_capability_score = 6 }
      review = { required_capability = "coding", min_capability_score = 8, task_types = ["code_review"], min_complexity = 5 }
    }
  }
  assert {
    condition     = octollm_model_route.this["any"].match == null && octollm_model_route.this["review"].match.task_types[0] == "code_review" && octollm_model_route.this["review"].match.min_complexity == 5
    error_message = "match should be absent without task_types or complexity, and carry them when set"
  }
}

run "unknown_strategy_is_refused" {
  command = plan
  variables {
    routes = { r = { strategy = "random", targets = [{ model = "gpt-4o" }] } }
  }
  expect_failures = [var.routes]
}

run "cheapest_capable_needs_a_capability" {
  command = plan
  variables {
    routes = { r = {} }
  }
  expect_failures = [var.routes]
}

run "weighted_needs_targets" {
  command = plan
  variables {
    routes = { r = { strategy = "weighted" } }
  }
  expect_failures = [var.routes]
}

run "route_name_must_be_a_label" {
  command = plan
  variables {
    routes = { "Code Review" = { required_capability = "coding", min_capability_score = 7 } }
  }
  expect_failures = [var.routes]
}

run "custom_models_pass_through" {
  command = plan
  variables {
    routes = {
      summaries = {
        required_capability  = "knowledge"
        min_capability_score = 5
        custom_models = [{
          name                    = "mistral-7b-ft"
          capabilities            = { reasoning = 6, coding = 6, knowledge = 6 }
          input_cost_per_million  = 0.2
          output_cost_per_million = 0.2
          context_window          = 32768
        }]
        targets = [{ model = "mistral-7b-ft" }, { model = "gpt-4o-mini" }]
      }
    }
  }
  assert {
    condition     = length(octollm_model_route.this["summaries"].custom_model) == 1 && octollm_model_route.this["summaries"].custom_model[0].name == "mistral-7b-ft" && octollm_model_route.this["summaries"].custom_model[0].context_window == 32768
    error_message = "the custom model did not reach the route"
  }
}
