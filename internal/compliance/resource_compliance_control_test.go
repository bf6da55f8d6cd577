package compliance_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/compliance"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

func steps(t *testing.T, s ...resource.TestStep) resource.TestCase {
	t.Helper()
	return resource.TestCase{PreCheck: func() { acctest.PreCheck(t) }, ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: s}
}

func statusIs(addr, status string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact(status))
}

// TestAccComplianceControl_enforceDriftReenforce: enforce mode applies restricted Pod Security,
// a default-deny NetworkPolicy and the retention annotation; a label removed and the policy
// deleted out of band show as non_compliant, the plan shows status going back to compliant,
// and apply re-enforces; destroy releases what was set and keeps the evidence.
func TestAccComplianceControl_enforceDriftReenforce(t *testing.T) {
	acctest.PreCheck(t)
	cs := acctest.Kube(t)
	ensureNamespace(t, cs, platformNS, nil, nil, false)
	ns := acctest.RandomName("cmp-enf")
	ensureNamespace(t, cs, ns, map[string]string{"team": "ml"}, nil, true)
	dropEvidence(t, cs, "gdpr", "Art.25")
	art25, _ := compliance.Lookup("gdpr", "Art.25")
	policy := compliance.PolicyName(art25)
	cfg := controlHCL("art25", "gdpr", "Art.25", "enforce", fmt.Sprintf("namespaces = [%q]", ns), "") +
		controlHCL("retention", "gdpr", "Art.5(1)(e)", "enforce", fmt.Sprintf("namespaces = [%q]", ns), `parameters = { retention_days = "7" }`)
	enforced := func(*terraform.State) error {
		live, err := cs.CoreV1().Namespaces().Get(ctx(t), ns, metav1.GetOptions{})
		if err != nil {
			return err
		}
		for k, v := range psaLabels("restricted") {
			if live.Labels[k] != v {
				return fmt.Errorf("label %s = %q, want %q", k, live.Labels[k], v)
			}
		}
		if live.Labels["team"] != "ml" {
			return fmt.Errorf("the namespace's own label was lost: %v", live.Labels)
		}
		if live.Annotations[contract.DataRetentionAnnotation] != "7" {
			return fmt.Errorf("retention annotation = %q, want 7", live.Annotations[contract.DataRetentionAnnotation])
		}
		_, err = cs.NetworkingV1().NetworkPolicies(ns).Get(ctx(t), policy, metav1.GetOptions{})
		return err
	}
	resource.Test(t, steps(t,
		resource.TestStep{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statusIs("octollm_compliance_control.art25", compliance.Compliant),
				statusIs("octollm_compliance_control.retention", compliance.Compliant),
				statecheck.ExpectKnownValue("octollm_compliance_control.art25", tfjsonpath.New("findings"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("octollm_compliance_control.art25", tfjsonpath.New("title"), knownvalue.StringExact("Data protection by design and by default")),
				statecheck.ExpectKnownValue("octollm_compliance_control.art25", tfjsonpath.New("mechanisms"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact(compliance.PodSecurityRestricted), knownvalue.StringExact(compliance.DefaultDenyNetwork)})),
				statecheck.ExpectKnownValue("octollm_compliance_control.art25", tfjsonpath.New("id"), knownvalue.StringExact("gdpr/Art.25")),
			},
			Check:            enforced,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
		resource.TestStep{
			// Drift: a Pod Security label removed, the policy deleted.
			PreConfig: func() {
				patch := `{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":null}}}`
				if _, err := cs.CoreV1().Namespaces().Patch(ctx(t), ns, types.MergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
					t.Fatal(err)
				}
				if err := cs.NetworkingV1().NetworkPolicies(ns).Delete(ctx(t), policy, metav1.DeleteOptions{}); err != nil {
					t.Fatal(err)
				}
			},
			RefreshState: true, ExpectNonEmptyPlan: true,
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr("octollm_compliance_control.art25", "status", compliance.NonCompliant),
				resource.TestCheckResourceAttr("octollm_compliance_control.art25", "findings.#", "2"),
				resource.TestCheckResourceAttr("octollm_compliance_control.art25", "findings.0.enforceable", "true"),
				resource.TestCheckResourceAttr("octollm_compliance_control.retention", "status", compliance.Compliant),
			),
		},
		resource.TestStep{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("octollm_compliance_control.art25", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("octollm_compliance_control.art25", tfjsonpath.New("status"), knownvalue.StringExact(compliance.Compliant)),
					plancheck.ExpectResourceAction("octollm_compliance_control.retention", plancheck.ResourceActionNoop),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{statusIs("octollm_compliance_control.art25", compliance.Compliant)},
			Check:             enforced,
		},
		resource.TestStep{
			ResourceName: "octollm_compliance_control.art25", ImportState: true, ImportStateId: "gdpr/Art.25", ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"evaluated_at", "evidence_json"},
			Config:                  acctest.RequiredProviders() + cfg,
		},
		resource.TestStep{
			ResourceName: "octollm_compliance_control.retention", ImportState: true, ImportStateId: "gdpr/Art.5(1)(e)", ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"evaluated_at", "evidence_json"},
			Config:                  acctest.RequiredProviders() + cfg,
		},
	))
	// Destroy released the labels and annotation only the controls set, deleted the policy,
	// and kept the evidence.
	live, err := cs.CoreV1().Namespaces().Get(ctx(t), ns, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := live.Labels["pod-security.kubernetes.io/audit"]; ok || live.Labels["team"] != "ml" {
		t.Errorf("after destroy the namespace's labels are %v, want only its own", live.Labels)
	}
	if _, ok := live.Annotations[contract.DataRetentionAnnotation]; ok {
		t.Errorf("after destroy the retention annotation is still there")
	}
	if _, err := cs.NetworkingV1().NetworkPolicies(ns).Get(ctx(t), policy, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("after destroy the policy is still there (err %v)", err)
	}
	if n := len(evidenceRecords(t, cs, "gdpr", "Art.25")); n == 0 {
		t.Errorf("destroy removed the evidence history")
	}
}

// TestAccComplianceControl_auditWritesNothing: audit mode evaluates and keeps evidence but
// never changes the audited objects: their resourceVersions stay.
func TestAccComplianceControl_auditWritesNothing(t *testing.T) {
	acctest.PreCheck(t)
	cs := acctest.Kube(t)
	ensureNamespace(t, cs, platformNS, nil, nil, false)
	ns := acctest.RandomName("cmp-aud")
	before := ensureNamespace(t, cs, ns, nil, nil, true).ResourceVersion
	unchanged := func(*terraform.State) error {
		live, err := cs.CoreV1().Namespaces().Get(ctx(t), ns, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if live.ResourceVersion != before {
			return fmt.Errorf("audit mode changed namespace %s: resourceVersion %s -> %s (labels %v)", ns, before, live.ResourceVersion, live.Labels)
		}
		pols, err := cs.NetworkingV1().NetworkPolicies(ns).List(ctx(t), metav1.ListOptions{})
		if err != nil {
			return err
		}
		if len(pols.Items) != 0 {
			return fmt.Errorf("audit mode created %d NetworkPolicies", len(pols.Items))
		}
		return nil
	}
	cfg := controlHCL("audit", "soc2", "CC6.1", "audit", fmt.Sprintf("namespaces = [%q]", ns), "")
	resource.Test(t, steps(t,
		resource.TestStep{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statusIs("octollm_compliance_control.audit", compliance.NonCompliant),
				statecheck.ExpectKnownValue("octollm_compliance_control.audit", tfjsonpath.New("enforcement"), knownvalue.StringExact("audit")),
			},
			Check: resource.ComposeTestCheckFunc(unchanged,
				resource.TestCheckResourceAttr("octollm_compliance_control.audit", "findings.#", "2"),
				resource.TestCheckResourceAttr("octollm_compliance_control.audit", "findings.0.mechanism", compliance.PodSecurityRestricted),
				resource.TestCheckResourceAttr("octollm_compliance_control.audit", "findings.0.object", "namespace/"+ns),
				resource.TestCheckResourceAttr("octollm_compliance_control.audit", "findings.1.mechanism", compliance.DefaultDenyNetwork),
			),
			// A non-compliant audited control plans nothing: audit never writes.
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
		resource.TestStep{RefreshState: true, Check: unchanged},
	))
}

// TestAccComplianceControl_evidenceGrowsAndIsCapped: each evaluation appends one record with
// the control, each mechanism's result, the objects checked and the provider version; the
// history keeps the newest 100.
func TestAccComplianceControl_evidenceGrowsAndIsCapped(t *testing.T) {
	acctest.PreCheck(t)
	cs := acctest.Kube(t)
	ensureNamespace(t, cs, platformNS, nil, nil, false)
	dropEvidence(t, cs, "hipaa", "164.312(b)")
	cfg := controlHCL("logs", "hipaa", "164.312(b)", "audit", fmt.Sprintf("namespaces = [%q]", platformNS), "")
	var count int
	grew := func(*terraform.State) error {
		n := len(evidenceRecords(t, cs, "hipaa", "164.312(b)"))
		if n <= count {
			return fmt.Errorf("evidence history has %d records, was %d: it did not grow", n, count)
		}
		count = n
		return nil
	}
	c, _ := compliance.Lookup("hipaa", "164.312(b)")
	resource.Test(t, steps(t,
		resource.TestStep{
			Config: cfg,
			Check: resource.ComposeTestCheckFunc(grew, func(*terraform.State) error {
				recs := evidenceRecords(t, cs, "hipaa", "164.312(b)")
				var rec compliance.Record
				if err := json.Unmarshal([]byte(recs[len(recs)-1]), &rec); err != nil {
					return err
				}
				if rec.ControlID != "164.312(b)" || rec.Framework != "hipaa" || rec.ProviderVersion != "test" || rec.Status != compliance.Compliant ||
					len(rec.Mechanisms) != 1 || !rec.Mechanisms[0].Passed || len(rec.Mechanisms[0].Checked) != 1 || rec.EvaluatedAt == "" {
					return fmt.Errorf("evidence record: %s", recs[len(recs)-1])
				}
				return nil
			}),
		},
		resource.TestStep{RefreshState: true, Check: grew},
		resource.TestStep{
			// A history already at the cap keeps the newest 100, this evaluation last.
			PreConfig: func() {
				cm, err := cs.CoreV1().ConfigMaps(platformNS).Get(ctx(t), compliance.EvidenceName(c), metav1.GetOptions{})
				if err != nil {
					t.Fatal(err)
				}
				var lines []string
				for i := range compliance.MaxRecords {
					lines = append(lines, fmt.Sprintf(`{"evaluated_at":"2025-01-01T00:00:%02dZ","seq":%d}`, i%60, i))
				}
				cm.Data[compliance.RecordsKey] = strings.Join(lines, "\n") + "\n"
				if _, err := cs.CoreV1().ConfigMaps(platformNS).Update(ctx(t), cm, metav1.UpdateOptions{}); err != nil {
					t.Fatal(err)
				}
			},
			RefreshState: true,
			Check: func(*terraform.State) error {
				recs := evidenceRecords(t, cs, "hipaa", "164.312(b)")
				if len(recs) != compliance.MaxRecords {
					return fmt.Errorf("history has %d records, want %d", len(recs), compliance.MaxRecords)
				}
				if !strings.Contains(recs[0], `"seq":1}`) || !strings.Contains(recs[len(recs)-1], `"control_id":"164.312(b)"`) {
					return fmt.Errorf("want the oldest dropped and the newest last: first %s, last %s", recs[0], recs[len(recs)-1])
				}
				return nil
			},
		},
	))
}

// TestAccComplianceControl_gkeFindingsAreNotEnforceable: a GKE setting turned off makes an
// enforced control non_compliant, and the plan does not promise a fix it cannot make.
func TestAccComplianceControl_gkeFindingsAreNotEnforceable(t *testing.T) {
	acctest.PreCheck(t)
	cs := acctest.Kube(t)
	ensureNamespace(t, cs, platformNS, nil, nil, false)
	cfg := controlHCL("kms", "soc2", "CC6.7", "enforce", fmt.Sprintf("namespaces = [%q]", platformNS), "")
	resource.Test(t, steps(t,
		resource.TestStep{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{statusIs("octollm_compliance_control.kms", compliance.Compliant)}},
		resource.TestStep{
			PreConfig: func() { setGKESecurity(t, `{"databaseEncryption": {"state": "DECRYPTED"}}`) },
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("octollm_compliance_control.kms", plancheck.ResourceActionNoop),
			}},
			ConfigStateChecks: []statecheck.StateCheck{statusIs("octollm_compliance_control.kms", compliance.NonCompliant)},
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr("octollm_compliance_control.kms", "findings.0.enforceable", "false"),
				resource.TestMatchResourceAttr("octollm_compliance_control.kms", "findings.0.message", regexp.MustCompile("secrets encryption is off")),
			),
		},
	))
}

// TestAccComplianceControl_badInput: every plan-time rule, with the message the user sees.
func TestAccComplianceControl_badInput(t *testing.T) {
	ns := `namespaces = ["octollm"]`
	cases := []struct{ name, config, message string }{
		{"unknown framework", controlHCL("x", "pci", "1.1", "audit", ns, ""),
			`framework: "pci" is not a supported framework. Use one of: "soc2", "iso27001", "gdpr", "ccpa", "hipaa".`},
		{"unknown control", controlHCL("x", "soc2", "CC9.9", "audit", ns, ""),
			`control_id: "CC9.9" is not a soc2 control in the built-in catalog. Use one of: "CC6.1", "CC6.6", "CC6.7", "CC6.8", "CC7.2".`},
		{"unknown parameter", controlHCL("x", "soc2", "CC6.1", "audit", ns, `parameters = { retention_days = "7" }`),
			`parameters: "retention_days" is not a parameter of soc2 CC6.1; it accepts: none. Remove it.`},
		{"unparseable parameter", controlHCL("x", "gdpr", "Art.5(1)(e)", "audit", ns, `parameters = { retention_days = "a month" }`),
			`parameters: retention_days = "a month": must be a whole number of days from 1 to 36500, such as "30".`},
		{"empty scope", controlHCL("x", "soc2", "CC6.6", "audit", "namespaces = []", ""),
			`scope selects no namespaces: list them in scope.namespaces (such as ["octollm"]) or set scope.all_tenants = true.`},
		{"no scope", `resource "octollm_compliance_control" "x" {
  framework  = "soc2"
  control_id = "CC6.6"
}`, `scope selects no namespaces`},
		{"bad namespace", controlHCL("x", "soc2", "CC6.6", "audit", `namespaces = ["Prod_NS"]`, ""),
			`scope.namespaces: "Prod_NS" is not a namespace name`},
		{"bad enforcement", controlHCL("x", "soc2", "CC6.6", "block", ns, ""), `enforcement value must be one of: ["enforce" "audit"]`},
		{"report unknown framework", `data "octollm_compliance_report" "x" { framework = "sox" }`,
			`framework: "sox" is not a supported framework. Use one of: "soc2", "iso27001", "gdpr", "ccpa", "hipaa".`},
		{"report empty scope", `data "octollm_compliance_report" "x" {
  framework = "soc2"
  scope {
    all_tenants = false
  }
}`, `scope selects no namespaces`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resource.Test(t, steps(t, resource.TestStep{Config: c.config, PlanOnly: true, ExpectError: acctest.ErrorText(c.message)}))
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
