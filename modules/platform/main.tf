locals {
  billed_tenants = [for name, t in var.tenants : name if t.billing_email != null]

  # The Redis (Memorystore) port the gateway's network policy must admit, from OCTOLLM_REDIS_URL.
  redis_url  = try(var.gateway.env["OCTOLLM_REDIS_URL"], null)
  redis_port = local.redis_url == null ? null : tonumber(try(regex("^rediss?://(?:[^@/]*@)?[^:/]+:([0-9]+)", local.redis_url)[0], "6379"))

  # The gateway as a runtime component: this project's image by digest, run as the platform's
  # gateway ServiceAccount (the only component with an API token), draining on SIGTERM.
  gateway_component = var.gateway == null ? {} : {
    (var.gateway.name) = {
      kind                 = "gateway"
      image                = data.octollm_image.gateway[0].image
      require_digest       = true
      port                 = var.gateway.port
      service_account_name = octollm_platform.this.gateway_service_account
      env = merge({
        OCTOLLM_NAMESPACE         = octollm_platform.this.namespace
        OCTOLLM_GATEWAY_LISTEN    = ":${var.gateway.port}"
        OCTOLLM_GATEWAY_SPOOL_DIR = "/tmp/octollm-spool"
      }, var.gateway.env)
      secret_env                       = length(var.gateway.secret_env) == 0 ? null : var.gateway.secret_env
      args                             = var.gateway.args
      health_path                      = "/readyz"
      workload_type                    = var.gateway.workload_type
      requests                         = var.gateway.requests
      limits                           = var.gateway.limits
      termination_grace_period_seconds = 30
      pre_stop_sleep_seconds           = 5
      autoscaling = {
        min_replicas    = var.gateway.autoscaling.min_replicas
        max_replicas    = var.gateway.autoscaling.max_replicas
        cpu_utilization = var.gateway.autoscaling.cpu_utilization
        min_available   = var.gateway.autoscaling.min_available
      }
    }
  }
}

# The gateway's tag, resolved to the digest the registry serves now.
data "octollm_image" "gateway" {
  count = var.gateway == null ? 0 : 1

  repository = var.gateway.image_repository
  tag        = var.gateway.image_tag

  lifecycle {
    precondition {
      condition     = var.gateway == null || !contains(keys(coalesce(var.components, {})), try(var.gateway.name, ""))
      error_message = "var.components has a component named ${try(var.gateway.name, "")}, which is var.gateway's name: rename one (var.gateway.name)."
    }
  }
}

resource "octollm_platform" "this" {
  namespace               = var.namespace
  pod_security            = var.pod_security
  gateway_service_account = var.gateway_service_account
  labels                  = merge(var.environment == null ? {} : { "octollm.dev/environment" = var.environment }, var.labels)
  deletion_protection     = var.deletion_protection
  # The flows the platform needs, on top of any default deny: the gateway's port from outside
  # and GKE's load balancers; its egress to DNS, the apiserver, LLM providers and Stripe (and
  # Redis when OCTOLLM_REDIS_URL names a port); orchestrator to arms.
  network_policy = merge(var.network_policy, {
    gateway_port = var.gateway == null ? coalesce(var.network_policy.gateway_port, 8080) : var.gateway.port
    egress_ports = distinct(concat(coalesce(var.network_policy.egress_ports, [443]), local.redis_port == null ? [] : [local.redis_port]))
  })

  lifecycle {
    precondition {
      condition     = var.billing_plan != null || length(local.billed_tenants) == 0
      error_message = "var.tenants: ${join(", ", local.billed_tenants)} set billing_email but var.billing_plan is null."
    }
  }
}

module "node_pools" {
  source = "../node-pools"

  pools       = var.node_pools
  name_prefix = var.node_pool_name_prefix
}

module "runtime" {
  source = "../gateway-runtime"

  namespace  = octollm_platform.this.namespace
  components = var.components
  depends_on = [module.node_pools]
}

# The gateway, through the same module as the other components.
module "gateway" {
  source = "../gateway-runtime"

  namespace  = octollm_platform.this.namespace
  components = local.gateway_component
  depends_on = [module.node_pools]
}

resource "octollm_billing_plan" "this" {
  count = var.billing_plan == null ? 0 : 1

  name     = var.billing_plan.name
  currency = var.billing_plan.currency
  dynamic "meter" {
    for_each = var.billing_plan.meters
    content {
      key                 = meter.value.key
      display_name        = meter.value.display_name
      unit_amount_decimal = meter.value.unit_amount_decimal
    }
  }
}

module "tenant" {
  source   = "../tenant"
  for_each = var.tenants

  name                = each.key
  display_name        = each.value.display_name
  tier                = each.value.tier
  quota               = each.value.quota
  allowed_models      = each.value.allowed_models
  admins              = each.value.admins
  data_retention_days = each.value.data_retention_days
  api_key_version     = each.value.api_key_version
  network_isolation   = each.value.network_isolation
  deletion_protection = coalesce(each.value.deletion_protection, var.deletion_protection)
  billing = each.value.billing_email == null ? null : {
    plan_id = one(octollm_billing_plan.this[*].id)
    email   = each.value.billing_email
  }

  # Tenants' network policies admit traffic from the platform namespace.
  depends_on = [octollm_platform.this]
}

module "model_routing" {
  source = "../model-routing"

  routes = var.routes
  # Routes are ConfigMaps in the platform namespace; tenant routes name existing tenants.
  depends_on = [octollm_platform.this, module.tenant]
}

module "compliance" {
  source = "../compliance-baseline"

  namespaces = [octollm_platform.this.namespace]
  controls   = var.compliance_controls
  enforce    = var.compliance_enforce
  # Evaluate what the platform runs: the namespace, the components and every tenant.
  depends_on = [module.runtime, module.gateway, module.tenant]
}

# The gateway outside the cluster over HTTPS on its hostnames, the way GKE does it: a Gateway
# of class gke-l7-global-external-managed, an HTTPRoute to the gateway's Service, an HTTP-to-HTTPS
# redirect and a HealthCheckPolicy on /readyz.
resource "octollm_gateway_exposure" "gateway" {
  count = try(length(var.gateway.hostnames), 0) > 0 ? 1 : 0

  name                    = var.gateway.name
  namespace               = octollm_platform.this.namespace
  service_name            = module.gateway.components[var.gateway.name].service_name
  service_port            = var.gateway.port
  hostnames               = var.gateway.hostnames
  certificate_map         = try(var.gateway.tls.certificate_map, null)
  certificate_secrets     = try(var.gateway.tls.certificate_secrets, null)
  pre_shared_certificates = try(var.gateway.tls.pre_shared_certificates, null)
  static_address          = var.gateway.static_address
}
