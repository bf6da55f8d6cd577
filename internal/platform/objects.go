package platform

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// The object kinds this resource writes.
var (
	NamespaceResource      = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	ServiceAccountResource = schema.GroupVersionResource{Version: "v1", Resource: "serviceaccounts"}
	RoleResource           = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "roles"}
	RoleBindingResource    = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings"}
)

// The gateway's component label value, and the Pod Security Admission labels the provider derives
// from pod_security (package contract holds the label names the families share).
const (
	// GatewayComponent marks the gateway's ServiceAccount, Role and RoleBinding; import finds
	// the ServiceAccount by it.
	GatewayComponent = "gateway"

	PSAEnforce        = contract.PodSecurityPrefix + "enforce"
	PSAEnforceVersion = contract.PodSecurityPrefix + "enforce-version"
	PSAAudit          = contract.PodSecurityPrefix + "audit"
	PSAWarn           = contract.PodSecurityPrefix + "warn"
	PSAVersion        = "latest"

	// InSync is gateway_rbac's value when the gateway's ServiceAccount, Role and RoleBinding
	// are exactly what the configuration asks for.
	InSync = "in sync"
)

// PodSecurityLevels are the Pod Security Standards a platform namespace may enforce.
var PodSecurityLevels = []string{"restricted", "baseline"}

// Spec is the platform as the configuration wants it.
type Spec struct {
	Namespace             string
	PodSecurity           string // restricted or baseline
	GatewayServiceAccount string
	Labels                map[string]string // the user's extra namespace labels
	Network               NetworkSpec       // network_policy
}

// RoleName names the gateway's Role and RoleBinding after its ServiceAccount.
func RoleName(serviceAccount string) string { return serviceAccount + "-reader" }

// ownedLabel reports whether key is a namespace label the provider or the apiserver sets, so
// never a user label.
func ownedLabel(key string) bool {
	return strings.HasPrefix(key, contract.PodSecurityPrefix) || key == contract.ManagedByLabel || key == contract.PartOfLabel || key == contract.NamespaceNameLabel
}

// OwnedLabelReason says why key may not be in labels, or "" when it may.
func OwnedLabelReason(key string) string {
	switch {
	case strings.HasPrefix(key, contract.PodSecurityPrefix):
		return "the provider sets the Pod Security labels from pod_security: remove it from labels and set pod_security instead"
	case key == contract.ManagedByLabel || key == contract.PartOfLabel:
		return "the provider sets it to mark the namespace as its own: remove it from labels"
	case key == contract.NamespaceNameLabel:
		return "Kubernetes sets it to the namespace's name: remove it from labels"
	}
	return ""
}

func commonLabels(component string) map[string]any {
	l := map[string]any{contract.ManagedByLabel: contract.ManagedByValue, contract.PartOfLabel: contract.PartOfValue}
	if component != "" {
		l[contract.ComponentLabel] = component
	}
	return l
}

// NamespaceLabels is every label the namespace carries: the provider's, the Pod Security
// Admission labels, and the user's.
func (s Spec) NamespaceLabels() map[string]string {
	out := map[string]string{}
	for k, v := range s.Labels {
		out[k] = v
	}
	for k, v := range commonLabels("") {
		out[k] = v.(string)
	}
	out[PSAEnforce] = s.PodSecurity
	out[PSAEnforceVersion] = PSAVersion
	out[PSAAudit] = s.PodSecurity
	out[PSAWarn] = s.PodSecurity
	return out
}

// NamespaceObject builds the Namespace.
func (s Spec) NamespaceObject() *unstructured.Unstructured {
	labels := map[string]any{}
	for k, v := range s.NamespaceLabels() {
		labels[k] = v
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1",
		"kind":       "Namespace",
		"metadata":   map[string]any{"name": s.Namespace, "labels": labels},
	}}
}

func (s Spec) meta(name string) map[string]any {
	return map[string]any{"name": name, "namespace": s.Namespace, "labels": commonLabels(GatewayComponent)}
}

// ServiceAccount builds the gateway's identity.
func (s Spec) ServiceAccount() *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion":                   "v1",
		"kind":                         "ServiceAccount",
		"metadata":                     s.meta(s.GatewayServiceAccount),
		"automountServiceAccountToken": true,
	}}
}

// GatewayRules is everything the gateway may do: read ConfigMaps, which hold the model routes
// (octollm.dev/kind=model-route), and Secrets, which hold the tenants' API-key hashes
// (octollm.dev/kind=api-key), in the platform namespace only. No writes.
func GatewayRules() []rbacv1.PolicyRule {
	return []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"configmaps", "secrets"}, Verbs: []string{"get", "list", "watch"}}}
}

// Role builds the gateway's read-only Role.
func (s Spec) Role() *unstructured.Unstructured {
	var rules []any
	for _, r := range GatewayRules() {
		rules = append(rules, map[string]any{"apiGroups": anys(r.APIGroups), "resources": anys(r.Resources), "verbs": anys(r.Verbs)})
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "rbac.authorization.k8s.io/v1",
		"kind":       "Role",
		"metadata":   s.meta(RoleName(s.GatewayServiceAccount)),
		"rules":      rules,
	}}
}

func (s Spec) roleRef() rbacv1.RoleRef {
	return rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: RoleName(s.GatewayServiceAccount)}
}

func (s Spec) subject() rbacv1.Subject {
	return rbacv1.Subject{Kind: "ServiceAccount", Name: s.GatewayServiceAccount, Namespace: s.Namespace}
}

// RoleBinding builds the binding of the Role to the ServiceAccount.
func (s Spec) RoleBinding() *unstructured.Unstructured {
	ref, sub := s.roleRef(), s.subject()
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "rbac.authorization.k8s.io/v1",
		"kind":       "RoleBinding",
		"metadata":   s.meta(RoleName(s.GatewayServiceAccount)),
		"roleRef":    map[string]any{"apiGroup": ref.APIGroup, "kind": ref.Kind, "name": ref.Name},
		"subjects":   []any{map[string]any{"kind": sub.Kind, "name": sub.Name, "namespace": sub.Namespace}},
	}}
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// PodSecurityFrom reads pod_security back from the namespace's labels: the enforced level when
// the four Pod Security labels are what the provider writes for it, otherwise a description of
// the live labels, so that any drift in them shows in the plan as a change to pod_security.
func PodSecurityFrom(labels map[string]string) string {
	enforce := labels[PSAEnforce]
	consistent := enforce != "" && labels[PSAAudit] == enforce && labels[PSAWarn] == enforce && labels[PSAEnforceVersion] == PSAVersion
	var extra []string
	for k := range labels {
		if strings.HasPrefix(k, contract.PodSecurityPrefix) && k != PSAEnforce && k != PSAEnforceVersion && k != PSAAudit && k != PSAWarn {
			extra = append(extra, k)
		}
	}
	if consistent && len(extra) == 0 {
		return enforce
	}
	show := func(k string) string {
		if v, ok := labels[k]; ok {
			return strings.TrimPrefix(k, contract.PodSecurityPrefix) + "=" + v
		}
		return strings.TrimPrefix(k, contract.PodSecurityPrefix) + " unset"
	}
	parts := []string{show(PSAEnforce), show(PSAEnforceVersion), show(PSAAudit), show(PSAWarn)}
	slices.Sort(extra)
	for _, k := range extra {
		parts = append(parts, show(k))
	}
	return "drifted: " + strings.Join(parts, ", ")
}

// UserLabels is the namespace's labels less the ones the provider and the apiserver set.
func UserLabels(labels map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range labels {
		if !ownedLabel(k) {
			out[k] = v
		}
	}
	return out
}

// ExtraLabels lists the live namespace labels the configuration does not have (set out of
// band, or left behind by another field manager), which apply removes. The apiserver's
// kubernetes.io/metadata.name stays.
func (s Spec) ExtraLabels(live map[string]string) []string {
	want := s.NamespaceLabels()
	var out []string
	for k := range live {
		if _, ok := want[k]; !ok && k != contract.NamespaceNameLabel {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// RBACStatus compares the live gateway objects (nil when absent) with the spec: InSync, or what
// differs, which Read stores in gateway_rbac so the plan shows an update that restores them.
func (s Spec) RBACStatus(sa, role, binding *unstructured.Unstructured) string {
	var drift []string
	saName, roleName := s.GatewayServiceAccount, RoleName(s.GatewayServiceAccount)
	if sa == nil {
		drift = append(drift, "ServiceAccount "+saName+" is missing")
	} else {
		var live corev1.ServiceAccount
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(sa.Object, &live); err != nil {
			drift = append(drift, "ServiceAccount "+saName+" is unreadable: "+err.Error())
		} else if live.AutomountServiceAccountToken == nil || !*live.AutomountServiceAccountToken {
			drift = append(drift, "ServiceAccount "+saName+" does not automount its token")
		}
	}
	if role == nil {
		drift = append(drift, "Role "+roleName+" is missing")
	} else {
		var live rbacv1.Role
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(role.Object, &live); err != nil {
			drift = append(drift, "Role "+roleName+" is unreadable: "+err.Error())
		} else if !sameRules(live.Rules, GatewayRules()) {
			drift = append(drift, "Role "+roleName+" grants "+describeRules(live.Rules)+" instead of "+describeRules(GatewayRules()))
		}
	}
	if binding == nil {
		drift = append(drift, "RoleBinding "+roleName+" is missing")
	} else {
		var live rbacv1.RoleBinding
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(binding.Object, &live); err != nil {
			drift = append(drift, "RoleBinding "+roleName+" is unreadable: "+err.Error())
		} else {
			if live.RoleRef != s.roleRef() {
				drift = append(drift, fmt.Sprintf("RoleBinding %s refers to %s %s instead of Role %s", roleName, live.RoleRef.Kind, live.RoleRef.Name, roleName))
			}
			if len(live.Subjects) != 1 || live.Subjects[0] != s.subject() {
				drift = append(drift, "RoleBinding "+roleName+" binds "+describeSubjects(live.Subjects)+" instead of ServiceAccount "+s.Namespace+"/"+saName)
			}
		}
	}
	if len(drift) == 0 {
		return InSync
	}
	return "drifted: " + strings.Join(drift, "; ")
}

// sameRules compares rule lists as sets of (group, resource, verb, name) grants.
func sameRules(a, b []rbacv1.PolicyRule) bool {
	return maps.Equal(grants(a), grants(b))
}

func grants(rules []rbacv1.PolicyRule) map[string]bool {
	out := map[string]bool{}
	for _, r := range rules {
		names := r.ResourceNames
		if len(names) == 0 {
			names = []string{"*"}
		}
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				for _, v := range r.Verbs {
					for _, n := range names {
						out[g+"|"+res+"|"+v+"|"+n] = true
					}
				}
			}
		}
		for _, u := range r.NonResourceURLs {
			for _, v := range r.Verbs {
				out["url|"+u+"|"+v] = true
			}
		}
	}
	return out
}

func describeRules(rules []rbacv1.PolicyRule) string {
	if len(rules) == 0 {
		return "nothing"
	}
	var parts []string
	for _, r := range rules {
		res := strings.Join(r.Resources, ",")
		if len(r.NonResourceURLs) > 0 {
			res = strings.Join(r.NonResourceURLs, ",")
		}
		parts = append(parts, strings.Join(r.Verbs, "/")+" on "+res)
	}
	return strings.Join(parts, " and ")
}

func describeSubjects(subjects []rbacv1.Subject) string {
	if len(subjects) == 0 {
		return "no one"
	}
	var parts []string
	for _, s := range subjects {
		name := s.Name
		if s.Namespace != "" {
			name = s.Namespace + "/" + s.Name
		}
		parts = append(parts, s.Kind+" "+name)
	}
	return strings.Join(parts, ", ")
}

// SameRoleRef reports whether a live RoleBinding refers to the spec's Role. roleRef cannot
// change, so a binding that refers elsewhere is deleted and created again.
func (s Spec) SameRoleRef(binding *unstructured.Unstructured) bool {
	var live rbacv1.RoleBinding
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(binding.Object, &live); err != nil {
		return false
	}
	return live.RoleRef == s.roleRef()
}
