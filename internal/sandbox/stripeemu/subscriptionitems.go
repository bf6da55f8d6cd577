package stripeemu

import (
	"net/http"
	"time"
)

// subscriptionItem is Stripe's subscription item. The store keeps the price
// by ID; Price and Plan are filled in when the item is rendered (see
// account.renderItem), as Stripe embeds the current price in every item.
// Quantity is absent for metered prices, as on Stripe.
type subscriptionItem struct {
	ID                string            `json:"id"`
	Object            string            `json:"object"`
	BillingThresholds *struct{}         `json:"billing_thresholds"`
	Created           int64             `json:"created"`
	Discounts         []string          `json:"discounts"`
	Metadata          map[string]string `json:"metadata"`
	Plan              *plan             `json:"plan"`
	Price             *price            `json:"price"`
	Quantity          *int64            `json:"quantity,omitempty"`
	Subscription      string            `json:"subscription"`
	TaxRates          []struct{}        `json:"tax_rates"`

	priceID string
}

// plan is the legacy plan view of a recurring price that Stripe still
// embeds in subscription items.
type plan struct {
	ID              string            `json:"id"`
	Object          string            `json:"object"`
	Active          bool              `json:"active"`
	AggregateUsage  *string           `json:"aggregate_usage"`
	Amount          *int64            `json:"amount"`
	AmountDecimal   *string           `json:"amount_decimal"`
	BillingScheme   string            `json:"billing_scheme"`
	Created         int64             `json:"created"`
	Currency        string            `json:"currency"`
	Interval        string            `json:"interval"`
	IntervalCount   int64             `json:"interval_count"`
	Livemode        bool              `json:"livemode"`
	Metadata        map[string]string `json:"metadata"`
	Meter           *string           `json:"meter"`
	Nickname        *string           `json:"nickname"`
	Product         string            `json:"product"`
	TiersMode       *string           `json:"tiers_mode"`
	TransformUsage  *struct{}         `json:"transform_usage"`
	TrialPeriodDays *int64            `json:"trial_period_days"`
	UsageType       string            `json:"usage_type"`
}

func planOf(pr *price) *plan {
	return &plan{
		ID: pr.ID, Object: "plan", Active: pr.Active, AggregateUsage: pr.Recurring.AggregateUsage,
		Amount: pr.UnitAmount, AmountDecimal: pr.UnitAmountDecimal, BillingScheme: pr.BillingScheme,
		Created: pr.Created, Currency: pr.Currency, Interval: pr.Recurring.Interval,
		IntervalCount: pr.Recurring.IntervalCount, Metadata: pr.Metadata, Meter: pr.Recurring.Meter,
		Nickname: pr.Nickname, Product: pr.Product, UsageType: pr.Recurring.UsageType,
	}
}

// renderItem returns a copy of it with its price and plan embedded.
func (a *account) renderItem(it *subscriptionItem) *subscriptionItem {
	v := *it
	v.Price = a.prices.byID[it.priceID].obj
	v.Plan = planOf(v.Price)
	return &v
}

// Parameters of one item, in the items array of a subscription or at the
// top level of the subscription item endpoints.
var (
	itemParams      = []string{"metadata", "price", "quantity"}
	itemUpdateExtra = []string{"clear_usage", "deleted", "id"}
	itemUnsupported = []string{"billing_thresholds", "discounts", "plan", "price_data", "tax_rates"}
)

// checkItemParams checks the parameter names of one element of a
// subscription's items array; update selects what an update accepts there.
func checkItemParams(spec params, update bool) *apiError {
	known := itemParams
	if update {
		known = append(append([]string{}, itemParams...), itemUpdateExtra...)
	}
	if err := spec.checkKnown(known, itemUnsupported); err != nil {
		return err
	}
	_, _, err := spec.boolean("clear_usage")
	return err
}

// parseItem applies the price, quantity and metadata of spec to existing,
// or to a new item when existing is nil, checking the price.
func (a *account) parseItem(spec params, existing *subscriptionItem, now time.Time) (*subscriptionItem, *apiError) {
	it := existing
	if it == nil {
		it = &subscriptionItem{
			ID: newID("si_"), Object: "subscription_item", Created: now.Unix(),
			Discounts: []string{}, Metadata: map[string]string{}, TaxRates: []struct{}{},
		}
		if !spec.has("price") {
			return nil, missingParam(spec.qualify("price"))
		}
	}
	if priceID, ok, err := spec.nonEmpty("price"); err != nil {
		return nil, err
	} else if ok {
		if _, err := a.itemPrice(spec.qualify("price"), priceID); err != nil {
			return nil, err
		}
		it.priceID = priceID
	}
	pr := a.prices.byID[it.priceID].obj
	qty, hasQty, err := spec.integer("quantity")
	if err != nil {
		return nil, err
	}
	switch {
	case pr.metered() && hasQty:
		return nil, invalidParam(spec.qualify("quantity"), "",
			"Quantity should not be specified where usage_type is `metered`. Remove quantity from the request for price %s.", pr.ID)
	case pr.metered():
		it.Quantity = nil
	case hasQty:
		if qty < 0 {
			return nil, invalidParam(spec.qualify("quantity"), codeParameterInvalidInteger, "This value must be greater than or equal to 0.")
		}
		it.Quantity = &qty
	case it.Quantity == nil:
		one := int64(1)
		it.Quantity = &one
	}
	if err := spec.applyMetadata(it.Metadata); err != nil {
		return nil, err
	}
	return it, nil
}

// itemPrice checks that a subscription item can use the price: it exists,
// is active and is recurring.
func (a *account) itemPrice(param, priceID string) (*price, *apiError) {
	r, ok := a.prices.byID[priceID]
	if !ok {
		return nil, resourceMissing(http.StatusBadRequest, "price", param, priceID)
	}
	if !r.obj.Active {
		return nil, stateError(param, "", "The price specified is inactive. This field only accepts active prices.")
	}
	if r.obj.Recurring == nil {
		return nil, invalidParam(param, "",
			"The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.")
	}
	return r.obj, nil
}

// checkItems checks the item set of one subscription: distinct prices, one
// currency and one billing interval.
func (a *account) checkItems(items []*subscriptionItem) *apiError {
	first := a.prices.byID[items[0].priceID].obj
	seen := map[string]bool{}
	for _, it := range items {
		pr := a.prices.byID[it.priceID].obj
		if seen[pr.ID] {
			return invalidParam("items", "", "Cannot add multiple subscription items with the same price: %s", pr.ID)
		}
		seen[pr.ID] = true
		if pr.Currency != first.Currency {
			return invalidParam("items", "",
				"The price specified has a currency of `%s`, but the subscription's other prices use `%s`. All prices on a subscription must share a currency.",
				pr.Currency, first.Currency)
		}
		if pr.Recurring.Interval != first.Recurring.Interval || pr.Recurring.IntervalCount != first.Recurring.IntervalCount {
			return invalidParam("items", "",
				"All prices on a subscription must have the same recurring interval: %s is billed every %d %s, %s every %d %s.",
				first.ID, first.Recurring.IntervalCount, first.Recurring.Interval,
				pr.ID, pr.Recurring.IntervalCount, pr.Recurring.Interval)
		}
	}
	return nil
}

// liveSubscription returns the subscription named by param for an item
// endpoint; it must exist and, when open is set, not be canceled.
func (a *account) liveSubscription(p params, open bool) (*subscription, *apiError) {
	id, err := p.required("subscription")
	if err != nil {
		return nil, err
	}
	sub, err := a.subscriptions.live(id)
	if err != nil {
		return nil, resourceMissing(http.StatusBadRequest, "subscription", "subscription", id)
	}
	if open && sub.Status == subCanceled {
		return nil, stateError("subscription", "", "A canceled subscription can only update its cancellation_details and metadata.")
	}
	return sub, nil
}

// createSubscriptionItem implements POST /v1/subscription_items.
func (s *Server) createSubscriptionItem(c *call) (any, *apiError) {
	p := c.params
	known := append([]string{"expand", "payment_behavior", "proration_behavior", "proration_date", "subscription"}, itemParams...)
	if _, err := p.accept(known, append([]string{"off_session"}, itemUnsupported...), nil); err != nil {
		return nil, err
	}
	if err := checkBehaviors(p); err != nil {
		return nil, err
	}
	sub, err := c.acct.liveSubscription(p, true)
	if err != nil {
		return nil, err
	}
	it, err := c.acct.parseItem(p, nil, c.now)
	if err != nil {
		return nil, err
	}
	it.Subscription = sub.ID
	if err := c.acct.checkItems(append(c.acct.itemsOf(sub.ID), it)); err != nil {
		return nil, err
	}
	c.acct.subscriptionItems.insert(it.ID, it)
	return c.acct.renderItem(it), nil
}

// retrieveSubscriptionItem implements GET /v1/subscription_items/{id}.
func (s *Server) retrieveSubscriptionItem(c *call) (any, *apiError) {
	if _, err := c.params.accept([]string{"expand"}, nil, nil); err != nil {
		return nil, err
	}
	it, err := c.acct.subscriptionItems.live(c.req.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return c.acct.renderItem(it), nil
}

// deleteSubscriptionItem implements DELETE /v1/subscription_items/{id}. The
// last item of a subscription cannot be deleted: that is a cancellation.
func (s *Server) deleteSubscriptionItem(c *call) (any, *apiError) {
	p := c.params
	if err := p.checkKnown([]string{"clear_usage", "proration_behavior", "proration_date"}, nil); err != nil {
		return nil, err
	}
	if _, _, err := p.boolean("clear_usage"); err != nil {
		return nil, err
	}
	if err := checkBehaviors(p); err != nil {
		return nil, err
	}
	id := c.req.PathValue("id")
	it, err := c.acct.subscriptionItems.live(id)
	if err != nil {
		return nil, err
	}
	if c.acct.subscriptions.byID[it.Subscription].obj.Status == subCanceled {
		return nil, stateError("", "", "A canceled subscription can only update its cancellation_details and metadata.")
	}
	if len(c.acct.itemsOf(it.Subscription)) == 1 {
		return nil, stateError("", "",
			"A subscription must have at least one item. To cancel a subscription, use DELETE /v1/subscriptions/{id}.")
	}
	return c.acct.subscriptionItems.remove(id)
}

// listSubscriptionItems implements GET /v1/subscription_items.
func (s *Server) listSubscriptionItems(c *call) (any, *apiError) {
	p := c.params
	if _, err := p.accept(append([]string{"expand", "subscription"}, paginationParams...), nil, nil); err != nil {
		return nil, err
	}
	q, err := parseListQuery(p)
	if err != nil {
		return nil, err
	}
	sub, err := c.acct.liveSubscription(p, false)
	if err != nil {
		return nil, err
	}
	page, more, err := c.acct.subscriptionItems.list(q, func(it *subscriptionItem) bool {
		return it.Subscription == sub.ID
	})
	if err != nil {
		return nil, err
	}
	data := make([]*subscriptionItem, len(page))
	for i, it := range page {
		data[i] = c.acct.renderItem(it)
	}
	return newList("/v1/subscription_items", data, more), nil
}
