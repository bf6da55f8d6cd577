// Package tenanttest checks tenants the way their users would notice: the isolation matrix
// the tenant acceptance tests and bench/tenants run. Only tests and benchmarks import it.
package tenanttest

import (
	"context"
	"fmt"

	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

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
func IsolationMatrix(ctx context.Context, kube kubernetes.Interface, platform string, tenants []string) ([]string, error) {
	var wrong []string
	for _, name := range tenants {
		for _, p := range principals(name) {
			for _, a := range own {
				ok, err := can(ctx, kube, p.user, p.groups, tenant.Namespace(name), a.verb, a.group, a.resource)
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
					ok, err := can(ctx, kube, p.user, p.groups, ns, a.verb, a.group, a.resource)
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

// IsolationChecks is the number of SubjectAccessReviews IsolationMatrix asks for n tenants.
func IsolationChecks(n int) int { return n * 2 * (len(own) + n*len(foreign)) }

// can asks the apiserver's authorizer whether user (with groups) may verb resource in ns.
func can(ctx context.Context, kube kubernetes.Interface, user string, groups []string, ns, verb, group, res string) (bool, error) {
	r, err := kube.AuthorizationV1().SubjectAccessReviews().Create(ctx, &authorizationv1.SubjectAccessReview{
		Spec: authorizationv1.SubjectAccessReviewSpec{User: user, Groups: groups,
			ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: ns, Verb: verb, Group: group, Resource: res}},
	}, metav1.CreateOptions{})
	if err != nil {
		return false, err
	}
	return r.Status.Allowed, nil
}

func serviceAccount(ns, name string) (string, []string) {
	return "system:serviceaccount:" + ns + ":" + name, []string{"system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"}
}
