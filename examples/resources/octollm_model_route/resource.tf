# The tenant acme's code reviews go to the cheapest target scoring at least 7 for coding
# (gpt-4o, shown in the plan as effective_model), with a fallback, retries, a semantic cache
# kept apart per tenant, and a daily budget that downgrades instead of failing.
resource "octollm_model_route" "code_review" {
  name   = "code-review"
  tenant = "acme"

  match {
    task_types     = ["code_review"]
    min_complexity = 1
    max_complexity = 10
  }

  strategy             = "cheapest_capable"
  required_capability  = "coding"
  min_capability_score = 7

  target {
    model    = "gpt-4o"
    weight   = 80
    priority = 0
  }
  target {
    model    = "claude-sonnet-4-5"
    weight   = 20
    priority = 1
  }

  # A fine-tuned model of your own, priced and scored like the catalog's.
  custom_model {
    name                    = "mistral-7b-ft"
    provider                = "self-hosted"
    input_cost_per_million  = 0.2
    output_cost_per_million = 0.2
    context_window          = 32768
    capabilities            = { reasoning = 6, coding = 6, knowledge = 6 }
  }

  fallback {
    on           = ["rate_limit", "timeout", "server_error", "context_window"]
    models       = ["gpt-4o-mini"]
    max_attempts = 2
  }

  retry {
    attempts            = 2
    backoff_ms          = 500
    respect_retry_after = true
  }

  cache {
    mode                 = "semantic"
    ttl_seconds          = 3600
    similarity_threshold = 0.95
    partition_by_tenant  = true
  }

  budget {
    usd_per_day         = 100
    tokens_per_minute   = 200000
    requests_per_minute = 600
    on_exceed           = "downgrade"
  }
}

# A global route: the cheapest model of the whole catalog with knowledge 8 or more.
resource "octollm_model_route" "summaries" {
  name                 = "summaries"
  required_capability  = "knowledge"
  min_capability_score = 8
}

output "code_review_model" {
  value = octollm_model_route.code_review.effective_model
}
