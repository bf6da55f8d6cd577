# SOC 2 CC6.1 enforced on the platform namespace and every tenant: restricted Pod Security and
# a default-deny NetworkPolicy are applied (and re-applied after drift); RBAC and Workload
# Identity are checked. Every evaluation appends to ConfigMap compliance-evidence-soc2-cc6-1.
resource "octollm_compliance_control" "soc2_cc6_1" {
  framework  = "soc2"
  control_id = "CC6.1"
  scope {
    namespaces  = ["octollm"]
    all_tenants = true
  }
  enforcement = "enforce"
}

# GDPR storage limitation: every tenant namespace records a retention period of at most 30 days.
resource "octollm_compliance_control" "gdpr_retention" {
  framework  = "gdpr"
  control_id = "Art.5(1)(e)"
  scope {
    all_tenants = true
  }
  enforcement = "enforce"
  parameters  = { retention_days = "30" }
}

# HIPAA audit controls, checked only: GKE must send system, workload and API server logs.
resource "octollm_compliance_control" "hipaa_audit" {
  framework  = "hipaa"
  control_id = "164.312(b)"
  scope {
    namespaces = ["octollm"]
  }
}

output "soc2_cc6_1_findings" {
  value = octollm_compliance_control.soc2_cc6_1.findings
}
