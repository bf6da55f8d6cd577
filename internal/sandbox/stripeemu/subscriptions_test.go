package stripeemu_test

import (
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/stripeemu"
)

func subscriptionID(s *stripe.Subscription) string { return s.ID }

// billingFixture is a customer with a licensed and a metered monthly price.
type billingFixture struct {
	sc                *client.API
	customer          *stripe.Customer
	product           *stripe.Product
	meter             *stripe.BillingMeter
	licensed, metered *stripe.Price
}

func newBillingFixture(t *testing.T) billingFixture {
	t.Helper()
	srv := startEmulator(t, stripeemu.Config{})
	sc := newClient(srv.URL, testKey)
	f := billingFixture{sc: sc, customer: newCustomer(t, sc), product: newProduct(t, sc, "Inference"), meter: newMeter(t, sc, "tokens")}
	f.licensed = must(sc.Prices.New(monthly(f.product.ID, 2000))).get(t)
	f.metered = must(sc.Prices.New(meteredPrice(f.product.ID, f.meter.ID))).get(t)
	return f
}

func (f billingFixture) subscribe(t *testing.T, items ...*stripe.SubscriptionItemsParams) *stripe.Subscription {
	t.Helper()
	return must(f.sc.Subscriptions.New(&stripe.SubscriptionParams{Customer: stripe.String(f.customer.ID), Items: items})).get(t)
}

func item(priceID string) *stripe.SubscriptionItemsParams {
	return &stripe.SubscriptionItemsParams{Price: stripe.String(priceID)}
}

func itemPrices(s *stripe.Subscription) []string {
	var out []string
	for _, it := range s.Items.Data {
		out = append(out, it.Price.ID)
	}
	return out
}

func TestSubscriptionLifecycle(t *testing.T) {
	f := newBillingFixture(t)
	sc := f.sc

	params := &stripe.SubscriptionParams{
		Customer:         stripe.String(f.customer.ID),
		Items:            []*stripe.SubscriptionItemsParams{{Price: stripe.String(f.licensed.ID), Quantity: stripe.Int64(3)}, item(f.metered.ID)},
		CollectionMethod: stripe.String("send_invoice"),
		DaysUntilDue:     stripe.Int64(30),
	}
	params.AddMetadata("tenant", "acme")
	sub := must(sc.Subscriptions.New(params)).get(t)
	if sub.Status != stripe.SubscriptionStatusActive || sub.Customer.ID != f.customer.ID || sub.Metadata["tenant"] != "acme" ||
		sub.CollectionMethod != "send_invoice" || sub.DaysUntilDue != 30 || sub.Currency != "usd" || sub.CanceledAt != 0 {
		t.Errorf("created = %+v", sub)
	}
	start, end := time.Unix(sub.CurrentPeriodStart, 0).UTC(), time.Unix(sub.CurrentPeriodEnd, 0).UTC()
	if !end.Equal(addMonth(start)) || sub.StartDate != sub.Created || sub.BillingCycleAnchor != sub.CurrentPeriodStart {
		t.Errorf("period %s .. %s", start, end)
	}
	if sub.Items == nil || len(sub.Items.Data) != 2 || sub.Items.URL != "/v1/subscription_items?subscription="+sub.ID {
		t.Fatalf("items = %+v", sub.Items)
	}
	lic, met := sub.Items.Data[0], sub.Items.Data[1]
	if lic.Price.ID != f.licensed.ID || lic.Quantity != 3 || lic.Subscription != sub.ID || lic.Plan.ID != f.licensed.ID || lic.Plan.Amount != 2000 {
		t.Errorf("licensed item = %+v", lic)
	}
	if met.Price.Recurring.Meter != f.meter.ID || met.Quantity != 0 || met.Plan.UsageType != "metered" || met.Plan.AmountDecimal != 0.0025 {
		t.Errorf("metered item = %+v", met)
	}
	ep := &stripe.SubscriptionParams{}
	ep.AddExpand("customer")
	if got := must(sc.Subscriptions.Get(sub.ID, ep)).get(t); got.Customer.Name != "tenant" || len(got.Items.Data) != 2 {
		t.Errorf("get expanded = %+v", got)
	}

	// Update: metadata, drop the licensed item, add another licensed price.
	extra := must(sc.Prices.New(monthly(f.product.ID, 500))).get(t)
	up := &stripe.SubscriptionParams{Items: []*stripe.SubscriptionItemsParams{
		{ID: stripe.String(lic.ID), Deleted: stripe.Bool(true)},
		item(extra.ID),
	}}
	up.AddMetadata("tenant", "")
	up.AddMetadata("region", "eu")
	updated := must(sc.Subscriptions.Update(sub.ID, up)).get(t)
	if got := itemPrices(updated); !slices.Equal(got, []string{f.metered.ID, extra.ID}) || updated.Metadata["region"] != "eu" || updated.Metadata["tenant"] != "" {
		t.Errorf("updated items %v metadata %v", got, updated.Metadata)
	}
	if updated.Items.Data[1].Quantity != 1 {
		t.Errorf("default quantity = %d", updated.Items.Data[1].Quantity)
	}
	// Changing an item's price in place keeps its id.
	cheaper := must(sc.Prices.New(monthly(f.product.ID, 300))).get(t)
	extraItem := updated.Items.Data[1].ID
	swapped := must(sc.Subscriptions.Update(sub.ID, &stripe.SubscriptionParams{Items: []*stripe.SubscriptionItemsParams{
		{ID: stripe.String(extraItem), Price: stripe.String(cheaper.ID), Quantity: stripe.Int64(4)},
	}})).get(t)
	if it := swapped.Items.Data[1]; it.ID != extraItem || it.Price.ID != cheaper.ID || it.Quantity != 4 {
		t.Errorf("swapped item = %+v", it)
	}

	// Subscription items endpoints.
	items := collect[*stripe.SubscriptionItem](t, sc.SubscriptionItems.List(&stripe.SubscriptionItemListParams{Subscription: stripe.String(sub.ID)}))
	if len(items) != 2 {
		t.Errorf("items = %d", len(items))
	}
	yearly := must(sc.Prices.New(&stripe.PriceParams{
		Currency: stripe.String("usd"), Product: stripe.String(f.product.ID), UnitAmount: stripe.Int64(1),
		Recurring: &stripe.PriceRecurringParams{Interval: stripe.String("year")},
	})).get(t)
	_, err := sc.SubscriptionItems.New(&stripe.SubscriptionItemParams{Subscription: stripe.String(sub.ID), Price: stripe.String(yearly.ID)})
	wantErr(t, err, 400, "items", "same recurring interval")
	added := must(sc.SubscriptionItems.New(&stripe.SubscriptionItemParams{Subscription: stripe.String(sub.ID), Price: stripe.String(f.licensed.ID)})).get(t)
	if added.Subscription != sub.ID || added.Price.ID != f.licensed.ID || added.Quantity != 1 || added.Object != "subscription_item" {
		t.Errorf("added item = %+v", added)
	}
	_, err = sc.SubscriptionItems.New(&stripe.SubscriptionItemParams{Subscription: stripe.String(sub.ID), Price: stripe.String(f.licensed.ID)})
	wantErr(t, err, 400, "items", "same price")
	del := must(sc.SubscriptionItems.Del(added.ID, nil)).get(t)
	if !del.Deleted || del.ID != added.ID {
		t.Errorf("deleted item = %+v", del)
	}
	must(sc.SubscriptionItems.Del(extraItem, nil)).get(t)
	_, err = sc.SubscriptionItems.Del(swapped.Items.Data[0].ID, nil)
	wantErr(t, err, 400, "", "at least one item")
	if got := itemPrices(must(sc.Subscriptions.Get(sub.ID, nil)).get(t)); !slices.Equal(got, []string{f.metered.ID}) {
		t.Errorf("items after deletes = %v", got)
	}

	// Cancel.
	canceled := must(sc.Subscriptions.Cancel(sub.ID, &stripe.SubscriptionCancelParams{InvoiceNow: stripe.Bool(true), Prorate: stripe.Bool(false)})).get(t)
	if canceled.Status != stripe.SubscriptionStatusCanceled || canceled.CanceledAt == 0 || canceled.EndedAt == 0 ||
		canceled.CancellationDetails.Reason != "cancellation_requested" || len(canceled.Items.Data) != 1 {
		t.Errorf("canceled = %+v", canceled)
	}
	// Stripe treats a canceled subscription as gone for a second cancel.
	_, err = sc.Subscriptions.Cancel(sub.ID, nil)
	if se := wantErr(t, err, 404, "id", "No such subscription: '"+sub.ID+"'"); se.Code != stripe.ErrorCodeResourceMissing {
		t.Errorf("code = %q", se.Code)
	}
	_, err = sc.Subscriptions.Update(sub.ID, &stripe.SubscriptionParams{Items: []*stripe.SubscriptionItemsParams{item(f.licensed.ID)}})
	wantErr(t, err, 400, "", "A canceled subscription can only update its cancellation_details and metadata.")
	md := &stripe.SubscriptionParams{}
	md.AddMetadata("closed", "yes")
	if got := must(sc.Subscriptions.Update(sub.ID, md)).get(t); got.Metadata["closed"] != "yes" {
		t.Errorf("metadata on canceled = %v", got.Metadata)
	}
	if got := must(sc.Subscriptions.Get(sub.ID, nil)).get(t); got.Status != stripe.SubscriptionStatusCanceled {
		t.Errorf("get canceled = %+v", got)
	}
}

// addMonth is one calendar month later, clamped to the month's end.
func addMonth(t time.Time) time.Time {
	end := t.AddDate(0, 1, 0)
	if end.Day() != t.Day() {
		end = end.AddDate(0, 0, -end.Day())
	}
	return end
}

func TestSubscriptionValidation(t *testing.T) {
	f := newBillingFixture(t)
	sc := f.sc
	archived := must(sc.Prices.New(monthly(f.product.ID, 100))).get(t)
	must(sc.Prices.Update(archived.ID, &stripe.PriceParams{Active: stripe.Bool(false)})).get(t)
	oneTime := must(sc.Prices.New(&stripe.PriceParams{Currency: stripe.String("usd"), Product: stripe.String(f.product.ID), UnitAmount: stripe.Int64(100)})).get(t)
	eur := must(sc.Prices.New(&stripe.PriceParams{
		Currency: stripe.String("eur"), Product: stripe.String(f.product.ID), UnitAmount: stripe.Int64(100),
		Recurring: &stripe.PriceRecurringParams{Interval: stripe.String("month")},
	})).get(t)
	deleted := newCustomer(t, sc)
	must(sc.Customers.Del(deleted.ID, nil)).get(t)

	for name, tc := range map[string]struct {
		params      *stripe.SubscriptionParams
		param, text string
	}{
		"no customer":       {&stripe.SubscriptionParams{Items: []*stripe.SubscriptionItemsParams{item(f.licensed.ID)}}, "customer", "Missing required param: customer."},
		"deleted customer":  {&stripe.SubscriptionParams{Customer: stripe.String(deleted.ID), Items: []*stripe.SubscriptionItemsParams{item(f.licensed.ID)}}, "customer", "No such customer"},
		"no items":          {&stripe.SubscriptionParams{Customer: stripe.String(f.customer.ID)}, "items", "Missing required param: items."},
		"no price":          {subWith(f, &stripe.SubscriptionItemsParams{Quantity: stripe.Int64(1)}), "items[0][price]", "Missing required param"},
		"unknown price":     {subWith(f, item("price_nope")), "items[0][price]", "No such price: 'price_nope'"},
		"archived price":    {subWith(f, item(archived.ID)), "items[0][price]", "The price specified is inactive."},
		"one-time price":    {subWith(f, item(oneTime.ID)), "items[0][price]", "type=one_time"},
		"metered quantity":  {subWith(f, &stripe.SubscriptionItemsParams{Price: stripe.String(f.metered.ID), Quantity: stripe.Int64(1)}), "items[0][quantity]", "usage_type is `metered`"},
		"mixed currency":    {subWith(f, item(f.licensed.ID), item(eur.ID)), "items", "currency"},
		"duplicate price":   {subWith(f, item(f.licensed.ID), item(f.licensed.ID)), "items", "same price"},
		"days without send": {withDays(subWith(f, item(f.licensed.ID))), "days_until_due", "charge_automatically"},
		"nested unknown":    {withExtraSub(subWith(f, item(f.licensed.ID)), "items[0][bogus]", "1"), "items[0][bogus]", "Received unknown parameter: items[0][bogus]"},
		"unmodelled":        {withExtraSub(subWith(f, item(f.licensed.ID)), "trial_period_days", "7"), "trial_period_days", "does not support"},
	} {
		_, err := sc.Subscriptions.New(tc.params)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		wantErr(t, err, 400, tc.param, tc.text)
	}
	if got := collect[*stripe.Subscription](t, sc.Subscriptions.List(&stripe.SubscriptionListParams{Status: stripe.String("all")})); len(got) != 0 {
		t.Errorf("refused subscriptions were stored: %v", idsOf(got, subscriptionID))
	}
	_, err := sc.Subscriptions.Get("sub_nope", nil)
	wantErr(t, err, 404, "id", "No such subscription: 'sub_nope'")
}

func subWith(f billingFixture, items ...*stripe.SubscriptionItemsParams) *stripe.SubscriptionParams {
	return &stripe.SubscriptionParams{Customer: stripe.String(f.customer.ID), Items: items}
}

func withDays(p *stripe.SubscriptionParams) *stripe.SubscriptionParams {
	p.DaysUntilDue = stripe.Int64(7)
	return p
}

func withExtraSub(p *stripe.SubscriptionParams, k, v string) *stripe.SubscriptionParams {
	p.AddExtra(k, v)
	return p
}

func TestSubscriptionList(t *testing.T) {
	f := newBillingFixture(t)
	sc := f.sc
	other := newCustomer(t, sc)
	a := f.subscribe(t, item(f.licensed.ID))
	b := f.subscribe(t, item(f.metered.ID))
	c := must(sc.Subscriptions.New(&stripe.SubscriptionParams{Customer: stripe.String(other.ID), Items: []*stripe.SubscriptionItemsParams{item(f.licensed.ID)}})).get(t)
	must(sc.Subscriptions.Cancel(a.ID, nil)).get(t)

	list := func(p *stripe.SubscriptionListParams) []string {
		return idsOf(collect[*stripe.Subscription](t, sc.Subscriptions.List(p)), subscriptionID)
	}
	for name, tc := range map[string]struct {
		params *stripe.SubscriptionListParams
		want   []string
	}{
		"default excludes canceled": {&stripe.SubscriptionListParams{}, []string{c.ID, b.ID}},
		"canceled":                  {&stripe.SubscriptionListParams{Status: stripe.String("canceled")}, []string{a.ID}},
		"ended":                     {&stripe.SubscriptionListParams{Status: stripe.String("ended")}, []string{a.ID}},
		"all":                       {&stripe.SubscriptionListParams{Status: stripe.String("all")}, []string{c.ID, b.ID, a.ID}},
		"active":                    {&stripe.SubscriptionListParams{Status: stripe.String("active")}, []string{c.ID, b.ID}},
		"customer":                  {&stripe.SubscriptionListParams{Customer: stripe.String(f.customer.ID)}, []string{b.ID}},
		"customer all":              {&stripe.SubscriptionListParams{Customer: stripe.String(f.customer.ID), Status: stripe.String("all")}, []string{b.ID, a.ID}},
		"price":                     {&stripe.SubscriptionListParams{Price: stripe.String(f.licensed.ID)}, []string{c.ID}},
		"paged":                     {&stripe.SubscriptionListParams{Status: stripe.String("all"), ListParams: stripe.ListParams{Limit: stripe.Int64(1)}}, []string{c.ID, b.ID, a.ID}},
	} {
		if got := list(tc.params); !slices.Equal(got, tc.want) {
			t.Errorf("%s = %v, want %v", name, got, tc.want)
		}
	}
	it := sc.Subscriptions.List(&stripe.SubscriptionListParams{Status: stripe.String("sleeping")})
	for it.Next() {
	}
	wantErr(t, it.Err(), 400, "status", "")
}

func TestSubscriptionIdempotency(t *testing.T) {
	f := newBillingFixture(t)
	sc := f.sc
	newParams := func(priceID string) *stripe.SubscriptionParams {
		p := subWith(f, item(priceID))
		p.SetIdempotencyKey("subscribe-acme")
		return p
	}
	first := must(sc.Subscriptions.New(newParams(f.licensed.ID))).get(t)
	again := must(sc.Subscriptions.New(newParams(f.licensed.ID))).get(t)
	if again.ID != first.ID || again.Items.Data[0].ID != first.Items.Data[0].ID {
		t.Errorf("replay created %s, want %s", again.ID, first.ID)
	}
	if again.LastResponse.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay not marked")
	}
	_, err := sc.Subscriptions.New(newParams(f.metered.ID))
	se := wantErr(t, err, http.StatusBadRequest, "", "can only be used with the same parameters")
	var ie *stripe.IdempotencyError
	if se.Type != stripe.ErrorTypeIdempotency || !errors.As(se.Err, &ie) {
		t.Errorf("error = %+v", se)
	}
	if got := collect[*stripe.Subscription](t, sc.Subscriptions.List(nil)); len(got) != 1 {
		t.Errorf("subscriptions = %v, want one", idsOf(got, subscriptionID))
	}
	// A refused request records nothing: the corrected retry under the same key runs.
	bad := subWith(f, &stripe.SubscriptionItemsParams{Price: stripe.String(f.metered.ID), Quantity: stripe.Int64(2)})
	bad.SetIdempotencyKey("subscribe-retry")
	_, err = sc.Subscriptions.New(bad)
	wantErr(t, err, 400, "items[0][quantity]", "")
	good := subWith(f, item(f.metered.ID))
	good.SetIdempotencyKey("subscribe-retry")
	if s := must(sc.Subscriptions.New(good)).get(t); s.ID == first.ID {
		t.Errorf("corrected retry replayed the first subscription")
	}
}
