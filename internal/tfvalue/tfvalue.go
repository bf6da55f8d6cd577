// Package tfvalue holds the small helpers every resource family needs for terraform-plugin-framework
// values, so the families do not each keep a copy.
package tfvalue

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Value is any framework value: types.String, types.Map, types.List, ...
type Value interface {
	IsNull() bool
	IsUnknown() bool
}

// Known reports whether v is set and known at plan time.
func Known(v Value) bool { return !v.IsNull() && !v.IsUnknown() }

// StringMap returns a known map(string) attribute as a Go map; null or unknown is empty.
func StringMap(ctx context.Context, m types.Map, d *diag.Diagnostics) map[string]string {
	out := map[string]string{}
	if Known(m) {
		d.Append(m.ElementsAs(ctx, &out, false)...)
	}
	return out
}
