variable "namespace" {
  description = "The workload's namespace; null: the provider's namespace."
  type        = string
  default     = null
}

variable "target" {
  description = "The Deployment (or StatefulSet) to scale."
  type = object({
    name = string
    kind = optional(string, "Deployment")
  })
  validation {
    condition     = contains(["Deployment", "StatefulSet"], var.target.kind)
    error_message = "var.target.kind must be Deployment or StatefulSet."
  }
}

variable "min_replicas" {
  description = "Fewest replicas."
  type        = number
  default     = 2
  nullable    = false
  validation {
    condition     = var.min_replicas >= 1
    error_message = "var.min_replicas must be at least 1."
  }
}

variable "max_replicas" {
  description = "Most replicas, at least min_replicas."
  type        = number
  default     = 10
  nullable    = false
  # max_replicas >= min_replicas is a precondition of octollm_autoscaling.this: a variable's
  # validation may refer to another variable only from Terraform 1.9 on.
  validation {
    condition     = var.max_replicas >= 1
    error_message = "var.max_replicas must be at least 1."
  }
}

variable "cpu_utilization" {
  description = "Target average CPU use in percent of requests; null: not scaled on CPU."
  type        = number
  default     = 70
  validation {
    condition     = var.cpu_utilization == null || (var.cpu_utilization >= 1 && var.cpu_utilization <= 100)
    error_message = "var.cpu_utilization must be between 1 and 100."
  }
}

variable "memory_utilization" {
  description = "Target average memory use in percent of requests; null: not scaled on memory."
  type        = number
  default     = null
  validation {
    condition     = var.memory_utilization == null || (var.memory_utilization >= 1 && var.memory_utilization <= 100)
    error_message = "var.memory_utilization must be between 1 and 100."
  }
}

variable "pod_metrics" {
  description = "Custom per-pod metrics to scale on: metric name => target average value (a quantity), such as { task_queue_depth = \"10\" }. Default none. They need a custom.metrics.k8s.io adapter in the cluster (on GKE: Managed Service for Prometheus plus the custom-metrics-stackdriver-adapter); without one the HPA never scales down."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "scale_up" {
  description = "How fast the HPA scales up; the default is the seed's aggressive policy: double the replicas or add 4 pods per 30 s, whichever is more, after a 30 s window. null: Kubernetes' defaults."
  type = object({
    stabilization_window_seconds = optional(number, 30)
    select_policy                = optional(string, "Max")
    policies = optional(list(object({
      type           = string
      value          = number
      period_seconds = number
      })), [
      { type = "Percent", value = 100, period_seconds = 30 },
      { type = "Pods", value = 4, period_seconds = 30 },
    ])
  })
  default = {}
}

variable "scale_down" {
  description = "How fast the HPA scales down; the default is the seed's conservative policy: remove 50% of the replicas or 2 pods per 60 s, whichever is fewer, after a 300 s window. null: Kubernetes' defaults."
  type = object({
    stabilization_window_seconds = optional(number, 300)
    select_policy                = optional(string, "Min")
    policies = optional(list(object({
      type           = string
      value          = number
      period_seconds = number
      })), [
      { type = "Percent", value = 50, period_seconds = 60 },
      { type = "Pods", value = 2, period_seconds = 60 },
    ])
  })
  default = {}
}

variable "vertical" {
  description = "A VerticalPodAutoscaler for the workload (recommendations only by default); null: none."
  type = object({
    update_mode          = optional(string, "Off")
    container            = optional(string)
    min_allowed          = optional(map(string))
    max_allowed          = optional(map(string))
    controlled_resources = optional(list(string))
  })
  default = null
  validation {
    condition     = var.vertical == null || contains(["Off", "Initial", "Recreate", "Auto", "InPlaceOrRecreate"], try(var.vertical.update_mode, ""))
    error_message = "var.vertical.update_mode must be Off, Initial, Recreate, Auto or InPlaceOrRecreate."
  }
}

variable "min_available" {
  description = "A PodDisruptionBudget keeping this many pods (a count or a percentage) through voluntary disruptions such as spot preemptions; null: no PDB."
  type        = string
  default     = null
}
