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

# Read from GKE; the Kubernetes version comes from the apiserver, reached with access
# derived from the cluster.
data "octollm_cluster" "this" {}

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
