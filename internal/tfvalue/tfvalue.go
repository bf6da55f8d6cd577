// Package tfvalue holds the small helpers every resource family needs for terraform-plugin-framework
// values, so the families do not each keep a copy.
package tfvalue

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Value is any framework value: types.String, types.Map, types.List, ...
type Value interface {
	IsNull() bool
	IsUnknown() bool
}

// Known reports whether v is set and known at plan time.
func Known(v Value) bool { return !v.IsNull() && !v.IsUnknown() }

// OptString is s as an optional attribute's value: null when s is empty.
func OptString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// NullTimeouts is an unset timeouts block of the shape timeouts.Block(ctx, o) declares, for a
// state written without a configuration (import).
func NullTimeouts(o timeouts.Opts) timeouts.Value {
	t := map[string]attr.Type{}
	for name, on := range map[string]bool{"create": o.Create, "read": o.Read, "update": o.Update, "delete": o.Delete} {
		if on {
			t[name] = types.StringType
		}
	}
	return timeouts.Value{Object: types.ObjectNull(t)}
}

// StringMap returns a known map(string) attribute as a Go map; null or unknown is empty.
func StringMap(ctx context.Context, m types.Map, d *diag.Diagnostics) map[string]string {
	out := map[string]string{}
	if Known(m) {
		d.Append(m.ElementsAs(ctx, &out, false)...)
	}
	return out
}

// ConfigGet decodes a resource's configuration into target for ValidateConfig and reports
// whether it could. A configuration with unknown blocks (a dynamic block whose for_each is not
// known yet, as in a module during `validate`) does not decode into Go slices and pointers;
// Terraform validates it again at plan time with the values known, so ok is false without an
// error. Other decoding errors are added to d.
func ConfigGet(ctx context.Context, c tfsdk.Config, target any, d *diag.Diagnostics) bool {
	diags := c.Get(ctx, target)
	if !diags.HasError() {
		d.Append(diags...)
		return true
	}
	if c.Raw.IsFullyKnown() {
		d.Append(diags...)
	}
	return false
}

// DefaultNamespace fills a namespace the configuration leaves out with the provider's, and asks
// for replacement when that moves an object already in state (the provider's namespace changed).
func DefaultNamespace(ctx context.Context, config types.String, providerNamespace string, plan *types.String, state tfsdk.State, resp *resource.ModifyPlanResponse) {
	if !config.IsNull() {
		return
	}
	*plan = types.StringValue(providerNamespace)
	if state.Raw.IsNull() {
		return
	}
	var prior types.String
	resp.Diagnostics.Append(state.GetAttribute(ctx, path.Root("namespace"), &prior)...)
	if prior.ValueString() != providerNamespace {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("namespace"))
	}
}
