package stripeemu_test

import (
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/faults"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox/stripeemu"
)

const testKey = "sk_test_emulatorAAAAAAAAAAAAAAAAAAAA"

// startEmulator serves a fresh emulator over HTTP for the test's lifetime.
func startEmulator(t *testing.T, cfg stripeemu.Config) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(stripeemu.New(cfg))
	t.Cleanup(srv.Close)
	return srv
}

// newBackend returns a real stripe-go API backend pointed at url.
func newBackend(url string, retries int64) *stripe.BackendImplementation {
	b := stripe.GetBackendWithConfig(stripe.APIBackend, &stripe.BackendConfig{
		URL:               stripe.String(url),
		MaxNetworkRetries: stripe.Int64(retries),
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
	}).(*stripe.BackendImplementation)
	b.SetNetworkRetriesSleep(false)
	return b
}

// newClient returns a real stripe-go client for key, talking to url with
// retries disabled.
func newClient(url, key string) *client.API {
	return newClientWithBackend(key, newBackend(url, 0))
}

func newClientWithBackend(key string, b stripe.Backend) *client.API {
	sc := &client.API{}
	sc.Init(key, &stripe.Backends{API: b, Connect: b, Uploads: b})
	return sc
}

// stripeErr asserts that err is a *stripe.Error and returns it.
func stripeErr(t *testing.T, err error) *stripe.Error {
	t.Helper()
	var se *stripe.Error
	if !errors.As(err, &se) {
		t.Fatalf("error = %T %v, want *stripe.Error", err, err)
	}
	return se
}

// listAll lists every customer through stripe-go's auto-pagination.
func listAll(t *testing.T, sc *client.API, params *stripe.CustomerListParams) []*stripe.Customer {
	t.Helper()
	if params == nil {
		params = &stripe.CustomerListParams{}
	}
	var out []*stripe.Customer
	it := sc.Customers.List(params)
	for it.Next() {
		out = append(out, it.Customer())
	}
	if err := it.Err(); err != nil {
		t.Fatalf("list customers: %v", err)
	}
	return out
}

func ids(cs []*stripe.Customer) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// faultsNew returns an injector failing the given fraction of requests.
func faultsNew(rate float64) *faults.Injector { return faults.New(rate, 0, 1) }
