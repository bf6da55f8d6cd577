package sandbox

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	nodev1 "k8s.io/api/node/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/gkeemu"
)

// GVisorRuntimeClass is the RuntimeClass GKE creates on a cluster with GKE Sandbox: handler
// runsc, and scheduling rules that the RuntimeClass admission plugin copies into every Pod of
// the class, so the scheduler places them only on gVisor nodes (labelled and tainted
// sandbox.gke.io/runtime=gvisor by the GKE emulator, as by GKE).
func GVisorRuntimeClass() *nodev1.RuntimeClass {
	return &nodev1.RuntimeClass{
		ObjectMeta: metav1.ObjectMeta{Name: "gvisor"},
		Handler:    "runsc",
		Scheduling: &nodev1.Scheduling{
			NodeSelector: map[string]string{gkeemu.LabelSandboxRuntime: gkeemu.SandboxRuntimeGVisor},
			Tolerations: []corev1.Toleration{{
				Key:      gkeemu.LabelSandboxRuntime,
				Operator: corev1.TolerationOpEqual,
				Value:    gkeemu.SandboxRuntimeGVisor,
				Effect:   corev1.TaintEffectNoSchedule,
			}},
		},
	}
}

// installGVisorRuntimeClass creates the gvisor RuntimeClass, or brings an existing one (a sandbox
// started before it had scheduling rules) to GVisorRuntimeClass; idempotent across restarts.
func installGVisorRuntimeClass(ctx context.Context, kube kubernetes.Interface) error {
	return ensureRuntimeClass(ctx, kube, GVisorRuntimeClass())
}

// ensureRuntimeClass creates want, or makes an existing RuntimeClass of its name match it: its
// scheduling is updated in place, and a different handler (immutable) replaces it.
func ensureRuntimeClass(ctx context.Context, kube kubernetes.Interface, want *nodev1.RuntimeClass) error {
	rcs := kube.NodeV1().RuntimeClasses()
	_, err := rcs.Create(ctx, want, metav1.CreateOptions{})
	if err == nil {
		return nil
	}
	if !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create RuntimeClass %s: %w", want.Name, err)
	}
	have, err := rcs.Get(ctx, want.Name, metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("read RuntimeClass %s: %w", want.Name, err)
	}
	if have.Handler == want.Handler && equality.Semantic.DeepEqual(have.Scheduling, want.Scheduling) {
		return nil
	}
	if have.Handler != want.Handler {
		if err := rcs.Delete(ctx, want.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			return fmt.Errorf("replace RuntimeClass %s: %w", want.Name, err)
		}
		if _, err := rcs.Create(ctx, want, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("create RuntimeClass %s: %w", want.Name, err)
		}
		return nil
	}
	have.Scheduling = want.Scheduling
	if _, err := rcs.Update(ctx, have, metav1.UpdateOptions{}); err != nil {
		return fmt.Errorf("update RuntimeClass %s: %w", want.Name, err)
	}
	return nil
}
