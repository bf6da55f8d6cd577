package stripeemu

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// contractKey is the API key requests are replayed with; stripe-mock
// accepts any well-formed test key.
const contractKey = "sk_test_123"

// Rejection is one logged request that stripe-mock answered with a 4xx.
type Rejection struct {
	Index   int    // 1-based position of the request in the log
	Method  string // as logged
	Path    string // as logged, with the query string appended if any
	Status  int    // stripe-mock's HTTP status
	Message string // stripe-mock's error message, or its raw body
}

func (r Rejection) String() string {
	return fmt.Sprintf("#%d %s %s: %d %s", r.Index, r.Method, r.Path, r.Status, r.Message)
}

// Report is the outcome of [Replay].
type Report struct {
	Replayed int         // requests sent to stripe-mock
	Rejected []Rejection // those it answered with a 4xx, in log order
}

// Replay sends every request of a request log (see Config.RequestLog) to the
// stripe-mock at stripeMockURL, with the same method, path, query, body and
// Stripe-Version, as key sk_test_123, and reports the requests stripe-mock
// rejected with a 4xx. Object IDs are kept: stripe-mock accepts any
// well-formed ID. It fails on a malformed log, on an unreachable stripe-mock
// and on a 5xx answer, so that the contract is never passed by default.
func Replay(ctx context.Context, logReader io.Reader, stripeMockURL string) (Report, error) {
	var rep Report
	base := strings.TrimRight(stripeMockURL, "/")
	client := &http.Client{Timeout: 30 * time.Second}
	dec := json.NewDecoder(logReader)
	for i := 1; ; i++ {
		var lr LoggedRequest
		if err := dec.Decode(&lr); errors.Is(err, io.EOF) {
			return rep, nil
		} else if err != nil {
			return rep, fmt.Errorf("request log entry %d: %w", i, err)
		}
		if lr.Method == "" || !strings.HasPrefix(lr.Path, "/") {
			return rep, fmt.Errorf("request log entry %d: no method or path", i)
		}
		target := lr.Path
		if lr.Query != "" {
			target += "?" + lr.Query
		}
		status, msg, err := replayOne(ctx, client, base, lr, target)
		if err != nil {
			return rep, fmt.Errorf("request log entry %d (%s %s): %w", i, lr.Method, target, err)
		}
		rep.Replayed++
		if status >= 400 {
			rep.Rejected = append(rep.Rejected, Rejection{Index: i, Method: lr.Method, Path: target, Status: status, Message: msg})
		}
	}
}

// replayOne sends one logged request and returns stripe-mock's status and,
// for an error, its message.
func replayOne(ctx context.Context, client *http.Client, base string, lr LoggedRequest, target string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, lr.Method, base+target, strings.NewReader(lr.Body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Authorization", "Bearer "+contractKey)
	if lr.Method != http.MethodGet {
		// stripe-go always sends it, and stripe-mock refuses a POST without.
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if lr.StripeVersion != "" {
		req.Header.Set("Stripe-Version", lr.StripeVersion)
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return 0, "", err
	}
	if res.StatusCode >= 500 {
		return 0, "", fmt.Errorf("stripe-mock answered %d: %s", res.StatusCode, body)
	}
	if res.StatusCode < 400 {
		return res.StatusCode, "", nil
	}
	var eb struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &eb) == nil && eb.Error.Message != "" {
		return res.StatusCode, eb.Error.Message, nil
	}
	return res.StatusCode, strings.TrimSpace(string(body)), nil
}
