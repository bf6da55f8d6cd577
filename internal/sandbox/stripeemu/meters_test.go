package stripeemu_test

import (
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/stripeemu"
)

func meterID(m *stripe.BillingMeter) string { return m.ID }

func TestMeterLifecycle(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	sc := newClient(srv.URL, testKey)

	created := must(sc.BillingMeters.New(&stripe.BillingMeterParams{
		DisplayName:        stripe.String("API tokens"),
		EventName:          stripe.String("api_tokens"),
		DefaultAggregation: &stripe.BillingMeterDefaultAggregationParams{Formula: stripe.String("sum")},
		CustomerMapping: &stripe.BillingMeterCustomerMappingParams{
			EventPayloadKey: stripe.String("customer"), Type: stripe.String("by_id"),
		},
		ValueSettings:   &stripe.BillingMeterValueSettingsParams{EventPayloadKey: stripe.String("tokens")},
		EventTimeWindow: stripe.String("hour"),
	})).get(t)
	if created.Object != "billing.meter" || created.Status != stripe.BillingMeterStatusActive || created.DisplayName != "API tokens" ||
		created.EventName != "api_tokens" || created.DefaultAggregation.Formula != "sum" ||
		created.CustomerMapping.EventPayloadKey != "customer" || created.CustomerMapping.Type != "by_id" ||
		created.ValueSettings.EventPayloadKey != "tokens" || created.EventTimeWindow != "hour" ||
		created.StatusTransitions == nil || created.StatusTransitions.DeactivatedAt != 0 {
		t.Errorf("created = %+v", created)
	}
	// Defaults: customer by stripe_customer_id, value from "value".
	counted := must(sc.BillingMeters.New(&stripe.BillingMeterParams{
		DisplayName: stripe.String("Requests"), EventName: stripe.String("requests"),
		DefaultAggregation: &stripe.BillingMeterDefaultAggregationParams{Formula: stripe.String("count")},
	})).get(t)
	if counted.CustomerMapping.EventPayloadKey != "stripe_customer_id" || counted.ValueSettings.EventPayloadKey != "value" {
		t.Errorf("defaults = %+v %+v", counted.CustomerMapping, counted.ValueSettings)
	}

	// event_name is unique in the account, active or not.
	_, err := sc.BillingMeters.New(&stripe.BillingMeterParams{
		DisplayName: stripe.String("dup"), EventName: stripe.String("api_tokens"),
		DefaultAggregation: &stripe.BillingMeterDefaultAggregationParams{Formula: stripe.String("count")},
	})
	if se := wantErr(t, err, 400, "event_name", "A meter with event_name `api_tokens` already exists."); se.Type != stripe.ErrorTypeInvalidRequest {
		t.Errorf("type = %q", se.Type)
	}
	for name, p := range map[string]*stripe.BillingMeterParams{
		"default_aggregation":          {DisplayName: stripe.String("x"), EventName: stripe.String("x")},
		"default_aggregation[formula]": {DisplayName: stripe.String("x"), EventName: stripe.String("x"), DefaultAggregation: &stripe.BillingMeterDefaultAggregationParams{Formula: stripe.String("last")}},
		"customer_mapping[type]": {DisplayName: stripe.String("x"), EventName: stripe.String("x"),
			DefaultAggregation: &stripe.BillingMeterDefaultAggregationParams{Formula: stripe.String("sum")},
			CustomerMapping:    &stripe.BillingMeterCustomerMappingParams{EventPayloadKey: stripe.String("c"), Type: stripe.String("by_name")}},
		"event_name": {DisplayName: stripe.String("x"), DefaultAggregation: &stripe.BillingMeterDefaultAggregationParams{Formula: stripe.String("sum")}},
	} {
		_, err := sc.BillingMeters.New(p)
		wantErr(t, err, 400, name, "")
	}

	// Only the display name can change.
	updated := must(sc.BillingMeters.Update(created.ID, &stripe.BillingMeterParams{DisplayName: stripe.String("Tokens")})).get(t)
	if updated.DisplayName != "Tokens" || updated.EventName != "api_tokens" {
		t.Errorf("updated = %+v", updated)
	}
	_, err = sc.BillingMeters.Update(created.ID, &stripe.BillingMeterParams{EventName: stripe.String("renamed")})
	wantErr(t, err, 400, "event_name", "Received unknown parameter: event_name")

	// Deactivation keeps the meter retrievable and listable by status.
	deact := must(sc.BillingMeters.Deactivate(created.ID, &stripe.BillingMeterDeactivateParams{})).get(t)
	if deact.Status != stripe.BillingMeterStatusInactive || deact.StatusTransitions.DeactivatedAt == 0 {
		t.Errorf("deactivated = %+v %+v", deact, deact.StatusTransitions)
	}
	if got := must(sc.BillingMeters.Get(created.ID, nil)).get(t); got.Status != stripe.BillingMeterStatusInactive {
		t.Errorf("get deactivated = %+v", got)
	}
	_, err = sc.BillingMeters.Deactivate(created.ID, &stripe.BillingMeterDeactivateParams{})
	wantErr(t, err, 400, "", "already inactive")
	list := func(status string) []string {
		p := &stripe.BillingMeterListParams{}
		if status != "" {
			p.Status = stripe.String(status)
		}
		return idsOf(collect[*stripe.BillingMeter](t, sc.BillingMeters.List(p)), meterID)
	}
	if got := list("inactive"); !slices.Equal(got, []string{created.ID}) {
		t.Errorf("inactive = %v", got)
	}
	if got := list("active"); !slices.Equal(got, []string{counted.ID}) {
		t.Errorf("active = %v", got)
	}
	if got := list(""); !slices.Equal(got, []string{counted.ID, created.ID}) {
		t.Errorf("all = %v", got)
	}
	react := must(sc.BillingMeters.Reactivate(created.ID, &stripe.BillingMeterReactivateParams{})).get(t)
	if react.Status != stripe.BillingMeterStatusActive || react.StatusTransitions.DeactivatedAt != 0 {
		t.Errorf("reactivated = %+v", react)
	}
	_, err = sc.BillingMeters.Get("mtr_nope", nil)
	wantErr(t, err, 404, "id", "No such billing.meter: 'mtr_nope'")
}

func TestMeterEvents(t *testing.T) {
	emu := stripeemu.New(stripeemu.Config{})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	sc := newClient(srv.URL, testKey)
	mtr := newMeter(t, sc, "tokens")
	alice, bob := newCustomer(t, sc), newCustomer(t, sc)

	send := func(cus, value, identifier string) (*stripe.BillingMeterEvent, error) {
		p := &stripe.BillingMeterEventParams{
			EventName: stripe.String("tokens"),
			Payload:   map[string]string{"stripe_customer_id": cus, "value": value},
		}
		if identifier != "" {
			p.Identifier = stripe.String(identifier)
		}
		return sc.BillingMeterEvents.New(p)
	}
	ev := must(send(alice.ID, "120", "req-1")).get(t)
	if ev.Object != "billing.meter_event" || ev.EventName != "tokens" || ev.Identifier != "req-1" ||
		ev.Payload["value"] != "120" || ev.Payload["stripe_customer_id"] != alice.ID || ev.Timestamp == 0 {
		t.Errorf("event = %+v", ev)
	}
	must(send(alice.ID, "30.5", "")).get(t)
	must(send(bob.ID, "7", "")).get(t)
	ts := time.Now().Add(-time.Hour).Unix()
	old := must(sc.BillingMeterEvents.New(&stripe.BillingMeterEventParams{
		EventName: stripe.String("tokens"), Timestamp: stripe.Int64(ts),
		Payload: map[string]string{"stripe_customer_id": bob.ID, "value": "3"},
	})).get(t)
	if old.Timestamp != ts || old.Identifier == "" {
		t.Errorf("timestamped event = %+v", old)
	}

	// Refused events.
	_, err := send(alice.ID, "1", "req-1")
	wantErr(t, err, 400, "identifier", "req-1")
	_, err = send("cus_nope", "1", "")
	wantErr(t, err, 400, "payload[stripe_customer_id]", "No such customer: 'cus_nope'")
	_, err = send(alice.ID, "lots", "")
	wantErr(t, err, 400, "payload[value]", "non-negative number")
	_, err = sc.BillingMeterEvents.New(&stripe.BillingMeterEventParams{EventName: stripe.String("unknown_event"), Payload: map[string]string{"stripe_customer_id": alice.ID, "value": "1"}})
	wantErr(t, err, 400, "event_name", "No active meter")
	_, err = sc.BillingMeterEvents.New(&stripe.BillingMeterEventParams{
		EventName: stripe.String("tokens"), Timestamp: stripe.Int64(time.Now().Add(-40 * 24 * time.Hour).Unix()),
		Payload: map[string]string{"stripe_customer_id": alice.ID, "value": "1"},
	})
	wantErr(t, err, 400, "timestamp", "35 days")

	if total, n := emu.MeterUsage(testKey, mtr.ID, alice.ID); total != 150.5 || n != 2 {
		t.Errorf("alice usage = %v over %d events", total, n)
	}
	if total, n := emu.MeterUsage(testKey, mtr.ID, bob.ID); total != 10 || n != 2 {
		t.Errorf("bob usage = %v over %d events", total, n)
	}
	if total, n := emu.MeterUsage("sk_test_other", mtr.ID, bob.ID); total != 0 || n != 0 {
		t.Errorf("other key usage = %v/%d", total, n)
	}

	// A deactivated meter takes no events.
	must(sc.BillingMeters.Deactivate(mtr.ID, &stripe.BillingMeterDeactivateParams{})).get(t)
	_, err = send(alice.ID, "1", "")
	wantErr(t, err, 400, "event_name", "No active meter was found for event_name `tokens`.")
	if _, n := emu.MeterUsage(testKey, mtr.ID, alice.ID); n != 2 {
		t.Errorf("events after deactivation = %d", n)
	}

	// A count meter counts events; the value is optional.
	cnt := must(sc.BillingMeters.New(&stripe.BillingMeterParams{
		DisplayName: stripe.String("Requests"), EventName: stripe.String("requests"),
		DefaultAggregation: &stripe.BillingMeterDefaultAggregationParams{Formula: stripe.String("count")},
	})).get(t)
	for i := range 3 {
		must(sc.BillingMeterEvents.New(&stripe.BillingMeterEventParams{
			EventName: stripe.String("requests"), Identifier: stripe.String("r" + strconv.Itoa(i)),
			Payload: map[string]string{"stripe_customer_id": bob.ID},
		})).get(t)
	}
	if _, n := emu.MeterUsage(testKey, cnt.ID, bob.ID); n != 3 {
		t.Errorf("count meter events = %d", n)
	}
}
