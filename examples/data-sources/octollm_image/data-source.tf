# The gateway image `make images` pushed to the sandbox registry (OCTOLLM_REGISTRY in .sandbox/env),
# or a release in Artifact Registry / GHCR: the tag is resolved to its digest at plan time.
variable "gateway_repository" {
  type    = string
  default = "ghcr.io/octollm/octollm-gateway"
}

variable "gateway_version" {
  type    = string
  default = "v0.1.0"
}

data "octollm_image" "gateway" {
  repository = var.gateway_repository
  tag        = var.gateway_version
}

# Deploy by digest: a tag pushed again is a change in the next plan, never a silent swap.
output "gateway_image" {
  value = data.octollm_image.gateway.image # e.g. ghcr.io/octollm/octollm-gateway@sha256:...
}
