# The platform namespace under the restricted Pod Security Standard, and the gateway's
# ServiceAccount, which may only read the model routes and tenant key hashes (ConfigMaps).
resource "octollm_platform" "this" {
  namespace               = "octollm"
  pod_security            = "restricted"
  gateway_service_account = "octollm-gateway"
  labels = {
    "octollm.dev/environment" = "production"
  }
  # Destroying deletes the namespace and everything in it: set this to false and apply first.
  deletion_protection = true

  timeouts {
    delete = "10m"
  }
}
