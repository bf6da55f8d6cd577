package modelroute

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/catalog"
)

var _ datasource.DataSourceWithValidateConfig = (*catalogDataSource)(nil)

// NewCatalogDataSource returns the octollm_model_catalog data source.
func NewCatalogDataSource() datasource.DataSource { return &catalogDataSource{} }

type catalogDataSource struct{}

type catalogModel struct {
	ID     types.String `tfsdk:"id"`
	Vendor types.String `tfsdk:"vendor"`
	Names  types.List   `tfsdk:"names"`
	Models types.List   `tfsdk:"models"`
}

var catalogEntryType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"name":                          types.StringType,
	"provider":                      types.StringType,
	"input_cost_per_million":        types.Float64Type,
	"output_cost_per_million":       types.Float64Type,
	"cached_input_cost_per_million": types.Float64Type,
	"context_window":                types.Int64Type,
	"capabilities":                  types.MapType{ElemType: types.Int64Type},
	"price_source":                  types.StringType,
	"price_date":                    types.StringType,
}}

func (d *catalogDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_model_catalog"
}

func (d *catalogDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The provider's built-in model catalog: every model `octollm_model_route` accepts by name, with its list " +
			"price in USD per million tokens (input, output, cached input), context window, capability scores (reasoning, coding, " +
			"knowledge; 1-10) and the source and date of the price. It needs no cluster. Use it to see what a route may name, and " +
			"why `cheapest_capable` chose its `effective_model`.\n\n" +
			"Prices are the vendors' public list prices (standard tier, 2025) on the date given, from the page in `price_source`; " +
			"check the vendor's page before relying on them for billing. The first four entries (`gpt-4-turbo-preview`, `gpt-4`, " +
			"`gpt-3.5-turbo`, `mistral-7b-instruct`) keep the OctoLLM plan's ModelSelector table unchanged. Capability scores of " +
			"the other models are the maintainers' estimates on the same scale, not vendor figures.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "`catalog`, or `catalog/<vendor>` when filtered by `vendor`."},
			"vendor": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Only models whose `provider` (who serves them) is this, such as `openai`, `anthropic`, `google`, `mistral`, `deepseek`, `groq` or `self-hosted`.",
			},
			"names": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The models' names, sorted."},
			"models": schema.ListAttribute{
				Computed: true, ElementType: catalogEntryType,
				MarkdownDescription: "The models, sorted by name: `name`, `provider`, `input_cost_per_million`, `output_cost_per_million`, " +
					"`cached_input_cost_per_million` (0 when the vendor lists none), `context_window`, `capabilities` (map of " +
					"reasoning, coding and knowledge to 1-10), `price_source` (URL of the pricing page) and `price_date` (YYYY-MM-DD).",
			},
		},
	}
}

func providers() []string {
	var out []string
	for _, m := range catalog.Models() {
		if !slices.Contains(out, m.Provider) {
			out = append(out, m.Provider)
		}
	}
	slices.Sort(out)
	return out
}

func (d *catalogDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var p types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("vendor"), &p)...)
	if p.IsNull() || p.IsUnknown() || slices.Contains(providers(), p.ValueString()) {
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root("vendor"), "Unknown provider",
		fmt.Sprintf("vendor is %q, and no catalog model is served by it: use %s, or remove vendor to list every model.", p.ValueString(), orList(providers())))
}

func (d *catalogDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m catalogModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.ID = types.StringValue("catalog")
	if !m.Vendor.IsNull() {
		m.ID = types.StringValue("catalog/" + m.Vendor.ValueString())
	}
	names := []string{}
	entries := []attr.Value{}
	for _, c := range catalog.Models() {
		if !m.Vendor.IsNull() && c.Provider != m.Vendor.ValueString() {
			continue
		}
		caps := map[string]attr.Value{}
		for k, v := range c.Capabilities {
			caps[k] = types.Int64Value(int64(v))
		}
		entry, diags := types.ObjectValue(catalogEntryType.AttrTypes, map[string]attr.Value{
			"name": types.StringValue(c.Name), "provider": types.StringValue(c.Provider),
			"input_cost_per_million": types.Float64Value(c.InputPerMillion), "output_cost_per_million": types.Float64Value(c.OutputPerMillion),
			"cached_input_cost_per_million": types.Float64Value(c.CachedInputPerMillion), "context_window": types.Int64Value(c.ContextWindow),
			"capabilities": types.MapValueMust(types.Int64Type, caps),
			"price_source": types.StringValue(c.Source), "price_date": types.StringValue(c.PriceDate),
		})
		resp.Diagnostics.Append(diags...)
		entries = append(entries, entry)
		names = append(names, c.Name)
	}
	nameList, diags := types.ListValueFrom(ctx, types.StringType, names)
	resp.Diagnostics.Append(diags...)
	m.Names = nameList
	m.Models = types.ListValueMust(catalogEntryType, entries)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
