package compliance

import (
	"context"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

var (
	namespaceResource     = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	networkPolicyResource = schema.GroupVersionResource{Group: "networking.k8s.io", Version: "v1", Resource: "networkpolicies"}
)

// ControlLabel marks the objects a control wrote (its NetworkPolicies, its evidence).
const ControlLabel = "octollm.io/compliance-control"

// FieldManager is the server-side apply field manager of a control. Each control has its own,
// so it owns only the labels it sets on namespaces other resources own, and dropping a
// control releases them without touching the others'.
func FieldManager(c Control) string { return "octollm-compliance/" + c.Framework + "/" + c.ID }

// PolicyName is the default-deny NetworkPolicy a control creates in each scoped namespace.
func PolicyName(c Control) string { return "compliance-" + ObjectName(c.Framework, c.ID) + "-deny" }

// DesiredNamespace is what a control sets on a namespace: restricted Pod Security labels and
// the retention annotation, as its mechanisms ask. Nil when it sets nothing there.
func DesiredNamespace(c Control, name string, params map[string]string) *unstructured.Unstructured {
	meta := map[string]any{"name": name}
	if slices.Contains(c.Mechanisms, PodSecurityRestricted) {
		l := map[string]any{}
		for _, mode := range podSecurityModes {
			l[contract.PodSecurityPrefix+mode] = restricted
		}
		meta["labels"] = l
	}
	if slices.Contains(c.Mechanisms, DataRetention) {
		meta["annotations"] = map[string]any{contract.DataRetentionAnnotation: params[retentionDays.Name]}
	}
	if len(meta) == 1 {
		return nil
	}
	return &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": meta}}
}

// DesiredPolicy is the default-deny NetworkPolicy of a control in a namespace: every Pod,
// Ingress and Egress, no rules.
func DesiredPolicy(c Control, namespace string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
		"metadata": map[string]any{"name": PolicyName(c), "namespace": namespace, "labels": map[string]any{
			contract.ManagedByLabel: contract.ManagedByValue, contract.PartOfLabel: contract.PartOfValue, ControlLabel: ObjectName(c.Framework, c.ID),
		}},
		"spec": map[string]any{"podSelector": map[string]any{}, "policyTypes": []any{"Ingress", "Egress"}},
	}}
}

// Enforce applies what fixes e's enforceable findings and returns the objects it wrote.
// Only namespaces that exist are written: a missing namespace is never created here.
func Enforce(ctx context.Context, k *clients.Kube, c Control, e Evaluation, params map[string]string) ([]string, error) {
	nsFix, policyFix := map[string]bool{}, map[string]bool{}
	for _, f := range e.Findings() {
		name, ok := strings.CutPrefix(f.Object, "namespace/")
		if !f.Enforceable || !ok {
			continue
		}
		if f.Mechanism == DefaultDenyNetwork {
			policyFix[name] = true
		} else {
			nsFix[name] = true
		}
	}
	written := []string{}
	for _, name := range slices.Sorted(maps.Keys(nsFix)) {
		// The whole of what this control sets goes in every apply, since fields its field
		// manager set before and leaves out would be removed.
		if obj := DesiredNamespace(c, name, params); obj != nil {
			if _, err := k.ApplyAs(ctx, FieldManager(c), namespaceResource, obj); err != nil {
				return written, err
			}
			written = append(written, "namespace/"+name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(policyFix)) {
		if _, err := k.ApplyAs(ctx, FieldManager(c), networkPolicyResource, DesiredPolicy(c, name)); err != nil {
			return written, err
		}
		written = append(written, "networkpolicy/"+name+"/"+PolicyName(c))
	}
	return written, nil
}

// Release undoes what a control enforced in the given namespaces: it drops the control's
// field manager from each namespace (removing the labels and annotation only it set; those
// another resource also sets stay) and deletes its NetworkPolicy.
func Release(ctx context.Context, k *clients.Kube, c Control, namespaces []string) error {
	for _, name := range namespaces {
		if c.Enforceable() && DesiredNamespace(c, name, nil) != nil {
			live, err := k.Get(ctx, namespaceResource, "", name)
			if err != nil {
				return err
			}
			if live != nil && managedBy(live, FieldManager(c)) {
				empty := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": name}}}
				if _, err := k.ApplyAs(ctx, FieldManager(c), namespaceResource, empty); err != nil {
					return err
				}
			}
		}
		if slices.Contains(c.Mechanisms, DefaultDenyNetwork) {
			live, err := k.Get(ctx, networkPolicyResource, name, PolicyName(c))
			if err != nil {
				return err
			}
			if clients.OwnedBy(live) {
				if err := k.Delete(ctx, networkPolicyResource, name, PolicyName(c)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func managedBy(obj *unstructured.Unstructured, manager string) bool {
	for _, f := range obj.GetManagedFields() {
		if f.Manager == manager {
			return true
		}
	}
	return false
}
