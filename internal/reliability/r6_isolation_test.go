package reliability

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/tenant"
	"github.com/octollm/terraform-provider-octollm/internal/tenant/tenanttest"
)

// r6Tenants is the size of R6's isolation matrix.
const r6Tenants = 10

// TestAccReliability_R6IsolationMatrix applies ten tenants, each with an admin, and asks the
// apiserver's authorizer (SubjectAccessReviews) whether each tenant's admin and workload
// ServiceAccount can manage its own namespace (it must) and read secrets, pods or configmaps in
// the nine other tenants' namespaces or the platform namespace (it must not).
func TestAccReliability_R6IsolationMatrix(t *testing.T) {
	requireFullSuite(t)
	acctest.PreCheck(t)
	kube := acctest.Kube(t)
	ctx := context.Background()
	platform := acctest.RandomName("r6")
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: platform}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	var names []string
	var b strings.Builder
	b.WriteString(acctest.RequiredProviders())
	fmt.Fprintf(&b, "provider \"octollm\" {\n  namespace = %q\n}\n", platform)
	for i := range r6Tenants {
		name := fmt.Sprintf("%s-%02d", platform, i)
		names = append(names, name)
		fmt.Fprintf(&b, `
resource "octollm_tenant" "t%02d" {
  name                = %q
  admins              = ["admin@%s.example"]
  deletion_protection = false
  timeouts {
    delete = "3m"
  }
}
`, i, name, name)
	}
	t.Cleanup(func() {
		for _, n := range append(names, platform) {
			ns := n
			if n != platform {
				ns = tenant.Namespace(n)
			}
			_ = kube.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{})
		}
	})

	reviews, crossAllows := 0, 0
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: b.String(),
			Check: func(*terraform.State) error {
				// RBAC reaches the authorizer through its informers: until a tenant's own
				// grants show, the matrix is asked again. A cross-tenant allow fails at once
				// (time only adds grants here, it never removes one).
				var own []string
				for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(time.Second) {
					wrong, err := tenanttest.IsolationMatrix(ctx, kube, platform, names)
					if err != nil {
						return err
					}
					reviews += tenanttest.IsolationChecks(len(names))
					var cross []string
					own = own[:0]
					for _, w := range wrong {
						if strings.Contains(w, " cannot ") {
							own = append(own, w)
						} else {
							cross = append(cross, w)
						}
					}
					if len(cross) > 0 {
						crossAllows = len(cross)
						return fmt.Errorf("%d cross-tenant allows:\n  %s", len(cross), strings.Join(cross, "\n  "))
					}
					if len(own) == 0 {
						return nil
					}
					if time.Now().After(deadline) {
						return fmt.Errorf("tenants cannot manage their own namespaces:\n  %s", strings.Join(own, "\n  "))
					}
				}
			},
		}},
	})
	report(t, "R6", "%d tenants, %d SubjectAccessReviews per matrix (%d asked in all), %d cross-tenant allows",
		r6Tenants, tenanttest.IsolationChecks(r6Tenants), reviews, crossAllows)
}
