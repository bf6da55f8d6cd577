package nodepool

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"k8s.io/apimachinery/pkg/util/validation"
)

// nodeLabelsValidator checks the pool's node labels are valid Kubernetes labels at plan; GKE
// refuses the pool otherwise, after the plan was accepted.
type nodeLabelsValidator struct{}

func (nodeLabelsValidator) Description(context.Context) string {
	return "valid Kubernetes label keys and values"
}

func (v nodeLabelsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (nodeLabelsValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := req.ConfigValue.Elements()
	for _, k := range slices.Sorted(maps.Keys(elems)) {
		if msg := labelKeyProblem("labels", k); msg != "" {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(k), "Invalid label in labels", msg)
		}
		if s, ok := elems[k].(types.String); ok && !s.IsUnknown() && !s.IsNull() {
			if msg := labelValueProblem(fmt.Sprintf("labels[%q]", k), s.ValueString()); msg != "" {
				resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(k), "Invalid label in labels", msg)
			}
		}
	}
}

// taintPartValidator checks a taint's key (a label key) or value (a label value) at plan.
type taintPartValidator struct{ key bool }

func (v taintPartValidator) Description(context.Context) string {
	if v.key {
		return "a valid Kubernetes taint key"
	}
	return "a valid Kubernetes taint value"
}

func (v taintPartValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v taintPartValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var msg string
	if v.key {
		msg = labelKeyProblem(req.Path.String(), req.ConfigValue.ValueString())
	} else {
		msg = labelValueProblem(req.Path.String(), req.ConfigValue.ValueString())
	}
	if msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), msg)
	}
}

func labelKeyProblem(attr, key string) string {
	if errs := validation.IsQualifiedName(key); len(errs) > 0 {
		return fmt.Sprintf("%s: key %q is not a valid Kubernetes label key: %s. Use an optional DNS-subdomain prefix and '/', then at most 63 letters, digits, '-', '_' and '.', such as \"octollm.dev/team\".",
			attr, key, strings.Join(errs, "; "))
	}
	return ""
}

func labelValueProblem(attr, value string) string {
	if errs := validation.IsValidLabelValue(value); len(errs) > 0 {
		return fmt.Sprintf("%s: %q is not a valid Kubernetes label value: %s. Use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, or an empty string.",
			attr, value, strings.Join(errs, "; "))
	}
	return ""
}
