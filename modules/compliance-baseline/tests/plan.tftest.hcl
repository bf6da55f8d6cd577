# Plan only, with a mock provider: no cluster is needed (scripts/tofu-test.sh without a sandbox).

mock_provider "octollm" {}

# The module with nothing set: every default control selects something, so no precondition
# trips (the HIPAA control used to select no namespace when var.namespaces was left empty).
run "defaults_hold_without_namespaces" {
  command = plan

  assert {
    condition     = toset(keys(octollm_compliance_control.this)) == toset(["soc2/CC6.1", "gdpr/Art.5(1)(e)", "hipaa/164.312(b)"])
    error_message = "the default baseline is not SOC 2 CC6.1, GDPR Art.5(1)(e) and HIPAA 164.312(b)"
  }
  assert {
    condition     = alltrue([for c in octollm_compliance_control.this : c.scope.all_tenants && c.scope.namespaces == null])
    error_message = "a default control does not select all tenants, or selects namespaces nobody gave"
  }
  assert {
    condition     = octollm_compliance_control.this["soc2/CC6.1"].enforcement == "enforce" && octollm_compliance_control.this["hipaa/164.312(b)"].enforcement == "audit"
    error_message = "SOC 2 CC6.1 is not enforced, or HIPAA 164.312(b) is not audit only"
  }
  assert {
    condition     = octollm_compliance_control.this["gdpr/Art.5(1)(e)"].parameters["retention_days"] == "30"
    error_message = "GDPR storage limitation does not default to 30 days"
  }
}

run "namespaces_scope_every_control" {
  command = plan
  variables {
    namespaces = ["octollm"]
  }
  assert {
    condition     = alltrue([for c in octollm_compliance_control.this : c.scope.namespaces == toset(["octollm"])])
    error_message = "var.namespaces did not reach every control's scope"
  }
}

run "a_control_namespaces_replace_the_modules" {
  command = plan
  variables {
    namespaces = ["octollm"]
    controls   = [{ framework = "iso27001", control_id = "A.8.24", namespaces = ["payments"], all_tenants = false }]
  }
  assert {
    condition     = octollm_compliance_control.this["iso27001/A.8.24"].scope.namespaces == toset(["payments"]) && !octollm_compliance_control.this["iso27001/A.8.24"].scope.all_tenants
    error_message = "the control's own namespaces did not replace var.namespaces"
  }
}

run "enforce_false_audits_everything" {
  command = plan
  variables {
    enforce = false
  }
  assert {
    condition     = alltrue([for c in octollm_compliance_control.this : c.enforcement == "audit"])
    error_message = "enforce = false left a control enforcing"
  }
}

run "a_control_selecting_nothing_is_refused" {
  command = plan
  variables {
    controls = [{ framework = "hipaa", control_id = "164.312(b)", all_tenants = false }]
  }
  expect_failures = [octollm_compliance_control.this]
}

run "unknown_framework_is_refused" {
  command = plan
  variables {
    controls = [{ framework = "pci", control_id = "1.1" }]
  }
  expect_failures = [var.controls]
}

run "unknown_enforcement_is_refused" {
  command = plan
  variables {
    controls = [{ framework = "soc2", control_id = "CC6.1", enforcement = "block" }]
  }
  expect_failures = [var.controls]
}

run "a_control_twice_is_refused" {
  command = plan
  variables {
    controls = [{ framework = "soc2", control_id = "CC6.1" }, { framework = "soc2", control_id = "CC6.1", enforcement = "enforce" }]
  }
  expect_failures = [var.controls]
}
