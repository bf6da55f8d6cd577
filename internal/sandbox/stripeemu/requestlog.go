package stripeemu

import (
	"encoding/json"
	"io"
	"net/http"
	"sync"
)

// LoggedRequest is one line of the request log (see Config.RequestLog),
// encoded as JSON.
type LoggedRequest struct {
	Method         string `json:"method"`
	Path           string `json:"path"`
	Query          string `json:"query"`
	Body           string `json:"body"`
	IdempotencyKey string `json:"idempotency_key"`
	StripeVersion  string `json:"stripe_version"`
}

// requestLog appends requests to a writer, one JSON line each.
type requestLog struct {
	mu sync.Mutex
	w  io.Writer
}

// record appends r, whose body was already read, to the log.
func (l *requestLog) record(r *http.Request, body []byte) *apiError {
	line, err := json.Marshal(LoggedRequest{
		Method:         r.Method,
		Path:           r.URL.EscapedPath(),
		Query:          r.URL.RawQuery,
		Body:           string(body),
		IdempotencyKey: r.Header.Get("Idempotency-Key"),
		StripeVersion:  r.Header.Get("Stripe-Version"),
	})
	if err != nil {
		return internalError("The sandbox Stripe emulator could not encode this request for its request log: %v", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.w.Write(append(line, '\n')); err != nil {
		return internalError("The sandbox Stripe emulator could not write this request to its request log: %v", err)
	}
	return nil
}
