package compliance_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/compliance"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// TestAccComplianceControl_allTenantsOfItsPlatform: two platforms share the cluster, as staging
// and prod may, each with a tenant recorded in its own platform namespace. A control with
// all_tenants = true enforces on its own platform's tenant only: the other platform's tenant
// namespace gets none of its policy and none of its labels, and is not in its evidence;
// destroying the control releases only what it set on its own tenant.
//
// The other platform's tenant is written here as octollm_tenant writes it (the namespace
// labelled octollm.io/tenant, its key Secret in that platform's namespace): a second provider
// configuration in the same test would share the in-process provider server, and with it the
// last configured namespace.
func TestAccComplianceControl_allTenantsOfItsPlatform(t *testing.T) {
	acctest.PreCheck(t)
	cs := acctest.Kube(t)
	ensureNamespace(t, cs, platformNS, nil, nil, false)
	otherPlatform := acctest.RandomName("cmp-other")
	ensureNamespace(t, cs, otherPlatform, nil, nil, true)
	mine, theirs := acctest.RandomName("cmp-mine"), acctest.RandomName("cmp-theirs")
	theirsNS := ensureNamespace(t, cs, "tenant-"+theirs, map[string]string{contract.TenantLabel: theirs, contract.ManagedByLabel: contract.ManagedByValue}, nil, true)
	if _, err := cs.CoreV1().Secrets(otherPlatform).Create(ctx(t), &corev1.Secret{ObjectMeta: metav1.ObjectMeta{
		Name:   "octollm-tenant-" + theirs,
		Labels: map[string]string{contract.TenantLabel: theirs, contract.KindLabel: contract.KindAPIKey, contract.ManagedByLabel: contract.ManagedByValue},
	}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	cc66, _ := compliance.Lookup("soc2", "CC6.6")
	policy := compliance.PolicyName(cc66)
	// Without network isolation: a default-deny policy is what the control adds.
	tenantHCL := unisolatedTenantHCL("mine", mine)
	controls := networkControlsHCL("octollm_tenant.mine")
	hasPolicy := func(ns string, want bool) resource.TestCheckFunc {
		return func(*terraform.State) error {
			_, err := cs.NetworkingV1().NetworkPolicies(ns).Get(ctx(t), policy, metav1.GetOptions{})
			switch {
			case err == nil && !want:
				return fmt.Errorf("%s has the control's policy %s, but its tenant belongs to another platform", ns, policy)
			case apierrors.IsNotFound(err) && want:
				return fmt.Errorf("%s lacks the control's policy %s", ns, policy)
			case err != nil && !apierrors.IsNotFound(err):
				return err
			}
			return nil
		}
	}
	theirsUntouched := func(*terraform.State) error {
		live, err := cs.CoreV1().Namespaces().Get(ctx(t), theirsNS.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if !maps.Equal(live.Labels, theirsNS.Labels) || !maps.Equal(live.Annotations, theirsNS.Annotations) {
			return fmt.Errorf("the other platform's tenant namespace changed: labels %v, annotations %v; want %v, %v", live.Labels, live.Annotations, theirsNS.Labels, theirsNS.Annotations)
		}
		return nil
	}
	notInEvidence := func(s *terraform.State) error {
		for _, addr := range []string{"octollm_compliance_control.net", "octollm_compliance_control.psa"} {
			rs := s.RootModule().Resources[addr]
			if rs == nil {
				return fmt.Errorf("no %s in state", addr)
			}
			if v := rs.Primary.Attributes["evidence_json"]; strings.Contains(v, theirsNS.Name) || !strings.Contains(v, "tenant-"+mine) {
				return fmt.Errorf("%s's evidence should name tenant-%s and not %s: %s", addr, mine, theirsNS.Name, v)
			}
		}
		return nil
	}
	resource.Test(t, steps(t,
		resource.TestStep{
			Config: tenantHCL + controls,
			ConfigStateChecks: []statecheck.StateCheck{
				statusIs("octollm_compliance_control.net", compliance.Compliant),
				statusIs("octollm_compliance_control.psa", compliance.Compliant),
			},
			Check: resource.ComposeTestCheckFunc(
				hasPolicy("tenant-"+mine, true),
				hasPolicy(theirsNS.Name, false),
				theirsUntouched,
				notInEvidence,
				resource.TestCheckResourceAttr("octollm_tenant.mine", "sync_status", "in sync"),
			),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
		resource.TestStep{
			// The controls go: the policy leaves their own tenant; the other never had it.
			Config: tenantHCL,
			Check: resource.ComposeTestCheckFunc(
				hasPolicy("tenant-"+mine, false),
				hasPolicy(theirsNS.Name, false),
				theirsUntouched,
			),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
	))
}
