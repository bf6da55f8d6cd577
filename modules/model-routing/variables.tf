variable "routes" {
  description = "Model routes by name. A route with tenant set belongs to that tenant; without, it is global. custom_models declares the route's own models (such as a fine-tuned self-hosted model: name, capabilities, input and output cost per million tokens), which targets, fallbacks and cheapest_capable can then use. The default is the seed's model selection: the cheapest model with reasoning 7 or more, falling back on rate limits and timeouts."
  type = map(object({
    tenant               = optional(string)
    strategy             = optional(string, "cheapest_capable")
    required_capability  = optional(string)
    min_capability_score = optional(number)
    task_types           = optional(list(string))
    min_complexity       = optional(number)
    max_complexity       = optional(number)
    targets = optional(list(object({
      model    = string
      weight   = optional(number)
      priority = optional(number)
    })), [])
    custom_models = optional(list(object({
      name                          = string
      capabilities                  = map(number)
      input_cost_per_million        = number
      output_cost_per_million       = number
      cached_input_cost_per_million = optional(number)
      context_window                = optional(number)
      provider                      = optional(string)
    })), [])
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
      partition_by_tenant  = optional(bool, true)
    }))
    budget = optional(object({
      usd_per_day         = optional(number)
      tokens_per_minute   = optional(number)
      requests_per_minute = optional(number)
      on_exceed           = optional(string)
    }))
  }))
  nullable = false
  default = {
    default = {
      required_capability  = "reasoning"
      min_capability_score = 7
      fallback = {
        on     = ["rate_limit", "timeout", "server_error"]
        models = ["gpt-4o"]
      }
      retry = { attempts = 2, backoff_ms = 500 }
    }
  }

  validation {
    condition     = alltrue([for name, r in var.routes : can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", name)) && (r.tenant == null || can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", coalesce(r.tenant, "x"))))])
    error_message = "var.routes: every key (the route name) and tenant must be a DNS-1123 label."
  }
  validation {
    condition     = alltrue([for r in values(var.routes) : contains(["cheapest_capable", "weighted", "priority", "lowest_latency"], r.strategy)])
    error_message = "var.routes: strategy must be cheapest_capable, weighted, priority or lowest_latency."
  }
  validation {
    condition = alltrue([for r in values(var.routes) : r.strategy == "cheapest_capable" ? (
      contains(["reasoning", "coding", "knowledge"], coalesce(r.required_capability, "none")) && coalesce(r.min_capability_score, 0) >= 1 && coalesce(r.min_capability_score, 0) <= 10
    ) : (r.required_capability == null && r.min_capability_score == null)])
    error_message = "var.routes: cheapest_capable routes need required_capability (reasoning, coding or knowledge) and min_capability_score 1-10; other strategies must leave both unset."
  }
  validation {
    condition     = alltrue([for r in values(var.routes) : r.strategy == "cheapest_capable" || length(r.targets) > 0])
    error_message = "var.routes: weighted, priority and lowest_latency routes need at least one target."
  }
}
