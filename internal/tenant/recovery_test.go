package tenant_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/stripe/stripe-go/v76"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/tenant"
)

// countBilling counts the account's customers and live subscriptions per tenant metadata.
func countBilling(api stripeAPI) (customers, subscriptions map[string]int, err error) {
	customers, subscriptions = map[string]int{}, map[string]int{}
	ci := api.Customers.List(&stripe.CustomerListParams{})
	for ci.Next() {
		customers[ci.Customer().Metadata["octollm_tenant"]]++
	}
	si := api.Subscriptions.List(&stripe.SubscriptionListParams{})
	for si.Next() {
		subscriptions[si.Subscription().Metadata["octollm_tenant"]]++
	}
	if err = ci.Err(); err == nil {
		err = si.Err()
	}
	return customers, subscriptions, err
}

// Stripe fails after the namespace exists (creating the customer, or the subscription after
// the customer exists): the apply fails with Stripe's message, the state records the tenant,
// and the next apply finishes it with one customer and one subscription.
func TestAccTenant_partialFailureRecovers(t *testing.T) {
	for _, tc := range []struct{ only, want string }{
		{"POST /v1/customers", "Cannot create the tenant's Stripe customer"},
		{"POST /v1/subscriptions", "Cannot subscribe the tenant to its billing plan"},
	} {
		t.Run(tc.only, func(t *testing.T) { partialFailure(t, tc.only, tc.want) })
	}
}

func partialFailure(t *testing.T, only, want string) {
	e := newEnv(t)
	e.cleanupTenants("partial")
	api := acctest.Stripe(t, e.key)
	// Protected: finishing a tainted, half-made tenant must not need deletion_protection off.
	c := tenantConfig{name: "partial", billing: true, protect: true}
	unprotected := c
	unprotected.protect = false
	plan := e.config() + planHCL
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: plan},
			{
				PreConfig:   func() { acctest.StripeFaults(t, 1, only) },
				Config:      e.config(c),
				ExpectError: acctest.ErrorText(want + " ... (injected by the sandbox fault injector) ... apply again to finish without duplicates"),
			},
			{
				// The namespace exists and the state has the tenant (tainted).
				PreConfig: func() {
					acctest.StripeFaults(t, 0, "")
					if _, err := e.kube.CoreV1().Namespaces().Get(context.Background(), "tenant-partial", metav1.GetOptions{}); err != nil {
						t.Fatalf("the namespace made before Stripe failed: %v", err)
					}
				},
				Config: e.config(c),
				Check: func(s *terraform.State) error {
					customers, subs, err := countBilling(api)
					if err != nil {
						return err
					}
					if customers["partial"] != 1 || subs["partial"] != 1 {
						return fmt.Errorf("after recovery: %d customers, %d subscriptions for the tenant, want 1 and 1", customers["partial"], subs["partial"])
					}
					return checkBilling(api, attr(s, "octollm_tenant.partial", "stripe_customer_id"), attr(s, "octollm_tenant.partial", "stripe_subscription_id"),
						"partial", attr(s, "octollm_billing_plan.standard", "id"))
				},
			},
			{Config: e.config(c), ConfigPlanChecks: acctest.NoChanges},
			{Config: e.config(unprotected)},
		},
	})
}

// billing.delete_customer: destroy deletes the Stripe customer too, after canceling the
// subscription; without it the customer is kept (TestAccTenant_lifecycle).
func TestAccTenant_destroyDeletesCustomer(t *testing.T) {
	e := newEnv(t)
	e.cleanupTenants("gone")
	api := acctest.Stripe(t, e.key)
	var customer, subscription string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			cus, err := api.Customers.Get(customer, nil)
			if err == nil && !cus.Deleted {
				return fmt.Errorf("customer %s still exists after destroy with delete_customer = true", customer)
			}
			sub, err := api.Subscriptions.Get(subscription, nil)
			if err != nil {
				return err
			}
			if sub.Status != stripe.SubscriptionStatusCanceled {
				return fmt.Errorf("subscription %s is %s after destroy, want canceled", subscription, sub.Status)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: e.config(tenantConfig{name: "gone", billing: true, deleteCustomer: true}),
			Check: func(s *terraform.State) error {
				customer, subscription = attr(s, "octollm_tenant.gone", "stripe_customer_id"), attr(s, "octollm_tenant.gone", "stripe_subscription_id")
				if customer == "" || subscription == "" {
					return fmt.Errorf("no customer or subscription in state")
				}
				return nil
			},
		}},
	})
}

// A destroy that cannot finish deleting the tenant's namespace (a finalizer holds an object in
// it) has already revoked the key and canceled the subscription: were the CLI killed or timed out
// while the namespace terminates, the next refresh would find the tenant gone and drop it from
// state, and a subscription canceled only after the namespace would stay live, billed, with no
// resource left to cancel it (issue 16's R2 found it). The second destroy finishes the job.
func TestAccTenant_destroyCancelsBillingBeforeTheNamespaceGoes(t *testing.T) {
	e := newEnv(t)
	e.cleanupTenants("held")
	api := acctest.Stripe(t, e.key)
	ctx := context.Background()
	ns := tenant.Namespace("held")
	const holder, finalizer = "held-by-a-finalizer", "octollm.dev/test-hold"
	release := func() {
		cm, err := e.kube.CoreV1().ConfigMaps(ns).Get(ctx, holder, metav1.GetOptions{})
		if err != nil {
			return
		}
		cm.Finalizers = nil
		_, _ = e.kube.CoreV1().ConfigMaps(ns).Update(ctx, cm, metav1.UpdateOptions{})
	}
	t.Cleanup(release)
	held := tenantConfig{name: "held", billing: true, deleteTimeout: "20s"}
	var subscription string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             e.checkGone("held"),
		Steps: []resource.TestStep{
			{
				Config: e.config(held),
				Check: func(s *terraform.State) error {
					subscription = attr(s, "octollm_tenant.held", "stripe_subscription_id")
					if subscription == "" {
						return fmt.Errorf("no subscription in state")
					}
					cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: holder, Namespace: ns, Finalizers: []string{finalizer}}}
					_, err := e.kube.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{})
					return err
				},
			},
			{
				// The namespace cannot go within timeouts.delete.
				Config: e.config(held), Destroy: true, ExpectError: regexp.MustCompile(ns),
			},
			{
				PreConfig: func() {
					sub, err := api.Subscriptions.Get(subscription, nil)
					if err != nil {
						t.Fatalf("reading subscription %s: %v", subscription, err)
					}
					if sub.Status != stripe.SubscriptionStatusCanceled {
						t.Errorf("subscription %s is %s while the destroyed tenant's namespace terminates, want canceled", subscription, sub.Status)
					}
					if _, err := e.kube.CoreV1().Secrets(e.platform).Get(ctx, tenant.SecretName("held"), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
						t.Errorf("the key Secret %s still exists while the namespace terminates (err %v): the key must be revoked first", tenant.SecretName("held"), err)
					}
					release()
				},
				Config: e.config(held), Destroy: true,
			},
		},
	})
}

// A tenant whose create failed part way issued no key: api_key and api_key_id are null in the
// state. Untainted by its user instead of replaced, the next apply finishes it as an update and
// issues its first key, which the key Secret then holds; an empty plan after.
func TestAccTenant_untaintedAfterFailedCreateGetsItsKey(t *testing.T) {
	e := newEnv(t)
	e.cleanupTenants("untainted")
	c := newCLI(t)
	c.write(e.config(tenantConfig{name: "untainted", billing: true}))
	t.Cleanup(func() {
		if err := c.run("destroy", "-auto-approve", "-input=false"); err != nil {
			t.Logf("cleanup: %v", err)
		}
	})
	acctest.StripeFaults(t, 1, "POST /v1/customers")
	if err := c.run("apply", "-auto-approve", "-input=false"); err == nil || !strings.Contains(err.Error(), "Cannot create the tenant's Stripe customer") {
		t.Fatalf("apply with Stripe refusing customers: want \"Cannot create the tenant's Stripe customer\", got %v", err)
	}
	acctest.StripeFaults(t, 0, "")
	if attrs := c.tenant("untainted"); attrs["api_key_id"] != nil || attrs["api_key"] != nil {
		t.Fatalf("after the failed create: api_key_id %v and api_key set, want both null (no key was issued)", attrs["api_key_id"])
	}
	if err := c.run("untaint", "octollm_tenant.untainted"); err != nil {
		t.Fatal(err)
	}
	if err := c.run("apply", "-auto-approve", "-input=false"); err != nil {
		t.Fatal(err)
	}
	attrs := c.tenant("untainted")
	key, _ := attrs["api_key"].(string)
	if !strings.HasPrefix(key, "ollm_") || attrs["sync_status"] != tenant.InSync {
		t.Fatalf("after the apply that finished the untainted tenant: api_key %q, sync_status %v; want a new ollm_ key, in sync", key, attrs["sync_status"])
	}
	rec, err := e.record("untainted")
	if err != nil {
		t.Fatal(err)
	}
	if rec["key_sha256"] != tenant.KeyHash(key) || rec["key_id"] != attrs["api_key_id"] {
		t.Fatalf("key Secret hash/id %s/%s do not match the state's key (id %v)", rec["key_sha256"], rec["key_id"], attrs["api_key_id"])
	}
	if err := c.run("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Errorf("the plan after finishing the tenant is not empty: %v", err)
	}
}
