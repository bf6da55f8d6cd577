variable "namespaces" {
  description = "The namespaces every control's namespace mechanisms apply to, such as the platform namespace; a control's own namespaces replace them."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "controls" {
  description = "The controls: framework (soc2, iso27001, gdpr, ccpa, hipaa), control_id as the catalog spells it, enforcement audit (only evaluates) or enforce, scope and parameters. The default is SOC 2 CC6.1 enforced, GDPR storage limitation enforced and HIPAA audit logging checked."
  type = list(object({
    framework   = string
    control_id  = string
    enforcement = optional(string, "audit")
    namespaces  = optional(list(string))
    all_tenants = optional(bool, true)
    parameters  = optional(map(string))
  }))
  nullable = false
  default = [
    { framework = "soc2", control_id = "CC6.1", enforcement = "enforce" },
    { framework = "gdpr", control_id = "Art.5(1)(e)", enforcement = "enforce", parameters = { retention_days = "30" } },
    # Audit logging is checked on the GKE cluster; the scope (every control must select
    # something) is the default's, so the baseline holds with var.namespaces left empty.
    { framework = "hipaa", control_id = "164.312(b)" },
  ]

  validation {
    condition     = alltrue([for c in var.controls : contains(["soc2", "iso27001", "gdpr", "ccpa", "hipaa"], c.framework)])
    error_message = "var.controls: framework must be soc2, iso27001, gdpr, ccpa or hipaa."
  }
  validation {
    condition     = alltrue([for c in var.controls : contains(["audit", "enforce"], c.enforcement)])
    error_message = "var.controls: enforcement must be audit or enforce."
  }
  validation {
    condition     = length(distinct([for c in var.controls : "${c.framework}/${c.control_id}"])) == length(var.controls)
    error_message = "var.controls: each framework/control_id may appear only once."
  }
}

variable "enforce" {
  description = "false turns every control to audit (evaluate only), as when first adopting the baseline on a running platform."
  type        = bool
  default     = true
  nullable    = false
}
