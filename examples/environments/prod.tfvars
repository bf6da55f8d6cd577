# Production: the seed's Phase 6 node pools and runtime (the module defaults), billed tenants,
# cost-aware routes with budgets, the compliance baseline enforced, and deletion protection on
# (the namespace and tenants refuse destroy).
namespace   = "octollm"
environment = "prod"

# node_pools and components: the defaults, the seed's cpu-optimized (2-20 n2-highcpu-16),
# memory-optimized (2-10) and spot (3-50, GKE Sandbox) pools; the orchestrator at 3-20 replicas
# and the executor arm at 2-10, sandboxed on spot.

billing_plan = { name = "standard" }

tenants = {
  acme = {
    display_name  = "Acme Corp"
    tier          = "enterprise"
    admins        = ["alice@acme.example"]
    billing_email = "billing@acme.example"
  }
  globex = {
    display_name  = "Globex"
    billing_email = "ap@globex.example"
    quota         = { llm_tokens_per_month = 50000000, requests_per_minute = 1200 }
  }
}

routes = {
  default = {
    required_capability  = "reasoning"
    min_capability_score = 7
    fallback             = { on = ["rate_limit", "timeout", "server_error"], models = ["gpt-4o"] }
    retry                = { attempts = 2, backoff_ms = 500 }
  }
  code-review = {
    tenant     = "acme"
    strategy   = "weighted"
    task_types = ["code_review"]
    targets    = [{ model = "gpt-4o", weight = 80 }, { model = "claude-sonnet-4-5", weight = 20 }]
    fallback   = { on = ["rate_limit", "timeout"], models = ["gpt-4o-mini"] }
    cache      = { mode = "semantic", ttl_seconds = 3600, similarity_threshold = 0.95 }
    budget     = { usd_per_day = 100, on_exceed = "downgrade" }
  }
}
