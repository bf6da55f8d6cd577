output "routes" {
  description = "By route name: its id, ConfigMap, checksum and, for cheapest_capable, the model chosen at plan time."
  value = {
    for name, r in octollm_model_route.this : name => {
      id              = r.id
      config_map      = r.config_map
      namespace       = r.namespace
      checksum        = r.checksum
      effective_model = r.effective_model
    }
  }
}

output "effective_models" {
  description = "By route name: the model chosen at plan time (null for strategies choosing per request)."
  value       = { for name, r in octollm_model_route.this : name => r.effective_model }
}
