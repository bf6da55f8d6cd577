# The seed's three node pools, created in one apply by bench/nodepool/run.sh.
terraform {
  required_providers {
    octollm = { source = "octollm/octollm" }
  }
}

provider "octollm" {}

resource "octollm_node_pool" "cpu" {
  name               = "bench-cpu-optimized"
  workload_type      = "cpu-optimized"
  cpu                = 16
  memory_gb          = 16
  initial_node_count = 2
  node_locations     = ["us-central1-a"]
  autoscaling {
    min_node_count = 2
    max_node_count = 20
  }
}

resource "octollm_node_pool" "memory" {
  name               = "bench-memory-optimized"
  workload_type      = "memory-optimized"
  cpu                = 8
  memory_gb          = 64
  initial_node_count = 2
  node_locations     = ["us-central1-b"]
  autoscaling {
    min_node_count = 2
    max_node_count = 10
  }
}

resource "octollm_node_pool" "spot" {
  name               = "bench-spot"
  workload_type      = "spot"
  spot               = true
  cpu                = 8
  memory_gb          = 32
  initial_node_count = 3
  node_locations     = ["us-central1-c"]
  autoscaling {
    min_node_count = 3
    max_node_count = 50
  }
}
