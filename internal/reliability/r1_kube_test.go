package reliability

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

// snapshot is every object the provider manages in the given namespaces, and those namespaces,
// as kubeSnapshot reads them (without what the apiserver or a random draw sets).
func snapshot(t *testing.T, namespaces ...string) map[string]string {
	t.Helper()
	return kubeSnapshot(t, nil, namespaces...)
}

// TestAccReliability_R1LiteKubeFaults applies a tenant and a model route twice: once with no
// apiserver faults and once with 20% of the provider's apiserver requests failing (429 with
// Retry-After, 500, 503, connection resets). Both applies complete, the next plan is empty, and
// the Kubernetes objects are the same; destroy completes through the faults too. On a sandbox
// started without apiserver faults (`make test`'s) the provider reaches the apiserver through a
// proxy served in the test, named in its kubernetes block.
func TestAccReliability_R1LiteKubeFaults(t *testing.T) {
	acctest.PreCheck(t)
	route := faultRoute(t)
	t.Cleanup(func() { route.set(t, noKubeFaults) })
	kube := acctest.Kube(t)
	ns := acctest.RandomName("r1")
	if _, err := kube.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kube.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{}) })
	tenant := acctest.RandomName("r1t")
	config := acctest.RequiredProviders() + fmt.Sprintf(`
provider "octollm" {
  namespace = %[1]q
%[3]s}

resource "octollm_tenant" "r1" {
  name                = %[2]q
  allowed_models      = ["gpt-4o-mini", "gpt-4o"]
  deletion_protection = false
  quota {
    requests_per_minute = 100
  }
}

resource "octollm_model_route" "r1" {
  name                 = "r1-summaries"
  tenant               = octollm_tenant.r1.name
  required_capability  = "knowledge"
  min_capability_score = 8
}
`, ns, tenant, route.kubernetesBlock)
	namespaces := []string{ns, "tenant-" + tenant}

	run := func(faultSettings string) map[string]string {
		route.set(t, faultSettings)
		var snap map[string]string
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{Config: config, Check: func(*terraform.State) error { snap = snapshot(t, namespaces...); return nil }},
				{Config: config, ConfigPlanChecks: acctest.NoChanges},
			},
			CheckDestroy: func(*terraform.State) error {
				if left := snapshot(t, namespaces...); len(left) > 0 {
					return fmt.Errorf("destroy left %d managed objects: %v", len(left), slices.Sorted(maps.Keys(left)))
				}
				return nil
			},
		})
		return snap
	}
	clean := run(noKubeFaults)
	if len(clean) == 0 {
		t.Fatal("the apply without faults wrote no managed object")
	}
	before := route.injected(t)
	faulted := run(`{"error_rate":0.2,"kinds":["429","500","503","reset"],"verbs":[],"path_prefix":"","retry_after_seconds":1}`)
	faults := route.injected(t) - before
	if faults == 0 {
		t.Fatal("no fault was injected during the run with 20% apiserver faults: is the provider going through the proxy?")
	}
	var diffs []string
	for _, k := range slices.Sorted(maps.Keys(clean)) {
		if faulted[k] != clean[k] {
			diffs = append(diffs, fmt.Sprintf("%s:\n  without faults %s\n  with faults    %s", k, clean[k], faulted[k]))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(faulted)) {
		if _, ok := clean[k]; !ok {
			diffs = append(diffs, k+": only with faults (a duplicate?)")
		}
	}
	if len(diffs) > 0 {
		t.Errorf("objects differ between the runs with and without apiserver faults:\n%s", strings.Join(diffs, "\n"))
	}
	report(t, "R1-lite", "%d managed objects, equal with and without 20%% apiserver faults; %d faults injected and retried", len(clean), faults)
}
