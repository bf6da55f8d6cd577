package exposure_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/exposure"
)

func TestMain(m *testing.M) { acctest.Main(m) }

const res = "octollm_gateway_exposure.public"

// namespace creates a namespace holding the gateway's Service, as octollm_component makes it.
func namespace(t *testing.T) string {
	t.Helper()
	kube := acctest.Kube(t)
	ctx := context.Background()
	name := acctest.RandomName("expo")
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kube.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{}) })
	_, err := kube.CoreV1().Services(name).Create(ctx, &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "gateway"},
		Spec:       corev1.ServiceSpec{Selector: map[string]string{"app": "gateway"}, Ports: []corev1.ServicePort{{Name: "http", Port: 8080}}},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return name
}

func dyn(t *testing.T) dynamic.Interface {
	t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", acctest.Sandbox().Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	return dynamic.NewForConfigOrDie(cfg)
}

func config(ns, hostnames, extra string) string {
	return acctest.RequiredProviders() + fmt.Sprintf(`
resource "octollm_gateway_exposure" "public" {
  name         = "public"
  namespace    = %q
  service_name = "gateway"
  service_port = 8080
  hostnames    = %s
  %s
}
`, ns, hostnames, extra)
}

func get(t *testing.T, d dynamic.Interface, ns, kind, name string) (*unstructured.Unstructured, error) {
	t.Helper()
	switch kind {
	case "Gateway":
		return d.Resource(exposure.GatewayResource).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
	case "HTTPRoute":
		return d.Resource(exposure.HTTPRouteResource).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
	default:
		return d.Resource(exposure.HealthCheckPolicyResource).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
	}
}

// nested reads a field of a live object for a comparison.
func nested(o *unstructured.Unstructured, fields ...string) any {
	v, _, _ := unstructured.NestedFieldNoCopy(o.Object, fields...)
	return v
}

func expect(what string, got, want any) error {
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("%s = %#v, want %#v", what, got, want)
	}
	return nil
}

func checkAll(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func listener(g *unstructured.Unstructured, name string) map[string]any {
	ls, _, _ := unstructured.NestedSlice(g.Object, "spec", "listeners")
	for _, l := range ls {
		if m, ok := l.(map[string]any); ok && m["name"] == name {
			return m
		}
	}
	return nil
}

// Applied against the sandbox's Gateway API and HealthCheckPolicy CRDs, whose own schema and
// CEL rules validate every object; hostnames change in place; a route deleted out of band is
// restored; TLS switches from a certificate map to Secrets; import reads it all back; destroy
// removes every object.
func TestAccGatewayExposure_lifecycle(t *testing.T) {
	acctest.PreCheck(t)
	ns := namespace(t)
	d := dyn(t)
	var gatewayUID types.UID
	certMap := `certificate_map = "octollm-certs"
  static_address  = "octollm-gateway-ip"`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			for _, o := range [][2]string{{"Gateway", "public"}, {"HTTPRoute", "public"}, {"HTTPRoute", "public-http-redirect"}, {"HealthCheckPolicy", "public"}} {
				if _, err := get(t, d, ns, o[0], o[1]); !apierrors.IsNotFound(err) {
					return fmt.Errorf("%s %s not deleted (read: %w)", o[0], o[1], err)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config(ns, `["api.octollm.example.com"]`, certMap),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(ns+"/public")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("gateway_name"), knownvalue.StringExact("public")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("http_route_name"), knownvalue.StringExact("public")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("redirect_route_name"), knownvalue.StringExact("public-http-redirect")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("health_check_policy_name"), knownvalue.StringExact("public")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("url"), knownvalue.StringExact("https://api.octollm.example.com")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("gateway_class"), knownvalue.StringExact("gke-l7-global-external-managed")),
					// No GKE controller programs Gateways in the sandbox, so no address is reported.
					statecheck.ExpectKnownValue(res, tfjsonpath.New("address"), knownvalue.Null()),
				},
				Check: func(*terraform.State) error {
					g, err := get(t, d, ns, "Gateway", "public")
					if err != nil {
						return err
					}
					gatewayUID = g.GetUID()
					route, err := get(t, d, ns, "HTTPRoute", "public")
					if err != nil {
						return err
					}
					redirect, err := get(t, d, ns, "HTTPRoute", "public-http-redirect")
					if err != nil {
						return err
					}
					policy, err := get(t, d, ns, "HealthCheckPolicy", "public")
					if err != nil {
						return err
					}
					https, http := listener(g, "https"), listener(g, "http")
					if https == nil || http == nil {
						return fmt.Errorf("listeners = %v, want https and http", nested(g, "spec", "listeners"))
					}
					return checkAll(
						expect("gateway class", nested(g, "spec", "gatewayClassName"), "gke-l7-global-external-managed"),
						expect("certmap annotation", g.GetAnnotations()["networking.gke.io/certmap"], "octollm-certs"),
						expect("managed-by label", g.GetLabels()["app.kubernetes.io/managed-by"], "terraform-provider-octollm"),
						expect("addresses", nested(g, "spec", "addresses"), []any{map[string]any{"type": "NamedAddress", "value": "octollm-gateway-ip"}}),
						expect("https listener", []any{https["protocol"], https["port"], https["tls"]}, []any{"HTTPS", int64(443), nil}),
						expect("http listener", []any{http["protocol"], http["port"]}, []any{"HTTP", int64(80)}),
						expect("route hostnames", nested(route, "spec", "hostnames"), []any{"api.octollm.example.com"}),
						expect("route parent", nested(route, "spec", "parentRefs"), []any{map[string]any{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "public", "sectionName": "https"}}),
						expect("redirect filter", nested(redirect, "spec", "rules").([]any)[0].(map[string]any)["filters"],
							[]any{map[string]any{"type": "RequestRedirect", "requestRedirect": map[string]any{"scheme": "https", "statusCode": int64(301)}}}),
						expect("redirect parent section", nested(redirect, "spec", "parentRefs").([]any)[0].(map[string]any)["sectionName"], "http"),
						expect("route backend", nested(route, "spec", "rules").([]any)[0].(map[string]any)["backendRefs"].([]any)[0].(map[string]any)["name"], "gateway"),
						expect("route backend port", nested(route, "spec", "rules").([]any)[0].(map[string]any)["backendRefs"].([]any)[0].(map[string]any)["port"], int64(8080)),
						expect("health check target", nested(policy, "spec", "targetRef"), map[string]any{"group": "", "kind": "Service", "name": "gateway"}),
						expect("health check", nested(policy, "spec", "default"), map[string]any{
							"checkIntervalSec": int64(5), "timeoutSec": int64(5),
							"config": map[string]any{"type": "HTTP", "httpHealthCheck": map[string]any{"requestPath": "/readyz", "portSpecification": "USE_SERVING_PORT"}},
						}),
					)
				},
			},
			{Config: config(ns, `["api.octollm.example.com"]`, certMap), ConfigPlanChecks: acctest.NoChanges},
			{
				Config: config(ns, `["llm.octollm.example.com", "api.octollm.example.com"]`, certMap),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("url"), knownvalue.StringExact("https://llm.octollm.example.com")),
				},
				Check: func(*terraform.State) error {
					g, err := get(t, d, ns, "Gateway", "public")
					if err != nil {
						return err
					}
					route, err := get(t, d, ns, "HTTPRoute", "public")
					if err != nil {
						return err
					}
					redirect, err := get(t, d, ns, "HTTPRoute", "public-http-redirect")
					if err != nil {
						return err
					}
					return checkAll(
						expect("Gateway UID after a hostname change (updated in place)", g.GetUID(), gatewayUID),
						expect("route hostnames", nested(route, "spec", "hostnames"), []any{"llm.octollm.example.com", "api.octollm.example.com"}),
						expect("redirect hostnames", nested(redirect, "spec", "hostnames"), []any{"llm.octollm.example.com", "api.octollm.example.com"}),
					)
				},
			},
			{
				// Out of band, someone deletes the HTTPRoute: the plan restores it.
				PreConfig: func() {
					if err := d.Resource(exposure.HTTPRouteResource).Namespace(ns).Delete(context.Background(), "public", metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(ns, `["llm.octollm.example.com", "api.octollm.example.com"]`, certMap),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					route, err := get(t, d, ns, "HTTPRoute", "public")
					if err != nil {
						return fmt.Errorf("the deleted HTTPRoute was not restored: %w", err)
					}
					return expect("restored route hostnames", nested(route, "spec", "hostnames"), []any{"llm.octollm.example.com", "api.octollm.example.com"})
				},
			},
			{Config: config(ns, `["llm.octollm.example.com", "api.octollm.example.com"]`, certMap), ConfigPlanChecks: acctest.NoChanges},
			{
				// The HealthCheckPolicy deleted out of band is restored too.
				PreConfig: func() {
					if err := d.Resource(exposure.HealthCheckPolicyResource).Namespace(ns).Delete(context.Background(), "public", metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(ns, `["llm.octollm.example.com", "api.octollm.example.com"]`, certMap),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					if _, err := get(t, d, ns, "HealthCheckPolicy", "public"); err != nil {
						return fmt.Errorf("the deleted HealthCheckPolicy was not restored: %w", err)
					}
					return nil
				},
			},
			{
				// A Gateway deleted out of band leaves the state; the plan creates it again.
				PreConfig: func() {
					if err := d.Resource(exposure.GatewayResource).Namespace(ns).Delete(context.Background(), "public", metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(ns, `["llm.octollm.example.com", "api.octollm.example.com"]`, certMap),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
				}},
				Check: func(*terraform.State) error {
					_, err := get(t, d, ns, "Gateway", "public")
					return err
				},
			},
			{Config: config(ns, `["llm.octollm.example.com", "api.octollm.example.com"]`, certMap), ConfigPlanChecks: acctest.NoChanges},
			{
				// Kubernetes Secrets instead of the map, no redirect, a tuned health check.
				Config: config(ns, `["llm.octollm.example.com"]`, `certificate_secrets    = ["llm-tls"]
  http_to_https_redirect = false
  health_check {
    request_path        = "/healthz"
    port                = 9090
    check_interval_sec  = 10
    timeout_sec         = 3
    unhealthy_threshold = 4
  }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("redirect_route_name"), knownvalue.Null()),
				},
				Check: func(*terraform.State) error {
					g, err := get(t, d, ns, "Gateway", "public")
					if err != nil {
						return err
					}
					policy, err := get(t, d, ns, "HealthCheckPolicy", "public")
					if err != nil {
						return err
					}
					if _, err := get(t, d, ns, "HTTPRoute", "public-http-redirect"); !apierrors.IsNotFound(err) {
						return fmt.Errorf("redirect route still there after http_to_https_redirect = false (read: %w)", err)
					}
					_, annotated := g.GetAnnotations()["networking.gke.io/certmap"]
					return checkAll(
						expect("certmap annotation present", annotated, false),
						expect("addresses", nested(g, "spec", "addresses"), nil),
						expect("listeners", len(nested(g, "spec", "listeners").([]any)), 1),
						expect("https tls", listener(g, "https")["tls"], map[string]any{"mode": "Terminate", "certificateRefs": []any{map[string]any{"group": "", "kind": "Secret", "name": "llm-tls"}}}),
						expect("health check", nested(policy, "spec", "default"), map[string]any{
							"checkIntervalSec": int64(10), "timeoutSec": int64(3), "unhealthyThreshold": int64(4),
							"config": map[string]any{"type": "HTTP", "httpHealthCheck": map[string]any{"requestPath": "/healthz", "portSpecification": "USE_FIXED_PORT", "port": int64(9090)}},
						}),
					)
				},
			},
			{
				ResourceName:      res,
				ImportState:       true,
				ImportStateId:     ns + "/public",
				ImportStateVerify: true,
			},
		},
	})
}

// With wait_for_address, apply waits until GKE's controller (played here by the test, as the
// sandbox runs none) reports the Gateway Programmed with an address, and address holds it.
func TestAccGatewayExposure_waitForAddress(t *testing.T) {
	acctest.PreCheck(t)
	ns := namespace(t)
	d := dyn(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go programGateway(ctx, d, ns, "public", "34.120.7.1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config(ns, `["api.octollm.example.com"]`, `pre_shared_certificates = ["api-cert-2026", "api-cert-ecdsa"]
  wait_for_address        = true`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(res, tfjsonpath.New("address"), knownvalue.StringExact("34.120.7.1")),
				statecheck.ExpectKnownValue(res, tfjsonpath.New("pre_shared_certificates"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("api-cert-2026"), knownvalue.StringExact("api-cert-ecdsa")})),
			},
			Check: func(*terraform.State) error {
				g, err := get(t, d, ns, "Gateway", "public")
				if err != nil {
					return err
				}
				return expect("https tls", listener(g, "https")["tls"], map[string]any{"mode": "Terminate", "options": map[string]any{"networking.gke.io/pre-shared-certs": "api-cert-2026,api-cert-ecdsa"}})
			},
		}, {
			// The status GKE writes is not configuration: nothing to change.
			Config: config(ns, `["api.octollm.example.com"]`, `pre_shared_certificates = ["api-cert-2026", "api-cert-ecdsa"]
  wait_for_address        = true`),
			ConfigPlanChecks: acctest.NoChanges,
		}},
	})
}

// programGateway does what GKE's Gateway controller does once the load balancer is ready: it
// reports the Gateway Programmed, for its current generation, with the forwarding rule's address.
func programGateway(ctx context.Context, d dynamic.Interface, ns, name, address string) {
	gateways := d.Resource(exposure.GatewayResource).Namespace(ns)
	for ctx.Err() == nil {
		g, err := gateways.Get(ctx, name, metav1.GetOptions{})
		if err == nil {
			now := time.Now().UTC().Format(time.RFC3339)
			cond := func(typ string) map[string]any {
				return map[string]any{"type": typ, "status": "True", "reason": typ, "message": "", "observedGeneration": g.GetGeneration(), "lastTransitionTime": now}
			}
			_ = unstructured.SetNestedSlice(g.Object, []any{cond("Accepted"), cond("Programmed")}, "status", "conditions")
			_ = unstructured.SetNestedSlice(g.Object, []any{map[string]any{"type": "IPAddress", "value": address}}, "status", "addresses")
			if _, err := gateways.UpdateStatus(ctx, g, metav1.UpdateOptions{}); err == nil {
				return
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Without a controller to program the Gateway, the wait ends at its timeout with what is
// missing and what to do; the objects stay recorded (tainted), and destroy removes them.
func TestAccGatewayExposure_waitTimesOut(t *testing.T) {
	acctest.PreCheck(t)
	ns := namespace(t)
	d := dyn(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, err := get(t, d, ns, "Gateway", "public"); !apierrors.IsNotFound(err) {
				return fmt.Errorf("gateway not deleted (read: %w)", err)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: config(ns, `["api.octollm.example.com"]`, `certificate_secrets = ["api-tls"]
  wait_for_address    = true
  timeouts {
    create = "3s"
  }`),
			ExpectError: acctest.ErrorText("Gateway " + ns + "/public has no address ... not programmed with an address within 3s: the controller has not yet observed the current spec ... raise timeouts.create/update, or set wait_for_address = false"),
		}},
	})
}

// A Gateway someone else made is not taken over.
func TestAccGatewayExposure_refusesUnownedGateway(t *testing.T) {
	acctest.PreCheck(t)
	ns := namespace(t)
	d := dyn(t)
	g := exposure.Spec{Namespace: ns, Name: "public", GatewayClass: exposure.DefaultGatewayClass, CertificateMap: "other"}.Gateway()
	g.SetLabels(nil)
	if _, err := d.Resource(exposure.GatewayResource).Namespace(ns).Create(context.Background(), g, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config(ns, `["api.octollm.example.com"]`, `certificate_map = "octollm-certs"`),
			ExpectError: acctest.ErrorText("Gateway " + ns + "/public already exists ... not taken over: import it with `terraform import octollm_gateway_exposure.<name> " + ns + "/public`"),
		}},
	})
}

// Every bad input fails at plan time, naming the attribute.
func TestAccGatewayExposure_badInput(t *testing.T) {
	acctest.PreCheck(t)
	base := func(hostnames, extra string) string {
		return fmt.Sprintf(`
resource "octollm_gateway_exposure" "public" {
  name         = "public"
  service_name = "gateway"
  service_port = 8080
  hostnames    = %s
  %s
}`, hostnames, extra)
	}
	ok := `["api.octollm.example.com"]`
	cases := map[string]struct{ config, want string }{
		"bad hostname":        {base(`["api.octollm.example.com", "Bad_Host"]`, `certificate_map = "m"`), `Invalid hostname ... hostnames[1] "Bad_Host" has upper-case letters`},
		"unqualified host":    {base(`["gateway"]`, `certificate_map = "m"`), `hostnames[0] "gateway" is not fully qualified; use a name such as api.example.com`},
		"wildcard host":       {base(`["*.example.com"]`, `certificate_map = "m"`), `hostnames[0] "*.example.com" is a wildcard`},
		"duplicate host":      {base(`["a.example.com", "a.example.com"]`, `certificate_map = "m"`), `Duplicate hostname ... hostnames[1] "a.example.com" is also hostnames[0]`},
		"no hostnames":        {base(`[]`, `certificate_map = "m"`), `Attribute hostnames list must contain at least 1 elements and at most 16`},
		"two TLS sources":     {base(ok, "certificate_map = \"m\"\n  certificate_secrets = [\"api-tls\"]"), "More than one TLS certificate source ... certificate_map and certificate_secrets are all set ... keep one and remove the others"},
		"three TLS sources":   {base(ok, "certificate_map = \"m\"\n  certificate_secrets = [\"api-tls\"]\n  pre_shared_certificates = [\"c\"]"), "certificate_map and certificate_secrets and pre_shared_certificates are all set"},
		"no TLS source":       {base(ok, ""), "No TLS certificate source ... set exactly one of certificate_map (a Certificate Manager map), certificate_secrets (Kubernetes TLS Secrets) and pre_shared_certificates"},
		"port zero":           {strings.Replace(base(ok, `certificate_map = "m"`), "service_port = 8080", "service_port = 0", 1), "Attribute service_port value must be between 1 and 65535, got: 0"},
		"port too big":        {strings.Replace(base(ok, `certificate_map = "m"`), "service_port = 8080", "service_port = 70000", 1), "Attribute service_port value must be between 1 and 65535, got: 70000"},
		"health port":         {base(ok, "certificate_map = \"m\"\n  health_check {\n    port = 0\n  }"), "Attribute health_check.port value must be between 1 and 65535, got: 0"},
		"timeout over period": {base(ok, "certificate_map = \"m\"\n  health_check {\n    check_interval_sec = 5\n    timeout_sec = 10\n  }"), "health_check.timeout_sec exceeds check_interval_sec ... timeout_sec (10) is more than check_interval_sec (5)"},
		"health path":         {base(ok, "certificate_map = \"m\"\n  health_check {\n    request_path = \"readyz\"\n  }"), "Attribute health_check.request_path must start with /"},
		"regional cert map":   {base(ok, "certificate_map = \"m\"\n  gateway_class = \"gke-l7-rilb\""), `Certificate map needs a global GatewayClass ... gateway_class "gke-l7-rilb" is regional`},
		"unknown class":       {base(ok, "certificate_map = \"m\"\n  gateway_class = \"istio\""), `Attribute gateway_class value must be one of: ["gke-l7-global-external-managed" "gke-l7-regional-external-managed" "gke-l7-rilb" "gke-l7-gxlb"], got: "istio"`},
		"bad map name":        {base(ok, `certificate_map = "Octollm_Certs"`), "Attribute certificate_map must be a Google Cloud resource name"},
		"bad secret name":     {base(ok, `certificate_secrets = ["API TLS"]`), "must be a Secret name (a DNS-1123 subdomain)"},
		"bad address name":    {base(ok, "certificate_map = \"m\"\n  static_address = \"10.0.0.1\""), "Attribute static_address must be a Google Cloud resource name"},
		"bad name":            {strings.Replace(base(ok, `certificate_map = "m"`), `name         = "public"`, `name         = "Public"`, 1), "Attribute name must be a DNS-1123 label"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: tc.config, PlanOnly: true, ExpectError: acctest.ErrorText(tc.want)}},
			})
		})
	}
}

// An import ID that is not namespace/name says what the format is.
func TestAccGatewayExposure_importIDFormat(t *testing.T) {
	acctest.PreCheck(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:        config("octollm", `["api.octollm.example.com"]`, `certificate_map = "m"`),
			ResourceName:  res,
			ImportState:   true,
			ImportStateId: "public",
			ExpectError:   acctest.ErrorText(`Invalid import ID ... import ID "public" is not namespace/name: use, for example, octollm/gateway`),
		}},
	})
}

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
