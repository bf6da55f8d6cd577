resource "octollm_component" "this" {
  for_each = var.components

  name                             = each.key
  namespace                        = var.namespace
  kind                             = each.value.kind
  image                            = each.value.image
  require_digest                   = each.value.require_digest
  port                             = each.value.port
  replicas                         = each.value.replicas
  sandboxed                        = each.value.sandboxed
  env                              = each.value.env
  secret_env                       = each.value.secret_env
  args                             = each.value.args
  service_account_name             = each.value.service_account_name
  health_path                      = each.value.health_path
  termination_grace_period_seconds = each.value.termination_grace_period_seconds
  pre_stop_sleep_seconds           = each.value.pre_stop_sleep_seconds
  wait_for_rollout                 = each.value.wait_for_rollout

  dynamic "resources" {
    for_each = each.value.requests == null && each.value.limits == null ? [] : [each.value]
    content {
      requests = resources.value.requests
      limits   = resources.value.limits
    }
  }


  dynamic "placement" {
    for_each = each.value.workload_type == null ? [] : [each.value]
    content {
      workload_type = placement.value.workload_type
      required      = placement.value.placement_required
    }
  }
}

module "autoscaling" {
  source   = "../autoscaling"
  for_each = { for name, c in var.components : name => c.autoscaling if c.autoscaling != null }

  namespace          = var.namespace
  target             = { name = octollm_component.this[each.key].deployment_name }
  min_replicas       = each.value.min_replicas
  max_replicas       = each.value.max_replicas
  cpu_utilization    = each.value.cpu_utilization
  memory_utilization = each.value.memory_utilization
  pod_metrics        = each.value.pod_metrics
  vertical           = each.value.vpa_update_mode == null ? null : { update_mode = each.value.vpa_update_mode, container = each.key }
  min_available      = each.value.min_available
}
