package validate

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Refuse is a resource-level validator that states one rule between attributes as data: the
// configuration is refused, on At with Summary and Detail, when every path in Set is set, at
// least one in AnySet is (when AnySet is not empty), and every path in Unset is null. A rule
// fires only on what the configuration states: an unknown value (a module input, a dynamic block
// during validate) may still turn out set or null, so it never triggers one; Terraform validates
// again once it is known. Resources list
// their Refuse rules in ConfigValidators, the framework's place for such rules, and keep their
// own messages (the framework's ConflictsWith and AlsoRequires word them generically).
type Refuse struct {
	Set, AnySet, Unset []path.Path
	At                 path.Path
	Summary, Detail    string
}

var _ resource.ConfigValidator = Refuse{}

// Description lists the rule for documentation and language servers.
func (r Refuse) Description(context.Context) string {
	return "refuses " + r.Summary + ": " + r.Detail
}

// MarkdownDescription is Description.
func (r Refuse) MarkdownDescription(ctx context.Context) string { return r.Description(ctx) }

// ValidateResource implements resource.ConfigValidator.
func (r Refuse) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	// state reads one path: set (known, not null), null, or unknown (a module's input, a
	// dynamic block during validate), which could still turn out either way.
	const (
		isSet = iota
		isNull
		isUnknown
	)
	state := func(p path.Path) int {
		var v attr.Value
		if diags := req.Config.GetAttribute(ctx, p, &v); diags.HasError() || v == nil || v.IsUnknown() {
			return isUnknown
		}
		if v.IsNull() {
			return isNull
		}
		return isSet
	}
	for _, p := range r.Set {
		if state(p) != isSet {
			return
		}
	}
	if len(r.AnySet) > 0 && !slices.ContainsFunc(r.AnySet, func(p path.Path) bool { return state(p) == isSet }) {
		return
	}
	for _, p := range r.Unset {
		if state(p) != isNull {
			return
		}
	}
	resp.Diagnostics.AddAttributeError(r.At, r.Summary, r.Detail)
}
