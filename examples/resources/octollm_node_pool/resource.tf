# The platform's cpu-optimized pool: n2-highcpu-16 nodes, labelled and tainted
# workload-type=cpu-optimized, 2 to 20 per zone.
resource "octollm_node_pool" "cpu" {
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

# Spot capacity for interruptible work: location_policy defaults to ANY. The workload-type=spot
# taint already keeps every pod off these nodes but the components placed on workload_type
# "spot", which tolerate it; GKE labels the nodes cloud.google.com/gke-spot=true itself. Add no
# cloud.google.com/gke-spot taint: octollm_component does not tolerate it, and its pods would
# stay Pending.
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

# GKE Sandbox (gVisor) on spot capacity, for octollm_component's sandboxed = true: GKE labels
# and taints the nodes sandbox.gke.io/runtime=gvisor, which the cluster's gvisor RuntimeClass
# selects and tolerates. gVisor runs on COS_CONTAINERD (the default image_type), and the
# cluster must keep at least one pool without GKE Sandbox.
resource "octollm_node_pool" "sandbox" {
  name               = "sandbox-spot-pool"
  workload_type      = "spot"
  spot               = true
  cpu                = 8
  memory_gb          = 32
  initial_node_count = 1
  sandbox_config {
    sandbox_type = "gvisor"
  }
}
