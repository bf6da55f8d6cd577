package compliance_test

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/compliance"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// check runs one mechanism's check on the live sandbox, the way the resource does.
func check(t *testing.T, mechanism string, scope compliance.Scope, params map[string]string) compliance.MechanismResult {
	t.Helper()
	rd := &compliance.Reader{Kube: providerKube(t), GKE: acctest.GKE(t), PlatformNS: platformNS}
	snap, err := rd.Snapshot(ctx(t), scope, []string{mechanism})
	if err != nil {
		t.Fatal(err)
	}
	return compliance.Check(mechanism, snap, params)
}

func wantPass(t *testing.T, r compliance.MechanismResult) {
	t.Helper()
	if !r.Passed {
		t.Fatalf("%s: want pass, got findings %+v", r.Mechanism, r.Findings)
	}
}

func wantFail(t *testing.T, r compliance.MechanismResult, object, message string) {
	t.Helper()
	if r.Passed {
		t.Fatalf("%s: want a finding about %s, got pass (checked %v)", r.Mechanism, object, r.Checked)
	}
	for _, f := range r.Findings {
		if f.Object == object && strings.Contains(f.Message, message) {
			return
		}
	}
	t.Fatalf("%s: no finding on %s containing %q: %+v", r.Mechanism, object, message, r.Findings)
}

func psaLabels(level string) map[string]string {
	return map[string]string{
		"pod-security.kubernetes.io/enforce": level, "pod-security.kubernetes.io/audit": level, "pod-security.kubernetes.io/warn": level,
	}
}

// TestAccMechanismChecks shows every mechanism's check passing and failing on the sandbox.
// The subtests change cluster-wide state (GKE settings, cluster-admin bindings), so the
// package's tests run one at a time.
func TestAccMechanismChecks(t *testing.T) {
	acctest.PreCheck(t)
	cs := acctest.Kube(t)
	ensureNamespace(t, cs, platformNS, nil, nil, false)
	one := func(ns string) compliance.Scope { return compliance.Scope{Namespaces: []string{ns}} }

	t.Run(compliance.PodSecurityRestricted, func(t *testing.T) {
		good, bad := acctest.RandomName("cmp-psa"), acctest.RandomName("cmp-psa")
		ensureNamespace(t, cs, good, psaLabels("restricted"), nil, true)
		ensureNamespace(t, cs, bad, psaLabels("baseline"), nil, true)
		wantPass(t, check(t, compliance.PodSecurityRestricted, one(good), nil))
		wantFail(t, check(t, compliance.PodSecurityRestricted, one(bad), nil), "namespace/"+bad, `pod-security.kubernetes.io/enforce="baseline"`)
		wantFail(t, check(t, compliance.PodSecurityRestricted, one("cmp-missing"), nil), "namespace/cmp-missing", "does not exist")
	})

	t.Run(compliance.DefaultDenyNetwork, func(t *testing.T) {
		ns := acctest.RandomName("cmp-net")
		ensureNamespace(t, cs, ns, nil, nil, true)
		pols := cs.NetworkingV1().NetworkPolicies(ns)
		ingressOnly := &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "deny-ingress"},
			Spec: networkingv1.NetworkPolicySpec{PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}}}
		if _, err := pols.Create(ctx(t), ingressOnly, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		wantFail(t, check(t, compliance.DefaultDenyNetwork, one(ns), nil), "namespace/"+ns, "denies all egress")
		egress := &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "deny-egress"},
			Spec: networkingv1.NetworkPolicySpec{PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}}}
		if _, err := pols.Create(ctx(t), egress, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		r := check(t, compliance.DefaultDenyNetwork, one(ns), nil)
		wantPass(t, r)
		if !contains(r.Checked, "networkpolicy/"+ns+"/deny-egress") {
			t.Fatalf("checked objects %v lack the policies", r.Checked)
		}
	})

	t.Run(compliance.RBACLeastPrivilege, func(t *testing.T) {
		ns := acctest.RandomName("cmp-rbac")
		ensureNamespace(t, cs, ns, nil, nil, true)
		roles := cs.RbacV1().Roles(ns)
		if _, err := roles.Create(ctx(t), &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: "reader"},
			Rules: []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: []string{"get", "list"}}}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		wantPass(t, check(t, compliance.RBACLeastPrivilege, one(ns), nil))

		crb := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: acctest.RandomName("cmp-alice-admin")},
			RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "cluster-admin"},
			Subjects: []rbacv1.Subject{{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: "alice@example.com"}}}
		if _, err := cs.RbacV1().ClusterRoleBindings().Create(ctx(t), crb, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		wantFail(t, check(t, compliance.RBACLeastPrivilege, one(ns), nil), "clusterrolebinding/"+crb.Name, "User alice@example.com is bound to cluster-admin")
		if err := cs.RbacV1().ClusterRoleBindings().Delete(ctx(t), crb.Name, metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		wantPass(t, check(t, compliance.RBACLeastPrivilege, one(ns), nil))

		if _, err := roles.Create(ctx(t), &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: "everything"},
			Rules: []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"*"}, Verbs: []string{"*"}}}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		wantFail(t, check(t, compliance.RBACLeastPrivilege, one(ns), nil), "role/"+ns+"/everything", "wildcard verbs or resources")
	})

	gke := []struct {
		mechanism, off, message string
	}{
		{compliance.SecretsEncryption, `{"databaseEncryption": {"state": "DECRYPTED"}}`, "application-layer secrets encryption is off"},
		{compliance.AuditLogging, `{"loggingConfig": {"componentConfig": {"enableComponents": ["SYSTEM_COMPONENTS"]}}}`, "does not send WORKLOADS, APISERVER logs"},
		{compliance.WorkloadIdentity, `{"workloadIdentityConfig": {}}`, "Workload Identity is off"},
		{compliance.ShieldedNodes, `{"shieldedNodes": {}}`, "Shielded GKE Nodes are off"},
		{compliance.BinaryAuthorization, `{"binaryAuthorization": {"evaluationMode": "DISABLED"}}`, "Binary Authorization is not enforced (evaluationMode DISABLED)"},
	}
	for _, c := range gke {
		t.Run(c.mechanism, func(t *testing.T) {
			wantPass(t, check(t, c.mechanism, one(platformNS), nil))
			setGKESecurity(t, c.off)
			wantFail(t, check(t, c.mechanism, one(platformNS), nil), "gke-cluster/octollm", c.message)
		})
	}
	t.Run(compliance.SecretsEncryption+"/not_kms", func(t *testing.T) {
		setGKESecurity(t, `{"databaseEncryption": {"state": "ENCRYPTED", "keyName": "my-local-key"}}`)
		wantFail(t, check(t, compliance.SecretsEncryption, one(platformNS), nil), "gke-cluster/octollm", `keyName "my-local-key" is not a Cloud KMS key`)
	})

	t.Run(compliance.ImageDigestPinning, func(t *testing.T) {
		ns := acctest.RandomName("cmp-img")
		ensureNamespace(t, cs, ns, nil, nil, true)
		wantPass(t, check(t, compliance.ImageDigestPinning, one(ns), nil))
		zero := int32(0)
		labels := map[string]string{"app.kubernetes.io/part-of": "octollm", contract.ManagedByLabel: contract.ManagedByValue, "app": "planner"}
		d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "planner", Labels: labels}, Spec: appsv1.DeploymentSpec{
			Replicas: &zero, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "planner"}},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "planner", Image: "ghcr.io/octollm/planner:1.2.0"}}}}}}
		if _, err := cs.AppsV1().Deployments(ns).Create(ctx(t), d, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		wantFail(t, check(t, compliance.ImageDigestPinning, one(ns), nil), "deployment/"+ns+"/planner", `image "ghcr.io/octollm/planner:1.2.0", which is not pinned by digest`)
		pin := `{"spec":{"template":{"spec":{"containers":[{"name":"planner","image":"ghcr.io/octollm/planner:1.2.0@sha256:` + strings.Repeat("ab", 32) + `"}]}}}}`
		if _, err := cs.AppsV1().Deployments(ns).Patch(ctx(t), d.Name, types.StrategicMergePatchType, []byte(pin), metav1.PatchOptions{}); err != nil {
			t.Fatal(err)
		}
		r := check(t, compliance.ImageDigestPinning, one(ns), nil)
		wantPass(t, r)
		if !contains(r.Checked, "deployment/"+ns+"/planner") {
			t.Fatalf("checked %v lacks the component", r.Checked)
		}
		if err := cs.AppsV1().Deployments(ns).Delete(ctx(t), "planner", metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run(compliance.DataRetention, func(t *testing.T) {
		short, long, none := acctest.RandomName("cmp-ret"), acctest.RandomName("cmp-ret"), acctest.RandomName("cmp-ret")
		ensureNamespace(t, cs, short, nil, map[string]string{contract.DataRetentionAnnotation: "7"}, true)
		ensureNamespace(t, cs, long, nil, map[string]string{contract.DataRetentionAnnotation: "90"}, true)
		ensureNamespace(t, cs, none, nil, nil, true)
		params := map[string]string{"retention_days": "30"}
		wantPass(t, check(t, compliance.DataRetention, one(short), params))
		wantFail(t, check(t, compliance.DataRetention, one(long), params), "namespace/"+long, "retention period of 90 days exceeds retention_days = 30")
		wantFail(t, check(t, compliance.DataRetention, one(none), params), "namespace/"+none, "no retention period recorded")
	})

	t.Run(compliance.TenantErasure, func(t *testing.T) {
		tenant := acctest.RandomName("cmp")
		ns := "tenant-" + tenant
		ensureNamespace(t, cs, ns, map[string]string{contract.TenantLabel: tenant}, nil, true)
		wantFail(t, check(t, compliance.TenantErasure, one(platformNS), nil), "namespace/"+ns, "has no tenant record")
		secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "octollm-tenant-" + tenant + "-key", Labels: map[string]string{
			"octollm.dev/kind": "api-key", contract.TenantLabel: tenant, contract.ManagedByLabel: contract.ManagedByValue}}}
		if _, err := cs.CoreV1().Secrets(platformNS).Create(ctx(t), secret, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cs.CoreV1().Secrets(platformNS).Delete(ctx(t), secret.Name, metav1.DeleteOptions{}) })
		r := check(t, compliance.TenantErasure, one(platformNS), nil)
		wantPass(t, r)
		if !contains(r.Checked, "namespace/"+ns) {
			t.Fatalf("checked %v lacks the tenant namespace", r.Checked)
		}
	})
}
