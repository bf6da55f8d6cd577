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
