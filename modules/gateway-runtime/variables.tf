variable "namespace" {
  description = "The platform namespace the components run in (octollm_platform's namespace)."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "var.namespace must be a DNS-1123 label (at most 63 lowercase letters, digits and '-')."
  }
}

variable "components" {
  description = "Runtime components by name (the Deployment's and Service's). Each may have hybrid autoscaling (HPA, optional VPA and PDB); with autoscaling, leave replicas unset so the HPA owns them, and set requests for the resources it scales on (utilization is a percentage of requests). The default is the seed's orchestrator and executor arm with pinned images, scaling on CPU and memory, which metrics-server provides on every GKE cluster. pod_metrics (metric name => target average value) adds Pods custom metrics, which need a custom.metrics.k8s.io adapter in the cluster (on GKE: Managed Service for Prometheus plus the custom-metrics-stackdriver-adapter); without one the HPA never scales down."
  type = map(object({
    kind                             = string
    image                            = string
    port                             = number
    replicas                         = optional(number)
    require_digest                   = optional(bool, false)
    sandboxed                        = optional(bool, false)
    workload_type                    = optional(string)
    placement_required               = optional(bool, false)
    env                              = optional(map(string))
    secret_env                       = optional(map(object({ secret = string, key = string })))
    args                             = optional(list(string))
    service_account_name             = optional(string)
    requests                         = optional(map(string))
    limits                           = optional(map(string))
    health_path                      = optional(string)
    termination_grace_period_seconds = optional(number)
    pre_stop_sleep_seconds           = optional(number)
    wait_for_rollout                 = optional(bool, true)
    autoscaling = optional(object({
      min_replicas       = number
      max_replicas       = number
      cpu_utilization    = optional(number, 70)
      memory_utilization = optional(number)
      pod_metrics        = optional(map(string), {})
      vpa_update_mode    = optional(string)
      min_available      = optional(string)
    }))
  }))
  nullable = false
  default = {
    orchestrator = {
      kind          = "orchestrator"
      image         = "ghcr.io/acme/octollm-orchestrator:1.4.2"
      port          = 8000
      workload_type = "cpu-optimized"
      requests      = { cpu = "500m", memory = "1Gi" }
      limits        = { cpu = "2", memory = "4Gi" }
      autoscaling = {
        min_replicas       = 3
        max_replicas       = 20
        cpu_utilization    = 70
        memory_utilization = 75
        vpa_update_mode    = "Off"
        min_available      = "2"
      }
    }
    "executor-arm" = {
      kind                             = "arm"
      image                            = "ghcr.io/acme/octollm-executor:1.4.2"
      port                             = 8006
      sandboxed                        = true
      workload_type                    = "spot"
      requests                         = { cpu = "250m", memory = "512Mi" }
      limits                           = { cpu = "1", memory = "2Gi" }
      termination_grace_period_seconds = 60
      pre_stop_sleep_seconds           = 30
      autoscaling = {
        min_replicas       = 2
        max_replicas       = 10
        cpu_utilization    = 70
        memory_utilization = 80
        min_available      = "2"
      }
    }
  }

  validation {
    condition     = alltrue([for name, _ in var.components : can(regex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", name))])
    error_message = "var.components: every key (the component name) must be a DNS-1123 label starting with a letter."
  }
  validation {
    condition     = alltrue([for c in values(var.components) : contains(["gateway", "reflex", "orchestrator", "arm"], c.kind)])
    error_message = "var.components: kind must be gateway, reflex, orchestrator or arm."
  }
  validation {
    condition     = alltrue([for c in values(var.components) : can(regex("^[^ ]+/[^/ :@]+(:[A-Za-z0-9_.-]+|(:[A-Za-z0-9_.-]+)?@sha256:[0-9a-f]{64})$", c.image)) && !endswith(c.image, ":latest")])
    error_message = "var.components: image must be pinned, registry/repository:tag or @sha256:<digest>, never latest or untagged."
  }
  validation {
    condition     = alltrue([for c in values(var.components) : c.port >= 1 && c.port <= 65535])
    error_message = "var.components: port must be between 1 and 65535."
  }
  validation {
    condition     = alltrue([for c in values(var.components) : c.workload_type == null || contains(["cpu-optimized", "memory-optimized", "spot"], coalesce(c.workload_type, "none"))])
    error_message = "var.components: workload_type must be cpu-optimized, memory-optimized or spot (or unset)."
  }
  validation {
    condition     = alltrue([for c in values(var.components) : c.autoscaling == null || c.replicas == null])
    error_message = "var.components: set replicas or autoscaling, not both; the HPA owns the replica count."
  }
  validation {
    condition = alltrue([for c in values(var.components) : c.autoscaling == null ? true : (
      (c.autoscaling.cpu_utilization == null || try(c.requests.cpu, null) != null) &&
      (c.autoscaling.memory_utilization == null || try(c.requests.memory, null) != null)
    )])
    error_message = "var.components: autoscaling on cpu_utilization or memory_utilization needs requests for that resource (utilization is a percentage of requests; without them the HPA cannot compute it and never scales)."
  }
  validation {
    condition     = alltrue([for c in values(var.components) : c.autoscaling == null ? true : (c.autoscaling.min_replicas >= 1 && c.autoscaling.min_replicas <= c.autoscaling.max_replicas)])
    error_message = "var.components: autoscaling needs 1 <= min_replicas <= max_replicas."
  }
}
