package compliance_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/compliance"
)

// TestAccComplianceControl_withTenants: a control over all tenants enforces what a tenant
// lacks (a tenant without network isolation gets the control's default-deny policy), leaves
// what the tenant already sets alone, never makes the tenant drift, and on destroy removes only
// its own policy. The tenant's namespace passes tenant_erasure: its record exists.
func TestAccComplianceControl_withTenants(t *testing.T) {
	acctest.PreCheck(t)
	cs := acctest.Kube(t)
	ensureNamespace(t, cs, platformNS, nil, nil, false)
	name := acctest.RandomName("cmp")
	ns := "tenant-" + name
	cc66, _ := compliance.Lookup("soc2", "CC6.6")
	tenantHCL := fmt.Sprintf(`resource "octollm_tenant" "t" {
  name                = %q
  network_isolation   = false
  deletion_protection = false
  timeouts {
    delete = "3m"
  }
}
`, name)
	controls := controlHCL("net", "soc2", "CC6.6", "enforce", "all_tenants = true", "depends_on = [octollm_tenant.t]") +
		// GDPR Art.25 also wants a default deny and takes any it finds as its own evidence: after
		// CC6.6 it finds CC6.6's and writes none, so which control writes the policy is fixed.
		controlHCL("psa", "gdpr", "Art.25", "enforce", "all_tenants = true", "depends_on = [octollm_tenant.t, octollm_compliance_control.net]") +
		controlHCL("erasure", "gdpr", "Art.17", "audit", "all_tenants = true", "depends_on = [octollm_tenant.t]")
	resource.Test(t, steps(t,
		resource.TestStep{
			Config: tenantHCL + controls,
			ConfigStateChecks: []statecheck.StateCheck{
				statusIs("octollm_compliance_control.net", compliance.Compliant),
				statusIs("octollm_compliance_control.psa", compliance.Compliant),
				statusIs("octollm_compliance_control.erasure", compliance.Compliant),
			},
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr("octollm_tenant.t", "sync_status", "in sync"),
				func(*terraform.State) error {
					_, err := cs.NetworkingV1().NetworkPolicies(ns).Get(ctx(t), compliance.PolicyName(cc66), metav1.GetOptions{})
					return err
				},
			),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
		resource.TestStep{
			// A Pod Security label removed out of band: the control and the tenant both put it
			// back, and then both own it.
			PreConfig: func() {
				patch := `{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":null}}}`
				if _, err := cs.CoreV1().Namespaces().Patch(ctx(t), ns, types.MergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
					t.Fatal(err)
				}
			},
			Config: tenantHCL + controls,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("octollm_compliance_control.psa", plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{statusIs("octollm_compliance_control.psa", compliance.Compliant)},
			Check:             resource.TestCheckResourceAttr("octollm_tenant.t", "sync_status", "in sync"),
		},
		resource.TestStep{
			// The controls go; the tenant stays as it was, restricted and in sync.
			Config: tenantHCL,
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr("octollm_tenant.t", "sync_status", "in sync"),
				func(*terraform.State) error {
					if _, err := cs.NetworkingV1().NetworkPolicies(ns).Get(ctx(t), compliance.PolicyName(cc66), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
						return fmt.Errorf("the control's policy outlived it (err %w)", err)
					}
					live, err := cs.CoreV1().Namespaces().Get(ctx(t), ns, metav1.GetOptions{})
					if err != nil {
						return err
					}
					for k, v := range psaLabels("restricted") {
						if live.Labels[k] != v {
							return fmt.Errorf("the tenant's label %s = %q after the control was destroyed, want %q", k, live.Labels[k], v)
						}
					}
					return nil
				},
			),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
	))
}
