package stripeemu

import (
	"crypto/rand"
)

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// randomString returns n characters drawn uniformly from alphabet.
func randomString(alphabet string, n int) string {
	out := make([]byte, n)
	buf := make([]byte, 1)
	// Rejection sampling keeps the distribution uniform.
	limit := 256 - 256%len(alphabet)
	for i := 0; i < n; {
		if _, err := rand.Read(buf); err != nil {
			panic("stripeemu: crypto/rand: " + err.Error()) // crypto/rand never fails on supported platforms
		}
		if int(buf[0]) >= limit {
			continue
		}
		out[i] = alphabet[int(buf[0])%len(alphabet)]
		i++
	}
	return string(out)
}

// newID returns a Stripe-style object ID: prefix followed by 14 random
// alphanumeric characters, e.g. "cus_Nffrk3GZ1N2VJZ".
func newID(prefix string) string { return prefix + randomString(alnum, 14) }

// newInvoicePrefix returns an 8-character uppercase invoice prefix as Stripe
// assigns to new customers.
func newInvoicePrefix() string { return randomString("0123456789ABCDEF", 8) }
