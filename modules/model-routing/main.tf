resource "octollm_model_route" "this" {
  for_each = var.routes

  name                 = each.key
  tenant               = each.value.tenant
  strategy             = each.value.strategy
  required_capability  = each.value.required_capability
  min_capability_score = each.value.min_capability_score

  dynamic "match" {
    for_each = each.value.task_types == null && each.value.min_complexity == null && each.value.max_complexity == null ? [] : [each.value]
    content {
      task_types     = match.value.task_types
      min_complexity = match.value.min_complexity
      max_complexity = match.value.max_complexity
    }
  }

  dynamic "custom_model" {
    for_each = each.value.custom_models
    content {
      name                          = custom_model.value.name
      capabilities                  = custom_model.value.capabilities
      input_cost_per_million        = custom_model.value.input_cost_per_million
      output_cost_per_million       = custom_model.value.output_cost_per_million
      cached_input_cost_per_million = custom_model.value.cached_input_cost_per_million
      context_window                = custom_model.value.context_window
      provider                      = custom_model.value.provider
    }
  }

  dynamic "target" {
    for_each = each.value.targets
    content {
      model    = target.value.model
      weight   = target.value.weight
      priority = target.value.priority
    }
  }

  dynamic "fallback" {
    for_each = each.value.fallback == null ? [] : [each.value.fallback]
    content {
      on           = fallback.value.on
      models       = fallback.value.models
      max_attempts = fallback.value.max_attempts
    }
  }

  dynamic "retry" {
    for_each = each.value.retry == null ? [] : [each.value.retry]
    content {
      attempts            = retry.value.attempts
      backoff_ms          = retry.value.backoff_ms
      respect_retry_after = retry.value.respect_retry_after
    }
  }

  dynamic "cache" {
    for_each = each.value.cache == null ? [] : [each.value.cache]
    content {
      mode                 = cache.value.mode
      ttl_seconds          = cache.value.ttl_seconds
      similarity_threshold = cache.value.similarity_threshold
      partition_by_tenant  = cache.value.partition_by_tenant
    }
  }

  dynamic "budget" {
    for_each = each.value.budget == null ? [] : [each.value.budget]
    content {
      usd_per_day         = budget.value.usd_per_day
      tokens_per_minute   = budget.value.tokens_per_minute
      requests_per_minute = budget.value.requests_per_minute
      on_exceed           = budget.value.on_exceed
    }
  }
}
