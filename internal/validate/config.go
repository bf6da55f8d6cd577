package validate

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Refuse is a resource-level validator that states one rule between attributes as data: the
// configuration is refused, on At with Summary and Detail, when every path in Set is set, at
// least one in AnySet is (when AnySet is not empty), and every path in Unset is null. Unknown
// values count as set, so a rule never fires on a value only apply will know. Resources list
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
	set := func(p path.Path) (bool, bool) {
		var v attr.Value
		if diags := req.Config.GetAttribute(ctx, p, &v); diags.HasError() {
			return false, false
		}
		return v != nil && !v.IsNull(), true
	}
	for _, p := range r.Set {
		if s, ok := set(p); !ok || !s {
			return
		}
	}
	if len(r.AnySet) > 0 {
		anySet := false
		for _, p := range r.AnySet {
			if s, ok := set(p); ok && s {
				anySet = true
			}
		}
		if !anySet {
			return
		}
	}
	for _, p := range r.Unset {
		if s, ok := set(p); !ok || s {
			return
		}
	}
	resp.Diagnostics.AddAttributeError(r.At, r.Summary, r.Detail)
}
