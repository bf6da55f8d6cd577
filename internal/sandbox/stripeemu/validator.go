package stripeemu

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"
)

// validator replays requests to a stripe-mock server, whose request
// validation is generated from Stripe's published OpenAPI specification.
type validator struct {
	baseURL string
	client  *http.Client
}

func newValidator(baseURL string) *validator {
	return &validator{
		baseURL: strings.TrimRight(baseURL, "/"),
		client:  &http.Client{Timeout: 30 * time.Second},
	}
}

// validatorVerdict is stripe-mock's answer to a replayed request.
type validatorVerdict struct {
	rejected bool         // stripe-mock answered 400
	resp     *apiResponse // its response, when rejected
}

// check replays r (with the already-read body) to stripe-mock. Only a 400
// counts as a rejection; stripe-mock's fixtures know nothing of the
// emulator's state, so any other answer defers to the emulator.
func (v *validator) check(r *http.Request, body []byte) (validatorVerdict, *apiError) {
	target := v.baseURL + r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, target, bytes.NewReader(body))
	if err != nil {
		return validatorVerdict{}, v.unreachable(err)
	}
	for _, h := range []string{"Authorization", "Stripe-Version", "Content-Type"} {
		if val := r.Header.Get(h); val != "" {
			req.Header.Set(h, val)
		}
	}
	res, err := v.client.Do(req)
	if err != nil {
		return validatorVerdict{}, v.unreachable(err)
	}
	defer res.Body.Close()
	resBody, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return validatorVerdict{}, v.unreachable(err)
	}
	if res.StatusCode != http.StatusBadRequest {
		return validatorVerdict{}, nil
	}
	ct := res.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/json"
	}
	return validatorVerdict{
		rejected: true,
		resp:     &apiResponse{status: res.StatusCode, body: resBody, contentType: ct},
	}, nil
}

func (v *validator) unreachable(err error) *apiError {
	return internalError("The sandbox Stripe emulator could not validate this request: its validator (stripe-mock) at %s is unreachable: %v", v.baseURL, err)
}
