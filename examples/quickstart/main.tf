# The OctoLLM platform on the local sandbox (`make demo`), or on GKE with the provider
# configured from the environment (see the README). Later resources grow this into the
# whole platform.
terraform {
  required_providers {
    octollm = {
      source = "octollm/octollm"
    }
  }
}

# Everything comes from the environment: `source .sandbox/env` for the sandbox.
provider "octollm" {}

# Read from GKE once the pools exist; the Kubernetes version comes from the apiserver,
# reached with access derived from the cluster.
data "octollm_cluster" "this" {
  depends_on = [octollm_node_pool.cpu_optimized, octollm_node_pool.memory_optimized, octollm_node_pool.spot]
}

# The node pools of the platform's Phase 6 plan: machine types are chosen from cpu and
# memory, and each pool's nodes carry the workload-type label and taint.
resource "octollm_node_pool" "cpu_optimized" {
  name               = "cpu-optimized-pool"
  workload_type      = "cpu-optimized"
  cpu                = 16
  memory_gb          = 16
  initial_node_count = 2
  autoscaling {
    min_node_count = 2
    max_node_count = 20
  }
}

resource "octollm_node_pool" "memory_optimized" {
  name               = "memory-optimized-pool"
  workload_type      = "memory-optimized"
  cpu                = 8
  memory_gb          = 64
  initial_node_count = 2
  autoscaling {
    min_node_count = 2
    max_node_count = 10
  }
}

resource "octollm_node_pool" "spot" {
  name               = "spot-pool"
  workload_type      = "spot"
  spot               = true
  cpu                = 8
  memory_gb          = 32
  initial_node_count = 3
  autoscaling {
    min_node_count = 3
    max_node_count = 50
  }
}

# The platform's namespace (restricted Pod Security) and the gateway's identity.
resource "octollm_platform" "this" {
  namespace = "octollm"
  # The sandbox is thrown away with `make sandbox-down`; keep the default (true) on GKE.
  deletion_protection = false
}

# The orchestrator, on cpu-optimized nodes, its replicas left to the HPA below.
resource "octollm_component" "orchestrator" {
  name      = "orchestrator"
  namespace = octollm_platform.this.namespace
  kind      = "orchestrator"
  image     = "ghcr.io/acme/octollm-orchestrator:1.4.2"
  port      = 8000
  resources {
    requests = { cpu = "500m", memory = "1Gi" }
    limits   = { cpu = "2", memory = "4Gi" }
  }
  placement {
    workload_type = "cpu-optimized"
  }
  depends_on = [octollm_node_pool.cpu_optimized]
}

# The executor arm on spot capacity, in GKE Sandbox.
resource "octollm_component" "executor" {
  name      = "executor-arm"
  namespace = octollm_platform.this.namespace
  kind      = "arm"
  image     = "ghcr.io/acme/octollm-executor:1.4.2"
  port      = 8006
  replicas  = 2
  sandboxed = true
  placement {
    workload_type = "spot"
  }
  depends_on = [octollm_node_pool.spot]
}

# Hybrid scaling for the orchestrator, from the Phase 6 plan.
resource "octollm_autoscaling" "orchestrator" {
  namespace = octollm_platform.this.namespace
  target {
    name = octollm_component.orchestrator.deployment_name
  }
  min_replicas = 3
  max_replicas = 20
  # CPU and memory come from metrics-server (on every GKE cluster, and in the sandbox). A custom
  # metric such as the orchestrator's task queue depth needs a custom.metrics.k8s.io adapter
  # (on GKE: Managed Service for Prometheus + the custom-metrics-stackdriver-adapter):
  #   metric {
  #     type          = "Pods"
  #     name          = "task_queue_depth"
  #     average_value = "10"
  #   }
  # Without one the HPA never scales down, and the plan warns.
  cpu_utilization    = 70
  memory_utilization = 75
  scale_up {
    stabilization_window_seconds = 30
    select_policy                = "Max"
    policy {
      type           = "Percent"
      value          = 100
      period_seconds = 30
    }
  }
  scale_down {
    stabilization_window_seconds = 300
    select_policy                = "Min"
    policy {
      type           = "Pods"
      value          = 2
      period_seconds = 60
    }
  }
  vertical {
    update_mode = "Off"
    container   = "orchestrator"
  }
  disruption_budget {
    min_available = 2
  }
}

output "orchestrator_url" {
  value = octollm_component.orchestrator.service_url
}

output "node_pools" {
  value = {
    for pool in [octollm_node_pool.cpu_optimized, octollm_node_pool.memory_optimized, octollm_node_pool.spot] :
    pool.name => pool.machine_type
  }
}

output "cluster" {
  value = {
    id                 = data.octollm_cluster.this.id
    status             = data.octollm_cluster.this.status
    endpoint           = data.octollm_cluster.this.endpoint
    master_version     = data.octollm_cluster.this.master_version
    kubernetes_version = data.octollm_cluster.this.kubernetes_version
    node_pools         = data.octollm_cluster.this.node_pools
  }
}

# Usage billing: one Stripe product with a metered price per meter the gateway reports.
resource "octollm_billing_plan" "usage" {
  name = "usage"
  meter {
    key                 = "api_calls"
    display_name        = "API calls"
    unit_amount_decimal = "0.01"
  }
  meter {
    key                 = "llm_tokens"
    display_name        = "LLM tokens"
    unit_amount_decimal = "0.0002"
  }
  meter {
    key                 = "compute_seconds"
    display_name        = "Compute seconds"
    unit_amount_decimal = "0.005"
  }
}

# A tenant: its own namespace, a key the gateway checks by hash, and a Stripe subscription.
resource "octollm_tenant" "demo" {
  name                = "demo"
  display_name        = "Demo Corp"
  allowed_models      = ["gpt-4o-mini", "gpt-4o", "claude-haiku-4-5"]
  deletion_protection = false
  billing {
    plan_id = octollm_billing_plan.usage.id
    email   = "billing@demo.example"
  }
  depends_on = [octollm_platform.this]
}

# Chat goes to the cheapest target good enough at reasoning, and to Claude when it fails.
resource "octollm_model_route" "chat" {
  name                 = "chat"
  strategy             = "cheapest_capable"
  required_capability  = "reasoning"
  min_capability_score = 5
  target {
    model = "gpt-4o-mini"
  }
  target {
    model = "gpt-4o"
  }
  fallback {
    on           = ["rate_limit", "server_error", "timeout"]
    models       = ["claude-haiku-4-5"]
    max_attempts = 1
  }
  depends_on = [octollm_platform.this]
}

output "demo_api_key" {
  value     = octollm_tenant.demo.api_key
  sensitive = true
}

output "chat_route_model" {
  value = octollm_model_route.chat.effective_model
}
