package compliance_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/compliance"
)

// reportNS is the report test's namespace; its name is fixed because it is in the golden file.
const reportNS = "cmp-report"

// pinClock stamps evaluations with a fixed time for golden files.
func pinClock(t *testing.T) {
	t.Helper()
	compliance.Now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	t.Cleanup(func() { compliance.Now = time.Now })
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(name string) func(string) error {
	return func(got string) error {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o600); err != nil {
				return err
			}
		}
		want, err := os.ReadFile(path) //nolint:gosec // a testdata path
		if err != nil {
			return err
		}
		if string(want) != got {
			return fmt.Errorf("%s differs from the report (run with -args -update to accept):\n%s", path, got)
		}
		return nil
	}
}

// TestAccComplianceReport_golden: the soc2 report over a namespace with restricted Pod Security
// and no default-deny policy, on the hardened sandbox cluster, matches the golden JSON and
// markdown exactly (the clock pinned; objects and controls in a stable order).
func TestAccComplianceReport_golden(t *testing.T) {
	acctest.PreCheck(t)
	cs := acctest.Kube(t)
	ensureNamespace(t, cs, platformNS, nil, nil, false)
	ensureNamespace(t, cs, reportNS, psaLabels("restricted"), nil, true)
	pinClock(t)
	cfg := fmt.Sprintf(`data "octollm_compliance_report" "soc2" {
  framework = "soc2"
  scope {
    namespaces = [%q]
  }
}
`, reportNS)
	resource.Test(t, steps(t, resource.TestStep{
		Config: cfg,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.octollm_compliance_report.soc2", tfjsonpath.New("status"), knownvalue.StringExact(compliance.NonCompliant)),
			statecheck.ExpectKnownValue("data.octollm_compliance_report.soc2", tfjsonpath.New("controls").AtSliceIndex(1), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"control_id": knownvalue.StringExact("CC6.6"),
				"title":      knownvalue.StringExact("Security measures against threats from outside system boundaries"),
				"status":     knownvalue.StringExact(compliance.NonCompliant),
				"passed":     knownvalue.ListSizeExact(0),
				"failed":     knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(compliance.DefaultDenyNetwork)}),
			})),
			statecheck.ExpectKnownValue("data.octollm_compliance_report.soc2", tfjsonpath.New("evaluated_at"), knownvalue.StringExact("2026-01-02T03:04:05Z")),
		},
		Check: resource.ComposeTestCheckFunc(
			resource.TestCheckResourceAttrWith("data.octollm_compliance_report.soc2", "json", golden("report_soc2.golden.json")),
			resource.TestCheckResourceAttrWith("data.octollm_compliance_report.soc2", "markdown", golden("report_soc2.golden.md")),
		),
	}))
}

// TestAccComplianceReport_defaultScope: without a scope block the report covers the platform
// namespace and every tenant namespace.
func TestAccComplianceReport_defaultScope(t *testing.T) {
	acctest.PreCheck(t)
	ensureNamespace(t, acctest.Kube(t), platformNS, nil, nil, false)
	resource.Test(t, steps(t, resource.TestStep{
		Config: `data "octollm_compliance_report" "hipaa" { framework = "hipaa" }`,
		Check: resource.ComposeTestCheckFunc(
			resource.TestCheckResourceAttr("data.octollm_compliance_report.hipaa", "controls.#", fmt.Sprint(len(compliance.ControlsOf("hipaa")))),
			resource.TestCheckResourceAttr("data.octollm_compliance_report.hipaa", "controls.0.control_id", "164.312(a)(1)"),
			func(s *terraform.State) error {
				js := s.RootModule().Resources["data.octollm_compliance_report.hipaa"].Primary.Attributes["json"]
				if want := `"namespaces": [
      "octollm"
    ],
    "all_tenants": true`; !strings.Contains(js, want) {
					return fmt.Errorf("report scope is not the default: %s", js[:min(len(js), 400)])
				}
				return nil
			},
		),
	}))
}

// TestAccCompliance_examples: the documented examples apply as written, and plan nothing more.
// The report reads at plan time, so it joins once the controls have been enforced.
func TestAccCompliance_examples(t *testing.T) {
	acctest.PreCheck(t)
	ensureNamespace(t, acctest.Kube(t), platformNS, nil, nil, false)
	controls := acctest.Example(t, "octollm_compliance_control")
	report := acctest.DataSourceExample(t, "octollm_compliance_report")
	resource.Test(t, steps(t,
		resource.TestStep{
			Config: controls,
			ConfigStateChecks: []statecheck.StateCheck{
				statusIs("octollm_compliance_control.soc2_cc6_1", compliance.Compliant),
				statusIs("octollm_compliance_control.gdpr_retention", compliance.Compliant),
				statusIs("octollm_compliance_control.hipaa_audit", compliance.Compliant),
			},
		},
		resource.TestStep{
			Config: controls + report,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.octollm_compliance_report.soc2", tfjsonpath.New("status"), knownvalue.StringExact(compliance.Compliant)),
			},
		},
	))
}

// TestAccComplianceReport_gkeHardeningOff: with every GKE security setting off, each GKE
// mechanism fails in the report, through the provider, and passes again once restored.
func TestAccComplianceReport_gkeHardeningOff(t *testing.T) {
	acctest.PreCheck(t)
	ensureNamespace(t, acctest.Kube(t), platformNS, nil, nil, false)
	cfg := `data "octollm_compliance_report" "iso" {
  framework = "iso27001"
  scope {
    namespaces = ["octollm"]
  }
}
`
	failed := func(i int, mechanisms ...string) statecheck.StateCheck {
		checks := make([]knownvalue.Check, len(mechanisms))
		for j, m := range mechanisms {
			checks[j] = knownvalue.StringExact(m)
		}
		return statecheck.ExpectKnownValue("data.octollm_compliance_report.iso", tfjsonpath.New("controls").AtSliceIndex(i).AtMapKey("failed"), knownvalue.ListExact(checks))
	}
	// iso27001 in catalog order: A.5.15, A.5.16, A.8.9, A.8.10, A.8.15, A.8.20, A.8.24.
	resource.Test(t, steps(t,
		resource.TestStep{
			PreConfig: func() {
				setGKESecurity(t, `{"databaseEncryption": {"state": "DECRYPTED"}, "loggingConfig": {"componentConfig": {"enableComponents": ["SYSTEM_COMPONENTS"]}},
  "workloadIdentityConfig": {}, "shieldedNodes": {}, "binaryAuthorization": {"evaluationMode": "DISABLED"}}`)
			},
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				failed(1, compliance.WorkloadIdentity),
				failed(2, compliance.ShieldedNodes, compliance.BinaryAuthorization),
				failed(4, compliance.AuditLogging),
				failed(6, compliance.SecretsEncryption),
			},
		},
		resource.TestStep{
			PreConfig: func() { putGKESecurity(t, hardenedGKE) },
			Config:    cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				failed(1), failed(2), failed(4), failed(6),
			},
		},
	))
}
