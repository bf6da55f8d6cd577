// Package validate holds the project's own value rules (Kubernetes quantities, DNS labels,
// namespace names, label keys and values, metric names, email addresses) and the schema
// validators that report them. A rule between attributes (one set without another, two that
// conflict) is a Refuse rule in the resource's ConfigValidators, with the resource's own message;
// only rules that compare values stay in its ValidateConfig.
//
// A rule is a func(string) string that explains what is wrong with a value and what to write
// instead, or returns "" when the value is fine; the same sentence reaches a schema validator,
// a ValidateConfig and a unit test.
package validate

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	apiresource "k8s.io/apimachinery/pkg/api/resource"
	pathvalidation "k8s.io/apimachinery/pkg/api/validation/path"
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

// Namespace explains why name is not a valid namespace name (a DNS-1123 label of at most 63
// characters), or returns "".
func Namespace(name string) string {
	return explain(validation.IsDNS1123Label(name), "%q is not a valid namespace name: %s. "+
		"Use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit, such as \"octollm\".", name)
}

// LabelKey explains why key is not a Kubernetes label key (an optional DNS-subdomain prefix
// and '/', then a name), or returns "". Taint keys follow the same rule.
func LabelKey(key string) string {
	return explain(validation.IsQualifiedName(key), "key %q is not a valid Kubernetes label key: %s. "+
		"Use an optional DNS-subdomain prefix and '/', then at most 63 letters, digits, '-', '_' and '.', such as \"octollm.dev/team\".", key)
}

// LabelValue explains why value is not a Kubernetes label value, or returns "". Taint values
// follow the same rule.
func LabelValue(value string) string {
	return explain(validation.IsValidLabelValue(value), "%q is not a valid Kubernetes label value: %s. "+
		"Use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, or an empty string.", value)
}

// explain turns apimachinery's findings about value into this package's sentence: format with
// the value and the findings joined, or "" when there are none.
func explain(findings []string, format, value string) string {
	if len(findings) == 0 {
		return ""
	}
	return fmt.Sprintf(format, value, strings.Join(findings, "; "))
}

// MetricName explains why name is not a metric name a HorizontalPodAutoscaler accepts (not
// empty, and usable as a path segment of the metrics APIs), or returns "".
func MetricName(name string) string {
	if name == "" {
		return "the metric name is empty: write the name the metrics adapter serves, such as \"task_queue_depth\"."
	}
	if errs := pathvalidation.IsValidPathSegmentName(name); len(errs) > 0 {
		return fmt.Sprintf("%q is not a metric name the HorizontalPodAutoscaler accepts: %s. Write the name the metrics adapter serves, such as \"task_queue_depth\".",
			name, strings.Join(errs, "; "))
	}
	return ""
}

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// EnvName explains why name is not an environment variable name a container takes, or "".
func EnvName(name string) string {
	if envNameRE.MatchString(name) {
		return ""
	}
	return fmt.Sprintf("%q is not a variable name: use letters, digits and underscores, not starting with a digit.", name)
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

// AtPath is String for attributes inside lists and sets, whose path names the element: it
// reports "Invalid <path>", and the path, ": " and the rule's sentence as the detail
// ("taint[0].key: key ...").
func AtPath(rule func(string) string) validator.String {
	return stringRule{rule: rule}
}

type stringRule struct {
	summary, prefix string
	rule            func(string) string
	// mapValue: the value is one of a map's; the summary names the map, the detail the key.
	mapValue bool
}

func (v stringRule) Description(context.Context) string {
	if v.summary == "" {
		return "the value follows the rule named in its error"
	}
	return "the value follows the rule named in its error: " + v.summary
}

func (v stringRule) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v stringRule) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := v.rule(req.ConfigValue.ValueString()); msg != "" {
		last, _ := req.Path.Steps().LastStep()
		if key, ok := last.(path.PathStepElementKeyString); ok && v.mapValue {
			resp.Diagnostics.AddAttributeError(req.Path, v.summary+req.Path.ParentPath().String(), string(key)+" = "+msg)
			return
		}
		if v.summary == "" {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), req.Path.String()+": "+msg)
			return
		}
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, v.prefix+msg)
	}
}

// Labels is a schema validator for a map of Kubernetes labels: every key must pass LabelKey and
// then reserved (when not nil: why the key is the provider's own, or ""), every value LabelValue.
// It reports "Invalid label in <attr>", with "<attr>: key ..." or "<attr>["key"]: ..." as the
// detail; unknown values are checked when known.
func Labels(reserved func(key string) string) validator.Map {
	return labelsRule{reserved: reserved}
}

type labelsRule struct{ reserved func(string) string }

func (labelsRule) Description(context.Context) string {
	return "valid Kubernetes label keys and values"
}

func (v labelsRule) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v labelsRule) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	attr := req.Path.String()
	summary := "Invalid label in " + attr
	elems := req.ConfigValue.Elements()
	for _, k := range slices.Sorted(maps.Keys(elems)) {
		p := req.Path.AtMapKey(k)
		if msg := LabelKey(k); msg != "" {
			resp.Diagnostics.AddAttributeError(p, summary, attr+": "+msg)
		} else if v.reserved != nil {
			if why := v.reserved(k); why != "" {
				resp.Diagnostics.AddAttributeError(p, summary, fmt.Sprintf("%s: key %q is not allowed: %s.", attr, k, why))
			}
		}
		if s, ok := elems[k].(types.String); ok && !s.IsUnknown() && !s.IsNull() {
			if msg := LabelValue(s.ValueString()); msg != "" {
				resp.Diagnostics.AddAttributeError(p, summary, fmt.Sprintf("%s[%q]: %s", attr, k, msg))
			}
		}
	}
}

// Quantities is a schema validator for a map of Kubernetes quantities by resource name
// (requests, limits, VPA bounds): it reports "Invalid quantity in <attr>", with
// "<name> = <Quantity's sentence>" as the detail, for each value that is not a quantity.
func Quantities() validator.Map {
	return mapvalidator.ValueStringsAre(stringRule{summary: "Invalid quantity in ", rule: Quantity, mapValue: true})
}
