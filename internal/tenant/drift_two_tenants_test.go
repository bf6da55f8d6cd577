package tenant_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	corev1 "k8s.io/api/core/v1"
	apiresource "k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/tenant"
)

// Two tenants' out-of-band changes show in one refresh, each on its own tenant: an edited
// quota, and a RoleBinding whose managed-by label was removed; one apply repairs both.
func TestAccTenant_driftOfTwoTenantsInOneRefresh(t *testing.T) {
	e := newEnv(t)
	e.cleanupTenants("cache-a", "cache-b")
	a := tenantConfig{name: "cache-a", admins: []string{"alice@a.example"}}
	b := tenantConfig{name: "cache-b", admins: []string{"bob@b.example"}}
	ctx := context.Background()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(e.checkGone("cache-a"), e.checkGone("cache-b")),
		Steps: []resource.TestStep{
			{Config: e.config(a, b)},
			{Config: e.config(a, b), ConfigPlanChecks: acctest.NoChanges},
			{
				PreConfig: func() {
					patch, err := json.Marshal(map[string]any{"metadata": map[string]any{"labels": map[string]any{contract.ManagedByLabel: nil}}})
					if err != nil {
						t.Fatal(err)
					}
					if _, err := e.kube.RbacV1().RoleBindings(tenant.Namespace("cache-a")).Patch(ctx, tenant.AdminsBindingName, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
						t.Fatal(err)
					}
					rq, err := e.kube.CoreV1().ResourceQuotas(tenant.Namespace("cache-b")).Get(ctx, tenant.QuotaName, metav1.GetOptions{})
					if err != nil {
						t.Fatal(err)
					}
					rq.Spec.Hard[corev1.ResourcePods] = apiresource.MustParse("999")
					if _, err := e.kube.CoreV1().ResourceQuotas(tenant.Namespace("cache-b")).Update(ctx, rq, metav1.UpdateOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState: true, ExpectNonEmptyPlan: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("octollm_tenant.cache-a", "sync_status",
						`drifted: RoleBinding tenant-admins: label `+contract.ManagedByLabel+` is "", want "`+contract.ManagedByValue+`"`),
					resource.TestCheckResourceAttr("octollm_tenant.cache-b", "sync_status", "drifted: ResourceQuota tenant-quota: spec differs"),
				),
			},
			{
				Config: e.config(a, b),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("octollm_tenant.cache-a", "sync_status", tenant.InSync),
					resource.TestCheckResourceAttr("octollm_tenant.cache-b", "sync_status", tenant.InSync),
				),
			},
			{Config: e.config(a, b), ConfigPlanChecks: acctest.NoChanges},
		},
	})
}
