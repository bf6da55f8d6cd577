# The gateway on api.octollm.example.com behind a global external Application Load Balancer,
# with a Certificate Manager map and a reserved global address:
#   gcloud compute addresses create octollm-gateway-ip --global
#   gcloud certificate-manager maps create octollm-certs   (plus its entries and certificates)
resource "octollm_component" "gateway" {
  name                 = "gateway"
  namespace            = "octollm"
  kind                 = "gateway"
  image                = "ghcr.io/octollm/octollm-gateway:v0.1.0"
  port                 = 8080
  service_account_name = "octollm-gateway" # octollm_platform's gateway_service_account
  health_path          = "/readyz"
}

resource "octollm_gateway_exposure" "public" {
  name            = "public"
  namespace       = "octollm"
  service_name    = octollm_component.gateway.service_name
  service_port    = octollm_component.gateway.port
  hostnames       = ["api.octollm.example.com"]
  certificate_map = "octollm-certs"
  static_address  = "octollm-gateway-ip"

  # The load balancer probes the gateway's readiness endpoint.
  health_check {
    request_path       = "/readyz"
    check_interval_sec = 10
    timeout_sec        = 5
  }

  # Apply returns once GKE has programmed the load balancer, so address is known.
  wait_for_address = true
  timeouts {
    create = "30m"
  }
}

# Point the hostname at the load balancer.
output "gateway_address" {
  value = octollm_gateway_exposure.public.address
}

# A regional internal load balancer for callers inside the VPC, with a TLS Secret.
resource "octollm_gateway_exposure" "internal" {
  name                   = "internal"
  namespace              = "octollm"
  service_name           = "gateway"
  service_port           = 8080
  hostnames              = ["llm.internal.example.com"]
  gateway_class          = "gke-l7-rilb"
  certificate_secrets    = ["llm-internal-tls"]
  http_to_https_redirect = false
}
