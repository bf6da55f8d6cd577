package reliability

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"cloud.google.com/go/container/apiv1/containerpb"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/stripe/stripe-go/v76"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/autoscaling"
	"github.com/octollm/terraform-provider-octollm/internal/compliance"
	"github.com/octollm/terraform-provider-octollm/internal/exposure"
	"github.com/octollm/terraform-provider-octollm/internal/modelroute"
	"github.com/octollm/terraform-provider-octollm/internal/nodepool"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox"
	"github.com/octollm/terraform-provider-octollm/internal/tenant"
)

// driftCase is one out-of-band change of R3's catalogue: change makes it on a backend the way
// an operator would (client-go, the GKE API, the Stripe API), the plan must show action on
// resource, and after one apply restored must hold (the next plan being empty is checked by
// the test framework after every apply).
type driftCase struct {
	resource, how, what string // how: edited, deleted or added
	change              func() error
	action              plancheck.ResourceActionType
	restored            func() error
}

// countingCheck is a plan check that counts the plans it passed.
type countingCheck struct {
	inner plancheck.PlanCheck
	n     *int
}

func (c countingCheck) CheckPlan(ctx context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	c.inner.CheckPlan(ctx, req, resp)
	if resp.Error == nil {
		*c.n++
	}
}

// TestAccReliability_R3OutOfBandChanges applies a platform with one resource of every type the
// provider serves (platform, billing plan, billed tenant, model route, two components, autoscaling,
// gateway exposure, node pool, compliance control), then walks a catalogue of out-of-band
// changes: each edits, deletes or adds something on the apiserver, the GKE emulator or Stripe;
// the plan must update (or recreate) the resource it belongs to, and one apply must put the
// backend back and leave an empty plan.
func TestAccReliability_R3OutOfBandChanges(t *testing.T) {
	requireFullSuite(t)
	acctest.PreCheck(t)
	ctx := context.Background()
	kube := acctest.Kube(t)
	cfg, err := clientcmd.BuildConfigFromFlags("", acctest.Sandbox().Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	key := acctest.StripeKey(t)
	api := acctest.Stripe(t, key)
	gke := acctest.GKE(t)

	ns := acctest.RandomName("r3")
	tenantName := ns + "-acme"
	tenantNS := tenant.Namespace(tenantName)
	workloads := ns + "-work" // the compliance control's scope: a namespace of no other resource
	pool := ns
	poolID := nodepool.ID(sandbox.Project, sandbox.Location, sandbox.Cluster, pool)
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: workloads}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, n := range []string{workloads, ns, tenantNS} {
			_ = kube.CoreV1().Namespaces().Delete(context.Background(), n, metav1.DeleteOptions{})
		}
	})
	art25, _ := compliance.Lookup("gdpr", "Art.25")
	denyPolicy := compliance.PolicyName(art25)

	config := acctest.StripeProvider(key, ns) + acctest.BillingPlanHCL("r3") + fmt.Sprintf(`
resource "octollm_platform" "this" {
  namespace           = %[1]q
  labels              = { team = "llm" }
  deletion_protection = false
}

resource "octollm_tenant" "acme" {
  name   = %[2]q
  admins = ["admin@acme.example"]
  quota {
    cpu    = "4"
    memory = "8Gi"
    pods   = 20
  }
  billing {
    plan_id = octollm_billing_plan.r3.id
    email   = "billing@acme.example"
  }
  deletion_protection = false
  timeouts {
    delete = "3m"
  }
  depends_on = [octollm_platform.this]
}

resource "octollm_model_route" "summaries" {
  name                 = "summaries"
  required_capability  = "knowledge"
  min_capability_score = 7
  depends_on           = [octollm_platform.this]
}

resource "octollm_component" "orchestrator" {
  name             = "orchestrator"
  namespace        = octollm_platform.this.namespace
  kind             = "orchestrator"
  image            = "ghcr.io/acme/octollm-orchestrator:1.4.2"
  port             = 8000
  replicas         = 2
  wait_for_rollout = false
}

resource "octollm_component" "reflex" {
  name             = "reflex"
  namespace        = octollm_platform.this.namespace
  kind             = "reflex"
  image            = "ghcr.io/acme/octollm-reflex:1.4.2"
  port             = 8080
  wait_for_rollout = false
}

resource "octollm_autoscaling" "reflex" {
  namespace = octollm_platform.this.namespace
  target {
    name = octollm_component.reflex.deployment_name
  }
  min_replicas    = 1
  max_replicas    = 4
  cpu_utilization = 70
}

resource "octollm_gateway_exposure" "public" {
  name            = "public"
  namespace       = octollm_platform.this.namespace
  service_name    = octollm_component.orchestrator.service_name
  service_port    = 8000
  hostnames       = ["api.r3.example.com"]
  certificate_map = "octollm-certs"
}

resource "octollm_node_pool" "cpu" {
  name           = %[3]q
  node_locations = ["us-central1-a"]
  cpu            = 2
  memory_gb      = 8
  autoscaling {
    min_node_count = 1
    max_node_count = 3
  }
}

resource "octollm_compliance_control" "art25" {
  framework   = "gdpr"
  control_id  = "Art.25"
  enforcement = "enforce"
  scope {
    namespaces = [%[4]q]
  }
  depends_on = [octollm_platform.this]
}
`, ns, tenantName, pool, workloads)

	var product, subscription string
	mutatePool := func(call func(ctx context.Context) (*containerpb.Operation, error)) error {
		_, err := gke.Mutate(ctx, gke.Config.ClusterName(), "out-of-band change", call)
		return err
	}
	expect := func(what string, got, want any) error {
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("%s is %v after apply, want %v", what, got, want)
		}
		return nil
	}
	activePrices := func() (int, error) {
		n := 0
		it := api.Prices.List(&stripe.PriceListParams{Product: stripe.String(product), Active: stripe.Bool(true)})
		for it.Next() {
			n++
		}
		return n, it.Err()
	}
	catalogue := []driftCase{
		{"octollm_platform.this", "edited", "the platform namespace's label team changed", func() error {
			_, err := kube.CoreV1().Namespaces().Patch(ctx, ns, types.MergePatchType, []byte(`{"metadata":{"labels":{"team":"other"}}}`), metav1.PatchOptions{FieldManager: "kubectl-label"})
			return err
		}, plancheck.ResourceActionUpdate, func() error {
			n, err := kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
			if err != nil {
				return err
			}
			return expect("label team", n.Labels["team"], "llm")
		}},
		{"octollm_platform.this", "added", "a rule granting every verb on Secrets added to the gateway's Role", func() error {
			role, err := kube.RbacV1().Roles(ns).Get(ctx, "octollm-gateway-reader", metav1.GetOptions{})
			if err != nil {
				return err
			}
			role.Rules = append(role.Rules, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"*"}})
			_, err = kube.RbacV1().Roles(ns).Update(ctx, role, metav1.UpdateOptions{FieldManager: "kubectl-edit"})
			return err
		}, plancheck.ResourceActionUpdate, func() error {
			role, err := kube.RbacV1().Roles(ns).Get(ctx, "octollm-gateway-reader", metav1.GetOptions{})
			if err != nil {
				return err
			}
			for _, r := range role.Rules {
				if slices.Contains(r.Verbs, "*") {
					return fmt.Errorf("the gateway's Role still grants every verb on %v", r.Resources)
				}
			}
			return nil
		}},
		{"octollm_platform.this", "deleted", "the gateway's RoleBinding deleted", func() error {
			return kube.RbacV1().RoleBindings(ns).Delete(ctx, "octollm-gateway-reader", metav1.DeleteOptions{})
		}, plancheck.ResourceActionUpdate, func() error {
			_, err := kube.RbacV1().RoleBindings(ns).Get(ctx, "octollm-gateway-reader", metav1.GetOptions{})
			return err
		}},
		{"octollm_tenant.acme", "edited", "the tenant's ResourceQuota raised to 64 CPUs", func() error {
			_, err := kube.CoreV1().ResourceQuotas(tenantNS).Patch(ctx, tenant.QuotaName, types.MergePatchType, []byte(`{"spec":{"hard":{"requests.cpu":"64"}}}`), metav1.PatchOptions{})
			return err
		}, plancheck.ResourceActionUpdate, func() error {
			rq, err := kube.CoreV1().ResourceQuotas(tenantNS).Get(ctx, tenant.QuotaName, metav1.GetOptions{})
			if err != nil {
				return err
			}
			cpu := rq.Spec.Hard[corev1.ResourceRequestsCPU]
			return expect("quota requests.cpu", cpu.String(), "4")
		}},
		{"octollm_tenant.acme", "added", "a subject added to the tenant's admins RoleBinding", func() error {
			rb, err := kube.RbacV1().RoleBindings(tenantNS).Get(ctx, tenant.AdminsBindingName, metav1.GetOptions{})
			if err != nil {
				return err
			}
			rb.Subjects = append(rb.Subjects, rbacv1.Subject{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: "mallory@evil.example"})
			_, err = kube.RbacV1().RoleBindings(tenantNS).Update(ctx, rb, metav1.UpdateOptions{FieldManager: "kubectl-edit"})
			return err
		}, plancheck.ResourceActionUpdate, func() error {
			rb, err := kube.RbacV1().RoleBindings(tenantNS).Get(ctx, tenant.AdminsBindingName, metav1.GetOptions{})
			if err != nil {
				return err
			}
			var names []string
			for _, s := range rb.Subjects {
				names = append(names, s.Name)
			}
			return expect("the admins' subjects", names, []string{"admin@acme.example"})
		}},
		{"octollm_tenant.acme", "added", "an ingress rule from every namespace added to the tenant's same-namespace NetworkPolicy", func() error {
			_, err := kube.NetworkingV1().NetworkPolicies(tenantNS).Patch(ctx, tenant.SameNamespacePolicy, types.JSONPatchType,
				[]byte(`[{"op":"add","path":"/spec/ingress/-","value":{"from":[{"namespaceSelector":{}}]}}]`), metav1.PatchOptions{FieldManager: "kubectl-patch"})
			return err
		}, plancheck.ResourceActionUpdate, func() error {
			np, err := kube.NetworkingV1().NetworkPolicies(tenantNS).Get(ctx, tenant.SameNamespacePolicy, metav1.GetOptions{})
			if err != nil {
				return err
			}
			return expect("ingress rules of "+tenant.SameNamespacePolicy, len(np.Spec.Ingress), 1)
		}},
		{"octollm_tenant.acme", "deleted", "the tenant's Stripe subscription canceled", func() error {
			_, err := api.Subscriptions.Cancel(subscription, nil)
			return err
		}, plancheck.ResourceActionUpdate, func() error {
			it := api.Subscriptions.List(&stripe.SubscriptionListParams{Status: stripe.String(string(stripe.SubscriptionStatusActive))})
			n := 0
			for it.Next() {
				n++
			}
			if err := it.Err(); err != nil {
				return err
			}
			return expect("active subscriptions", n, 1)
		}},
		{"octollm_billing_plan.r3", "deleted", "one of the plan's prices archived", func() error {
			it := api.Prices.List(&stripe.PriceListParams{Product: stripe.String(product), Active: stripe.Bool(true)})
			if !it.Next() {
				return fmt.Errorf("the plan has no active price: %w", it.Err())
			}
			_, err := api.Prices.Update(it.Price().ID, &stripe.PriceParams{Active: stripe.Bool(false)})
			return err
		}, plancheck.ResourceActionUpdate, func() error {
			n, err := activePrices()
			if err != nil {
				return err
			}
			return expect("active prices", n, 3)
		}},
		{"octollm_model_route.summaries", "edited", "the route's route.json rewritten", func() error {
			_, err := kube.CoreV1().ConfigMaps(ns).Patch(ctx, modelroute.ConfigMapNameFor("", "summaries"), types.MergePatchType,
				[]byte(`{"data":{"route.json":"{\"name\":\"summaries\",\"strategy\":\"weighted\"}"}}`), metav1.PatchOptions{})
			return err
		}, plancheck.ResourceActionUpdate, func() error {
			cm, err := kube.CoreV1().ConfigMaps(ns).Get(ctx, modelroute.ConfigMapNameFor("", "summaries"), metav1.GetOptions{})
			if err != nil {
				return err
			}
			if !strings.Contains(cm.Data[modelroute.DataKey], `"strategy": "cheapest_capable"`) {
				return fmt.Errorf("route.json was not restored: %s", cm.Data[modelroute.DataKey])
			}
			return nil
		}},
		{"octollm_model_route.summaries", "deleted", "the route's ConfigMap deleted", func() error {
			return kube.CoreV1().ConfigMaps(ns).Delete(ctx, modelroute.ConfigMapNameFor("", "summaries"), metav1.DeleteOptions{})
		}, plancheck.ResourceActionCreate, func() error {
			_, err := kube.CoreV1().ConfigMaps(ns).Get(ctx, modelroute.ConfigMapNameFor("", "summaries"), metav1.GetOptions{})
			return err
		}},
		{"octollm_component.orchestrator", "edited", "the orchestrator Deployment scaled to 5 replicas", func() error {
			_, err := kube.AppsV1().Deployments(ns).UpdateScale(ctx, "orchestrator",
				&autoscalingv1.Scale{ObjectMeta: metav1.ObjectMeta{Name: "orchestrator", Namespace: ns}, Spec: autoscalingv1.ScaleSpec{Replicas: 5}}, metav1.UpdateOptions{FieldManager: "kubectl-scale"})
			return err
		}, plancheck.ResourceActionUpdate, func() error {
			d, err := kube.AppsV1().Deployments(ns).Get(ctx, "orchestrator", metav1.GetOptions{})
			if err != nil {
				return err
			}
			return expect("orchestrator replicas", *d.Spec.Replicas, 2)
		}},
		{"octollm_component.orchestrator", "deleted", "the orchestrator Service deleted", func() error {
			return kube.CoreV1().Services(ns).Delete(ctx, "orchestrator", metav1.DeleteOptions{})
		}, plancheck.ResourceActionUpdate, func() error {
			_, err := kube.CoreV1().Services(ns).Get(ctx, "orchestrator", metav1.GetOptions{})
			return err
		}},
		{"octollm_autoscaling.reflex", "edited", "the reflex HPA's maxReplicas raised to 42", func() error {
			_, err := kube.AutoscalingV2().HorizontalPodAutoscalers(ns).Patch(ctx, autoscaling.Spec{TargetName: "reflex"}.HPAName(), types.MergePatchType, []byte(`{"spec":{"maxReplicas":42}}`), metav1.PatchOptions{})
			return err
		}, plancheck.ResourceActionUpdate, func() error {
			h, err := kube.AutoscalingV2().HorizontalPodAutoscalers(ns).Get(ctx, autoscaling.Spec{TargetName: "reflex"}.HPAName(), metav1.GetOptions{})
			if err != nil {
				return err
			}
			return expect("HPA maxReplicas", h.Spec.MaxReplicas, 4)
		}},
		{"octollm_gateway_exposure.public", "deleted", "the exposure's HTTPRoute deleted", func() error {
			return dyn.Resource(exposure.HTTPRouteResource).Namespace(ns).Delete(ctx, "public", metav1.DeleteOptions{})
		}, plancheck.ResourceActionUpdate, func() error {
			_, err := dyn.Resource(exposure.HTTPRouteResource).Namespace(ns).Get(ctx, "public", metav1.GetOptions{})
			return err
		}},
		{"octollm_node_pool.cpu", "edited", "the pool's autoscaling maximum raised to 9 through the GKE API", func() error {
			return mutatePool(func(ctx context.Context) (*containerpb.Operation, error) {
				return gke.Client.SetNodePoolAutoscaling(ctx, &containerpb.SetNodePoolAutoscalingRequest{
					Name: poolID, Autoscaling: &containerpb.NodePoolAutoscaling{Enabled: true, MinNodeCount: 1, MaxNodeCount: 9}})
			})
		}, plancheck.ResourceActionUpdate, func() error {
			p, err := gke.Client.GetNodePool(ctx, &containerpb.GetNodePoolRequest{Name: poolID})
			if err != nil {
				return err
			}
			return expect("pool autoscaling max", p.GetAutoscaling().GetMaxNodeCount(), 3)
		}},
		{"octollm_node_pool.cpu", "deleted", "the pool deleted through the GKE API", func() error {
			return mutatePool(func(ctx context.Context) (*containerpb.Operation, error) {
				return gke.Client.DeleteNodePool(ctx, &containerpb.DeleteNodePoolRequest{Name: poolID})
			})
		}, plancheck.ResourceActionCreate, func() error {
			p, err := gke.Client.GetNodePool(ctx, &containerpb.GetNodePoolRequest{Name: poolID})
			if err != nil {
				return err
			}
			return expect("pool status", p.GetStatus(), containerpb.NodePool_RUNNING)
		}},
		{"octollm_compliance_control.art25", "edited", "Pod Security enforce loosened to privileged in the control's scope", func() error {
			_, err := kube.CoreV1().Namespaces().Patch(ctx, workloads, types.MergePatchType, []byte(`{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}`), metav1.PatchOptions{})
			return err
		}, plancheck.ResourceActionUpdate, func() error {
			n, err := kube.CoreV1().Namespaces().Get(ctx, workloads, metav1.GetOptions{})
			if err != nil {
				return err
			}
			return expect("pod-security enforce", n.Labels["pod-security.kubernetes.io/enforce"], "restricted")
		}},
		{"octollm_compliance_control.art25", "deleted", "the control's default-deny NetworkPolicy deleted", func() error {
			return kube.NetworkingV1().NetworkPolicies(workloads).Delete(ctx, denyPolicy, metav1.DeleteOptions{})
		}, plancheck.ResourceActionUpdate, func() error {
			_, err := kube.NetworkingV1().NetworkPolicies(workloads).Get(ctx, denyPolicy, metav1.GetOptions{})
			return err
		}},
	}

	kinds := map[string]bool{}
	hows := map[string]int{}
	for _, c := range catalogue {
		kinds[strings.Split(c.resource, ".")[0]] = true
		hows[c.how]++
	}
	for _, want := range []string{"octollm_autoscaling", "octollm_billing_plan", "octollm_compliance_control", "octollm_component",
		"octollm_gateway_exposure", "octollm_model_route", "octollm_node_pool", "octollm_platform", "octollm_tenant"} {
		if !kinds[want] {
			t.Errorf("the catalogue changes no %s", want)
		}
	}

	planned, repaired := 0, 0
	defer func() {
		report(t, "R3", "%d out-of-band changes over %d resource types (%d edited, %d deleted, %d added): %d shown in the plan, %d repaired by one apply with an empty plan after",
			len(catalogue), len(kinds), hows["edited"], hows["deleted"], hows["added"], planned, repaired)
	}()
	steps := []resource.TestStep{{
		Config: config,
		Check: func(s *terraform.State) error {
			product = s.RootModule().Resources["octollm_billing_plan.r3"].Primary.Attributes["id"]
			subscription = s.RootModule().Resources["octollm_tenant.acme"].Primary.Attributes["stripe_subscription_id"]
			if product == "" || subscription == "" {
				return fmt.Errorf("no billing plan product (%q) or tenant subscription (%q) in state", product, subscription)
			}
			return nil
		},
	}}
	for _, c := range catalogue {
		steps = append(steps, resource.TestStep{
			PreConfig: func() {
				t.Logf("R3: %s: %s (%s)", c.resource, c.what, c.how)
				if err := c.change(); err != nil {
					t.Fatalf("%s: %v", c.what, err)
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				countingCheck{plancheck.ExpectResourceAction(c.resource, c.action), &planned},
			}},
			Check: func(*terraform.State) error {
				if err := c.restored(); err != nil {
					return fmt.Errorf("%s: %w", c.what, err)
				}
				repaired++
				return nil
			},
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
	})
}
