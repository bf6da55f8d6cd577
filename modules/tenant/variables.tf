variable "name" {
  description = "The tenant's name; its namespace is tenant-<name>."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$", var.name))
    error_message = "var.name must be a DNS-1123 label of at most 40 characters."
  }
}

variable "display_name" {
  description = "A human-readable name; null: none."
  type        = string
  default     = null
}

variable "tier" {
  description = "free, standard or enterprise: the default quotas, which var.quota overrides field by field."
  type        = string
  default     = "standard"
  nullable    = false
  validation {
    condition     = contains(["free", "standard", "enterprise"], var.tier)
    error_message = "var.tier must be free, standard or enterprise."
  }
}

variable "quota" {
  description = "Overrides of the tier's quotas; null: the tier's."
  type = object({
    cpu                  = optional(string)
    memory               = optional(string)
    pods                 = optional(number)
    llm_tokens_per_month = optional(number)
    requests_per_minute  = optional(number)
  })
  default = null
}

variable "allowed_models" {
  description = "The catalog models the tenant may call."
  type        = set(string)
  default     = ["gpt-4o-mini", "claude-haiku-4-5"]
  nullable    = false
}

variable "admins" {
  description = "Email addresses bound to the admin ClusterRole inside the tenant namespace."
  type        = set(string)
  default     = []
  nullable    = false
  validation {
    condition     = alltrue([for a in var.admins : can(regex("^[^@ ]+@[^@ ]+$", a))])
    error_message = "var.admins must be email addresses."
  }
}

variable "network_isolation" {
  description = "Deny traffic to and from the tenant's pods except within the tenant, from the platform namespace and DNS."
  type        = bool
  default     = true
  nullable    = false
}

variable "data_retention_days" {
  description = "How long the platform keeps the tenant's data, 1 to 3650 days."
  type        = number
  default     = 30
  nullable    = false
  validation {
    condition     = var.data_retention_days >= 1 && var.data_retention_days <= 3650
    error_message = "var.data_retention_days must be between 1 and 3650."
  }
}

variable "api_key_version" {
  description = "Change it (for example increment it) to rotate the tenant's API key."
  type        = number
  default     = 1
  nullable    = false
}

variable "billing" {
  description = "Usage-based billing on Stripe (needs the provider's Stripe configuration); null: not billed."
  type = object({
    plan_id         = string
    email           = string
    delete_customer = optional(bool, false)
  })
  default = null
  validation {
    condition     = var.billing == null || (startswith(try(var.billing.plan_id, ""), "prod_") && can(regex("^[^@ ]+@[^@ ]+$", try(var.billing.email, ""))))
    error_message = "var.billing: plan_id must be an octollm_billing_plan id (prod_...) and email an email address."
  }
}

variable "deletion_protection" {
  description = "While true, destroy is refused: destroying erases the tenant's namespace and data."
  type        = bool
  default     = true
  nullable    = false
}
