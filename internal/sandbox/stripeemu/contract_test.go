package stripeemu_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stripe/stripe-go/v76"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/stripeemu"
)

// syncBuffer is a bytes.Buffer safe for the server goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRequestLog(t *testing.T) {
	var log syncBuffer
	srv := startEmulator(t, stripeemu.Config{RequestLog: &log})
	sc := newClient(srv.URL, testKey)

	p := &stripe.ProductParams{Name: stripe.String("Logged")}
	p.SetIdempotencyKey("log-key")
	if _, err := sc.Products.New(p); err != nil {
		t.Fatal(err)
	}
	collect[*stripe.Product](t, sc.Products.List(&stripe.ProductListParams{Active: stripe.Bool(true)}))
	_, err := sc.Products.New(&stripe.ProductParams{}) // refused, still logged
	wantErr(t, err, 400, "name", "")
	// Not logged: no valid key, unknown URL.
	do(t, http.MethodGet, srv.URL+"/v1/products", "", "", nil).Body.Close()
	do(t, http.MethodGet, srv.URL+"/v1/nonsense", "", "Bearer "+testKey, nil).Body.Close()

	if strings.Contains(log.String(), testKey) || strings.Contains(log.String(), "Bearer") {
		t.Errorf("log contains the API key:\n%s", log.String())
	}
	var lines []stripeemu.LoggedRequest
	for _, raw := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		var l stripeemu.LoggedRequest
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			t.Fatalf("line %q: %v", raw, err)
		}
		lines = append(lines, l)
	}
	want := []stripeemu.LoggedRequest{
		{Method: "POST", Path: "/v1/products", Body: "name=Logged", IdempotencyKey: "log-key", StripeVersion: stripe.APIVersion},
		{Method: "GET", Path: "/v1/products", Query: "active=true", StripeVersion: stripe.APIVersion},
		{Method: "POST", Path: "/v1/products", StripeVersion: stripe.APIVersion},
	}
	if len(lines) != len(want) {
		t.Fatalf("log has %d lines, want %d:\n%s", len(lines), len(want), log.String())
	}
	// stripe-go gives every POST an idempotency key of its own.
	if lines[2].IdempotencyKey == "" {
		t.Errorf("line 2 has no idempotency key")
	}
	lines[2].IdempotencyKey = ""
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, lines[i], want[i])
		}
	}
}

func TestReplayStripeMock(t *testing.T) {
	mockURL := startStripeMock(t)
	lines := []stripeemu.LoggedRequest{
		{Method: "POST", Path: "/v1/products", Body: "name=Good&metadata%5Btier%5D=pro", StripeVersion: stripe.APIVersion},
		{Method: "GET", Path: "/v1/prices", Query: "product=prod_123&active=true"},
		{Method: "POST", Path: "/v1/prices/price_123", Body: "unit_amount=5"},
	}
	var log bytes.Buffer
	for _, l := range lines {
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		log.Write(append(b, '\n'))
	}
	rep, err := stripeemu.Replay(context.Background(), &log, mockURL)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Replayed != 3 || len(rep.Rejected) != 1 {
		t.Fatalf("report = %+v, want 3 replayed and 1 rejected", rep)
	}
	r := rep.Rejected[0]
	if r.Index != 3 || r.Method != http.MethodPost || r.Path != "/v1/prices/price_123" || r.Status != 400 ||
		!strings.Contains(r.Message, "additional properties are not allowed") {
		t.Errorf("rejection = %+v", r)
	}
	if !strings.HasPrefix(r.String(), "#3 POST /v1/prices/price_123: 400 ") {
		t.Errorf("String() = %q", r.String())
	}

	// An unknown endpoint is a rejection too (stripe-mock's 404).
	rep, err = stripeemu.Replay(context.Background(), strings.NewReader(`{"method":"DELETE","path":"/v1/prices/price_123"}`), mockURL)
	if err != nil || rep.Replayed != 1 || len(rep.Rejected) != 1 || rep.Rejected[0].Status != 404 {
		t.Errorf("unknown endpoint: %+v %v", rep, err)
	}
	// A malformed log fails.
	if _, err := stripeemu.Replay(context.Background(), strings.NewReader("{not json"), mockURL); err == nil {
		t.Errorf("malformed log accepted")
	}
}

func TestReplayUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	_, err = stripeemu.Replay(context.Background(), strings.NewReader(`{"method":"GET","path":"/v1/products"}`), dead)
	if err == nil || !strings.Contains(err.Error(), "GET /v1/products") {
		t.Errorf("err = %v", err)
	}
}

// TestBillingAgainstStripeMock drives every new endpoint through stripe-go
// with stripe-mock validating each request, then replays the request log:
// stripe-mock must accept all of it.
func TestBillingAgainstStripeMock(t *testing.T) {
	mockURL := startStripeMock(t)
	var log syncBuffer
	srv := startEmulator(t, stripeemu.Config{ValidatorURL: mockURL, RequestLog: &log})
	sc := newClient(srv.URL, testKey)

	cus := newCustomer(t, sc)
	prod := must(sc.Products.New(&stripe.ProductParams{Name: stripe.String("Inference"), Description: stripe.String("d")})).get(t)
	must(sc.Products.Update(prod.ID, &stripe.ProductParams{Description: stripe.String("")})).get(t)
	mtr := must(sc.BillingMeters.New(&stripe.BillingMeterParams{
		DisplayName: stripe.String("Tokens"), EventName: stripe.String("tokens"),
		DefaultAggregation: &stripe.BillingMeterDefaultAggregationParams{Formula: stripe.String("sum")},
		CustomerMapping:    &stripe.BillingMeterCustomerMappingParams{EventPayloadKey: stripe.String("stripe_customer_id"), Type: stripe.String("by_id")},
		ValueSettings:      &stripe.BillingMeterValueSettingsParams{EventPayloadKey: stripe.String("value")},
	})).get(t)
	must(sc.BillingMeters.Update(mtr.ID, &stripe.BillingMeterParams{DisplayName: stripe.String("API tokens")})).get(t)
	collect[*stripe.BillingMeter](t, sc.BillingMeters.List(&stripe.BillingMeterListParams{Status: stripe.String("active")}))
	licensed := must(sc.Prices.New(monthly(prod.ID, 2000))).get(t)
	metered := must(sc.Prices.New(meteredPrice(prod.ID, mtr.ID))).get(t)
	must(sc.Prices.Update(licensed.ID, &stripe.PriceParams{Nickname: stripe.String("Pro"), LookupKey: stripe.String("pro")})).get(t)
	collect[*stripe.Price](t, sc.Prices.List(&stripe.PriceListParams{Product: stripe.String(prod.ID), Active: stripe.Bool(true)}))
	must(sc.Prices.Get(metered.ID, nil)).get(t)

	sub := must(sc.Subscriptions.New(&stripe.SubscriptionParams{
		Customer: stripe.String(cus.ID),
		Items: []*stripe.SubscriptionItemsParams{
			{Price: stripe.String(licensed.ID), Quantity: stripe.Int64(2)},
			{Price: stripe.String(metered.ID)},
		},
	})).get(t)
	must(sc.BillingMeterEvents.New(&stripe.BillingMeterEventParams{
		EventName: stripe.String("tokens"), Identifier: stripe.String("ev-1"),
		Payload: map[string]string{"stripe_customer_id": cus.ID, "value": "42"},
	})).get(t)
	upd := &stripe.SubscriptionParams{Items: []*stripe.SubscriptionItemsParams{{ID: stripe.String(sub.Items.Data[0].ID), Deleted: stripe.Bool(true)}}}
	upd.AddMetadata("tenant", "acme")
	must(sc.Subscriptions.Update(sub.ID, upd)).get(t)
	added := must(sc.SubscriptionItems.New(&stripe.SubscriptionItemParams{Subscription: stripe.String(sub.ID), Price: stripe.String(licensed.ID)})).get(t)
	collect[*stripe.SubscriptionItem](t, sc.SubscriptionItems.List(&stripe.SubscriptionItemListParams{Subscription: stripe.String(sub.ID)}))
	must(sc.SubscriptionItems.Del(added.ID, nil)).get(t)
	collect[*stripe.Subscription](t, sc.Subscriptions.List(&stripe.SubscriptionListParams{Customer: stripe.String(cus.ID), Status: stripe.String("all")}))
	must(sc.Subscriptions.Cancel(sub.ID, &stripe.SubscriptionCancelParams{InvoiceNow: stripe.Bool(false), Prorate: stripe.Bool(false)})).get(t)
	must(sc.BillingMeters.Deactivate(mtr.ID, &stripe.BillingMeterDeactivateParams{})).get(t)
	must(sc.BillingMeters.Reactivate(mtr.ID, &stripe.BillingMeterReactivateParams{})).get(t)
	must(sc.Prices.Update(licensed.ID, &stripe.PriceParams{Active: stripe.Bool(false)})).get(t)
	other := newProduct(t, sc, "Unpriced")
	must(sc.Products.Del(other.ID, nil)).get(t)

	rep, err := stripeemu.Replay(context.Background(), strings.NewReader(log.String()), mockURL)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Replayed < 20 || len(rep.Rejected) != 0 {
		t.Errorf("replay = %d requests, rejected %v", rep.Replayed, rep.Rejected)
	}
}
