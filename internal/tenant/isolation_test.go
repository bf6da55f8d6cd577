package tenant_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"k8s.io/client-go/kubernetes"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/tenant"
)

// principal is someone a tenant's RBAC grants something to.
type principal struct {
	desc, user string
	groups     []string
}

// principals are a tenant's admins and its workload ServiceAccount.
func principals(name string) []principal {
	sa, groups := serviceAccount(tenant.Namespace(name), tenant.WorkloadName)
	return []principal{
		{"admin of " + name, "admin@" + name + ".example", []string{"system:authenticated"}},
		{"workload of " + name, sa, groups},
	}
}

type access struct{ verb, group, resource string }

// own is what every principal of a tenant may do in its own namespace.
var own = []access{
	{"create", "", "pods"}, {"list", "", "pods"}, {"get", "", "secrets"}, {"create", "", "configmaps"},
	{"create", "apps", "deployments"}, {"delete", "apps", "deployments"},
}

// foreign is what no principal may do in another tenant's or the platform's namespace.
var foreign = []access{
	{"get", "", "secrets"}, {"list", "", "secrets"}, {"get", "", "pods"}, {"list", "", "pods"},
	{"get", "", "configmaps"}, {"list", "", "configmaps"},
}

// IsolationMatrix checks, with SubjectAccessReviews, that each tenant's admins and workload
// ServiceAccount can manage their own namespace and cannot read secrets, pods or configmaps
// in any other tenant's namespace or the platform namespace. It returns every violation.
func IsolationMatrix(kube kubernetes.Interface, platform string, tenants []string) ([]string, error) {
	var wrong []string
	for _, name := range tenants {
		for _, p := range principals(name) {
			for _, a := range own {
				ok, err := can(kube, p.user, p.groups, tenant.Namespace(name), a.verb, a.group, a.resource)
				if err != nil {
					return nil, err
				}
				if !ok {
					wrong = append(wrong, fmt.Sprintf("%s cannot %s %s in its own namespace", p.desc, a.verb, a.resource))
				}
			}
			others := []string{platform}
			for _, other := range tenants {
				if other != name {
					others = append(others, tenant.Namespace(other))
				}
			}
			for _, ns := range others {
				for _, a := range foreign {
					ok, err := can(kube, p.user, p.groups, ns, a.verb, a.group, a.resource)
					if err != nil {
						return nil, err
					}
					if ok {
						wrong = append(wrong, fmt.Sprintf("%s can %s %s in %s", p.desc, a.verb, a.resource, ns))
					}
				}
			}
		}
	}
	return wrong, nil
}

func TestAccTenant_isolationMatrix(t *testing.T) {
	e := newEnv(t)
	names := []string{"iso-a", "iso-b"}
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
					wrong, err := IsolationMatrix(e.kube, e.platform, names)
					if err != nil {
						return err
					}
					if len(wrong) > 0 {
						return fmt.Errorf("isolation violated:\n  %s", strings.Join(wrong, "\n  "))
					}
					return nil
				})
			},
		}},
	})
}
