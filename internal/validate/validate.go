// Package validate holds the project's own value rules (Kubernetes quantities, DNS labels,
// email addresses) and the schema validator that reports them. Cross-field rules use
// terraform-plugin-framework-validators (ConflictsWith, AlsoRequires, resource-level
// ConfigValidators); a rule one resource alone needs stays in its ValidateConfig.
//
// A rule is a func(string) string that explains what is wrong with a value and what to write
// instead, or returns "" when the value is fine; the same sentence reaches a schema validator,
// a ValidateConfig and a unit test.
package validate

import (
	"context"
	"fmt"
	"regexp"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	apiresource "k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Quantity explains why s is not a Kubernetes quantity, or returns "".
func Quantity(s string) string {
	if _, err := apiresource.ParseQuantity(s); err != nil {
		return fmt.Sprintf("%q is not a Kubernetes quantity: write a number with an optional suffix, such as \"8\", \"500m\" or \"16Gi\".", s)
	}
	return ""
}

// QuantitiesAbove returns, sorted, the keys whose quantity in lo is greater than in hi
// (requests above limits, min_allowed above max_allowed); keys missing from either map or not
// quantities are left to Quantity.
func QuantitiesAbove(lo, hi map[string]string) []string {
	var out []string
	for k, l := range lo {
		h, ok := hi[k]
		if !ok {
			continue
		}
		ql, errL := apiresource.ParseQuantity(l)
		qh, errH := apiresource.ParseQuantity(h)
		if errL == nil && errH == nil && ql.Cmp(qh) > 0 {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// DNSLabel lists why name is not an RFC 1123 DNS label of at most maxLength characters (a
// namespace name, or a name a namespace is made from); it is empty when name is one.
func DNSLabel(name string, maxLength int) []string {
	errs := validation.IsDNS1123Label(name)
	if len(name) > maxLength {
		errs = append(errs, fmt.Sprintf("it is %d characters long", len(name)))
	}
	return errs
}

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$`)

// Email explains why s is not an email address, or returns "".
func Email(s string) string {
	if emailRE.MatchString(s) {
		return ""
	}
	return fmt.Sprintf("%q is not an email address: write it as name@domain.tld, such as \"alice@acme.example\".", s)
}

// String is a schema validator for a string attribute (or, through setvalidator.ValueStringsAre
// and the like, its elements): a value rule reports summary, and prefix followed by the rule's
// sentence as the detail ("Invalid billing email", "billing.email: ").
func String(summary, prefix string, rule func(string) string) validator.String {
	return stringRule{summary: summary, prefix: prefix, rule: rule}
}

type stringRule struct {
	summary, prefix string
	rule            func(string) string
}

func (v stringRule) Description(context.Context) string {
	return "the value follows the rule named in its error: " + v.summary
}

func (v stringRule) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v stringRule) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := v.rule(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, v.prefix+msg)
	}
}
