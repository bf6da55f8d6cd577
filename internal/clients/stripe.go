package clients

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/stripe/stripe-go/v76"
)

// IdempotencyKey derives a deterministic Stripe idempotency key from what identifies one write:
// the object's owner, the operation and the generation of the configuration it writes. A retry,
// or a re-run after a crash, sends the same key, so Stripe answers with the first result instead
// of creating a second object.
func IdempotencyKey(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "octollm-" + hex.EncodeToString(h[:16])
}

// StripeError turns a stripe-go error into one sentence with Stripe's own message, the
// parameter it names and the request id to quote to Stripe support.
func StripeError(op string, err error) error {
	var se *stripe.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("stripe: %s: %w", op, err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "stripe: %s: %s", op, se.Msg)
	var details []string
	if se.HTTPStatusCode != 0 {
		details = append(details, fmt.Sprintf("HTTP %d", se.HTTPStatusCode))
	}
	if se.Type != "" {
		details = append(details, "type "+string(se.Type))
	}
	if se.Code != "" {
		details = append(details, "code "+string(se.Code))
	}
	if se.Param != "" {
		details = append(details, "param "+se.Param)
	}
	if se.RequestID != "" {
		details = append(details, "request "+se.RequestID)
	}
	if len(details) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(details, ", "))
	}
	return &stripeError{msg: b.String(), err: err}
}

type stripeError struct {
	msg string
	err error
}

func (e *stripeError) Error() string { return e.msg }
func (e *stripeError) Unwrap() error { return e.err }

// StripeNotFound reports whether err is Stripe's resource_missing.
func StripeNotFound(err error) bool {
	var se *stripe.Error
	return errors.As(err, &se) && (se.Code == stripe.ErrorCodeResourceMissing || se.HTTPStatusCode == 404)
}
