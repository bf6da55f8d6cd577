locals {
  controls = {
    for c in var.controls : "${c.framework}/${c.control_id}" => merge(c, {
      namespaces = c.namespaces != null ? c.namespaces : var.namespaces
    })
  }
}

resource "octollm_compliance_control" "this" {
  for_each = local.controls

  framework   = each.value.framework
  control_id  = each.value.control_id
  enforcement = var.enforce ? each.value.enforcement : "audit"
  parameters  = each.value.parameters

  scope {
    namespaces  = length(each.value.namespaces) > 0 ? each.value.namespaces : null
    all_tenants = each.value.all_tenants
  }

  lifecycle {
    precondition {
      condition     = length(each.value.namespaces) > 0 || each.value.all_tenants
      error_message = "var.controls: ${each.key} selects nothing: give namespaces (or var.namespaces) or all_tenants = true."
    }
  }
}
