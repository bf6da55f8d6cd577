package tenant_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/tenant/tenanttest"
)

// TestAccTenant_isolationMatrix runs the matrix over two tenants, or over
// OCTOLLM_ISOLATION_TENANTS of them (bench/tenants runs ten).
func TestAccTenant_isolationMatrix(t *testing.T) {
	e := newEnv(t)
	n := 2
	if v := os.Getenv("OCTOLLM_ISOLATION_TENANTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 2 || n > 50 {
			t.Fatalf("OCTOLLM_ISOLATION_TENANTS=%q: want a number from 2 to 50", v)
		}
	}
	var names []string
	for i := range n {
		names = append(names, fmt.Sprintf("iso-%02d", i))
	}
	e.cleanupTenants(names...)
	var tenants []tenantConfig
	for _, n := range names {
		tenants = append(tenants, tenantConfig{name: n, admins: []string{"admin@" + n + ".example"}})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.config(tenants...),
			Check: func(*terraform.State) error {
				return eventually(func() error {
					wrong, err := tenanttest.IsolationMatrix(context.Background(), e.kube, e.platform, names)
					if err != nil {
						return err
					}
					if len(wrong) > 0 {
						return fmt.Errorf("isolation violated:\n  %s", strings.Join(wrong, "\n  "))
					}
					t.Logf("isolation matrix: %d tenants, %d SubjectAccessReviews, 0 violations", n, tenanttest.IsolationChecks(n))
					return nil
				})
			},
		}},
	})
}
