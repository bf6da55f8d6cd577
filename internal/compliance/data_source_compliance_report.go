package compliance

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

var (
	_ datasource.DataSourceWithConfigure      = (*reportDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*reportDataSource)(nil)
)

// NewReportDataSource returns the octollm_compliance_report data source.
func NewReportDataSource() datasource.DataSource { return &reportDataSource{} }

type reportDataSource struct{ tfvalue.DataSourceBackends }

type reportModel struct {
	Framework   types.String `tfsdk:"framework"`
	Scope       *scopeModel  `tfsdk:"scope"`
	Status      types.String `tfsdk:"status"`
	EvaluatedAt types.String `tfsdk:"evaluated_at"`
	Controls    types.List   `tfsdk:"controls"`
	JSON        types.String `tfsdk:"json"`
	Markdown    types.String `tfsdk:"markdown"`
}

var reportControlAttrTypes = map[string]attr.Type{
	"control_id": types.StringType, "title": types.StringType, "status": types.StringType,
	"passed": types.ListType{ElemType: types.StringType}, "failed": types.ListType{ElemType: types.StringType},
}

func (d *reportDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = "octollm_compliance_report"
}

func (d *reportDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Evaluates every catalog control of one framework over a scope, as `octollm_compliance_control` does, and returns pass or fail per control and " +
			"mechanism as JSON (stable order: catalog order, objects sorted) and as a markdown summary. Use it for a point-in-time report of a whole framework; " +
			"it only reads (no evidence is written; the evidence history comes from `octollm_compliance_control`). Each control is evaluated with its default parameters.",
		Attributes: map[string]schema.Attribute{
			"framework": schema.StringAttribute{Required: true, MarkdownDescription: "The framework: " + frameworkList() + "."},
			"status":    schema.StringAttribute{Computed: true, MarkdownDescription: "`compliant` when every control is, `non_compliant` otherwise."},
			"evaluated_at": schema.StringAttribute{Computed: true,
				MarkdownDescription: "When the report was evaluated (RFC 3339, UTC)."},
			"controls": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "One entry per control, in catalog order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"control_id": schema.StringAttribute{Computed: true, MarkdownDescription: "The control's id."},
					"title":      schema.StringAttribute{Computed: true, MarkdownDescription: "The control's title."},
					"status":     schema.StringAttribute{Computed: true, MarkdownDescription: "`compliant` or `non_compliant`."},
					"passed":     schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Mechanisms whose check passed."},
					"failed":     schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Mechanisms whose check failed."},
				}}},
			"json": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The whole report as JSON: framework, scope, status, counts, and per control each mechanism's result, the objects checked and the findings."},
			"markdown": schema.StringAttribute{Computed: true, MarkdownDescription: "A markdown summary: a table of controls and mechanisms, then the findings."},
		},
		Blocks: map[string]schema.Block{
			"scope": schema.SingleNestedBlock{
				MarkdownDescription: "Where the namespace mechanisms are checked. Without it: the provider's platform namespace and every tenant namespace.",
				Attributes: map[string]schema.Attribute{
					"namespaces":  schema.SetAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "Namespaces to check."},
					"all_tenants": schema.BoolAttribute{Optional: true, MarkdownDescription: "Also every tenant namespace of this platform: labelled `octollm.io/tenant`, with its tenant's record in the provider's `namespace` (tenants of another platform sharing the cluster are not). Default false."},
				},
			},
		},
	}
}

func (d *reportDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m reportModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if tfvalue.Known(m.Framework) && !slices.Contains(Frameworks, m.Framework.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("framework"), "Unknown framework", "framework: "+UnknownFramework(m.Framework.ValueString()))
	}
	// A scope block present in the configuration must select something.
	if scopeGiven(m.Scope) {
		validateScope(ctx, m.Scope, &resp.Diagnostics)
	}
}

func (d *reportDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m reportModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	diags := &resp.Diagnostics
	framework := m.Framework.ValueString()
	scope := Scope{Namespaces: []string{d.Backends.Config.Namespace}, AllTenants: true}
	if scopeGiven(m.Scope) {
		scope = Scope{Namespaces: []string{}, AllTenants: m.Scope.AllTenants.ValueBool()}
		if tfvalue.Known(m.Scope.Namespaces) {
			diags.Append(m.Scope.Namespaces.ElementsAs(ctx, &scope.Namespaces, false)...)
		}
		slices.Sort(scope.Namespaces)
	}
	k := tfvalue.Kube(ctx, d.Backends, "octollm_compliance_report", diags)
	if k == nil {
		return
	}
	g, gerr := d.Backends.GKE(ctx)
	rd := &Reader{Kube: k, GKE: g, GKEErr: gerr, PlatformNS: d.Backends.Config.Namespace}
	controls := ControlsOf(framework)
	snap, err := rd.Snapshot(ctx, scope, MechanismsOf(controls))
	if err != nil {
		diags.AddError("Cannot evaluate "+framework, err.Error())
		return
	}
	report := BuildReport(framework, scope, snap, Now())
	js, err := report.JSON()
	if err != nil {
		diags.AddError("Cannot render the report", err.Error())
		return
	}
	var rows []attr.Value
	for _, c := range report.Controls {
		var passed, failed []string
		for _, mr := range c.Mechanisms {
			if mr.Passed {
				passed = append(passed, mr.Mechanism)
			} else {
				failed = append(failed, mr.Mechanism)
			}
		}
		obj, dg := types.ObjectValue(reportControlAttrTypes, map[string]attr.Value{
			"control_id": types.StringValue(c.Control), "title": types.StringValue(c.Title), "status": types.StringValue(c.Status),
			"passed": stringList(passed), "failed": stringList(failed),
		})
		diags.Append(dg...)
		rows = append(rows, obj)
	}
	list, dg := types.ListValue(types.ObjectType{AttrTypes: reportControlAttrTypes}, rows)
	diags.Append(dg...)
	m.Controls = list
	m.Status = types.StringValue(report.Status)
	m.EvaluatedAt = types.StringValue(report.EvaluatedAt)
	m.JSON = types.StringValue(js)
	m.Markdown = types.StringValue(report.Markdown())
	diags.Append(resp.State.Set(ctx, &m)...)
}

// scopeGiven reports whether the configuration has a scope block with something in it.
func scopeGiven(s *scopeModel) bool {
	return s != nil && (!s.Namespaces.IsNull() || !s.AllTenants.IsNull())
}
