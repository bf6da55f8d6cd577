package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// runningKube connects to the sandbox the acceptance tests run against, or skips.
func runningKube(t *testing.T) kubernetes.Interface {
	t.Helper()
	dir := os.Getenv("OCTOLLM_SANDBOX_DIR")
	if os.Getenv("TF_ACC") == "" || dir == "" {
		t.Skip("needs a running sandbox: set TF_ACC=1 and OCTOLLM_SANDBOX_DIR")
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", filepath.Join(dir, "kubeconfig"))
	if err != nil {
		t.Fatal(err)
	}
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return kube
}

// The sandbox's gvisor RuntimeClass has GKE's scheduling rules, so the RuntimeClass admission
// plugin gives sandboxed pods the gVisor node selector and toleration.
func TestAccGVisorRuntimeClassInstalled(t *testing.T) {
	kube := runningKube(t)
	rc, err := kube.NodeV1().RuntimeClasses().Get(context.Background(), "gvisor", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := GVisorRuntimeClass()
	if rc.Handler != "runsc" || !equality.Semantic.DeepEqual(rc.Scheduling, want.Scheduling) {
		t.Errorf("RuntimeClass gvisor: handler %q, scheduling %+v; want runsc, %+v", rc.Handler, rc.Scheduling, want.Scheduling)
	}
}

// Installing is idempotent, and brings a RuntimeClass from an older sandbox (no scheduling
// rules, another handler) to the wanted one. A RuntimeClass of its own name keeps the sandbox's
// gvisor untouched while other tests run.
func TestAccEnsureRuntimeClassIsIdempotent(t *testing.T) {
	kube := runningKube(t)
	ctx := context.Background()
	want := GVisorRuntimeClass()
	want.Name = "gvisor-ensure-test"
	rcs := kube.NodeV1().RuntimeClasses()
	t.Cleanup(func() { _ = rcs.Delete(context.Background(), want.Name, metav1.DeleteOptions{}) })
	check := func(when string) {
		t.Helper()
		rc, err := rcs.Get(ctx, want.Name, metav1.GetOptions{})
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if rc.Handler != want.Handler || !equality.Semantic.DeepEqual(rc.Scheduling, want.Scheduling) {
			t.Errorf("%s: handler %q, scheduling %+v; want %q, %+v", when, rc.Handler, rc.Scheduling, want.Handler, want.Scheduling)
		}
	}

	for _, when := range []string{"first install", "second install"} {
		if err := ensureRuntimeClass(ctx, kube, want); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		check(when)
	}

	stale := want.DeepCopy()
	stale.Scheduling = nil
	live, err := rcs.Get(ctx, want.Name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	live.Scheduling = nil
	if _, err := rcs.Update(ctx, live, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := ensureRuntimeClass(ctx, kube, want); err != nil {
		t.Fatal(err)
	}
	check("after an install without scheduling rules")

	if err := rcs.Delete(ctx, want.Name, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	stale.Handler = "runc"
	stale.ResourceVersion = ""
	if _, err := rcs.Create(ctx, stale, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := ensureRuntimeClass(ctx, kube, want); err != nil {
		t.Fatal(err)
	}
	check("after an install with another handler")
}
