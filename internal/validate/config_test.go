package validate

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A Refuse rule fires only when its Set, AnySet and Unset all hold, reports on At with its own
// summary and detail, and never fires on an unknown value (a module input during validate).
func TestRefuse(t *testing.T) {
	ctx := context.Background()
	s := schema.Schema{Attributes: map[string]schema.Attribute{
		"machine_type": schema.StringAttribute{Optional: true},
		"cpu":          schema.Int64Attribute{Optional: true},
		"memory_gb":    schema.Float64Attribute{Optional: true},
	}}
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"machine_type": tftypes.String, "cpu": tftypes.Number, "memory_gb": tftypes.Number}}
	config := func(machineType, cpu, memory any) tfsdk.Config {
		return tfsdk.Config{Schema: s, Raw: tftypes.NewValue(typ, map[string]tftypes.Value{
			"machine_type": tftypes.NewValue(tftypes.String, machineType),
			"cpu":          tftypes.NewValue(tftypes.Number, cpu),
			"memory_gb":    tftypes.NewValue(tftypes.Number, memory),
		})}
	}
	machineType, cpu, memory := path.Root("machine_type"), path.Root("cpu"), path.Root("memory_gb")
	conflict := Refuse{Set: []path.Path{machineType}, AnySet: []path.Path{cpu, memory}, At: machineType,
		Summary: "machine_type conflicts with cpu and memory_gb", Detail: "Set either machine_type, or cpu and memory_gb, not both."}
	missingMemory := Refuse{Set: []path.Path{cpu}, Unset: []path.Path{machineType, memory}, At: memory,
		Summary: "Missing memory_gb", Detail: "cpu is set without memory_gb: set memory_gb, the GB per node, too."}
	for _, tc := range []struct {
		name   string
		rule   Refuse
		config tfsdk.Config
		fires  bool
	}{
		{"machine_type and cpu", conflict, config("e2-standard-4", 4, nil), true},
		{"machine_type and memory_gb", conflict, config("e2-standard-4", nil, 16), true},
		{"machine_type alone", conflict, config("e2-standard-4", nil, nil), false},
		{"cpu and memory_gb alone", conflict, config(nil, 4, 16), false},
		{"an unknown machine_type may still be null", conflict, config(tftypes.UnknownValue, 4, nil), false},
		{"an unknown cpu may still be null", missingMemory, config(nil, tftypes.UnknownValue, nil), false},
		{"cpu without memory_gb", missingMemory, config(nil, 4, nil), true},
		{"cpu with machine_type is the conflict's, not this one's", missingMemory, config("e2-standard-4", 4, nil), false},
		{"cpu with an unknown memory_gb", missingMemory, config(nil, 4, tftypes.UnknownValue), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var resp resource.ValidateConfigResponse
			tc.rule.ValidateResource(ctx, resource.ValidateConfigRequest{Config: tc.config}, &resp)
			errs := resp.Diagnostics.Errors()
			if !tc.fires {
				if len(errs) != 0 {
					t.Fatalf("want no error, got %v", errs)
				}
				return
			}
			if len(errs) != 1 || errs[0].Summary() != tc.rule.Summary || errs[0].Detail() != tc.rule.Detail {
				t.Fatalf("want one error %q, got %v", tc.rule.Summary, errs)
			}
			if withPath, ok := errs[0].(interface{ Path() path.Path }); !ok || !withPath.Path().Equal(tc.rule.At) {
				t.Errorf("error is not on %s", tc.rule.At)
			}
		})
	}
}
