package clients

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
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

// DeleteNamespaceOrDiag deletes a namespace and waits until it is gone, as a resource's Delete
// does. On failure it adds a diagnostic, on timeouts.delete when the namespace is still
// Terminating at the deadline (timeout), naming what blocks it, and returns false.
func (k *Kube) DeleteNamespaceOrDiag(ctx context.Context, name string, timeout time.Duration, d *diag.Diagnostics) bool {
	err := k.DeleteNamespace(ctx, name)
	var stuck *NamespaceStuckError
	switch {
	case errors.As(err, &stuck):
		d.AddAttributeError(path.Root("timeouts").AtName("delete"), "Namespace "+name+" still exists",
			fmt.Sprintf("namespace %s was still Terminating when the delete timeout (%s) ended. What blocks it: %s. "+
				"Remove the finalizers or resources named there (or fix the API service or webhook the conditions name), or raise timeouts.delete, then run destroy again.",
				name, timeout, stuck.Blockers))
		return false
	case err != nil:
		d.AddError("Cannot delete Namespace "+name, err.Error())
		return false
	}
	return true
}
