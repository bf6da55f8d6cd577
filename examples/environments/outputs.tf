output "service_urls" {
  description = "The runtime components' in-cluster URLs."
  value       = module.platform.service_urls
}

output "tenants" {
  description = "The tenants (namespace, Stripe customer, ...)."
  value       = module.platform.tenants
}

output "tenant_api_keys" {
  description = "Each tenant's gateway API key."
  value       = module.platform.tenant_api_keys
  sensitive   = true
}

output "non_compliant_controls" {
  description = "Compliance controls the cluster does not meet."
  value       = module.platform.non_compliant_controls
}
