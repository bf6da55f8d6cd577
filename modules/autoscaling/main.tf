resource "octollm_autoscaling" "this" {
  namespace = var.namespace
  target {
    kind = var.target.kind
    name = var.target.name
  }
  min_replicas       = var.min_replicas
  max_replicas       = var.max_replicas
  cpu_utilization    = var.cpu_utilization
  memory_utilization = var.memory_utilization

  dynamic "metric" {
    for_each = var.pod_metrics
    content {
      type          = "Pods"
      name          = metric.key
      average_value = metric.value
    }
  }

  dynamic "scale_up" {
    for_each = var.scale_up == null ? [] : [var.scale_up]
    content {
      stabilization_window_seconds = scale_up.value.stabilization_window_seconds
      select_policy                = scale_up.value.select_policy
      dynamic "policy" {
        for_each = scale_up.value.policies
        content {
          type           = policy.value.type
          value          = policy.value.value
          period_seconds = policy.value.period_seconds
        }
      }
    }
  }

  dynamic "scale_down" {
    for_each = var.scale_down == null ? [] : [var.scale_down]
    content {
      stabilization_window_seconds = scale_down.value.stabilization_window_seconds
      select_policy                = scale_down.value.select_policy
      dynamic "policy" {
        for_each = scale_down.value.policies
        content {
          type           = policy.value.type
          value          = policy.value.value
          period_seconds = policy.value.period_seconds
        }
      }
    }
  }

  dynamic "vertical" {
    for_each = var.vertical == null ? [] : [var.vertical]
    content {
      update_mode          = vertical.value.update_mode
      container            = vertical.value.container
      min_allowed          = vertical.value.min_allowed
      max_allowed          = vertical.value.max_allowed
      controlled_resources = vertical.value.controlled_resources
    }
  }

  dynamic "disruption_budget" {
    for_each = var.min_available == null ? [] : [var.min_available]
    content {
      min_available = disruption_budget.value
    }
  }

  lifecycle {
    precondition {
      condition     = var.max_replicas >= var.min_replicas
      error_message = "var.max_replicas (${var.max_replicas}) must be at least var.min_replicas (${var.min_replicas})."
    }
  }
}
