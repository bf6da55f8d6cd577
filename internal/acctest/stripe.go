package acctest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	stripeclient "github.com/stripe/stripe-go/v76/client"
)

// StripeKey returns a fresh test secret key. The sandbox's Stripe emulator keeps one account
// per key, so a test that uses its own key sees only its own customers, products and meters.
func StripeKey(t *testing.T) string {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "sk_test_" + hex.EncodeToString(b)
}

// Stripe returns a stripe-go client for the sandbox's Stripe emulator under key.
func Stripe(t *testing.T, key string) *stripeclient.API {
	t.Helper()
	backend := stripe.GetBackendWithConfig(stripe.APIBackend, &stripe.BackendConfig{URL: stripe.String(Sandbox().StripeURL())})
	api := &stripeclient.API{}
	api.Init(key, &stripe.Backends{API: backend, Connect: backend, Uploads: backend})
	return api
}

// StripeProvider is a provider block that points at the sandbox and uses key for Stripe.
func StripeProvider(key, namespace string) string {
	return RequiredProviders() + fmt.Sprintf("provider \"octollm\" {\n  namespace = %q\n  stripe {\n    api_key = %q\n  }\n}\n", namespace, key)
}

// StripeFaults makes the sandbox's Stripe emulator fail the given fraction of the requests
// whose "METHOD /path" starts with only ("" for all) with Stripe's 500 api_error, until the
// test ends or it is called again.
func StripeFaults(t *testing.T, errorRate float64, only string) {
	t.Helper()
	StripeFaultSettings(t, map[string]any{"error_rate": errorRate, "only": only})
}

// StripeFaultSettings changes the Stripe emulator's fault settings (error_rate, latency such as
// "150ms", only; omitted ones are kept) and resets all of them when the test ends.
func StripeFaultSettings(t *testing.T, settings map[string]any) {
	t.Helper()
	put := func(settings map[string]any) error {
		body, err := json.Marshal(settings)
		if err != nil {
			return err
		}
		url := fmt.Sprintf("http://127.0.0.1:%d/faults/stripe", Sandbox().Ports.EmulatorsAdmin)
		req, err := http.NewRequest(http.MethodPut, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		c := &http.Client{Timeout: 10 * time.Second}
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("PUT %s: %s", url, resp.Status)
		}
		return nil
	}
	if err := put(settings); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = put(map[string]any{"error_rate": 0, "latency": "0s", "only": ""}) })
}

// BillingPlanHCL is an octollm_billing_plan named name (its resource name too) that meters the
// three usage keys the gateway reports: llm_tokens, api_calls and compute_seconds.
func BillingPlanHCL(name string) string {
	return fmt.Sprintf(`resource "octollm_billing_plan" %[1]q {
  name = %[1]q
  meter {
    key                 = "llm_tokens"
    display_name        = "LLM tokens"
    unit_amount_decimal = "0.0002"
  }
  meter {
    key                 = "api_calls"
    display_name        = "API calls"
    unit_amount_decimal = "0.01"
  }
  meter {
    key                 = "compute_seconds"
    display_name        = "Compute seconds"
    unit_amount_decimal = "0.005"
  }
}
`, name)
}
