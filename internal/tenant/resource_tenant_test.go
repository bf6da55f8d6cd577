package tenant_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/stripe/stripe-go/v76"
	corev1 "k8s.io/api/core/v1"
	apiresource "k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/tenant"
)

var update = resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("octollm_tenant.acme", plancheck.ResourceActionUpdate)}}

// Create a billed tenant; update quotas, admins and models in place; rotate the key; repair
// drift (quota edited, namespace deleted); destroy refused with protection, then allowed.
func TestAccTenant_lifecycle(t *testing.T) {
	e := newEnv(t)
	e.cleanupTenants("acme")
	api := acctest.Stripe(t, e.key)
	const addr = "octollm_tenant.acme"
	base := tenantConfig{name: "acme", display: "Acme Corp", tier: "standard", models: []string{"gpt-4o-mini", "claude-haiku-4-5"},
		admins: []string{"alice@acme.example"}, version: 1, billing: true, protect: true}
	updated := base
	updated.quota = `cpu = "4"
    memory = "8Gi"
    pods = 20
    requests_per_minute = 100`
	updated.admins = []string{"alice@acme.example", "bob@acme.example"}
	updated.models = []string{"gpt-4o-mini", "gpt-4o"}
	rotated := updated
	rotated.version = 2
	unprotected := rotated
	unprotected.protect = false
	var customer, subscription string
	// An update without api_key_version keeps the key and the Stripe IDs; changing it rotates the key.
	keyKept, keyRotated := statecheck.CompareValue(compare.ValuesSame()), statecheck.CompareValue(compare.ValuesDiffer())
	customerKept, subscriptionKept := statecheck.CompareValue(compare.ValuesSame()), statecheck.CompareValue(compare.ValuesSame())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(e.checkGone("acme"), func(*terraform.State) error {
			sub, err := api.Subscriptions.Get(subscription, nil)
			if err != nil {
				return err
			}
			if sub.Status != stripe.SubscriptionStatusCanceled {
				return fmt.Errorf("subscription %s is %s after destroy, want canceled", subscription, sub.Status)
			}
			cus, err := api.Customers.Get(customer, nil)
			if err != nil || cus.Deleted {
				return fmt.Errorf("customer %s was deleted (kept for invoice history unless delete_customer): %w", customer, err)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: e.config(base),
				Check: resource.ComposeTestCheckFunc(
					e.checkKey("acme"),
					e.checkQuota("acme", "8", "16Gi", 50, 600, `["claude-haiku-4-5","gpt-4o-mini"]`),
					e.checkObjects("acme", []string{"alice@acme.example"}),
					func(s *terraform.State) error {
						customer, subscription = attr(s, addr, "stripe_customer_id"), attr(s, addr, "stripe_subscription_id")
						return checkBilling(api, customer, subscription, "acme", attr(s, "octollm_billing_plan.standard", "id"))
					}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("namespace"), knownvalue.StringExact("tenant-acme")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("sync_status"), knownvalue.StringExact("in sync")),
					keyKept.AddStateValue(addr, tfjsonpath.New("api_key")),
					customerKept.AddStateValue(addr, tfjsonpath.New("stripe_customer_id")),
					subscriptionKept.AddStateValue(addr, tfjsonpath.New("stripe_subscription_id")),
				},
			},
			{Config: e.config(base), ConfigPlanChecks: acctest.NoChanges},
			{Config: e.config(base), ConfigPlanChecks: acctest.NoChanges},
			{
				Config: e.config(updated), ConfigPlanChecks: update,
				Check: resource.ComposeTestCheckFunc(
					e.checkQuota("acme", "4", "8Gi", 20, 100, `["gpt-4o","gpt-4o-mini"]`),
					e.checkObjects("acme", []string{"alice@acme.example", "bob@acme.example"})),
				ConfigStateChecks: []statecheck.StateCheck{
					keyKept.AddStateValue(addr, tfjsonpath.New("api_key")),
					customerKept.AddStateValue(addr, tfjsonpath.New("stripe_customer_id")),
					subscriptionKept.AddStateValue(addr, tfjsonpath.New("stripe_subscription_id")),
					keyRotated.AddStateValue(addr, tfjsonpath.New("api_key")),
				},
			},
			{
				Config: e.config(rotated), ConfigPlanChecks: update, Check: e.checkKey("acme"),
				ConfigStateChecks: []statecheck.StateCheck{keyRotated.AddStateValue(addr, tfjsonpath.New("api_key"))},
			},
			{
				// Import by name: everything but the key itself, which the cluster never holds.
				Config: e.config(rotated), ResourceName: addr, ImportState: true, ImportStateId: "acme", ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"api_key", "timeouts"},
			},
			{
				// The quota edited out of band: the plan shows it back, apply restores it.
				PreConfig: func() {
					rq, err := e.kube.CoreV1().ResourceQuotas("tenant-acme").Get(context.Background(), tenant.QuotaName, metav1.GetOptions{})
					if err != nil {
						t.Fatal(err)
					}
					rq.Spec.Hard[corev1.ResourceRequestsCPU] = apiresource.MustParse("64")
					if _, err := e.kube.CoreV1().ResourceQuotas("tenant-acme").Update(context.Background(), rq, metav1.UpdateOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: e.config(rotated), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("sync_status"), knownvalue.StringExact("in sync")),
				}},
				Check: e.checkQuota("acme", "4", "8Gi", 20, 100, `["gpt-4o","gpt-4o-mini"]`),
			},
			{
				// Drift is named in state before apply repairs it.
				PreConfig: func() {
					if err := e.kube.CoreV1().LimitRanges("tenant-acme").Delete(context.Background(), tenant.LimitRangeName, metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState: true, ExpectNonEmptyPlan: true,
				Check: resource.TestCheckResourceAttr(addr, "sync_status", "drifted: LimitRange tenant-defaults is missing"),
			},
			{Config: e.config(rotated), ConfigPlanChecks: update, Check: e.checkObjects("acme", rotated.admins)},
			{
				// The namespace deleted out of band is recreated, with the same key.
				PreConfig: func() {
					if err := e.kube.CoreV1().Namespaces().Delete(context.Background(), "tenant-acme", metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: e.config(rotated), ConfigPlanChecks: update,
				Check: resource.ComposeTestCheckFunc(e.checkKey("acme"), e.checkObjects("acme", rotated.admins),
					e.checkQuota("acme", "4", "8Gi", 20, 100, `["gpt-4o","gpt-4o-mini"]`)),
			},
			{Config: e.config(rotated), ConfigPlanChecks: acctest.NoChanges},
			{Config: e.config(rotated), Destroy: true, ExpectError: acctest.ErrorText("deletion_protection is true; set deletion_protection = false and apply, then destroy")},
			{Config: e.config(unprotected)},
		},
	})
}

// checkBilling checks one customer carries the tenant's metadata and one active subscription
// holds exactly the plan's active metered prices.
func checkBilling(api stripeAPI, customer, subscription, name, plan string) error {
	cus, err := api.Customers.Get(customer, nil)
	if err != nil {
		return err
	}
	if cus.Metadata["octollm_tenant"] != name || cus.Email != "billing@"+name+".example" {
		return fmt.Errorf("customer %s: metadata %v email %s", customer, cus.Metadata, cus.Email)
	}
	sub, err := api.Subscriptions.Get(subscription, nil)
	if err != nil {
		return err
	}
	if sub.Status != stripe.SubscriptionStatusActive || sub.Customer == nil || sub.Customer.ID != customer {
		return fmt.Errorf("subscription %s: status %s", subscription, sub.Status)
	}
	want := map[string]bool{}
	it := api.Prices.List(&stripe.PriceListParams{Product: stripe.String(plan), Active: stripe.Bool(true)})
	for it.Next() {
		want[it.Price().ID] = true
	}
	if len(sub.Items.Data) != len(want) || len(want) != 3 {
		return fmt.Errorf("subscription has %d items, plan has %d active prices (want 3)", len(sub.Items.Data), len(want))
	}
	for _, item := range sub.Items.Data {
		if !want[item.Price.ID] {
			return fmt.Errorf("subscription item price %s is not an active price of the plan", item.Price.ID)
		}
	}
	return nil
}

// checkObjects checks the namespaced objects: Pod Security, LimitRange, NetworkPolicies, the
// workload ServiceAccount and the admins' binding.
func (e *env) checkObjects(name string, admins []string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		ns := tenant.Namespace(name)
		n, err := e.kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if n.Labels["octollm.io/tenant"] != name || n.Labels["pod-security.kubernetes.io/enforce"] != "restricted" || n.Labels["octollm.io/tier"] == "" {
			return fmt.Errorf("namespace labels %v", n.Labels)
		}
		if _, err := e.kube.CoreV1().LimitRanges(ns).Get(ctx, tenant.LimitRangeName, metav1.GetOptions{}); err != nil {
			return err
		}
		pols, err := e.kube.NetworkingV1().NetworkPolicies(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return err
		}
		if len(pols.Items) != len(tenant.NetworkPolicyNames) {
			return fmt.Errorf("%d NetworkPolicies, want %d", len(pols.Items), len(tenant.NetworkPolicyNames))
		}
		if _, err := e.kube.CoreV1().ServiceAccounts(ns).Get(ctx, tenant.WorkloadName, metav1.GetOptions{}); err != nil {
			return err
		}
		rb, err := e.kube.RbacV1().RoleBindings(ns).Get(ctx, tenant.AdminsBindingName, metav1.GetOptions{})
		if err != nil {
			return err
		}
		var got []string
		for _, s := range rb.Subjects {
			got = append(got, s.Name)
		}
		if rb.RoleRef.Kind != "ClusterRole" || rb.RoleRef.Name != "admin" || strings.Join(got, ",") != strings.Join(admins, ",") {
			return fmt.Errorf("admins binding: %v -> %s/%s, want %v -> ClusterRole/admin", got, rb.RoleRef.Kind, rb.RoleRef.Name, admins)
		}
		return nil
	}
}

// The apiserver enforces the quota: a pod asking for more CPU than the tenant has is rejected.
func TestAccTenant_quotaEnforced(t *testing.T) {
	e := newEnv(t)
	e.cleanupTenants("quota")
	c := tenantConfig{name: "quota", quota: `cpu = "1"
    memory = "1Gi"`}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.config(c),
			Check: func(*terraform.State) error {
				pod := func(cpu string) *corev1.Pod {
					no, yes := false, true
					uid := int64(1000)
					return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{GenerateName: "big-"}, Spec: corev1.PodSpec{
						SecurityContext: &corev1.PodSecurityContext{RunAsNonRoot: &yes, RunAsUser: &uid, SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}},
						Containers: []corev1.Container{{Name: "app", Image: "registry.example/app:1",
							SecurityContext: &corev1.SecurityContext{AllowPrivilegeEscalation: &no, Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}}},
							Resources: corev1.ResourceRequirements{
								Requests: corev1.ResourceList{corev1.ResourceCPU: apiresource.MustParse(cpu)},
								Limits:   corev1.ResourceList{corev1.ResourceCPU: apiresource.MustParse(cpu)},
							}}},
					}}
				}
				pods := e.kube.CoreV1().Pods("tenant-quota")
				dry := metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}}
				if _, err := pods.Create(context.Background(), pod("500m"), dry); err != nil {
					return fmt.Errorf("a pod within quota was rejected: %w", err)
				}
				_, err := pods.Create(context.Background(), pod("2"), dry)
				if err == nil || !strings.Contains(err.Error(), "exceeded quota") {
					return fmt.Errorf("a pod asking for 2 CPUs in a 1-CPU tenant: err = %w, want exceeded quota", err)
				}
				return nil
			},
		}},
	})
}

// Bad input fails at plan time with an error naming the attribute.
func TestAccTenant_badInput(t *testing.T) {
	e := newEnv(t)
	long := strings.Repeat("a", 41)
	cases := []struct {
		name string
		c    tenantConfig
		want string
	}{
		{"name not a label", tenantConfig{name: "Acme_Corp"}, `name: "Acme_Corp" is not a valid tenant name`},
		{"name too long", tenantConfig{name: long}, "it is 41 characters long"},
		{"cpu not a quantity", tenantConfig{name: "bad", quota: `cpu = "eight"`}, `quota.cpu: "eight" is not a Kubernetes quantity`},
		{"memory negative", tenantConfig{name: "bad", quota: `memory = "-1Gi"`}, `quota.memory: "-1Gi" is negative`},
		{"negative pods", tenantConfig{name: "bad", quota: `pods = -1`}, "pods value must be at least 0, got: -1"},
		{"negative tokens", tenantConfig{name: "bad", quota: `llm_tokens_per_month = -5`}, "llm_tokens_per_month value must be at least 0"},
		{"unknown model", tenantConfig{name: "bad", models: []string{"gpt4o-mini"}}, `allowed_models: unknown model "gpt4o-mini": did you mean "gpt-4o-mini"?`},
		{"empty model", tenantConfig{name: "bad", models: []string{""}}, "allowed_models: a model name is empty"},
		{"admin not an email", tenantConfig{name: "bad", admins: []string{"alice"}}, `admins: "alice" is not an email address`},
		{"tier", tenantConfig{name: "bad", tier: "gold"}, `tier value must be one of: ["free" "standard" "enterprise"]`},
		{"retention", tenantConfig{name: "bad", quota: ""}, ""},
	}
	for _, tc := range cases {
		if tc.want == "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: e.config(tc.c), PlanOnly: true, ExpectError: acctest.ErrorText(tc.want)}},
			})
		})
	}
	t.Run("billing email", func(t *testing.T) {
		cfg := strings.Replace(e.config(tenantConfig{name: "bad", billing: true}), `email = "billing@bad.example"`, `email = "billing at bad"`, 1)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
			Steps:                    []resource.TestStep{{Config: cfg, PlanOnly: true, ExpectError: acctest.ErrorText(`billing.email: "billing at bad" is not an email address`)}},
		})
	})
	t.Run("retention out of range", func(t *testing.T) {
		cfg := strings.Replace(e.config(tenantConfig{name: "bad"}), "deletion_protection", "data_retention_days = 0\n  deletion_protection", 1)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
			Steps:                    []resource.TestStep{{Config: cfg, PlanOnly: true, ExpectError: acctest.ErrorText("data_retention_days value must be between 1 and 3650, got: 0")}},
		})
	})
	t.Run("billing without Stripe", func(t *testing.T) {
		t.Setenv("STRIPE_API_KEY", "")
		os.Unsetenv("STRIPE_API_KEY")
		cfg := fmt.Sprintf("provider \"octollm\" {\n  namespace = %q\n}\n", e.platform) +
			tenantConfig{name: "bad"}.hcl()
		cfg = strings.Replace(cfg, "deletion_protection", "billing {\n    plan_id = \"prod_x\"\n    email = \"b@bad.example\"\n  }\n  deletion_protection", 1)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
			Steps: []resource.TestStep{{Config: cfg, PlanOnly: true,
				ExpectError: acctest.ErrorText("billing: the tenant is billed on Stripe, but the provider has no Stripe configuration: set stripe.api_key in the provider block or the STRIPE_API_KEY environment variable")}},
		})
	})
}

// A namespace that is not this provider's tenant is not taken over.
func TestAccTenant_refusesForeignNamespace(t *testing.T) {
	e := newEnv(t)
	e.cleanupTenants("taken")
	if _, err := e.kube.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "tenant-taken"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{Config: e.config(tenantConfig{name: "taken"}),
			ExpectError: acctest.ErrorText(`name: namespace tenant-taken already exists and is not this provider's tenant "taken"`)}},
	})
}

// The docs' examples as a registry user copies them: examples/resources/octollm_billing_plan
// and octollm_tenant applied together (the tenant renamed so tests can run side by side, and its
// deletion protection off so the test can destroy it). The tenant ends in sync, billed on the
// example's plan, and a second plan is empty.
func TestAccTenant_docsExample(t *testing.T) {
	e := newEnv(t)
	name := acctest.RandomName("acme")
	e.cleanupTenants(name)
	config := acctest.StripeProvider(e.key, e.platform) +
		acctest.Example(t, "octollm_billing_plan") +
		acctest.Example(t, "octollm_tenant",
			`name         = "acme"`, fmt.Sprintf("name         = %q", name),
			"deletion_protection = true", "deletion_protection = false")
	const addr = "octollm_tenant.acme"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: acctest.ExampleSteps(config,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("sync_status"), knownvalue.StringExact(tenant.InSync)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("namespace"), knownvalue.StringExact(tenant.Namespace(name))),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("stripe_subscription_id"), knownvalue.StringRegexp(regexp.MustCompile(`^sub_`))),
		),
	})
}
