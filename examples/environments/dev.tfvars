# Development: one small pool of each workload type, single replicas, no billing, and deletion
# protection off so the environment can be torn down at will. Compliance controls only audit.
namespace             = "octollm-dev"
environment           = "dev"
deletion_protection   = false
node_pool_name_prefix = "dev-"

# The spot pool is GKE Sandbox (gvisor = true): the sandboxed executor arm runs only there.
node_pools = {
  cpu  = { workload_type = "cpu-optimized", cpu = 4, memory_gb = 8, initial_node_count = 1, min_node_count = 1, max_node_count = 3 }
  spot = { workload_type = "spot", spot = true, gvisor = true, cpu = 4, memory_gb = 16, initial_node_count = 1, min_node_count = 0, max_node_count = 5 }
}

components = {
  orchestrator = {
    kind          = "orchestrator"
    image         = "ghcr.io/acme/octollm-orchestrator:1.4.2"
    port          = 8000
    workload_type = "cpu-optimized"
    requests      = { cpu = "250m", memory = "512Mi" }
    limits        = { cpu = "1", memory = "1Gi" }
    autoscaling   = { min_replicas = 1, max_replicas = 3, vpa_update_mode = "Off" }
  }
  "executor-arm" = {
    kind          = "arm"
    image         = "ghcr.io/acme/octollm-executor:1.4.2"
    port          = 8006
    replicas      = 1
    sandboxed     = true
    workload_type = "spot"
  }
}

tenants = {
  dev-team = { display_name = "Platform team (dev)", tier = "free" }
}

compliance_enforce = false
