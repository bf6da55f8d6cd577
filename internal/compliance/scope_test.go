package compliance_test

import (
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/octollm/terraform-provider-octollm/internal/compliance"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// TestScopedNamespaces: all_tenants adds the tenant namespaces whose tenant has its record in
// this platform's namespace, not another platform's tenants nor tenants being deleted; the
// listed namespaces are always in scope.
func TestScopedNamespaces(t *testing.T) {
	tenantNS := func(name string, deleting bool) corev1.Namespace {
		ns := corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "tenant-" + name, Labels: map[string]string{contract.TenantLabel: name}}}
		if deleting {
			now := metav1.Now()
			ns.DeletionTimestamp = &now
		}
		return ns
	}
	tenants := []corev1.Namespace{tenantNS("acme", false), tenantNS("globex", false), tenantNS("leaving", true)}
	records := map[string]bool{"acme": true, "leaving": true} // globex is another platform's

	got := compliance.ScopedNamespaces(compliance.Scope{Namespaces: []string{"octollm"}, AllTenants: true}, tenants, records)
	if want := []string{"octollm", "tenant-acme"}; !slices.Equal(got, want) {
		t.Errorf("all_tenants: scoped %v, want %v", got, want)
	}
	got = compliance.ScopedNamespaces(compliance.Scope{Namespaces: []string{"octollm", "tenant-globex"}}, tenants, records)
	if want := []string{"octollm", "tenant-globex"}; !slices.Equal(got, want) {
		t.Errorf("listed namespaces: scoped %v, want %v", got, want)
	}
}
