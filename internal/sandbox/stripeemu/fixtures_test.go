package stripeemu_test

import (
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

// iterator is what every stripe-go list iterator offers.
type iterator interface {
	Next() bool
	Current() any
	Err() error
}

// collect drains a stripe-go list iterator.
func collect[T any](t *testing.T, it iterator) []T {
	t.Helper()
	var out []T
	for it.Next() {
		out = append(out, it.Current().(T))
	}
	if err := it.Err(); err != nil {
		t.Fatalf("list: %v", err)
	}
	return out
}

// idsOf returns the IDs of listed objects.
func idsOf[T any](xs []T, id func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

// result is a value and the error that came with it; see must.
type result[T any] struct {
	v   T
	err error
}

// must pairs a call's result with its error: must(f()).get(t) fails the
// test on the error and returns the value.
func must[T any](v T, err error) result[T] { return result[T]{v, err} }

func (r result[T]) get(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

// failure is what a test inspects of a Stripe error beyond wantErr's checks.
type failure struct {
	Code stripe.ErrorCode
	Type stripe.ErrorType
	Err  error // the typed error, such as *stripe.IdempotencyError
}

// wantErr asserts a Stripe error with the HTTP status and, when not empty,
// the parameter and a message containing msg.
func wantErr(t *testing.T, err error, status int, param, msg string) failure {
	t.Helper()
	se := stripeErr(t, err)
	if se.HTTPStatusCode != status || (param != "" && se.Param != param) || (msg != "" && !strings.Contains(se.Msg, msg)) {
		t.Errorf("error = %d param=%q %q; want %d param=%q containing %q", se.HTTPStatusCode, se.Param, se.Msg, status, param, msg)
	}
	return failure{Code: se.Code, Type: se.Type, Err: se.Err}
}

func newCustomer(t *testing.T, sc *client.API) *stripe.Customer {
	t.Helper()
	return must(sc.Customers.New(&stripe.CustomerParams{Name: stripe.String("tenant")})).get(t)
}

func newProduct(t *testing.T, sc *client.API, name string) *stripe.Product {
	t.Helper()
	return must(sc.Products.New(&stripe.ProductParams{Name: stripe.String(name)})).get(t)
}

func newMeter(t *testing.T, sc *client.API, eventName string) *stripe.BillingMeter {
	t.Helper()
	return must(sc.BillingMeters.New(&stripe.BillingMeterParams{
		DisplayName:        stripe.String("Meter " + eventName),
		EventName:          stripe.String(eventName),
		DefaultAggregation: &stripe.BillingMeterDefaultAggregationParams{Formula: stripe.String("sum")},
	})).get(t)
}

// monthly returns the parameters of a licensed monthly USD price.
func monthly(productID string, cents int64) *stripe.PriceParams {
	return &stripe.PriceParams{
		Currency:   stripe.String("usd"),
		Product:    stripe.String(productID),
		UnitAmount: stripe.Int64(cents),
		Recurring:  &stripe.PriceRecurringParams{Interval: stripe.String("month")},
	}
}

// meteredPrice returns the parameters of a metered monthly USD price
// billed by meterID at a fractional amount per unit.
func meteredPrice(productID, meterID string) *stripe.PriceParams {
	return &stripe.PriceParams{
		Currency:          stripe.String("usd"),
		Product:           stripe.String(productID),
		UnitAmountDecimal: stripe.Float64(0.0025),
		Recurring: &stripe.PriceRecurringParams{
			Interval:  stripe.String("month"),
			UsageType: stripe.String("metered"),
			Meter:     stripe.String(meterID),
		},
	}
}
