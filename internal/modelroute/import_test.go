package modelroute_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/modelroute"
)

// ImportState accepts name and tenant/name and records the identity Read starts from; it
// refuses anything else with the format in the message. No cluster is needed.
func TestImportStateParsesID(t *testing.T) {
	ctx := context.Background()
	r := modelroute.NewResource()
	r.(resource.ResourceWithConfigure).Configure(ctx, resource.ConfigureRequest{
		ProviderData: clients.NewBackends(clients.Config{Namespace: "octollm-prod"}),
	}, &resource.ConfigureResponse{})
	var sresp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sresp)
	empty := tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)

	for _, tc := range []struct {
		id, tenant, name, configMap, wantErr string
	}{
		{id: "code-review", name: "code-review", configMap: "octollm-route-code-review"},
		{id: "acme/code-review", tenant: "acme", name: "code-review", configMap: "octollm-route-acme-code-review"},
		{id: "acme/code-review/x", wantErr: `import ID "acme/code-review/x" is not name or tenant/name: use, for example, code-review or acme/code-review`},
		{id: "Acme/code-review", wantErr: `tenant "Acme" must be a DNS-1123 label`},
		{id: "acme/Code_Review", wantErr: `name "Code_Review" must be a DNS-1123 label`},
		{id: "", wantErr: `name "" must be a DNS-1123 label`},
		{id: "/code-review", wantErr: `tenant "" must be a DNS-1123 label`},
	} {
		resp := resource.ImportStateResponse{State: tfsdk.State{Schema: sresp.Schema, Raw: empty.Copy()}}
		r.(resource.ResourceWithImportState).ImportState(ctx, resource.ImportStateRequest{ID: tc.id}, &resp)
		if tc.wantErr != "" {
			if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), tc.wantErr) {
				t.Errorf("ImportState(%q) = %v, want an error containing %q", tc.id, resp.Diagnostics, tc.wantErr)
			}
			continue
		}
		if resp.Diagnostics.HasError() {
			t.Errorf("ImportState(%q): %v", tc.id, resp.Diagnostics)
			continue
		}
		for attr, want := range map[string]string{"id": tc.id, "name": tc.name, "tenant": tc.tenant, "namespace": "octollm-prod", "config_map": tc.configMap} {
			var got types.String
			resp.State.GetAttribute(ctx, path.Root(attr), &got)
			if got.ValueString() != want || (want == "" && !got.IsNull()) {
				t.Errorf("ImportState(%q): %s = %v, want %q", tc.id, attr, got, want)
			}
		}
	}
}
