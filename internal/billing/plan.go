package billing

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// Metadata keys the provider sets on the Stripe objects of a plan; import and adoption find
// the objects by them.
const (
	PlanMetadata     = "octollm_billing_plan"
	MeterKeyMetadata = "octollm_meter_key"
	EventNamePrefix  = contract.MeterEventPrefix
	// CustomerMappingKey is the meter event payload field that names the Stripe customer.
	CustomerMappingKey = contract.MeterCustomerPayloadKey
	// ValueKey is the meter event payload field that carries the usage value.
	ValueKey = contract.MeterValuePayloadKey
)

// Meter is one usage dimension of a plan as configured.
type Meter struct {
	Key               string
	DisplayName       string
	UnitAmountDecimal string // in the currency's minor unit (cents) per unit
}

// EventName is the meter event name the gateway reports usage under.
func (m Meter) EventName() string { return contract.MeterEventName(m.Key) }

var (
	planNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)
	meterKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
	currencyRE = regexp.MustCompile(`^[a-z]{3}$`)
	decimalRE  = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
)

// NameProblem explains why name cannot name a plan, or returns "".
func NameProblem(name string) string {
	if planNameRE.MatchString(name) {
		return ""
	}
	return fmt.Sprintf("%q is not a valid plan name: use 1 to 63 lowercase letters, digits, '-' and '_', starting with a letter or digit, such as \"standard\".", name)
}

// MeterKeyProblem explains why key cannot key a meter, or returns "".
func MeterKeyProblem(key string) string {
	if meterKeyRE.MatchString(key) {
		return ""
	}
	return fmt.Sprintf("%q is not a valid meter key: use a lowercase letter then at most 39 lowercase letters, digits and '_', such as \"llm_tokens\"; the gateway reports usage under the event name octollm_<key>.", key)
}

// CurrencyProblem explains why c is not an ISO currency code as Stripe takes it, or returns "".
func CurrencyProblem(c string) string {
	if currencyRE.MatchString(c) {
		return ""
	}
	return fmt.Sprintf("%q is not a currency: use a three-letter ISO 4217 code in lowercase, such as \"usd\" or \"eur\".", c)
}

// AmountProblem explains why s is not a per-unit amount Stripe accepts, or returns "".
func AmountProblem(s string) string {
	if !decimalRE.MatchString(s) {
		return fmt.Sprintf("%q is not a decimal amount: write a non-negative number of the currency's minor unit (cents) per unit with a '.' decimal point, such as \"0.0002\".", s)
	}
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > 12 {
		return fmt.Sprintf("%q has more than 12 decimal places, the most Stripe accepts: round it.", s)
	}
	return ""
}

// SameAmount reports whether two decimal amounts are numerically equal ("0.50" == "0.5").
func SameAmount(a, b string) bool {
	x, ok1 := new(big.Rat).SetString(a)
	y, ok2 := new(big.Rat).SetString(b)
	return ok1 && ok2 && x.Cmp(y) == 0
}

// FormatAmount renders a Stripe unit_amount_decimal as the shortest decimal string.
func FormatAmount(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// DuplicateKeys returns the meter keys that occur more than once, in order of first repeat.
func DuplicateKeys(meters []Meter) []string {
	seen := map[string]int{}
	var dups []string
	for _, m := range meters {
		seen[m.Key]++
		if seen[m.Key] == 2 {
			dups = append(dups, m.Key)
		}
	}
	return dups
}
