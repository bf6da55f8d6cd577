output "namespace" {
  description = "The platform namespace."
  value       = octollm_platform.this.namespace
}

output "gateway_service_account" {
  description = "The gateway's ServiceAccount and its Role."
  value = {
    name = octollm_platform.this.gateway_service_account
    role = octollm_platform.this.gateway_role
  }
}

output "node_pools" {
  description = "By pool key: id, name, machine type, image type, workload type, spot, gvisor (GKE Sandbox) and status."
  value       = module.node_pools.pools
}

output "components" {
  description = "By component name: id, Deployment, Service and in-cluster URL."
  value       = merge(module.runtime.components, module.gateway.components)
}

output "service_urls" {
  description = "By component name: its in-cluster URL."
  value       = merge(module.runtime.service_urls, module.gateway.service_urls)
}

output "autoscaling" {
  description = "By component name: its HPA, VPA and PDB names, and the metrics its HPA scales on (scales_on)."
  value       = merge(module.runtime.autoscaling, module.gateway.autoscaling)
}

output "billing_plan" {
  description = "The billing plan's Stripe product id and meters (meter, price and event names by key); null without var.billing_plan."
  value = one([for p in octollm_billing_plan.this : {
    id     = p.id
    meters = p.meters
  }])
}

output "tenants" {
  description = "By tenant name: namespace, API key id and Stripe customer and subscription (null when not billed)."
  value = {
    for name, t in module.tenant : name => {
      namespace              = t.namespace
      api_key_id             = t.api_key_id
      stripe_customer_id     = t.stripe_customer_id
      stripe_subscription_id = t.stripe_subscription_id
    }
  }
}

output "tenant_api_keys" {
  description = "By tenant name: the API key, known on create and rotation only."
  value       = { for name, t in module.tenant : name => t.api_key }
  sensitive   = true
}

output "routes" {
  description = "By route name: id, ConfigMap, checksum and effective model."
  value       = module.model_routing.routes
}

output "compliance" {
  description = "By framework/control_id: title, status, enforcement and findings."
  value       = module.compliance.controls
}

output "non_compliant_controls" {
  description = "The controls whose last evaluation failed."
  value       = module.compliance.non_compliant
}

output "gateway" {
  description = "The gateway: its image by digest, the ServiceAccount it runs as, its in-cluster URL and, when exposed, its public URL; null without var.gateway."
  value = var.gateway == null ? null : {
    image           = data.octollm_image.gateway[0].image
    digest          = data.octollm_image.gateway[0].digest
    service_account = octollm_platform.this.gateway_service_account
    service_url     = module.gateway.service_urls[var.gateway.name]
    deployment      = module.gateway.components[var.gateway.name].deployment_name
    url             = one(octollm_gateway_exposure.gateway[*].url)
    address         = one(octollm_gateway_exposure.gateway[*].address)
  }
}
