package clients

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

// Stripe answering a create with a 500 does not fail the apply: the provider sends the same
// request again, with the same Idempotency-Key, and makes the customer once. A 500 that Stripe
// marks Stripe-Should-Retry: false is not retried.
func TestStripe_retriesPOSTAfter5xxWithItsIdempotencyKey(t *testing.T) {
	var mu sync.Mutex
	var keys []string
	shouldRetry := ""
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		n := len(keys)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if n == 1 {
			if shouldRetry != "" {
				w.Header().Set("Stripe-Should-Retry", shouldRetry)
			}
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"error":{"type":"api_error","message":"An unknown error occurred"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"id":"cus_1","object":"customer"}`))
	}))
	defer srv.Close()
	create := func() error {
		b := NewBackends(Config{Stripe: StripeConfig{APIKey: "sk_test_x", APIBase: srv.URL}})
		api, err := b.Stripe(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		params := &stripe.CustomerParams{Email: stripe.String("billing@acme.example")}
		params.SetIdempotencyKey("tenant-acme-create-1")
		_, err = api.Customers.New(params)
		return err
	}

	if err := create(); err != nil {
		t.Fatalf("create after one 500 = %v, want it retried", err)
	}
	if len(keys) != 2 || keys[0] != "tenant-acme-create-1" || keys[1] != keys[0] {
		t.Errorf("requests' Idempotency-Keys = %q, want the same key twice", keys)
	}

	keys, shouldRetry = nil, "false"
	if err := create(); err == nil || len(keys) != 1 {
		t.Errorf("a 500 with Stripe-Should-Retry: false: err %v after %d requests, want the error after 1", err, len(keys))
	}
}
