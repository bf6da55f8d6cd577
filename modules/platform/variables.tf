variable "namespace" {
  description = "The platform namespace (restricted Pod Security). Configure the provider's namespace to the same value: routes and compliance evidence live there."
  type        = string
  default     = "octollm"
  nullable    = false
  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "var.namespace must be a DNS-1123 label (at most 63 lowercase letters, digits and '-')."
  }
}

variable "environment" {
  description = "The environment's name (dev, staging, prod...), recorded as the namespace label octollm.dev/environment; null: no label."
  type        = string
  default     = null
  validation {
    condition     = var.environment == null || can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", coalesce(var.environment, "x")))
    error_message = "var.environment must be a DNS-1123 label such as dev or prod."
  }
}

variable "deletion_protection" {
  description = "Protects the platform namespace and every tenant from destroy. Keep true in production; set false and apply before destroying."
  type        = bool
  default     = true
  nullable    = false
}

variable "pod_security" {
  description = "The Pod Security Standard of the platform namespace: restricted or baseline."
  type        = string
  default     = "restricted"
  nullable    = false
  validation {
    condition     = contains(["restricted", "baseline"], var.pod_security)
    error_message = "var.pod_security must be restricted or baseline."
  }
}

variable "gateway_service_account" {
  description = "The gateway's ServiceAccount."
  type        = string
  default     = "octollm-gateway"
  nullable    = false
}

variable "labels" {
  description = "Extra labels of the platform namespace."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "node_pools" {
  description = "Node pools by name, as modules/node-pools' var.pools (workload_type, cpu, memory_gb, spot, gvisor, image_type, initial_node_count, min_node_count, max_node_count, management, upgrade_settings, ...; gvisor = true makes a GKE Sandbox pool for sandboxed components); an attribute left unset takes node-pools' default. null: its default, the seed's cpu-optimized, memory-optimized and spot pools."
  type = map(object({
    workload_type      = optional(string)
    cpu                = optional(number)
    memory_gb          = optional(number)
    machine_type       = optional(string)
    machine_family     = optional(string)
    spot               = optional(bool)
    gvisor             = optional(bool)
    image_type         = optional(string)
    initial_node_count = optional(number)
    min_node_count     = optional(number)
    max_node_count     = optional(number)
    location_policy    = optional(string)
    disk_size_gb       = optional(number)
    disk_type          = optional(string)
    node_locations     = optional(list(string))
    labels             = optional(map(string))
    taints = optional(list(object({
      key    = string
      value  = optional(string)
      effect = string
    })))
    management = optional(object({
      auto_repair  = optional(bool)
      auto_upgrade = optional(bool)
    }))
    upgrade_settings = optional(object({
      max_surge       = optional(number)
      max_unavailable = optional(number)
    }))
  }))
  default = null
  validation {
    condition     = var.node_pools == null || try(length(var.node_pools) > 0, false)
    error_message = "var.node_pools must be null (the default pools) or a non-empty map of pools."
  }
  validation {
    condition = var.node_pools == null || alltrue([
      for p in values(coalesce(var.node_pools, {})) : p.min_node_count == null || p.max_node_count == null || try(p.min_node_count <= p.max_node_count, false)
    ])
    error_message = "var.node_pools: every pool's min_node_count must be at most its max_node_count."
  }
  validation {
    condition = var.node_pools == null || alltrue([
      for p in values(coalesce(var.node_pools, {})) : !coalesce(p.gvisor, false) || p.image_type == null || p.image_type == "COS_CONTAINERD"
    ])
    error_message = "var.node_pools: a pool with gvisor = true (GKE Sandbox) runs only on image_type COS_CONTAINERD: leave image_type unset or set it to COS_CONTAINERD."
  }
}

variable "node_pool_name_prefix" {
  description = "Prefix of every node pool's name, so environments sharing a cluster do not collide."
  type        = string
  default     = ""
  nullable    = false
}

variable "components" {
  description = "Runtime components by name, as modules/gateway-runtime's var.components (kind, image, port, workload_type, env, secret_env, args, requests, limits, autoscaling, ...); an attribute left unset takes gateway-runtime's default. null: its default, the seed's orchestrator and executor arm, autoscaled on CPU and memory only (metrics-server's metrics, on every GKE cluster). Custom pod_metrics need a custom.metrics.k8s.io adapter in the cluster."
  type = map(object({
    kind                             = string
    image                            = string
    port                             = number
    replicas                         = optional(number)
    require_digest                   = optional(bool)
    sandboxed                        = optional(bool)
    workload_type                    = optional(string)
    placement_required               = optional(bool)
    env                              = optional(map(string))
    secret_env                       = optional(map(object({ secret = string, key = string })))
    args                             = optional(list(string))
    service_account_name             = optional(string)
    requests                         = optional(map(string))
    limits                           = optional(map(string))
    health_path                      = optional(string)
    termination_grace_period_seconds = optional(number)
    pre_stop_sleep_seconds           = optional(number)
    wait_for_rollout                 = optional(bool)
    autoscaling = optional(object({
      min_replicas       = number
      max_replicas       = number
      cpu_utilization    = optional(number)
      memory_utilization = optional(number)
      pod_metrics        = optional(map(string))
      vpa_update_mode    = optional(string)
      min_available      = optional(string)
    }))
  }))
  default = null
  validation {
    condition = var.components == null || alltrue([
      for c in values(coalesce(var.components, {})) : !endswith(c.image, ":latest") && strcontains(c.image, ":")
    ])
    error_message = "var.components: every component needs a pinned image (a tag other than latest, or a digest)."
  }
}

variable "billing_plan" {
  description = "A usage-based Stripe billing plan the tenants with billing_email subscribe to; null: no billing. Meters default to the seed's llm_tokens, api_calls and compute_seconds (cents per unit)."
  type = object({
    name     = string
    currency = optional(string, "usd")
    meters = optional(list(object({
      key                 = string
      display_name        = string
      unit_amount_decimal = string
      })), [
      { key = "llm_tokens", display_name = "LLM tokens", unit_amount_decimal = "0.0002" },
      { key = "api_calls", display_name = "API calls", unit_amount_decimal = "0.01" },
      { key = "compute_seconds", display_name = "Compute seconds", unit_amount_decimal = "0.005" },
    ])
  })
  default = null
  validation {
    condition     = var.billing_plan == null || try(can(regex("^[a-z0-9_-]{1,63}$", var.billing_plan.name)) && length(var.billing_plan.meters) > 0, false)
    error_message = "var.billing_plan: name must be 1-63 lowercase letters, digits, '-' and '_', with at least one meter."
  }
}

variable "tenants" {
  description = "Tenants by name. billing_email subscribes the tenant to var.billing_plan; deletion_protection defaults to var.deletion_protection."
  type = map(object({
    display_name        = optional(string)
    tier                = optional(string, "standard")
    allowed_models      = optional(set(string))
    admins              = optional(set(string))
    data_retention_days = optional(number)
    api_key_version     = optional(number)
    network_isolation   = optional(bool)
    billing_email       = optional(string)
    deletion_protection = optional(bool)
    quota = optional(object({
      cpu                  = optional(string)
      memory               = optional(string)
      pods                 = optional(number)
      llm_tokens_per_month = optional(number)
      requests_per_minute  = optional(number)
    }))
  }))
  default  = {}
  nullable = false
  validation {
    condition     = alltrue([for name, _ in var.tenants : can(regex("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$", name))])
    error_message = "var.tenants: every key (the tenant name) must be a DNS-1123 label of at most 40 characters."
  }
  validation {
    condition     = alltrue([for t in values(var.tenants) : contains(["free", "standard", "enterprise"], t.tier)])
    error_message = "var.tenants: tier must be free, standard or enterprise."
  }
}

variable "routes" {
  description = "Model routes by name, as modules/model-routing's var.routes (tenant, strategy, required_capability, min_capability_score, task_types, targets, custom_models, fallback, retry, cache, budget); an attribute left unset takes model-routing's default. null: its default, the seed's cheapest capable model for reasoning 7."
  type = map(object({
    tenant               = optional(string)
    strategy             = optional(string)
    required_capability  = optional(string)
    min_capability_score = optional(number)
    task_types           = optional(list(string))
    min_complexity       = optional(number)
    max_complexity       = optional(number)
    targets = optional(list(object({
      model    = string
      weight   = optional(number)
      priority = optional(number)
    })))
    custom_models = optional(list(object({
      name                          = string
      capabilities                  = map(number)
      input_cost_per_million        = number
      output_cost_per_million       = number
      cached_input_cost_per_million = optional(number)
      context_window                = optional(number)
      provider                      = optional(string)
    })))
    fallback = optional(object({
      on           = list(string)
      models       = list(string)
      max_attempts = optional(number)
    }))
    retry = optional(object({
      attempts            = optional(number)
      backoff_ms          = optional(number)
      respect_retry_after = optional(bool)
    }))
    cache = optional(object({
      mode                 = string
      ttl_seconds          = optional(number)
      similarity_threshold = optional(number)
      partition_by_tenant  = optional(bool)
    }))
    budget = optional(object({
      usd_per_day         = optional(number)
      tokens_per_minute   = optional(number)
      requests_per_minute = optional(number)
      on_exceed           = optional(string)
    }))
  }))
  default = null
  validation {
    condition     = var.routes == null || alltrue([for name, _ in coalesce(var.routes, {}) : can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", name))])
    error_message = "var.routes must be null or a map whose keys (route names) are DNS-1123 labels."
  }
}

variable "compliance_controls" {
  description = "Compliance controls, as modules/compliance-baseline's var.controls (framework, control_id, enforcement, namespaces, all_tenants, parameters), scoped by default to the platform namespace and all of this platform's tenants; null: its default baseline (SOC 2 CC6.1, GDPR Art.5(1)(e), HIPAA 164.312(b))."
  type = list(object({
    framework   = string
    control_id  = string
    enforcement = optional(string)
    namespaces  = optional(list(string))
    all_tenants = optional(bool)
    parameters  = optional(map(string))
  }))
  default = null
  validation {
    condition = var.compliance_controls == null || alltrue([
      for c in coalesce(var.compliance_controls, []) : contains(["audit", "enforce"], coalesce(c.enforcement, "audit"))
    ])
    error_message = "var.compliance_controls: enforcement must be audit or enforce."
  }
}

variable "compliance_enforce" {
  description = "false: every compliance control only audits, whatever its enforcement."
  type        = bool
  default     = true
  nullable    = false
}

variable "gateway" {
  description = <<-EOT
    The gateway (octollm-gateway, this project's image), run as the platform's gateway ServiceAccount with an API token, reading routes and key hashes and serving tenants; null: no gateway.
    image_repository:image_tag is resolved to its digest at plan time (data.octollm_image), so the Deployment names the image by digest and a re-pushed tag rolls out on the next apply.
    env adds to (and may replace) the module's settings: OCTOLLM_NAMESPACE, OCTOLLM_GATEWAY_LISTEN and OCTOLLM_GATEWAY_SPOOL_DIR; upstream URLs (OCTOLLM_UPSTREAM_<PROVIDER>_URL), OCTOLLM_REDIS_URL and OCTOLLM_STRIPE_API_BASE go here.
    secret_env takes provider API keys and STRIPE_API_KEY from Secrets in the platform namespace (such as one synced from Secret Manager), never from Terraform state.
    hostnames (with tls) expose the gateway outside the cluster through the Gateway API (a GKE global external Application Load Balancer).
  EOT
  type = object({
    name             = optional(string, "gateway")
    image_repository = optional(string, "ghcr.io/octollm/octollm-gateway")
    image_tag        = string
    port             = optional(number, 8080)
    env              = optional(map(string), {})
    secret_env       = optional(map(object({ secret = string, key = string })), {})
    args             = optional(list(string))
    workload_type    = optional(string, "cpu-optimized")
    requests         = optional(map(string), { cpu = "250m", memory = "256Mi" })
    limits           = optional(map(string), { cpu = "1", memory = "512Mi" })
    autoscaling = optional(object({
      min_replicas    = optional(number, 2)
      max_replicas    = optional(number, 10)
      cpu_utilization = optional(number, 70)
      min_available   = optional(string, "1")
    }), {})
    hostnames = optional(list(string), [])
    tls = optional(object({
      certificate_map         = optional(string)
      certificate_secrets     = optional(list(string))
      pre_shared_certificates = optional(list(string))
    }))
    static_address = optional(string)
  })
  default = null
  validation {
    condition     = var.gateway == null || try(can(regex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.gateway.name)), false)
    error_message = "var.gateway.name must be a DNS-1123 label starting with a letter."
  }
  validation {
    condition     = var.gateway == null || try(var.gateway.image_tag != "latest" && can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.gateway.image_tag)), false)
    error_message = "var.gateway.image_tag must be a tag (letters, digits, '_', '.', '-'), not latest: it is resolved to a digest at plan."
  }
  validation {
    condition     = var.gateway == null || try(var.gateway.port >= 1 && var.gateway.port <= 65535, false)
    error_message = "var.gateway.port must be between 1 and 65535."
  }
  validation {
    condition     = var.gateway == null || try(length(var.gateway.hostnames) == 0 || var.gateway.tls != null, false)
    error_message = "var.gateway: hostnames need tls (certificate_map, certificate_secrets or pre_shared_certificates): the gateway is served over HTTPS only."
  }
}

variable "network_policy" {
  description = "octollm_platform's network_policy settings (enabled, gateway_ingress_cidrs, load_balancer_cidrs, egress_cidrs, egress_ports, cluster_cidrs, orchestrator_port, reflex_port, arm_ports); unset, the provider's defaults, except that gateway_port follows var.gateway.port and Redis' port is added to egress_ports. Set cluster_cidrs to the cluster's pod, Service and node ranges so that \"outside\" excludes them. enabled = false leaves the namespace without the platform's policies."
  type = object({
    enabled               = optional(bool, true)
    gateway_port          = optional(number)
    gateway_ingress_cidrs = optional(list(string))
    load_balancer_cidrs   = optional(list(string))
    egress_cidrs          = optional(list(string))
    egress_ports          = optional(list(number))
    cluster_cidrs         = optional(list(string))
    orchestrator_port     = optional(number)
    reflex_port           = optional(number)
    arm_ports             = optional(list(number))
  })
  default  = {}
  nullable = false
}
