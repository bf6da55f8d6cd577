package validate

import (
	"slices"
	"strings"
	"testing"
)

// Each rule names the bad value and says what to write; a good value passes.
func TestRules(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Quantity("eight"), `"eight" is not a Kubernetes quantity: write a number with an optional suffix, such as "8", "500m" or "16Gi".`},
		{Email("alice"), `"alice" is not an email address: write it as name@domain.tld, such as "alice@acme.example".`},
		{strings.Join(DNSLabel("Acme_Corp", 40), "; "), "a lowercase RFC 1123 label must consist of"},
		{strings.Join(DNSLabel(strings.Repeat("a", 41), 40), "; "), "it is 41 characters long"},
	} {
		if !strings.HasPrefix(tc.got, tc.want) {
			t.Errorf("got %q, want it to start with %q", tc.got, tc.want)
		}
	}
	if Quantity("16Gi") != "" || Email("a@b.example") != "" || len(DNSLabel("acme", 40)) != 0 {
		t.Error("a good value was refused")
	}
	if got := QuantitiesAbove(map[string]string{"cpu": "2", "memory": "1Gi", "gpu": "1"}, map[string]string{"cpu": "1", "memory": "2Gi"}); !slices.Equal(got, []string{"cpu"}) {
		t.Errorf("QuantitiesAbove = %v, want [cpu]", got)
	}
}
