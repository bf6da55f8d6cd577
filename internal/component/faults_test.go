package component_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox/faults"
)

// An apiserver answering 503 when the provider checks the component's ServiceAccount is not a
// missing ServiceAccount: the check is retried and the apply completes (issue 16's R1 met
// "ServiceAccount not found ... injected fault" with 20% apiserver faults). Every GET of the
// ServiceAccount fails until one has failed; then the faults stop.
func TestAccComponent_serviceAccountCheckRetriesApiserverFaults(t *testing.T) {
	acctest.PreCheck(t)
	ns, kube := restrictedNamespace(t)
	ctx := context.Background()
	if _, err := kube.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "octollm-gateway"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	inj, err := faults.NewKube(faults.KubeSettings{ErrorRate: 1, Kinds: []faults.KubeKind{faults.KubeUnavailable}, Verbs: []string{"get"},
		PathPrefix: "/api/v1/namespaces/" + ns + "/serviceaccounts/octollm-gateway"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := acctest.KubeFaultProxy(t, inj)
	// Lift the faults once the check has met one.
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go func() {
		for inj.Injected()[faults.KubeUnavailable] == 0 {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
		_ = inj.Set(faults.KubeSettings{})
	}()

	config := fmt.Sprintf(`
provider "octollm" {
%[1]s}

resource "octollm_component" "gateway" {
  name                 = "gateway"
  namespace            = %[2]q
  kind                 = "gateway"
  image                = "ghcr.io/acme/octollm-gateway:1.4.2"
  port                 = 8080
  replicas             = 1
  health_path          = "/readyz"
  wait_for_rollout     = false
  service_account_name = "octollm-gateway"
}
`, block, ns)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: acctest.RequiredProviders() + config}},
	})
	if n := inj.Injected()[faults.KubeUnavailable]; n == 0 {
		t.Errorf("no fault was injected: the provider did not go through the proxy")
	}
}
