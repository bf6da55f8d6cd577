package clients

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// NamespaceResource is the core Namespace kind.
var NamespaceResource = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}

// NamespaceStuckError reports a namespace still Terminating when the caller's deadline ended,
// with what keeps it.
type NamespaceStuckError struct {
	Name     string
	Blockers string
}

func (e *NamespaceStuckError) Error() string {
	return fmt.Sprintf("namespace %s is still Terminating; what blocks it: %s", e.Name, e.Blockers)
}

// DeleteNamespace deletes a namespace and returns once the namespace controller has emptied
// and removed it, or a *NamespaceStuckError when ctx ends first. A namespace that does not
// exist is already deleted.
func (k *Kube) DeleteNamespace(ctx context.Context, name string) error {
	if err := k.Delete(ctx, NamespaceResource, "", name); err != nil {
		return err
	}
	return k.WaitNamespaceGone(ctx, name)
}

// WaitNamespaceGone waits until a (Terminating) namespace no longer exists, or returns a
// *NamespaceStuckError when ctx ends first.
func (k *Kube) WaitNamespaceGone(ctx context.Context, name string) error {
	var last *unstructured.Unstructured
	err := Poll(ctx, "namespace "+name+" to be deleted", func(ctx context.Context) (bool, string, error) {
		live, err := k.Get(ctx, NamespaceResource, "", name)
		switch {
		case err != nil:
			return false, "", err
		case live == nil:
			return true, "", nil
		}
		last = live
		return false, NamespaceBlockers(live), nil
	})
	if err != nil && ctx.Err() != nil {
		blockers := "it was never read back"
		if last != nil {
			blockers = NamespaceBlockers(last)
		}
		return &NamespaceStuckError{Name: name, Blockers: blockers}
	}
	return err
}

// NamespaceBlockers says what keeps a Terminating namespace: its finalizers and the conditions
// the namespace controller reports (content remaining, finalizers remaining, failures).
func NamespaceBlockers(ns *unstructured.Unstructured) string {
	var live corev1.Namespace
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(ns.Object, &live); err != nil {
		return "unreadable namespace: " + err.Error()
	}
	var parts []string
	if len(live.Spec.Finalizers) > 0 {
		var f []string
		for _, x := range live.Spec.Finalizers {
			if x == corev1.FinalizerKubernetes {
				f = append(f, "kubernetes (the namespace controller's, removed once the namespace is empty)")
			} else {
				f = append(f, string(x))
			}
		}
		parts = append(parts, "spec.finalizers: "+strings.Join(f, ", "))
	}
	if len(live.Finalizers) > 0 {
		parts = append(parts, "metadata.finalizers: "+strings.Join(live.Finalizers, ", "))
	}
	for _, c := range live.Status.Conditions {
		if c.Status == corev1.ConditionTrue {
			parts = append(parts, fmt.Sprintf("condition %s: %s", c.Type, c.Message))
		}
	}
	if live.DeletionTimestamp == nil {
		parts = append(parts, "the namespace is not marked for deletion")
	}
	if len(parts) == 0 {
		return "no finalizers or conditions reported yet; the namespace controller (kube-controller-manager) may not be running"
	}
	return strings.Join(parts, "; ")
}
