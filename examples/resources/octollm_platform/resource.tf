# The platform namespace under the restricted Pod Security Standard, and the gateway's
# ServiceAccount, which may only read the model routes and tenant key hashes (ConfigMaps).
resource "octollm_platform" "this" {
  namespace               = "octollm"
  pod_security            = "restricted"
  gateway_service_account = "octollm-gateway"
  labels = {
    "octollm.dev/environment" = "production"
  }
  # The platform's NetworkPolicies, on top of any default deny (enabled by default). With the
  # cluster's own ranges listed, the gateway's ipBlocks mean "outside the cluster" only.
  network_policy = {
    gateway_port  = 8080
    arm_ports     = [8001, 8002, 8003, 8004, 8005, 8006]
    cluster_cidrs = ["10.4.0.0/14", "34.118.224.0/20", "10.128.0.0/20"] # pods, Services, nodes
  }
  # Destroying deletes the namespace and everything in it: set this to false and apply first.
  deletion_protection = true

  timeouts {
    delete = "10m"
  }
}
