package clients

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// FieldManager is the one server-side apply field manager of every object the provider writes.
// Ownership is the label contract.ManagedByLabel=contract.ManagedByValue: every object the
// provider writes carries it, and Create refuses to take over an object without it.
const FieldManager = "terraform-provider-octollm"

// OwnedBy reports whether obj carries the provider's managed-by label.
func OwnedBy(obj *unstructured.Unstructured) bool {
	return obj != nil && obj.GetLabels()[contract.ManagedByLabel] == contract.ManagedByValue
}

// Apply writes obj with server-side apply under the provider's field manager, forcing
// ownership of the fields it sets (Terraform is their source of truth) and leaving fields it
// does not set, such as a Deployment's replicas under an HPA, to their owners.
func (k *Kube) Apply(ctx context.Context, gvr schema.GroupVersionResource, obj *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	return k.ApplyAs(ctx, FieldManager, gvr, obj)
}

// ApplyAs is Apply under another field manager, for writers that set a few fields of objects
// other resources own (compliance labels on a tenant's namespace): applying under the shared
// manager would drop the fields that manager set before and this object leaves out.
func (k *Kube) ApplyAs(ctx context.Context, manager string, gvr schema.GroupVersionResource, obj *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	body, err := json.Marshal(obj.Object)
	if err != nil {
		return nil, err
	}
	force := true
	var out *unstructured.Unstructured
	err = Retry(ctx, KubeTransient, fmt.Sprintf("apply %s %s/%s", gvr.Resource, obj.GetNamespace(), obj.GetName()), func(ctx context.Context) error {
		var err error
		out, err = k.Dynamic.Resource(gvr).Namespace(obj.GetNamespace()).Patch(ctx, obj.GetName(), types.ApplyPatchType, body,
			metav1.PatchOptions{FieldManager: manager, Force: &force})
		return err
	})
	if err != nil {
		return nil, k.Error(fmt.Sprintf("apply %s %s/%s", gvr.Resource, obj.GetNamespace(), obj.GetName()), err)
	}
	return out, nil
}

// Get reads an object; it returns (nil, nil) when the object does not exist.
func (k *Kube) Get(ctx context.Context, gvr schema.GroupVersionResource, namespace, name string) (*unstructured.Unstructured, error) {
	var out *unstructured.Unstructured
	err := Retry(ctx, KubeTransient, fmt.Sprintf("read %s %s/%s", gvr.Resource, namespace, name), func(ctx context.Context) error {
		var err error
		out, err = k.Dynamic.Resource(gvr).Namespace(namespace).Get(ctx, name, metav1.GetOptions{})
		return err
	})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, k.Error(fmt.Sprintf("read %s %s/%s", gvr.Resource, namespace, name), err)
	}
	return out, nil
}

// Delete removes an object; one already gone is not an error.
func (k *Kube) Delete(ctx context.Context, gvr schema.GroupVersionResource, namespace, name string) error {
	err := Retry(ctx, KubeTransient, fmt.Sprintf("delete %s %s/%s", gvr.Resource, namespace, name), func(ctx context.Context) error {
		return k.Dynamic.Resource(gvr).Namespace(namespace).Delete(ctx, name, metav1.DeleteOptions{})
	})
	if err != nil && !apierrors.IsNotFound(err) {
		return k.Error(fmt.Sprintf("delete %s %s/%s", gvr.Resource, namespace, name), err)
	}
	return nil
}

// HasAPI reports whether the apiserver serves resource in groupVersion (a CRD may be absent).
func (k *Kube) HasAPI(ctx context.Context, groupVersion, resource string) (bool, error) {
	var list *metav1.APIResourceList
	err := Retry(ctx, KubeTransient, "discover "+groupVersion, func(context.Context) error {
		var err error
		list, err = k.Clientset.Discovery().ServerResourcesForGroupVersion(groupVersion)
		return err
	})
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, k.Error("discover "+groupVersion, err)
	}
	for _, r := range list.APIResources {
		if r.Name == resource {
			return true, nil
		}
	}
	return false, nil
}

// KubeTransient reports whether a Kubernetes error is worth retrying: 429, 5xx, optimistic-lock
// conflicts and lost connections (ConnectionLost).
func KubeTransient(err error) bool {
	if apierrors.IsConflict(err) || apierrors.IsTooManyRequests(err) || apierrors.IsServerTimeout(err) ||
		apierrors.IsInternalError(err) || apierrors.IsServiceUnavailable(err) {
		return true
	}
	var status apierrors.APIStatus
	if errors.As(err, &status) && status.Status().Code >= 500 {
		return true
	}
	return ConnectionLost(err)
}

// ConnectionLost reports whether err says the connection to a backend broke under a request
// (reset, broken pipe, closed under a read or write, closed before or during the answer): the request may or
// may not have been served, so only a call that is safe to repeat (a read, a server-side apply,
// an update with a resourceVersion, a create that then finds its object) retries on it.
func ConnectionLost(err error) bool {
	if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"connection reset", "broken pipe", "use of closed network connection", "http2: client connection lost", "unexpected EOF"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
