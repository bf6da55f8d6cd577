package tenant_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/stripe/stripe-go/v76"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
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
			{Config: e.config(c), ConfigPlanChecks: noChanges},
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
