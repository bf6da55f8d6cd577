package tfvalue_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

type item struct {
	Key types.String `tfsdk:"key"`
}

type model struct {
	Items []item `tfsdk:"item"`
}

// A dynamic block whose for_each is unknown (a module during validate) is skipped, not an error.
func TestConfigGet_unknownBlock(t *testing.T) {
	s := schema.Schema{Blocks: map[string]schema.Block{"item": schema.ListNestedBlock{
		NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{"key": schema.StringAttribute{Optional: true}}},
	}}}
	itemType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"key": tftypes.String}}
	objType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"item": tftypes.List{ElementType: itemType}}}
	ctx := context.Background()

	unknown := tfsdk.Config{Schema: s, Raw: tftypes.NewValue(objType, map[string]tftypes.Value{
		"item": tftypes.NewValue(tftypes.List{ElementType: itemType}, tftypes.UnknownValue),
	})}
	var m model
	var d diag.Diagnostics
	if tfvalue.ConfigGet(ctx, unknown, &m, &d) || d.HasError() {
		t.Fatalf("unknown block: ok or error: %v", d)
	}

	known := tfsdk.Config{Schema: s, Raw: tftypes.NewValue(objType, map[string]tftypes.Value{
		"item": tftypes.NewValue(tftypes.List{ElementType: itemType}, []tftypes.Value{
			tftypes.NewValue(itemType, map[string]tftypes.Value{"key": tftypes.NewValue(tftypes.String, "a")}),
		}),
	})}
	if !tfvalue.ConfigGet(ctx, known, &m, &d) || d.HasError() || len(m.Items) != 1 || m.Items[0].Key.ValueString() != "a" {
		t.Fatalf("known block: %v %+v", d, m)
	}
}

// An imported resource's unset timeouts block has the type its schema declares, or the state
// could not be written.
func TestNullTimeouts_matchesTheSchemaBlock(t *testing.T) {
	ctx := context.Background()
	for _, o := range []timeouts.Opts{{Delete: true}, {Create: true, Update: true}, {Create: true, Update: true, Delete: true}} {
		got := tfvalue.NullTimeouts(o)
		if !got.IsNull() || !got.Type(ctx).Equal(timeouts.Block(ctx, o).Type()) {
			t.Errorf("NullTimeouts(%+v) = %v of %v, want null of %v", o, got, got.Type(ctx), timeouts.Block(ctx, o).Type())
		}
	}
}

// OptString is null for the empty string (an unset optional attribute) and the string otherwise.
func TestOptString(t *testing.T) {
	if v := tfvalue.OptString(""); !v.IsNull() {
		t.Errorf(`OptString("") = %v, want null`, v)
	}
	if v := tfvalue.OptString("x"); v.ValueString() != "x" || v.IsNull() {
		t.Errorf(`OptString("x") = %v, want "x"`, v)
	}
}
