package tenant

import (
	"fmt"
	"sort"

	"github.com/stripe/stripe-go/v76"
	stripeclient "github.com/stripe/stripe-go/v76/client"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// Stripe metadata on a tenant's customer and subscription; adoption after a crash finds them by it.
const (
	TenantMetadata = "octollm_tenant"
	PlanMetadata   = "octollm_billing_plan_id"
)

// billingOps performs a tenant's Stripe writes. Each create first looks for the object an
// interrupted run may have made (customer by email and tenant metadata, subscription by
// customer and tenant metadata) and carries a deterministic idempotency key of (tenant,
// operation, generation), the generation being the tenant namespace's UID: a retried or
// re-run create never makes a second customer or subscription, and a tenant created again
// after a destroy gets a subscription of its own.
type billingOps struct {
	api    *stripeclient.API
	tenant string
	gen    string
}

func (o billingOps) metadata() map[string]string {
	return map[string]string{TenantMetadata: o.tenant, contract.ManagedByMetadata: contract.ManagedByValue}
}

// ensureCustomer returns the tenant's live customer, creating it if needed, and brings its
// email and name up to date.
func (o billingOps) ensureCustomer(id, email, name string) (*stripe.Customer, error) {
	var cus *stripe.Customer
	if id != "" {
		c, err := o.api.Customers.Get(id, nil)
		switch {
		case err == nil && !c.Deleted:
			cus = c
		case err != nil && !clients.StripeNotFound(err):
			return nil, clients.StripeError("retrieve customer "+id, err)
		}
	}
	if cus == nil {
		it := o.api.Customers.List(&stripe.CustomerListParams{Email: stripe.String(email)})
		for it.Next() {
			if c := it.Customer(); c.Metadata[TenantMetadata] == o.tenant {
				cus = c
				break
			}
		}
		if err := it.Err(); err != nil {
			return nil, clients.StripeError("list customers", err)
		}
	}
	if cus == nil {
		params := &stripe.CustomerParams{Email: stripe.String(email), Name: stripe.String(name)}
		for k, v := range o.metadata() {
			params.AddMetadata(k, v)
		}
		params.SetIdempotencyKey(clients.IdempotencyKey("tenant", o.tenant, "customer", o.gen))
		c, err := o.api.Customers.New(params)
		if err != nil {
			return nil, clients.StripeError("create customer for tenant "+o.tenant, err)
		}
		return c, nil
	}
	if cus.Email != email || cus.Name != name {
		c, err := o.api.Customers.Update(cus.ID, &stripe.CustomerParams{Email: stripe.String(email), Name: stripe.String(name)})
		if err != nil {
			return nil, clients.StripeError("update customer "+cus.ID, err)
		}
		cus = c
	}
	return cus, nil
}

// planPrices lists the active metered prices of a billing plan's product.
func (o billingOps) planPrices(planID string) ([]string, error) {
	var ids []string
	it := o.api.Prices.List(&stripe.PriceListParams{Product: stripe.String(planID), Active: stripe.Bool(true)})
	for it.Next() {
		if p := it.Price(); p.Recurring != nil && p.Recurring.UsageType == stripe.PriceRecurringUsageTypeMetered {
			ids = append(ids, p.ID)
		}
	}
	if err := it.Err(); err != nil {
		return nil, clients.StripeError("list prices of billing plan "+planID, err)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("billing plan %s has no active metered prices: check billing.plan_id is an octollm_billing_plan's id (prod_...) and that the plan exists", planID)
	}
	sort.Strings(ids)
	return ids, nil
}

func live(s *stripe.Subscription) bool {
	return s != nil && s.Status != stripe.SubscriptionStatusCanceled && s.Status != stripe.SubscriptionStatusIncompleteExpired
}

// ensureSubscription returns the customer's live subscription to every price of the plan,
// creating it or moving its items to the plan's current prices as needed.
func (o billingOps) ensureSubscription(id, customer, planID string) (*stripe.Subscription, error) {
	prices, err := o.planPrices(planID)
	if err != nil {
		return nil, err
	}
	var sub *stripe.Subscription
	if id != "" {
		s, err := o.api.Subscriptions.Get(id, nil)
		if err != nil && !clients.StripeNotFound(err) {
			return nil, clients.StripeError("retrieve subscription "+id, err)
		}
		if err == nil && live(s) {
			sub = s
		}
	}
	if sub == nil {
		it := o.api.Subscriptions.List(&stripe.SubscriptionListParams{Customer: stripe.String(customer)})
		for it.Next() {
			if s := it.Subscription(); live(s) && s.Metadata[TenantMetadata] == o.tenant {
				sub = s
				break
			}
		}
		if err := it.Err(); err != nil {
			return nil, clients.StripeError("list subscriptions of customer "+customer, err)
		}
	}
	if sub == nil {
		params := &stripe.SubscriptionParams{Customer: stripe.String(customer)}
		for _, p := range prices {
			params.Items = append(params.Items, &stripe.SubscriptionItemsParams{Price: stripe.String(p)})
		}
		for k, v := range o.metadata() {
			params.AddMetadata(k, v)
		}
		params.AddMetadata(PlanMetadata, planID)
		// id (a canceled subscription's, or "") is part of the generation, so replacing a
		// subscription canceled out of band does not replay the canceled one.
		params.SetIdempotencyKey(clients.IdempotencyKey("tenant", o.tenant, "subscription", o.gen, planID, id))
		s, err := o.api.Subscriptions.New(params)
		if err != nil {
			return nil, clients.StripeError("create subscription for tenant "+o.tenant, err)
		}
		return s, nil
	}
	return o.syncItems(sub, prices, planID)
}

// syncItems moves a subscription's items to exactly the given prices.
func (o billingOps) syncItems(sub *stripe.Subscription, prices []string, planID string) (*stripe.Subscription, error) {
	want := map[string]bool{}
	for _, p := range prices {
		want[p] = true
	}
	params := &stripe.SubscriptionParams{}
	have := map[string]bool{}
	if sub.Items != nil {
		for _, it := range sub.Items.Data {
			if it.Price != nil && want[it.Price.ID] {
				have[it.Price.ID] = true
				continue
			}
			params.Items = append(params.Items, &stripe.SubscriptionItemsParams{ID: stripe.String(it.ID), Deleted: stripe.Bool(true)})
		}
	}
	for _, p := range prices {
		if !have[p] {
			params.Items = append(params.Items, &stripe.SubscriptionItemsParams{Price: stripe.String(p)})
		}
	}
	if len(params.Items) == 0 && sub.Metadata[PlanMetadata] == planID {
		return sub, nil
	}
	params.AddMetadata(PlanMetadata, planID)
	s, err := o.api.Subscriptions.Update(sub.ID, params)
	if err != nil {
		return nil, clients.StripeError("update the items of subscription "+sub.ID, err)
	}
	return s, nil
}

// cancel cancels the subscription, invoicing the usage so far; a subscription already
// canceled or gone is done.
func (o billingOps) cancel(id string) error {
	s, err := o.api.Subscriptions.Get(id, nil)
	if err != nil {
		if clients.StripeNotFound(err) {
			return nil
		}
		return clients.StripeError("retrieve subscription "+id, err)
	}
	if !live(s) {
		return nil
	}
	if _, err := o.api.Subscriptions.Cancel(id, &stripe.SubscriptionCancelParams{InvoiceNow: stripe.Bool(true), Prorate: stripe.Bool(false)}); err != nil {
		return clients.StripeError("cancel subscription "+id, err)
	}
	return nil
}

func (o billingOps) deleteCustomer(id string) error {
	if _, err := o.api.Customers.Del(id, nil); err != nil && !clients.StripeNotFound(err) {
		return clients.StripeError("delete customer "+id, err)
	}
	return nil
}
