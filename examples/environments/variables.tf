# The inputs that differ between environments; everything else is modules/platform's default
# (the seed's Phase 6 plan). Where a variable is `any`, modules/platform's variable of the same
# name is the type and checks the value.

variable "namespace" {
  description = "The platform namespace: the provider's namespace and modules/platform's. One per environment when environments share a cluster."
  type        = string
  nullable    = false
}

variable "environment" {
  description = "The environment's name (dev, staging, prod), recorded as the namespace label octollm.dev/environment."
  type        = string
  nullable    = false
  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "var.environment must be dev, staging or prod (the tfvars files of this root)."
  }
}

variable "deletion_protection" {
  description = "Protects the platform namespace and every tenant from destroy."
  type        = bool
  default     = true
  nullable    = false
}

variable "node_pool_name_prefix" {
  description = "Prefix of every node pool's name, so environments sharing a cluster do not collide."
  type        = string
  default     = ""
  nullable    = false
}

variable "node_pools" {
  description = "Node pools by name, as modules/platform's var.node_pools; null: the seed's pools."
  type        = any
  default     = null
}

variable "components" {
  description = "Runtime components by name, as modules/platform's var.components; null: the seed's orchestrator and executor arm."
  type        = any
  default     = null
}

variable "billing_plan" {
  description = "The Stripe billing plan, as modules/platform's var.billing_plan; null: no billing (then no tenant may set billing_email)."
  type        = any
  default     = null
}

variable "tenants" {
  description = "Tenants by name, as modules/platform's var.tenants."
  type        = any
  default     = {}
  nullable    = false
}

variable "routes" {
  description = "Model routes by name, as modules/platform's var.routes; null: the seed's default route."
  type        = any
  default     = null
}

variable "compliance_enforce" {
  description = "false: every compliance control only audits."
  type        = bool
  default     = true
  nullable    = false
}
