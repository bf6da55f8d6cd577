package stripeemu_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/stripeemu"
)

func priceID(p *stripe.Price) string { return p.ID }

func TestPriceLifecycle(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	sc := newClient(srv.URL, testKey)
	prod := newProduct(t, sc, "Inference")
	mtr := newMeter(t, sc, "tokens")

	params := monthly(prod.ID, 2000)
	params.Nickname = stripe.String("Pro monthly")
	params.LookupKey = stripe.String("pro_monthly")
	params.AddMetadata("plan", "pro")
	licensed := must(sc.Prices.New(params)).get(t)
	if licensed.UnitAmount != 2000 || licensed.UnitAmountDecimal != 2000 || licensed.Currency != "usd" ||
		licensed.Product.ID != prod.ID || licensed.Type != stripe.PriceTypeRecurring || !licensed.Active ||
		licensed.BillingScheme != stripe.PriceBillingSchemePerUnit || licensed.Nickname != "Pro monthly" ||
		licensed.LookupKey != "pro_monthly" || licensed.Metadata["plan"] != "pro" {
		t.Errorf("licensed = %+v", licensed)
	}
	if r := licensed.Recurring; r == nil || r.Interval != "month" || r.IntervalCount != 1 || r.UsageType != "licensed" || r.Meter != "" {
		t.Errorf("licensed recurring = %+v", r)
	}

	metered := must(sc.Prices.New(meteredPrice(prod.ID, mtr.ID))).get(t)
	if metered.UnitAmount != 0 || metered.UnitAmountDecimal != 0.0025 || metered.Recurring.UsageType != "metered" ||
		metered.Recurring.Meter != mtr.ID || metered.Recurring.AggregateUsage != "sum" {
		t.Errorf("metered = %+v %+v", metered, metered.Recurring)
	}
	oneTime := must(sc.Prices.New(&stripe.PriceParams{
		Currency: stripe.String("USD"), Product: stripe.String(prod.ID), UnitAmountDecimal: stripe.Float64(150),
	})).get(t)
	if oneTime.Type != stripe.PriceTypeOneTime || oneTime.Recurring != nil || oneTime.UnitAmount != 150 || oneTime.Currency != "usd" {
		t.Errorf("one-time = %+v", oneTime)
	}

	// Retrieve, with and without the product expanded.
	if got := must(sc.Prices.Get(metered.ID, nil)).get(t); got.Recurring.Meter != mtr.ID || got.Product.Name != "" {
		t.Errorf("get = %+v", got)
	}
	ep := &stripe.PriceParams{}
	ep.AddExpand("product")
	if got := must(sc.Prices.Get(metered.ID, ep)).get(t); got.Product.Name != "Inference" {
		t.Errorf("expanded product = %+v", got.Product)
	}

	// Only active, metadata, nickname and lookup_key change.
	up := &stripe.PriceParams{Active: stripe.Bool(false), Nickname: stripe.String(""), LookupKey: stripe.String("pro_monthly_v1")}
	up.AddMetadata("plan", "")
	updated := must(sc.Prices.Update(licensed.ID, up)).get(t)
	if updated.Active || updated.Nickname != "" || updated.LookupKey != "pro_monthly_v1" || len(updated.Metadata) != 0 || updated.UnitAmount != 2000 {
		t.Errorf("updated = %+v", updated)
	}
	for name, p := range map[string]*stripe.PriceParams{
		"unit_amount":         {UnitAmount: stripe.Int64(1)},
		"unit_amount_decimal": {UnitAmountDecimal: stripe.Float64(1.5)},
		"currency":            {Currency: stripe.String("eur")},
		"recurring":           {Recurring: &stripe.PriceRecurringParams{Interval: stripe.String("year")}},
		"product":             {Product: stripe.String(prod.ID)},
	} {
		_, err := sc.Prices.Update(licensed.ID, p)
		if se := wantErr(t, err, 400, name, "Received unknown parameter: "+name); se.Code != "parameter_unknown" {
			t.Errorf("%s: code %q", name, se.Code)
		}
	}
	if got := must(sc.Prices.Get(licensed.ID, nil)).get(t); got.UnitAmount != 2000 || got.Recurring.Interval != "month" {
		t.Errorf("after refused updates = %+v", got)
	}

	// Lookup keys are unique unless transferred.
	_, err := sc.Prices.New(withLookupKey(monthly(prod.ID, 100), "pro_monthly_v1", false))
	wantErr(t, err, 400, "lookup_key", "already uses that lookup key")
	moved := must(sc.Prices.New(withLookupKey(monthly(prod.ID, 100), "pro_monthly_v1", true))).get(t)
	if got := must(sc.Prices.Get(licensed.ID, nil)).get(t); got.LookupKey != "" || moved.LookupKey != "pro_monthly_v1" {
		t.Errorf("transfer: old %q new %q", got.LookupKey, moved.LookupKey)
	}

	// List filters.
	byProduct := collect[*stripe.Price](t, sc.Prices.List(&stripe.PriceListParams{Product: stripe.String(prod.ID)}))
	if got := idsOf(byProduct, priceID); !slices.Equal(got, []string{moved.ID, oneTime.ID, metered.ID, licensed.ID}) {
		t.Errorf("by product = %v", got)
	}
	active := collect[*stripe.Price](t, sc.Prices.List(&stripe.PriceListParams{Active: stripe.Bool(true), ListParams: stripe.ListParams{Limit: stripe.Int64(2)}}))
	if got := idsOf(active, priceID); !slices.Equal(got, []string{moved.ID, oneTime.ID, metered.ID}) {
		t.Errorf("active = %v", got)
	}
	other := newProduct(t, sc, "Other")
	if got := collect[*stripe.Price](t, sc.Prices.List(&stripe.PriceListParams{Product: stripe.String(other.ID)})); len(got) != 0 {
		t.Errorf("other product lists %v", idsOf(got, priceID))
	}

	// Prices cannot be deleted: there is no such route.
	body := decode(t, do(t, http.MethodDelete, srv.URL+"/v1/prices/"+licensed.ID, "", "Bearer "+testKey, nil), http.StatusNotFound)
	if msg := body["error"].(map[string]any)["message"].(string); !strings.HasPrefix(msg, "Unrecognized request URL (DELETE: /v1/prices/") {
		t.Errorf("delete price: %q", msg)
	}
}

func withLookupKey(p *stripe.PriceParams, key string, transfer bool) *stripe.PriceParams {
	p.LookupKey = stripe.String(key)
	if transfer {
		p.TransferLookupKey = stripe.Bool(true)
	}
	return p
}

func TestPriceValidation(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	sc := newClient(srv.URL, testKey)
	prod := newProduct(t, sc, "Inference")
	mtr := newMeter(t, sc, "tokens")
	inactive := newMeter(t, sc, "old_tokens")
	must(sc.BillingMeters.Deactivate(inactive.ID, nil)).get(t)

	base := func(mutate func(*stripe.PriceParams)) *stripe.PriceParams {
		p := monthly(prod.ID, 100)
		mutate(p)
		return p
	}
	for name, tc := range map[string]struct {
		params      *stripe.PriceParams
		param, text string
	}{
		"no currency":   {base(func(p *stripe.PriceParams) { p.Currency = nil }), "currency", "Missing required param: currency."},
		"bad currency":  {base(func(p *stripe.PriceParams) { p.Currency = stripe.String("xyz") }), "currency", "Invalid currency: xyz"},
		"no product":    {base(func(p *stripe.PriceParams) { p.Product = nil }), "product", "Missing required param: product."},
		"no product id": {base(func(p *stripe.PriceParams) { p.Product = stripe.String("prod_nope") }), "product", "No such product: 'prod_nope'"},
		"no amount":     {base(func(p *stripe.PriceParams) { p.UnitAmount = nil }), "unit_amount", "Missing required param"},
		"both amounts": {base(func(p *stripe.PriceParams) { p.UnitAmountDecimal = stripe.Float64(1) }), "",
			"You may only specify one of these parameters: unit_amount, unit_amount_decimal."},
		"negative":     {base(func(p *stripe.PriceParams) { p.UnitAmount = stripe.Int64(-1) }), "unit_amount", "greater than or equal to 0"},
		"13 decimals":  {withExtraPrice(base(func(p *stripe.PriceParams) { p.UnitAmount = nil }), "unit_amount_decimal", "0.0000000000001"), "unit_amount_decimal", "at most 12 decimal places"},
		"bad decimal":  {withExtraPrice(base(func(p *stripe.PriceParams) { p.UnitAmount = nil }), "unit_amount_decimal", "abc"), "unit_amount_decimal", "Invalid decimal: abc"},
		"bad interval": {base(func(p *stripe.PriceParams) { p.Recurring.Interval = stripe.String("fortnight") }), "recurring[interval]", "must be one of day, week, month, or year"},
		"too long":     {base(func(p *stripe.PriceParams) { p.Recurring.IntervalCount = stripe.Int64(13) }), "recurring[interval_count]", "one year"},
		"bad usage":    {base(func(p *stripe.PriceParams) { p.Recurring.UsageType = stripe.String("sometimes") }), "recurring[usage_type]", ""},
		"nested unknown": {withExtraPrice(monthly(prod.ID, 100), "recurring[bogus]", "1"), "recurring[bogus]",
			"Received unknown parameter: recurring[bogus]"},
		"meter on licensed": {base(func(p *stripe.PriceParams) { p.Recurring.Meter = stripe.String(mtr.ID) }), "recurring[meter]", "usage_type"},
		"unknown meter":     {meteredPrice(prod.ID, "mtr_nope"), "recurring[meter]", "No such billing.meter: 'mtr_nope'"},
		"inactive meter":    {meteredPrice(prod.ID, inactive.ID), "recurring[meter]", "is inactive"},
		"tiered":            {base(func(p *stripe.PriceParams) { p.BillingScheme = stripe.String("tiered") }), "billing_scheme", "does not support"},
	} {
		_, err := sc.Prices.New(tc.params)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		se := stripeErr(t, err)
		if se.HTTPStatusCode != 400 || se.Param != tc.param || !strings.Contains(se.Msg, tc.text) {
			t.Errorf("%s: %d param=%q %q", name, se.HTTPStatusCode, se.Param, se.Msg)
		}
	}
	if got := collect[*stripe.Price](t, sc.Prices.List(nil)); len(got) != 0 {
		t.Errorf("refused prices were stored: %v", idsOf(got, priceID))
	}
	// Twelve decimal places are fine, and trailing zeros are dropped.
	p := must(sc.Prices.New(withExtraPrice(base(func(p *stripe.PriceParams) { p.UnitAmount = nil }), "unit_amount_decimal", "0.000000000001"))).get(t)
	if p.UnitAmountDecimal != 1e-12 {
		t.Errorf("12 decimals = %v", p.UnitAmountDecimal)
	}
	body := decode(t, do(t, http.MethodGet, srv.URL+"/v1/prices/"+p.ID, "", "Bearer "+testKey, nil), http.StatusOK)
	if body["unit_amount_decimal"] != "0.000000000001" || body["unit_amount"] != nil {
		t.Errorf("wire amounts = %#v %#v", body["unit_amount_decimal"], body["unit_amount"])
	}
}

func withExtraPrice(p *stripe.PriceParams, k, v string) *stripe.PriceParams {
	p.AddExtra(k, v)
	return p
}
