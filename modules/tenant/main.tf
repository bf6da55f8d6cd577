resource "octollm_tenant" "this" {
  name                = var.name
  display_name        = var.display_name
  tier                = var.tier
  allowed_models      = var.allowed_models
  admins              = length(var.admins) > 0 ? var.admins : null
  network_isolation   = var.network_isolation
  data_retention_days = var.data_retention_days
  api_key_version     = var.api_key_version
  deletion_protection = var.deletion_protection

  dynamic "quota" {
    for_each = var.quota == null ? [] : [var.quota]
    content {
      cpu                  = quota.value.cpu
      memory               = quota.value.memory
      pods                 = quota.value.pods
      llm_tokens_per_month = quota.value.llm_tokens_per_month
      requests_per_minute  = quota.value.requests_per_minute
    }
  }

  dynamic "billing" {
    for_each = var.billing == null ? [] : [var.billing]
    content {
      plan_id         = billing.value.plan_id
      email           = billing.value.email
      delete_customer = billing.value.delete_customer
    }
  }
}
