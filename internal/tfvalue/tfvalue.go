// Package tfvalue holds the small helpers every resource family needs for terraform-plugin-framework
// values, so the families do not each keep a copy.
package tfvalue

// Value is any framework value: types.String, types.Map, types.List, ...
type Value interface {
	IsNull() bool
	IsUnknown() bool
}

// Known reports whether v is set and known at plan time.
func Known(v Value) bool { return !v.IsNull() && !v.IsUnknown() }
