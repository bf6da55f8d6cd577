package clients

import (
	"net/http"
)

// stripeMaxRetries is how many times stripe-go retries one request: enough that a Stripe
// answering one request in five with a 5xx still finishes an apply (issue 16's R1), at most
// about 17 s of backoff (stripe-go doubles from 500 ms up to 5 s).
const stripeMaxRetries = 6

// stripeRetryTransport lets stripe-go retry a POST that Stripe answered with a 5xx. stripe-go
// retries 5xx answers only for other methods, since Stripe's idempotency layer may have saved
// the failed result; but every POST it sends carries an Idempotency-Key (the provider's
// deterministic one, or stripe-go's own), so a retry either replays that saved answer or does
// the write once: never a duplicate. An answer that says whether to retry
// (Stripe-Should-Retry) is left alone.
type stripeRetryTransport struct{ base http.RoundTripper }

func (t stripeRetryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err == nil && req.Method == http.MethodPost && resp.StatusCode >= http.StatusInternalServerError &&
		req.Header.Get("Idempotency-Key") != "" && resp.Header.Get("Stripe-Should-Retry") == "" {
		resp.Header.Set("Stripe-Should-Retry", "true")
	}
	return resp, err
}
