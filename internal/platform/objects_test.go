package platform

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

func seed() Spec {
	return Spec{Namespace: "octollm", PodSecurity: "restricted", GatewayServiceAccount: "octollm-gateway", Labels: map[string]string{"octollm.dev/team": "llm"}}
}

func TestNamespaceLabels(t *testing.T) {
	got := seed().NamespaceObject().GetLabels()
	want := map[string]string{
		"pod-security.kubernetes.io/enforce":         "restricted",
		"pod-security.kubernetes.io/enforce-version": "latest",
		"pod-security.kubernetes.io/audit":           "restricted",
		"pod-security.kubernetes.io/warn":            "restricted",
		"app.kubernetes.io/managed-by":               "terraform-provider-octollm",
		"app.kubernetes.io/part-of":                  "octollm",
		"octollm.dev/team":                           "llm",
	}
	if len(got) != len(want) {
		t.Errorf("labels = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("label %s = %q, want %q", k, got[k], v)
		}
	}
	if n := seed().NamespaceObject(); n.GetName() != "octollm" || n.GetNamespace() != "" || n.GetKind() != "Namespace" {
		t.Errorf("namespace object = %v", n.Object)
	}
}

func TestGatewayObjects(t *testing.T) {
	s := seed()
	var sa corev1.ServiceAccount
	mustConvert(t, s.ServiceAccount(), &sa)
	if sa.Name != "octollm-gateway" || sa.Namespace != "octollm" || sa.AutomountServiceAccountToken == nil || !*sa.AutomountServiceAccountToken {
		t.Errorf("ServiceAccount = %+v", sa)
	}
	var role rbacv1.Role
	mustConvert(t, s.Role(), &role)
	if role.Name != "octollm-gateway-reader" || len(role.Rules) != 1 {
		t.Fatalf("Role = %+v", role)
	}
	r := role.Rules[0]
	if strings.Join(r.APIGroups, ",") != "" || strings.Join(r.Resources, ",") != "configmaps,secrets" || strings.Join(r.Verbs, ",") != "get,list,watch" || len(r.ResourceNames) != 0 {
		t.Errorf("rule = %+v, want get/list/watch on core configmaps and secrets only", r)
	}
	var rb rbacv1.RoleBinding
	mustConvert(t, s.RoleBinding(), &rb)
	if rb.Name != "octollm-gateway-reader" || rb.RoleRef != (rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: "octollm-gateway-reader"}) ||
		len(rb.Subjects) != 1 || rb.Subjects[0] != (rbacv1.Subject{Kind: "ServiceAccount", Name: "octollm-gateway", Namespace: "octollm"}) {
		t.Errorf("RoleBinding = %+v", rb)
	}
	for _, o := range []*unstructured.Unstructured{s.NamespaceObject(), s.ServiceAccount(), s.Role(), s.RoleBinding()} {
		if !clients.OwnedBy(o) || o.GetLabels()[contract.PartOfLabel] != contract.PartOfValue {
			t.Errorf("%s %s labels = %v", o.GetKind(), o.GetName(), o.GetLabels())
		}
	}
	if s.ServiceAccount().GetLabels()[contract.ComponentLabel] != GatewayComponent {
		t.Error("the ServiceAccount is not marked as the gateway's, so import cannot find it")
	}
}

func mustConvert(t *testing.T, u *unstructured.Unstructured, into any) {
	t.Helper()
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, into); err != nil {
		t.Fatal(err)
	}
}

func TestRBACStatus(t *testing.T) {
	s := seed()
	if got := s.RBACStatus(s.ServiceAccount(), s.Role(), s.RoleBinding()); got != InSync {
		t.Fatalf("built objects read as %q", got)
	}
	withSecrets := s.Role()
	rules, _, _ := unstructured.NestedSlice(withSecrets.Object, "rules")
	rules = append(rules, map[string]any{"apiGroups": []any{""}, "resources": []any{"secrets"}, "verbs": []any{"create"}})
	_ = unstructured.SetNestedSlice(withSecrets.Object, rules, "rules")
	// The same grants, spelled differently, are in sync.
	reordered := s.Role()
	_ = unstructured.SetNestedSlice(reordered.Object, []any{
		map[string]any{"apiGroups": []any{""}, "resources": []any{"secrets", "configmaps"}, "verbs": []any{"watch", "get"}},
		map[string]any{"apiGroups": []any{""}, "resources": []any{"configmaps", "secrets"}, "verbs": []any{"list"}},
	}, "rules")
	noAutomount := s.ServiceAccount()
	noAutomount.Object["automountServiceAccountToken"] = false
	otherSubject := s.RoleBinding()
	_ = unstructured.SetNestedSlice(otherSubject.Object, []any{
		map[string]any{"kind": "ServiceAccount", "name": "octollm-gateway", "namespace": "octollm"},
		map[string]any{"kind": "ServiceAccount", "name": "default", "namespace": "octollm"},
	}, "subjects")
	otherRef := s.RoleBinding()
	_ = unstructured.SetNestedField(otherRef.Object, "ClusterRole", "roleRef", "kind")
	_ = unstructured.SetNestedField(otherRef.Object, "admin", "roleRef", "name")
	cases := []struct {
		name                string
		sa, role, binding   *unstructured.Unstructured
		want                string
		sameRoleRefExpected bool
	}{
		{"reordered", s.ServiceAccount(), reordered, s.RoleBinding(), InSync, true},
		{"binding missing", s.ServiceAccount(), s.Role(), nil, "drifted: RoleBinding octollm-gateway-reader is missing", true},
		{"all missing", nil, nil, nil, "drifted: ServiceAccount octollm-gateway is missing; Role octollm-gateway-reader is missing; RoleBinding octollm-gateway-reader is missing", true},
		{"secrets", s.ServiceAccount(), withSecrets, s.RoleBinding(), "drifted: Role octollm-gateway-reader grants get/list/watch on configmaps,secrets and create on secrets instead of get/list/watch on configmaps,secrets", true},
		{"automount", noAutomount, s.Role(), s.RoleBinding(), "drifted: ServiceAccount octollm-gateway does not automount its token", true},
		{"extra subject", s.ServiceAccount(), s.Role(), otherSubject, "drifted: RoleBinding octollm-gateway-reader binds ServiceAccount octollm/octollm-gateway, ServiceAccount octollm/default instead of ServiceAccount octollm/octollm-gateway", true},
		{"role ref", s.ServiceAccount(), s.Role(), otherRef, "drifted: RoleBinding octollm-gateway-reader refers to ClusterRole admin instead of Role octollm-gateway-reader", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.RBACStatus(tc.sa, tc.role, tc.binding); got != tc.want {
				t.Errorf("RBACStatus = %q\nwant          %q", got, tc.want)
			}
			if tc.binding != nil && s.SameRoleRef(tc.binding) != tc.sameRoleRefExpected {
				t.Errorf("SameRoleRef = %v", !tc.sameRoleRefExpected)
			}
		})
	}
}

func TestPodSecurityFrom(t *testing.T) {
	base := func(level string) map[string]string { return Spec{PodSecurity: level}.NamespaceLabels() }
	if got := PodSecurityFrom(base("baseline")); got != "baseline" {
		t.Errorf("consistent labels read as %q", got)
	}
	audit := base("restricted")
	audit[PSAAudit] = "privileged"
	if got := PodSecurityFrom(audit); got != "drifted: enforce=restricted, enforce-version=latest, audit=privileged, warn=restricted" {
		t.Errorf("audit drift read as %q", got)
	}
	extra := base("restricted")
	extra[contract.PodSecurityPrefix+"warn-version"] = "v1.30"
	if got := PodSecurityFrom(extra); got != "drifted: enforce=restricted, enforce-version=latest, audit=restricted, warn=restricted, warn-version=v1.30" {
		t.Errorf("extra label read as %q", got)
	}
	if got := PodSecurityFrom(map[string]string{}); got != "drifted: enforce unset, enforce-version unset, audit unset, warn unset" {
		t.Errorf("no labels read as %q", got)
	}
}

func TestUserAndExtraLabels(t *testing.T) {
	s := seed()
	live := s.NamespaceLabels()
	live[contract.NamespaceNameLabel] = "octollm"
	live["istio-injection"] = "enabled"
	live[contract.PodSecurityPrefix+"audit-version"] = "v1.29"
	user := UserLabels(live)
	if len(user) != 2 || user["octollm.dev/team"] != "llm" || user["istio-injection"] != "enabled" {
		t.Errorf("UserLabels = %v", user)
	}
	if got := s.ExtraLabels(live); strings.Join(got, ",") != "istio-injection,pod-security.kubernetes.io/audit-version" {
		t.Errorf("ExtraLabels = %v", got)
	}
	if got := s.ExtraLabels(s.NamespaceLabels()); len(got) != 0 {
		t.Errorf("ExtraLabels of the wanted labels = %v", got)
	}
}

func TestValidation(t *testing.T) {
	for _, name := range []string{"octollm-gateway", "gw.v2", strings.Repeat("a", 246)} {
		if msg := ServiceAccountProblem(name); msg != "" {
			t.Errorf("service account %q: %s", name, msg)
		}
	}
	for _, name := range []string{"Gateway", "gw_1", strings.Repeat("a", 247)} {
		if msg := ServiceAccountProblem(name); !strings.Contains(msg, "is not a valid ServiceAccount name") {
			t.Errorf("service account %q: %q", name, msg)
		}
	}
	if why := OwnedLabelReason("octollm.dev/team"); why != "" {
		t.Errorf("a user's label was refused: %s", why)
	}
	for key, want := range map[string]string{
		"pod-security.kubernetes.io/enforce": "set pod_security instead",
		"pod-security.kubernetes.io/custom":  "set pod_security instead",
		"app.kubernetes.io/managed-by":       "mark the namespace as its own",
		"kubernetes.io/metadata.name":        "Kubernetes sets it",
	} {
		if why := OwnedLabelReason(key); !strings.Contains(why, want) {
			t.Errorf("OwnedLabelReason(%q) = %q, want %q", key, why, want)
		}
	}
}

func TestNamespaceBlockers(t *testing.T) {
	now := metav1.Now()
	ns := &corev1.Namespace{
		ObjectMeta: metav1.ObjectMeta{Name: "octollm", DeletionTimestamp: &now},
		Spec:       corev1.NamespaceSpec{Finalizers: []corev1.FinalizerName{"kubernetes"}},
		Status: corev1.NamespaceStatus{Phase: corev1.NamespaceTerminating, Conditions: []corev1.NamespaceCondition{
			{Type: corev1.NamespaceFinalizersRemaining, Status: corev1.ConditionTrue, Message: "Some content in the namespace has finalizers remaining: octollm.dev/block in 1 resource instances"},
			{Type: corev1.NamespaceDeletionDiscoveryFailure, Status: corev1.ConditionFalse, Message: "All resources successfully discovered"},
		}},
	}
	obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(ns)
	if err != nil {
		t.Fatal(err)
	}
	got := clients.NamespaceBlockers(&unstructured.Unstructured{Object: obj})
	want := "spec.finalizers: kubernetes (the namespace controller's, removed once the namespace is empty); condition NamespaceFinalizersRemaining: Some content in the namespace has finalizers remaining: octollm.dev/block in 1 resource instances"
	if got != want {
		t.Errorf("NamespaceBlockers = %q\nwant %q", got, want)
	}
}

func TestSchemaIsValid(t *testing.T) {
	ctx := context.Background()
	var resp resource.SchemaResponse
	NewResource().Schema(ctx, resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if d := resp.Schema.ValidateImplementation(ctx); d.HasError() {
		t.Fatal(d)
	}
}
