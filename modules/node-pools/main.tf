resource "octollm_node_pool" "this" {
  for_each = var.pools

  name               = "${var.name_prefix}${each.key}"
  cluster            = var.cluster
  workload_type      = each.value.workload_type
  cpu                = each.value.cpu
  memory_gb          = each.value.memory_gb
  machine_type       = each.value.machine_type
  machine_family     = each.value.machine_family
  spot               = each.value.spot
  image_type         = each.value.gvisor ? coalesce(each.value.image_type, "COS_CONTAINERD") : each.value.image_type
  initial_node_count = each.value.initial_node_count
  disk_size_gb       = each.value.disk_size_gb
  disk_type          = each.value.disk_type
  node_locations     = each.value.node_locations
  labels             = length(each.value.labels) > 0 ? each.value.labels : null

  dynamic "autoscaling" {
    for_each = each.value.min_node_count == null ? [] : [each.value]
    content {
      min_node_count  = autoscaling.value.min_node_count
      max_node_count  = autoscaling.value.max_node_count
      location_policy = autoscaling.value.location_policy
    }
  }

  # GKE Sandbox: GKE labels and taints the nodes sandbox.gke.io/runtime=gvisor for the gvisor
  # RuntimeClass of sandboxed components.
  dynamic "sandbox_config" {
    for_each = each.value.gvisor ? ["gvisor"] : []
    content {
      sandbox_type = sandbox_config.value
    }
  }

  dynamic "taint" {
    for_each = each.value.taints
    content {
      key    = taint.value.key
      value  = taint.value.value
      effect = taint.value.effect
    }
  }

  dynamic "management" {
    for_each = each.value.management == null ? [] : [each.value.management]
    content {
      auto_repair  = management.value.auto_repair
      auto_upgrade = management.value.auto_upgrade
    }
  }

  dynamic "upgrade_settings" {
    for_each = each.value.upgrade_settings == null ? [] : [each.value.upgrade_settings]
    content {
      max_surge       = upgrade_settings.value.max_surge
      max_unavailable = upgrade_settings.value.max_unavailable
    }
  }

  lifecycle {
    # A precondition, not a validation: it joins two variables, which a variable's validation
    # may do only from Terraform 1.9 on.
    precondition {
      condition     = length("${var.name_prefix}${each.key}") <= 40
      error_message = "var.name_prefix plus var.pools key: the pool name ${var.name_prefix}${each.key} has ${length("${var.name_prefix}${each.key}")} characters, more than GKE's 40: shorten the prefix or the key."
    }
  }
}
