package modelroute_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/modelroute"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// platformNamespace creates a namespace of the test's own and returns a provider block that
// makes it the platform namespace, so tests sharing a sandbox never see each other's routes.
func platformNamespace(t *testing.T) (string, string, kubernetes.Interface) {
	t.Helper()
	kube := acctest.Kube(t)
	ns := acctest.RandomName("routes")
	if _, err := kube.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kube.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{}) })
	return ns, acctest.RequiredProviders() + fmt.Sprintf("provider \"octollm\" {\n  namespace = %q\n}\n", ns), kube
}

// routeJSONIs checks the ConfigMap's route.json byte for byte against testdata/<golden>.json.
func routeJSONIs(kube kubernetes.Interface, ns, configMap, goldenName string, t *testing.T) resource.TestCheckFunc {
	return func(*terraform.State) error {
		cm, err := kube.CoreV1().ConfigMaps(ns).Get(context.Background(), configMap, metav1.GetOptions{})
		if err != nil {
			return err
		}
		want := golden(t, goldenName, nil)
		if got := cm.Data["route.json"]; got != string(want) {
			return fmt.Errorf("ConfigMap %s route.json differs from testdata/%s.json:\n%s", configMap, goldenName, got)
		}
		route, err := modelroute.ParseJSON(want)
		if err != nil {
			return err
		}
		for k, v := range map[string]string{"octollm.io/model-route": route.Name, "octollm.dev/kind": "model-route", "app.kubernetes.io/managed-by": "terraform-provider-octollm"} {
			if cm.Labels[k] != v {
				return fmt.Errorf("label %s = %q, want %q", k, cm.Labels[k], v)
			}
		}
		return nil
	}
}

func noConfigMap(kube kubernetes.Interface, ns string, names ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, name := range names {
			if _, err := kube.CoreV1().ConfigMaps(ns).Get(context.Background(), name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
				return fmt.Errorf("ConfigMap %s/%s not deleted (read: %w)", ns, name, err)
			}
		}
		return nil
	}
}

// The example route: created, stable over three plans, updated, drift (an edited
// ConfigMap, a deleted ConfigMap) shown and put back, imported by tenant/name, destroyed.
func TestAccModelRoute_lifecycle(t *testing.T) {
	acctest.PreCheck(t)
	ns, provider, kube := platformNamespace(t)
	ctx := context.Background()
	const cmName = "octollm-route-acme-code-review"
	const addr = "octollm_model_route.code_review"
	// The docs' example route, as written (testdata/code_review.json is what it renders).
	codeReviewHCL := acctest.ExampleBlock(t, "octollm_model_route", "code_review")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             func(s *terraform.State) error { return noConfigMap(kube, ns, cmName)(s) },
		Steps: []resource.TestStep{
			{
				Config: provider + codeReviewHCL,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					// Chosen at plan time, before anything is written.
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("effective_model"), knownvalue.StringExact("gpt-4o")),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("route_json"), knownvalue.StringExact(string(golden(t, "code_review", nil)))),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("acme/code-review")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("config_map"), knownvalue.StringExact(cmName)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("namespace"), knownvalue.StringExact(ns)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("checksum"), knownvalue.StringRegexp(regexp.MustCompile(sha256Hex))),
				},
				Check: routeJSONIs(kube, ns, cmName, "code_review", t),
			},
			{Config: provider + codeReviewHCL, ConfigPlanChecks: acctest.NoChanges},
			{Config: provider + codeReviewHCL, ConfigPlanChecks: acctest.NoChanges},
			{Config: provider + codeReviewHCL, ConfigPlanChecks: acctest.NoChanges},
			{
				Config: provider + codeReviewUpdatedHCL,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("effective_model"), knownvalue.StringExact("mistral-7b-ft")),
				}},
				Check: routeJSONIs(kube, ns, cmName, "code_review_updated", t),
			},
			{Config: provider + codeReviewUpdatedHCL, ConfigPlanChecks: acctest.NoChanges},
			{
				// Out of band: the target is changed in the ConfigMap; the plan shows it back.
				PreConfig: func() {
					cm, err := kube.CoreV1().ConfigMaps(ns).Get(ctx, cmName, metav1.GetOptions{})
					if err != nil {
						t.Fatal(err)
					}
					edited := codeReviewUpdated
					edited.Targets = append(edited.Targets[:0:0], edited.Targets...)
					edited.Targets[0].Model = "gpt-4"
					data, _ := edited.JSON()
					cm.Data["route.json"] = string(data)
					if _, err := kube.CoreV1().ConfigMaps(ns).Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: provider + codeReviewUpdatedHCL,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("target").AtSliceIndex(0).AtMapKey("model"), knownvalue.StringExact("gpt-4o")),
				}},
				Check: routeJSONIs(kube, ns, cmName, "code_review_updated", t),
			},
			{
				// Out of band: route.json replaced by something that is not a route at all.
				PreConfig: func() {
					cm, err := kube.CoreV1().ConfigMaps(ns).Get(ctx, cmName, metav1.GetOptions{})
					if err != nil {
						t.Fatal(err)
					}
					cm.Data["route.json"] = "{}"
					if _, err := kube.CoreV1().ConfigMaps(ns).Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: provider + codeReviewUpdatedHCL,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: routeJSONIs(kube, ns, cmName, "code_review_updated", t),
			},
			{
				// Out of band: the label the gateway finds routes by is removed; the plan shows
				// the route rewritten and apply restores the label.
				PreConfig: func() {
					cm, err := kube.CoreV1().ConfigMaps(ns).Get(ctx, cmName, metav1.GetOptions{})
					if err != nil {
						t.Fatal(err)
					}
					delete(cm.Labels, "octollm.dev/kind")
					if _, err := kube.CoreV1().ConfigMaps(ns).Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: provider + codeReviewUpdatedHCL,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					cm, err := kube.CoreV1().ConfigMaps(ns).Get(ctx, cmName, metav1.GetOptions{})
					if err != nil {
						return err
					}
					if cm.Labels["octollm.dev/kind"] != "model-route" {
						return fmt.Errorf("label octollm.dev/kind not restored: %v", cm.Labels)
					}
					return nil
				},
			},
			{
				// Out of band: the ConfigMap is deleted; the plan creates it again.
				PreConfig: func() {
					if err := kube.CoreV1().ConfigMaps(ns).Delete(ctx, cmName, metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: provider + codeReviewUpdatedHCL,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: routeJSONIs(kube, ns, cmName, "code_review_updated", t),
			},
			{Config: provider + codeReviewUpdatedHCL, ConfigPlanChecks: acctest.NoChanges},
			{
				Config:            provider + codeReviewUpdatedHCL,
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     "acme/code-review",
				ImportStateVerify: true,
			},
		},
	})
}

const sha256Hex = `^[0-9a-f]{64}$`

// Global routes: cheapest_capable over the whole catalog and weighted, with their golden
// route.json, stable plans, import by name, and a tenant route of the same name beside them.
func TestAccModelRoute_global(t *testing.T) {
	acctest.PreCheck(t)
	ns, provider, kube := platformNamespace(t)
	tenantSummaries := `
resource "octollm_model_route" "acme_summaries" {
  name                 = "summaries"
  tenant               = "acme"
  required_capability  = "knowledge"
  min_capability_score = 10
}
`
	config := provider + summariesHCL + chatHCL + tenantSummaries
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             noConfigMap(kube, ns, "octollm-route-summaries", "octollm-route-chat", "octollm-route-acme-summaries"),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_model_route.summaries", tfjsonpath.New("effective_model"), knownvalue.StringExact("deepseek-chat")),
					statecheck.ExpectKnownValue("octollm_model_route.summaries", tfjsonpath.New("id"), knownvalue.StringExact("summaries")),
					statecheck.ExpectKnownValue("octollm_model_route.acme_summaries", tfjsonpath.New("effective_model"), knownvalue.StringExact("gemini-2.5-pro")),
					statecheck.ExpectKnownValue("octollm_model_route.acme_summaries", tfjsonpath.New("config_map"), knownvalue.StringExact("octollm-route-acme-summaries")),
					statecheck.ExpectKnownValue("octollm_model_route.chat", tfjsonpath.New("effective_model"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					routeJSONIs(kube, ns, "octollm-route-summaries", "summaries", t),
					routeJSONIs(kube, ns, "octollm-route-chat", "chat", t),
				),
			},
			{Config: config, ConfigPlanChecks: acctest.NoChanges},
			{Config: config, ConfigPlanChecks: acctest.NoChanges},
			{Config: config, ConfigPlanChecks: acctest.NoChanges},
			{Config: config, ResourceName: "octollm_model_route.summaries", ImportState: true, ImportStateId: "summaries", ImportStateVerify: true},
			{Config: config, ResourceName: "octollm_model_route.chat", ImportState: true, ImportStateId: "chat", ImportStateVerify: true},
			{Config: config, ResourceName: "octollm_model_route.acme_summaries", ImportState: true, ImportStateId: "acme/summaries", ImportStateVerify: true},
			{
				Config:        config,
				ResourceName:  "octollm_model_route.chat",
				ImportState:   true,
				ImportStateId: "acme/chat",
				ExpectError:   acctest.ErrorText("Cannot import acme/chat ... ConfigMap " + ns + "/octollm-route-acme-chat does not exist: check the route's name and tenant"),
			},
		},
	})
}

// Create refuses a ConfigMap of the same name that Terraform does not manage, and says how to
// import instead.
func TestAccModelRoute_noTakeover(t *testing.T) {
	acctest.PreCheck(t)
	ns, provider, kube := platformNamespace(t)
	if _, err := kube.CoreV1().ConfigMaps(ns).Create(context.Background(), &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "octollm-route-chat"}, Data: map[string]string{"route.json": "{}"},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      provider + chatHCL,
			ExpectError: acctest.ErrorText("ConfigMap " + ns + "/octollm-route-chat already exists ... not managed by terraform-provider-octollm ... terraform import octollm_model_route.<name> chat"),
		}},
	})
}

// An apply killed after it wrote a route's ConfigMap and before it saved the state leaves the
// provider's own ConfigMap of that route: the re-apply takes it over (no import asked for) and
// writes the route, and the next plan is empty (issue 16's R2).
func TestAccModelRoute_createTakesOverItsOwnCrashedWrite(t *testing.T) {
	acctest.PreCheck(t)
	ns, provider, kube := platformNamespace(t)
	if _, err := kube.CoreV1().ConfigMaps(ns).Create(context.Background(), &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "octollm-route-chat", Labels: map[string]string{
			"app.kubernetes.io/managed-by": "terraform-provider-octollm", "octollm.io/model-route": "chat"}},
		Data: map[string]string{"route.json": "{}"},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: provider + chatHCL, Check: routeJSONIs(kube, ns, "octollm-route-chat", "chat", t)},
			{Config: provider + chatHCL, ConfigPlanChecks: acctest.NoChanges},
		},
	})
}

func TestAccModelCatalog(t *testing.T) {
	acctest.PreCheck(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
data "octollm_model_catalog" "all" {}
data "octollm_model_catalog" "anthropic" {
  vendor = "anthropic"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.octollm_model_catalog.all", tfjsonpath.New("models").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("claude-haiku-4-5")),
				statecheck.ExpectKnownValue("data.octollm_model_catalog.all", tfjsonpath.New("names"), knownvalue.ListSizeExact(20)),
				statecheck.ExpectKnownValue("data.octollm_model_catalog.anthropic", tfjsonpath.New("names"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("claude-haiku-4-5"), knownvalue.StringExact("claude-opus-4-1"), knownvalue.StringExact("claude-sonnet-4-5")})),
				statecheck.ExpectKnownValue("data.octollm_model_catalog.anthropic", tfjsonpath.New("models").AtSliceIndex(2), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"name": knownvalue.StringExact("claude-sonnet-4-5"), "provider": knownvalue.StringExact("anthropic"),
					"input_cost_per_million": knownvalue.Float64Exact(3), "output_cost_per_million": knownvalue.Float64Exact(15),
					"cached_input_cost_per_million": knownvalue.Float64Exact(0.3), "context_window": knownvalue.Int64Exact(200000),
					"capabilities": knownvalue.MapExact(map[string]knownvalue.Check{
						"reasoning": knownvalue.Int64Exact(9), "coding": knownvalue.Int64Exact(10), "knowledge": knownvalue.Int64Exact(9),
					}),
					"price_source": knownvalue.StringExact("https://docs.claude.com/en/docs/about-claude/pricing"),
					"price_date":   knownvalue.StringExact("2025-10-15"),
				})),
			},
		}},
	})
}

// The documented examples apply as written and show what their comments say.
func TestAccModelRoute_examples(t *testing.T) {
	acctest.PreCheck(t)
	_, provider, _ := platformNamespace(t)
	config := provider + acctest.Example(t, "octollm_model_route") + acctest.DataSourceExample(t, "octollm_model_catalog")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("code_review_model", knownvalue.StringExact("gpt-4o")),
					statecheck.ExpectKnownOutputValue("strong_coders", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("gpt-5-mini"), knownvalue.StringExact("gpt-4.1"), knownvalue.StringExact("gemini-2.5-pro"),
						knownvalue.StringExact("gpt-5"), knownvalue.StringExact("claude-sonnet-4-5"), knownvalue.StringExact("gpt-4-turbo-preview"),
						knownvalue.StringExact("claude-opus-4-1"), knownvalue.StringExact("gpt-4"),
					})),
				},
			},
			{Config: config, ConfigPlanChecks: acctest.NoChanges},
		},
	})
}
