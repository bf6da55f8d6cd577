package stripeemu

import (
	"maps"
	"net/http"
	"slices"
	"time"
)

// subscription is Stripe's subscription object, fields in Stripe's order.
// Items is filled in when the subscription is rendered (see
// account.renderSubscription): Stripe always embeds the item list.
//
// The emulator does not model payment: a new subscription is active at
// once, its period runs one price interval from its creation, and it never
// renews, invoices or charges.
type subscription struct {
	ID                            string                        `json:"id"`
	Object                        string                        `json:"object"`
	Application                   *string                       `json:"application"`
	ApplicationFeePercent         *float64                      `json:"application_fee_percent"`
	AutomaticTax                  subscriptionAutomaticTax      `json:"automatic_tax"`
	BillingCycleAnchor            int64                         `json:"billing_cycle_anchor"`
	BillingCycleAnchorConfig      *struct{}                     `json:"billing_cycle_anchor_config"`
	BillingThresholds             *struct{}                     `json:"billing_thresholds"`
	CancelAt                      *int64                        `json:"cancel_at"`
	CancelAtPeriodEnd             bool                          `json:"cancel_at_period_end"`
	CanceledAt                    *int64                        `json:"canceled_at"`
	CancellationDetails           subscriptionCancellation      `json:"cancellation_details"`
	CollectionMethod              string                        `json:"collection_method"`
	Created                       int64                         `json:"created"`
	Currency                      string                        `json:"currency"`
	CurrentPeriodEnd              int64                         `json:"current_period_end"`
	CurrentPeriodStart            int64                         `json:"current_period_start"`
	Customer                      string                        `json:"customer"`
	DaysUntilDue                  *int64                        `json:"days_until_due"`
	DefaultPaymentMethod          *string                       `json:"default_payment_method"`
	DefaultSource                 *string                       `json:"default_source"`
	DefaultTaxRates               []struct{}                    `json:"default_tax_rates"`
	Description                   *string                       `json:"description"`
	Discount                      *struct{}                     `json:"discount"`
	EndedAt                       *int64                        `json:"ended_at"`
	Items                         listObject[*subscriptionItem] `json:"items"`
	LatestInvoice                 *string                       `json:"latest_invoice"`
	Livemode                      bool                          `json:"livemode"`
	Metadata                      map[string]string             `json:"metadata"`
	NextPendingInvoiceItemInvoice *int64                        `json:"next_pending_invoice_item_invoice"`
	OnBehalfOf                    *string                       `json:"on_behalf_of"`
	PauseCollection               *struct{}                     `json:"pause_collection"`
	PaymentSettings               subscriptionPaymentSettings   `json:"payment_settings"`
	PendingInvoiceItemInterval    *struct{}                     `json:"pending_invoice_item_interval"`
	PendingSetupIntent            *string                       `json:"pending_setup_intent"`
	PendingUpdate                 *struct{}                     `json:"pending_update"`
	Schedule                      *string                       `json:"schedule"`
	StartDate                     int64                         `json:"start_date"`
	Status                        string                        `json:"status"`
	TestClock                     *string                       `json:"test_clock"`
	TransferData                  *struct{}                     `json:"transfer_data"`
	TrialEnd                      *int64                        `json:"trial_end"`
	TrialSettings                 subscriptionTrialSettings     `json:"trial_settings"`
	TrialStart                    *int64                        `json:"trial_start"`
}

type subscriptionAutomaticTax struct {
	Enabled   bool      `json:"enabled"`
	Liability *struct{} `json:"liability"`
}

type subscriptionCancellation struct {
	Comment  *string `json:"comment"`
	Feedback *string `json:"feedback"`
	Reason   *string `json:"reason"`
}

type subscriptionPaymentSettings struct {
	PaymentMethodOptions     *struct{} `json:"payment_method_options"`
	PaymentMethodTypes       []string  `json:"payment_method_types"`
	SaveDefaultPaymentMethod string    `json:"save_default_payment_method"`
}

type subscriptionTrialSettings struct {
	EndBehavior struct {
		MissingPaymentMethod string `json:"missing_payment_method"`
	} `json:"end_behavior"`
}

// Subscription statuses the emulator produces.
const (
	subActive   = "active"
	subCanceled = "canceled"
)

// Parameters of the subscription endpoints.
var (
	subscriptionCreateParams = []string{
		"collection_method", "customer", "days_until_due", "expand", "items", "metadata",
		"payment_behavior", "proration_behavior",
	}
	subscriptionUpdateParams = []string{
		"collection_method", "days_until_due", "expand", "items", "metadata",
		"payment_behavior", "proration_behavior", "proration_date",
	}
	// Accepted by Stripe, not modelled by the emulator yet.
	subscriptionUnsupported = []string{
		"add_invoice_items", "application_fee_percent", "automatic_tax", "backdate_start_date",
		"billing_cycle_anchor", "billing_cycle_anchor_config", "billing_thresholds", "cancel_at",
		"cancel_at_period_end", "cancellation_details", "coupon", "currency", "default_payment_method",
		"default_source", "default_tax_rates", "description", "discounts", "invoice_settings",
		"off_session", "on_behalf_of", "pause_collection", "payment_settings",
		"pending_invoice_item_interval", "promotion_code", "transfer_data", "trial_end",
		"trial_from_plan", "trial_period_days", "trial_settings",
	}
	subscriptionExpandable = []string{
		"customer", "default_payment_method", "default_source", "latest_invoice",
		"pending_setup_intent", "schedule", "test_clock",
	}
	subscriptionStatuses = []string{
		"active", "all", "canceled", "ended", "incomplete", "incomplete_expired",
		"past_due", "paused", "trialing", "unpaid",
	}
	prorationBehaviors = []string{"always_invoice", "create_prorations", "none"}
	paymentBehaviors   = []string{"allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"}
)

// createSubscription implements POST /v1/subscriptions.
func (s *Server) createSubscription(c *call) (any, *apiError) {
	p := c.params
	expand, err := acceptSubscription(p, subscriptionCreateParams)
	if err != nil {
		return nil, err
	}
	cusID, err := p.required("customer")
	if err != nil {
		return nil, err
	}
	if _, err := c.acct.customers.live(cusID); err != nil {
		return nil, resourceMissing(http.StatusBadRequest, "customer", "customer", cusID)
	}
	specs, ok, err := p.objects("items")
	if err != nil {
		return nil, err
	}
	if !ok || len(specs) == 0 {
		return nil, missingParam("items")
	}
	sub := &subscription{
		ID:               newID("sub_"),
		Object:           "subscription",
		CollectionMethod: "charge_automatically",
		Created:          c.now.Unix(),
		Customer:         cusID,
		DefaultTaxRates:  []struct{}{},
		Metadata:         map[string]string{},
		PaymentSettings:  subscriptionPaymentSettings{SaveDefaultPaymentMethod: "off"},
		StartDate:        c.now.Unix(),
		Status:           subActive,
	}
	sub.TrialSettings.EndBehavior.MissingPaymentMethod = "create_invoice"
	var items []*subscriptionItem
	for _, spec := range specs {
		if err := checkItemParams(spec, false); err != nil {
			return nil, err
		}
		it, err := c.acct.parseItem(spec, nil, c.now)
		if err != nil {
			return nil, err
		}
		it.Subscription = sub.ID
		items = append(items, it)
	}
	if err := c.acct.checkItems(items); err != nil {
		return nil, err
	}
	if err := applySubscriptionParams(p, sub); err != nil {
		return nil, err
	}
	c.acct.startPeriod(sub, items, c.now)
	c.acct.subscriptions.insert(sub.ID, sub)
	for _, it := range items {
		c.acct.subscriptionItems.insert(it.ID, it)
	}
	return c.acct.renderSubscription(sub, expand["customer"]), nil
}

// acceptSubscription checks the parameters of a subscription create or
// update (see params.accept and checkBehaviors) and returns the fields to
// expand.
func acceptSubscription(p params, known []string) (map[string]bool, *apiError) {
	expand, err := p.accept(known, subscriptionUnsupported, subscriptionExpandable)
	if err != nil {
		return nil, err
	}
	return expand, checkBehaviors(p)
}

// checkBehaviors validates the proration and payment behaviour parameters,
// which the emulator accepts and ignores: it neither prorates nor charges.
func checkBehaviors(p params) *apiError {
	if _, _, err := p.enum("proration_behavior", prorationBehaviors...); err != nil {
		return err
	}
	if _, _, err := p.integer("proration_date"); err != nil {
		return err
	}
	_, _, err := p.enum("payment_behavior", paymentBehaviors...)
	return err
}

// applySubscriptionParams applies metadata and the collection settings.
func applySubscriptionParams(p params, sub *subscription) *apiError {
	if err := p.applyMetadata(sub.Metadata); err != nil {
		return err
	}
	if v, ok, err := p.enum("collection_method", "charge_automatically", "send_invoice"); err != nil {
		return err
	} else if ok {
		sub.CollectionMethod = v
		if v == "charge_automatically" {
			sub.DaysUntilDue = nil
		}
	}
	days, ok, err := p.integer("days_until_due")
	if err != nil || !ok {
		return err
	}
	if sub.CollectionMethod != "send_invoice" {
		return invalidParam("days_until_due", "", "Can't set days_until_due when collection_method is charge_automatically.")
	}
	if days < 0 {
		return invalidParam("days_until_due", codeParameterInvalidInteger, "This value must be greater than or equal to 0.")
	}
	sub.DaysUntilDue = &days
	return nil
}

// startPeriod begins a new billing period now, one price interval long.
// All items share their interval (see checkItems).
func (a *account) startPeriod(sub *subscription, items []*subscriptionItem, now time.Time) {
	rec := a.prices.byID[items[0].priceID].obj.Recurring
	sub.Currency = a.prices.byID[items[0].priceID].obj.Currency
	sub.BillingCycleAnchor = now.Unix()
	sub.CurrentPeriodStart = now.Unix()
	sub.CurrentPeriodEnd = addInterval(now.UTC(), rec.Interval, int(rec.IntervalCount)).Unix()
}

// addInterval adds n intervals to t the way Stripe bills: a month after
// January 31 is the last day of February.
func addInterval(t time.Time, interval string, n int) time.Time {
	switch interval {
	case "day":
		return t.AddDate(0, 0, n)
	case "week":
		return t.AddDate(0, 0, 7*n)
	}
	months := n
	if interval == "year" {
		months = 12 * n
	}
	end := t.AddDate(0, months, 0)
	if end.Day() != t.Day() { // overflowed into the next month: clamp
		end = end.AddDate(0, 0, -end.Day())
	}
	return end
}

// renderSubscription returns sub as the response, with its items embedded
// and its customer expanded when asked for.
func (a *account) renderSubscription(sub *subscription, expandCustomer bool) any {
	v := *sub
	var items []*subscriptionItem
	a.subscriptionItems.each(func(it *subscriptionItem) {
		if it.Subscription == sub.ID {
			items = append(items, a.renderItem(it))
		}
	})
	v.Items = newList("/v1/subscription_items?subscription="+sub.ID, items, false)
	if !expandCustomer {
		return &v
	}
	return struct {
		*subscription
		Customer *customer `json:"customer"`
	}{&v, a.customers.byID[sub.Customer].obj}
}

// retrieveSubscription implements GET /v1/subscriptions/{id}.
func (s *Server) retrieveSubscription(c *call) (any, *apiError) {
	expand, err := c.params.accept([]string{"expand"}, nil, subscriptionExpandable)
	if err != nil {
		return nil, err
	}
	sub, err := c.acct.subscriptions.live(c.req.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return c.acct.renderSubscription(sub, expand["customer"]), nil
}

// updateSubscription implements POST /v1/subscriptions/{id}: metadata,
// collection settings and items (items[N][id] with [price], [quantity],
// [metadata] or [deleted]; items without an id are added).
func (s *Server) updateSubscription(c *call) (any, *apiError) {
	p := c.params
	expand, err := acceptSubscription(p, subscriptionUpdateParams)
	if err != nil {
		return nil, err
	}
	cur, err := c.acct.subscriptions.live(c.req.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if cur.Status == subCanceled {
		for name := range p.root.fields {
			if name != "metadata" && name != "expand" {
				return nil, stateError("", "", "A canceled subscription can only update its cancellation_details and metadata.")
			}
		}
	}
	next := *cur // a failed update changes nothing
	next.Metadata = maps.Clone(cur.Metadata)
	if err := applySubscriptionParams(p, &next); err != nil {
		return nil, err
	}
	plan, err := c.acct.planItems(p, cur, c.now)
	if err != nil {
		return nil, err
	}
	if plan != nil {
		before := c.acct.prices.byID[plan.before[0].priceID].obj.Recurring
		after := c.acct.prices.byID[plan.after[0].priceID].obj.Recurring
		if before.Interval != after.Interval || before.IntervalCount != after.IntervalCount {
			// Stripe resets the billing cycle when the interval changes.
			c.acct.startPeriod(&next, plan.after, c.now)
		}
		plan.commit(c.acct)
	}
	*cur = next
	return c.acct.renderSubscription(cur, expand["customer"]), nil
}

// cancelSubscription implements DELETE /v1/subscriptions/{id}. Stripe
// answers a canceled subscription as if it no longer existed.
func (s *Server) cancelSubscription(c *call) (any, *apiError) {
	p := c.params
	expand, err := p.accept([]string{"expand", "invoice_now", "prorate"}, []string{"cancellation_details"}, subscriptionExpandable)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"invoice_now", "prorate"} {
		if _, _, err := p.boolean(name); err != nil {
			return nil, err
		}
	}
	id := c.req.PathValue("id")
	sub, err := c.acct.subscriptions.live(id)
	if err != nil {
		return nil, err
	}
	if sub.Status == subCanceled {
		return nil, resourceMissing(http.StatusNotFound, "subscription", "id", id)
	}
	now := c.now.Unix()
	reason := "cancellation_requested"
	sub.Status = subCanceled
	sub.CanceledAt, sub.EndedAt = &now, &now
	sub.CancellationDetails.Reason = &reason
	return c.acct.renderSubscription(sub, expand["customer"]), nil
}

// listSubscriptions implements GET /v1/subscriptions. Without a status
// filter Stripe lists every subscription that is not canceled.
func (s *Server) listSubscriptions(c *call) (any, *apiError) {
	p := c.params
	known := append([]string{"collection_method", "created", "customer", "expand", "price", "status"}, paginationParams...)
	unsupported := []string{"automatic_tax", "current_period_end", "current_period_start", "plan", "test_clock"}
	expand, err := p.accept(known, unsupported, dataFields(subscriptionExpandable))
	if err != nil {
		return nil, err
	}
	q, err := parseListQuery(p)
	if err != nil {
		return nil, err
	}
	cusID, byCustomer, err := p.str("customer")
	if err != nil {
		return nil, err
	}
	priceID, byPrice, err := p.str("price")
	if err != nil {
		return nil, err
	}
	method, byMethod, err := p.enum("collection_method", "charge_automatically", "send_invoice")
	if err != nil {
		return nil, err
	}
	status, _, err := p.enum("status", subscriptionStatuses...)
	if err != nil {
		return nil, err
	}
	created, err := parseCreatedFilter(p)
	if err != nil {
		return nil, err
	}
	page, more, err := c.acct.subscriptions.list(q, func(sub *subscription) bool {
		return matchStatus(sub.Status, status) &&
			(!byCustomer || sub.Customer == cusID) &&
			(!byPrice || c.acct.hasPrice(sub.ID, priceID)) &&
			(!byMethod || sub.CollectionMethod == method) &&
			created.match(sub.Created)
	})
	if err != nil {
		return nil, err
	}
	data := make([]any, len(page))
	for i, sub := range page {
		data[i] = c.acct.renderSubscription(sub, expand["data.customer"])
	}
	return newList("/v1/subscriptions", data, more), nil
}

// matchStatus applies the status filter of the subscription list.
func matchStatus(status, filter string) bool {
	switch filter {
	case "":
		return status != subCanceled && status != "incomplete_expired"
	case "all":
		return true
	case "ended":
		return status == subCanceled || status == "incomplete_expired"
	}
	return status == filter
}

// hasPrice reports whether the subscription has an item with the price.
func (a *account) hasPrice(subID, priceID string) bool {
	found := false
	a.subscriptionItems.each(func(it *subscriptionItem) {
		found = found || (it.Subscription == subID && it.priceID == priceID)
	})
	return found
}

// itemsOf returns the live items of a subscription, oldest first.
func (a *account) itemsOf(subID string) []*subscriptionItem {
	var out []*subscriptionItem
	a.subscriptionItems.each(func(it *subscriptionItem) {
		if it.Subscription == subID {
			out = append(out, it)
		}
	})
	return out
}

// itemPlan is a validated change to a subscription's items.
type itemPlan struct {
	before, after []*subscriptionItem // after holds copies of changed items and new ones
	removed       []string
}

// commit stores the planned items.
func (pl *itemPlan) commit(a *account) {
	for _, id := range pl.removed {
		a.subscriptionItems.byID[id].deleted = true
	}
	for _, it := range pl.after {
		if r, ok := a.subscriptionItems.byID[it.ID]; ok {
			*r.obj = *it
		} else {
			a.subscriptionItems.insert(it.ID, it)
		}
	}
}

// planItems validates the items parameter of a subscription update against
// the subscription's current items. It returns nil when items was not sent.
func (a *account) planItems(p params, sub *subscription, now time.Time) (*itemPlan, *apiError) {
	specs, ok, err := p.objects("items")
	if err != nil || !ok {
		return nil, err
	}
	pl := &itemPlan{before: a.itemsOf(sub.ID)}
	for _, it := range pl.before {
		cp := *it
		cp.Metadata = maps.Clone(it.Metadata)
		pl.after = append(pl.after, &cp)
	}
	for _, spec := range specs {
		if err := checkItemParams(spec, true); err != nil {
			return nil, err
		}
		id, hasID, err := spec.nonEmpty("id")
		if err != nil {
			return nil, err
		}
		if !hasID {
			it, err := a.parseItem(spec, nil, now)
			if err != nil {
				return nil, err
			}
			it.Subscription = sub.ID
			pl.after = append(pl.after, it)
			continue
		}
		i := slices.IndexFunc(pl.after, func(it *subscriptionItem) bool { return it.ID == id })
		if i < 0 {
			return nil, resourceMissing(http.StatusBadRequest, "subscription_item", spec.qualify("id"), id)
		}
		if del, _, err := spec.boolean("deleted"); err != nil {
			return nil, err
		} else if del {
			pl.removed = append(pl.removed, id)
			pl.after = slices.Delete(pl.after, i, i+1)
			continue
		}
		if _, err := a.parseItem(spec, pl.after[i], now); err != nil {
			return nil, err
		}
	}
	if len(pl.after) == 0 {
		return nil, invalidParam("items", "",
			"A subscription must have at least one item. To cancel a subscription, use DELETE /v1/subscriptions/{id}.")
	}
	if err := a.checkItems(pl.after); err != nil {
		return nil, err
	}
	return pl, nil
}
