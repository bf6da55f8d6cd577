output "name" {
  description = "The tenant's name."
  value       = octollm_tenant.this.name
}

output "namespace" {
  description = "The tenant's namespace, tenant-<name>."
  value       = octollm_tenant.this.namespace
}

output "api_key" {
  description = "The tenant's API key, known on create and rotation only; the cluster keeps its hash."
  value       = octollm_tenant.this.api_key
  sensitive   = true
}

output "api_key_id" {
  description = "The key's public identifier, which the gateway logs and meters by."
  value       = octollm_tenant.this.api_key_id
}

output "stripe_customer_id" {
  description = "The Stripe customer with var.billing; null without."
  value       = octollm_tenant.this.stripe_customer_id
}

output "stripe_subscription_id" {
  description = "The Stripe subscription with var.billing; null without."
  value       = octollm_tenant.this.stripe_subscription_id
}

output "sync_status" {
  description = "in sync, or what drifted."
  value       = octollm_tenant.this.sync_status
}
