package exposure_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

// The docs' example, examples/resources/octollm_gateway_exposure, applied as a registry user
// copies it, in a namespace of the test's own holding the gateway's ServiceAccount (what
// octollm_platform makes): the gateway component rolls out, the public exposure waits until
// GKE's controller (played by the test) programs its Gateway and the output carries the
// address, the internal one terminates TLS with its Secret on the regional class; an empty
// plan after.
func TestAccGatewayExposure_docsExample(t *testing.T) {
	acctest.PreCheck(t)
	kube := acctest.Kube(t)
	ns := acctest.RandomName("expo")
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kube.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{}) })
	if _, err := kube.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "octollm-gateway"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	d := dyn(t)
	const address = "34.120.7.9"
	go programGateway(ctx, d, ns, "public", address)
	config := acctest.Example(t, "octollm_gateway_exposure",
		`= "octollm"`, fmt.Sprintf("= %q", ns),
		// A load balancer takes minutes; the test's stand-in controller, a moment.
		`create = "30m"`, `create = "5m"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_gateway_exposure.public", tfjsonpath.New("url"), knownvalue.StringExact("https://api.octollm.example.com")),
					statecheck.ExpectKnownOutputValue("gateway_address", knownvalue.StringExact(address)),
					statecheck.ExpectKnownValue("octollm_gateway_exposure.internal", tfjsonpath.New("gateway_class"), knownvalue.StringExact("gke-l7-rilb")),
					statecheck.ExpectKnownValue("octollm_gateway_exposure.internal", tfjsonpath.New("address"), knownvalue.Null()),
				},
				Check: func(*terraform.State) error {
					live := map[string]*unstructured.Unstructured{}
					for _, o := range [][2]string{{"HTTPRoute", "public"}, {"HealthCheckPolicy", "public"}, {"Gateway", "internal"}} {
						obj, err := get(t, d, ns, o[0], o[1])
						if err != nil {
							return err
						}
						live[o[0]+"/"+o[1]] = obj
					}
					public, policy, internal := live["HTTPRoute/public"], live["HealthCheckPolicy/public"], live["Gateway/internal"]
					if _, err := get(t, d, ns, "HTTPRoute", "internal-http-redirect"); !apierrors.IsNotFound(err) {
						return fmt.Errorf("the internal exposure, with http_to_https_redirect = false, has an HTTP redirect route (read: %w)", err)
					}
					backend := nested(public, "spec", "rules").([]any)[0].(map[string]any)["backendRefs"].([]any)[0].(map[string]any)
					https := listener(internal, "https")
					return checkAll(
						expect("public route backend", []any{backend["name"], backend["port"]}, []any{"gateway", int64(8080)}),
						expect("health check interval and path", []any{
							nested(policy, "spec", "default", "checkIntervalSec"), nested(policy, "spec", "default", "timeoutSec"),
							nested(policy, "spec", "default", "config", "httpHealthCheck", "requestPath"),
						}, []any{int64(10), int64(5), "/readyz"}),
						expect("internal TLS", https["tls"], map[string]any{"mode": "Terminate", "certificateRefs": []any{map[string]any{"group": "", "kind": "Secret", "name": "llm-internal-tls"}}}),
					)
				},
			},
			{Config: config, ConfigPlanChecks: acctest.NoChanges},
		},
	})
}
