# Staging: the production shape at a fraction of its size, billed against Stripe test mode
# (STRIPE_API_KEY is a test-mode key), with the compliance baseline enforced so drift shows here
# before production.
namespace             = "octollm-staging"
environment           = "staging"
deletion_protection   = false
node_pool_name_prefix = "stg-"

# The spot pool is GKE Sandbox (gvisor = true): the sandboxed executor arm runs only there.
node_pools = {
  cpu    = { workload_type = "cpu-optimized", cpu = 8, memory_gb = 8, initial_node_count = 1, min_node_count = 1, max_node_count = 5 }
  memory = { workload_type = "memory-optimized", cpu = 4, memory_gb = 32, initial_node_count = 1, min_node_count = 1, max_node_count = 3 }
  spot   = { workload_type = "spot", spot = true, gvisor = true, cpu = 8, memory_gb = 32, initial_node_count = 1, min_node_count = 1, max_node_count = 10 }
}

# components: the default, the seed's orchestrator (3-20 replicas) and executor arm.

billing_plan = { name = "staging-standard" }

tenants = {
  qa = { display_name = "QA", billing_email = "qa-billing@acme.example" }
}

routes = {
  default = { required_capability = "reasoning", min_capability_score = 7 }
  code-review = {
    tenant               = "qa"
    required_capability  = "coding"
    min_capability_score = 7
    task_types           = ["code_review"]
  }
}
