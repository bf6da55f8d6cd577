# The orchestrator, pinned by digest, replicas left to octollm_autoscaling's HPA.
resource "octollm_component" "orchestrator" {
  name           = "orchestrator"
  namespace      = "octollm"
  kind           = "orchestrator"
  image          = "ghcr.io/acme/octollm-orchestrator:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
  require_digest = true
  port           = 8000
  env            = { LOG_LEVEL = "INFO" }
  secret_env     = { OPENAI_API_KEY = { secret = "llm-keys", key = "openai" } }
  resources {
    requests = { cpu = "500m", memory = "1Gi" }
    limits   = { cpu = "2", memory = "4Gi" }
  }
  health_path                      = "/healthz"
  termination_grace_period_seconds = 60
  pre_stop_sleep_seconds           = 30
}

# The executor arm on spot capacity, in GKE Sandbox.
resource "octollm_component" "executor" {
  name      = "executor-arm"
  namespace = "octollm"
  kind      = "arm"
  image     = "ghcr.io/acme/octollm-executor:1.4.2"
  port      = 8006
  replicas  = 2
  sandboxed = true
  placement {
    workload_type = "spot"
  }
}
