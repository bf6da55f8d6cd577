# Every SOC 2 control of the catalog over the platform namespace and all tenants (the default
# scope). `json` is the report for an auditor and `markdown` a summary for a pull request or a
# wiki page; both carry evaluated_at, so output them only where a changing value is wanted.
data "octollm_compliance_report" "soc2" {
  framework = "soc2"
}

output "soc2_status" {
  value = data.octollm_compliance_report.soc2.status
}

output "soc2_failing_controls" {
  value = [for c in data.octollm_compliance_report.soc2.controls : c.control_id if c.status == "non_compliant"]
}
