output "controls" {
  description = "By framework/control_id: title, status (compliant or non_compliant), enforcement and the findings of the last evaluation."
  value = {
    for id, c in octollm_compliance_control.this : id => {
      title       = c.title
      status      = c.status
      enforcement = c.enforcement
      findings    = c.findings
    }
  }
}

output "non_compliant" {
  description = "The framework/control_id of every control whose last evaluation failed."
  value       = [for id, c in octollm_compliance_control.this : id if c.status != "compliant"]
}
