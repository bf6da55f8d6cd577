package billing

import (
	"fmt"
	"strconv"

	"github.com/stripe/stripe-go/v76"
	stripeclient "github.com/stripe/stripe-go/v76/client"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// Live is a plan as Stripe holds it.
type Live struct {
	Product *stripe.Product
	Prices  map[string]*stripe.Price        // active prices of the product, by meter key
	Meters  map[string]*stripe.BillingMeter // by meter key
	Extra   []*stripe.Price                 // active prices of the product that no meter key claims
}

// stripeOps performs a plan's Stripe writes. Each create first looks for the object a crashed
// or failed earlier run may have made (by metadata or event name) and adopts it, and carries a
// deterministic idempotency key, so no retry or re-run makes a second product, meter or price.
type stripeOps struct {
	api *stripeclient.API
}

func withKey(p *stripe.Params, parts ...string) {
	p.SetIdempotencyKey(clients.IdempotencyKey(parts...))
}

func metadata(plan string) map[string]string {
	return map[string]string{PlanMetadata: plan, contract.ManagedByMetadata: contract.ManagedByValue}
}

// ensureProduct returns the plan's active product: the one whose id is known, else an active
// product carrying the plan's metadata, else a new one.
func (o stripeOps) ensureProduct(id, name string) (*stripe.Product, error) {
	if id != "" {
		p, err := o.api.Products.Get(id, nil)
		if err != nil {
			return nil, clients.StripeError("retrieve product "+id, err)
		}
		if p.Name != name || p.Metadata[PlanMetadata] != name || !p.Active {
			params := &stripe.ProductParams{Name: stripe.String(name), Active: stripe.Bool(true)}
			for k, v := range metadata(name) {
				params.AddMetadata(k, v)
			}
			if p, err = o.api.Products.Update(id, params); err != nil {
				return nil, clients.StripeError("update product "+id, err)
			}
		}
		return p, nil
	}
	archived := 0
	it := o.api.Products.List(&stripe.ProductListParams{})
	for it.Next() {
		p := it.Product()
		if p.Metadata[PlanMetadata] != name {
			continue
		}
		if p.Active {
			return p, nil
		}
		archived++
	}
	if err := it.Err(); err != nil {
		return nil, clients.StripeError("list products", err)
	}
	params := &stripe.ProductParams{Name: stripe.String(name)}
	for k, v := range metadata(name) {
		params.AddMetadata(k, v)
	}
	// The generation is the number of earlier, archived products of this plan: a plan created
	// again after a destroy gets a new product instead of the replay of the archived one.
	withKey(&params.Params, "billing_plan", name, "product", strconv.Itoa(archived))
	p, err := o.api.Products.New(params)
	if err != nil {
		return nil, clients.StripeError("create product for plan "+name, err)
	}
	return p, nil
}

// meters lists every billing meter of the account by event name.
func (o stripeOps) meters() (map[string]*stripe.BillingMeter, error) {
	out := map[string]*stripe.BillingMeter{}
	it := o.api.BillingMeters.List(&stripe.BillingMeterListParams{})
	for it.Next() {
		m := it.BillingMeter()
		out[m.EventName] = m
	}
	if err := it.Err(); err != nil {
		return nil, clients.StripeError("list billing meters", err)
	}
	return out, nil
}

// ensureMeter returns the active meter for m's event name: meters cannot be deleted, and an
// event name belongs to one meter, so an existing meter is reactivated and reused, and plans
// that meter the same key share it.
func (o stripeOps) ensureMeter(existing map[string]*stripe.BillingMeter, m Meter) (*stripe.BillingMeter, error) {
	if live, ok := existing[m.EventName()]; ok {
		var err error
		if live.Status != stripe.BillingMeterStatusActive {
			if live, err = o.api.BillingMeters.Reactivate(live.ID, &stripe.BillingMeterReactivateParams{}); err != nil {
				return nil, clients.StripeError("reactivate billing meter "+live.ID, err)
			}
		}
		if live.DisplayName != m.DisplayName {
			if live, err = o.api.BillingMeters.Update(live.ID, &stripe.BillingMeterParams{DisplayName: stripe.String(m.DisplayName)}); err != nil {
				return nil, clients.StripeError("update billing meter "+live.ID, err)
			}
		}
		return live, nil
	}
	params := &stripe.BillingMeterParams{
		DisplayName:        stripe.String(m.DisplayName),
		EventName:          stripe.String(m.EventName()),
		DefaultAggregation: &stripe.BillingMeterDefaultAggregationParams{Formula: stripe.String("sum")},
		CustomerMapping: &stripe.BillingMeterCustomerMappingParams{
			EventPayloadKey: stripe.String(CustomerMappingKey), Type: stripe.String("by_id"),
		},
		ValueSettings: &stripe.BillingMeterValueSettingsParams{EventPayloadKey: stripe.String(ValueKey)},
	}
	withKey(&params.Params, "billing_meter", m.EventName(), "create")
	live, err := o.api.BillingMeters.New(params)
	if err != nil {
		return nil, clients.StripeError(fmt.Sprintf("create billing meter %s", m.EventName()), err)
	}
	existing[live.EventName] = live
	return live, nil
}

// activePrices lists the active prices of a product by meter key; prices without a meter key
// are returned as extra.
func (o stripeOps) activePrices(product string) (map[string]*stripe.Price, []*stripe.Price, error) {
	byKey := map[string]*stripe.Price{}
	var extra []*stripe.Price
	it := o.api.Prices.List(&stripe.PriceListParams{Product: stripe.String(product), Active: stripe.Bool(true)})
	for it.Next() {
		p := it.Price()
		k := p.Metadata[MeterKeyMetadata]
		if _, dup := byKey[k]; k == "" || dup {
			extra = append(extra, p)
			continue
		}
		byKey[k] = p
	}
	if err := it.Err(); err != nil {
		return nil, nil, clients.StripeError("list prices of product "+product, err)
	}
	return byKey, extra, nil
}

// priceMatches reports whether a live price is the one m asks for.
func priceMatches(p *stripe.Price, m Meter, currency, meterID string) bool {
	return p != nil && p.Active && string(p.Currency) == currency && SameAmount(FormatAmount(p.UnitAmountDecimal), m.UnitAmountDecimal) &&
		p.Recurring != nil && p.Recurring.Meter == meterID && p.Recurring.UsageType == stripe.PriceRecurringUsageTypeMetered
}

// ensurePrice returns an active price for m: the current one if it matches, else a new price
// (amounts are immutable in Stripe), in which case the old one is archived.
func (o stripeOps) ensurePrice(plan, product, currency string, current *stripe.Price, m Meter, meterID string) (*stripe.Price, error) {
	if priceMatches(current, m, currency, meterID) {
		return current, nil
	}
	amount, err := strconv.ParseFloat(m.UnitAmountDecimal, 64)
	if err != nil {
		return nil, fmt.Errorf("meter %s: unit_amount_decimal %q: %w", m.Key, m.UnitAmountDecimal, err)
	}
	params := &stripe.PriceParams{
		Product:           stripe.String(product),
		Currency:          stripe.String(currency),
		UnitAmountDecimal: stripe.Float64(amount),
		BillingScheme:     stripe.String("per_unit"),
		Nickname:          stripe.String(m.DisplayName),
		Recurring: &stripe.PriceRecurringParams{
			Interval: stripe.String("month"), UsageType: stripe.String("metered"), Meter: stripe.String(meterID),
		},
	}
	for k, v := range metadata(plan) {
		params.AddMetadata(k, v)
	}
	params.AddMetadata(MeterKeyMetadata, m.Key)
	withKey(&params.Params, "billing_plan", product, "price", m.Key, m.UnitAmountDecimal, currency, meterID)
	p, err := o.api.Prices.New(params)
	if err != nil {
		return nil, clients.StripeError(fmt.Sprintf("create price for meter %s", m.Key), err)
	}
	if p.LastResponse != nil && p.LastResponse.Header.Get("Idempotent-Replayed") == "true" {
		// Stripe replayed the response of an earlier create: the price may have been archived
		// since (the same amount is wanted again), so check it and reactivate it.
		id := p.ID
		if p, err = o.api.Prices.Get(id, nil); err != nil {
			return nil, clients.StripeError("retrieve price "+id, err)
		}
		if !p.Active {
			if p, err = o.api.Prices.Update(id, &stripe.PriceParams{Active: stripe.Bool(true)}); err != nil {
				return nil, clients.StripeError("reactivate price "+id, err)
			}
		}
	}
	if current != nil && current.ID != p.ID {
		if err := o.archivePrice(current.ID); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (o stripeOps) archivePrice(id string) error {
	if _, err := o.api.Prices.Update(id, &stripe.PriceParams{Active: stripe.Bool(false)}); err != nil {
		return clients.StripeError("archive price "+id, err)
	}
	return nil
}

// meterInUse reports whether an active price outside product still bills meterID.
func (o stripeOps) meterInUse(meterID, product string) (bool, error) {
	it := o.api.Prices.List(&stripe.PriceListParams{Active: stripe.Bool(true)})
	for it.Next() {
		p := it.Price()
		if p.Recurring != nil && p.Recurring.Meter == meterID && (p.Product == nil || p.Product.ID != product) {
			return true, nil
		}
	}
	if err := it.Err(); err != nil {
		return false, clients.StripeError("list prices", err)
	}
	return false, nil
}

// releaseMeter deactivates a meter no other plan's active price uses.
func (o stripeOps) releaseMeter(meterID, product string) error {
	used, err := o.meterInUse(meterID, product)
	if err != nil || used {
		return err
	}
	m, err := o.api.BillingMeters.Get(meterID, nil)
	if err != nil {
		if clients.StripeNotFound(err) {
			return nil
		}
		return clients.StripeError("retrieve billing meter "+meterID, err)
	}
	if m.Status == stripe.BillingMeterStatusInactive {
		return nil
	}
	if _, err := o.api.BillingMeters.Deactivate(meterID, &stripe.BillingMeterDeactivateParams{}); err != nil {
		return clients.StripeError("deactivate billing meter "+meterID, err)
	}
	return nil
}

// read returns the plan's live Stripe objects, or nil when the product is gone or archived.
func (o stripeOps) read(product string) (*Live, error) {
	p, err := o.api.Products.Get(product, nil)
	if err != nil {
		if clients.StripeNotFound(err) {
			return nil, nil
		}
		return nil, clients.StripeError("retrieve product "+product, err)
	}
	if p.Deleted || !p.Active {
		return nil, nil
	}
	prices, extra, err := o.activePrices(product)
	if err != nil {
		return nil, err
	}
	live := &Live{Product: p, Prices: prices, Extra: extra, Meters: map[string]*stripe.BillingMeter{}}
	for key, price := range prices {
		if price.Recurring == nil || price.Recurring.Meter == "" {
			continue
		}
		m, err := o.api.BillingMeters.Get(price.Recurring.Meter, nil)
		if err != nil {
			return nil, clients.StripeError("retrieve billing meter "+price.Recurring.Meter, err)
		}
		live.Meters[key] = m
	}
	return live, nil
}
