package compliance

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

var (
	_ resource.ResourceWithConfigure      = (*controlResource)(nil)
	_ resource.ResourceWithValidateConfig = (*controlResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*controlResource)(nil)
	_ resource.ResourceWithImportState    = (*controlResource)(nil)
)

const typeName = "octollm_compliance_control"

// NewResource returns the octollm_compliance_control resource.
func NewResource() resource.Resource { return &controlResource{} }

type controlResource struct{ tfvalue.ResourceBackends }

type scopeModel struct {
	Namespaces types.Set  `tfsdk:"namespaces"`
	AllTenants types.Bool `tfsdk:"all_tenants"`
}

type model struct {
	ID           types.String `tfsdk:"id"`
	Framework    types.String `tfsdk:"framework"`
	ControlID    types.String `tfsdk:"control_id"`
	Scope        *scopeModel  `tfsdk:"scope"`
	Enforcement  types.String `tfsdk:"enforcement"`
	Parameters   types.Map    `tfsdk:"parameters"`
	Title        types.String `tfsdk:"title"`
	Mechanisms   types.List   `tfsdk:"mechanisms"`
	Status       types.String `tfsdk:"status"`
	Findings     types.List   `tfsdk:"findings"`
	EvaluatedAt  types.String `tfsdk:"evaluated_at"`
	EvidenceJSON types.String `tfsdk:"evidence_json"`
}

func (r *controlResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = typeName
}

func (r *controlResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema()
}

// validateControl checks framework and control_id against the catalog and returns the control.
func validateControl(framework, id types.String, d *diag.Diagnostics) (Control, bool) {
	if !tfvalue.Known(framework) {
		return Control{}, false
	}
	if !slices.Contains(Frameworks, framework.ValueString()) {
		d.AddAttributeError(path.Root("framework"), "Unknown framework", "framework: "+UnknownFramework(framework.ValueString()))
		return Control{}, false
	}
	if !tfvalue.Known(id) {
		return Control{}, false
	}
	c, ok := Lookup(framework.ValueString(), id.ValueString())
	if !ok {
		d.AddAttributeError(path.Root("control_id"), "Unknown control", "control_id: "+UnknownControl(framework.ValueString(), id.ValueString()))
	}
	return c, ok
}

// validateScope reports an absent or empty scope and bad namespace names.
func validateScope(ctx context.Context, s *scopeModel, d *diag.Diagnostics) {
	if s == nil {
		d.AddAttributeError(path.Root("scope"), "Empty scope", emptyScope+".")
		return
	}
	var names []string
	if tfvalue.Known(s.Namespaces) {
		d.Append(s.Namespaces.ElementsAs(ctx, &names, false)...)
	}
	for _, n := range names {
		if msg := namespaceProblem(n); msg != "" {
			d.AddAttributeError(path.Root("scope").AtName("namespaces"), "Invalid namespace", "scope.namespaces: "+msg+".")
		}
	}
	if len(names) == 0 && !s.Namespaces.IsUnknown() && !s.AllTenants.IsUnknown() && !s.AllTenants.ValueBool() {
		d.AddAttributeError(path.Root("scope"), "Empty scope", emptyScope+".")
	}
}

func (r *controlResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m model
	if !tfvalue.ConfigGet(ctx, req.Config, &m, &resp.Diagnostics) {
		return
	}
	d := &resp.Diagnostics
	c, ok := validateControl(m.Framework, m.ControlID, d)
	validateScope(ctx, m.Scope, d)
	if ok && tfvalue.Known(m.Parameters) {
		raw := map[string]types.String{}
		d.Append(m.Parameters.ElementsAs(ctx, &raw, false)...)
		params := map[string]string{}
		for k, v := range raw {
			if tfvalue.Known(v) {
				params[k] = v.ValueString()
			}
		}
		_, problems := ResolveParameters(c, params)
		for _, p := range problems {
			d.AddAttributeError(path.Root("parameters"), "Invalid parameter", "parameters: "+p)
		}
	}
}

// ModifyPlan fills in the catalog's title and mechanisms, and, for an enforced control whose
// last evaluation found only what enforce mode fixes, plans the re-enforcement: status
// non_compliant -> compliant.
func (r *controlResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c, ok := Lookup(plan.Framework.ValueString(), plan.ControlID.ValueString())
	if !ok || !tfvalue.Known(plan.Framework) || !tfvalue.Known(plan.ControlID) {
		return
	}
	plan.Title = types.StringValue(c.Title)
	plan.Mechanisms = stringList(c.Mechanisms)
	plan.ID = types.StringValue(c.Framework + "/" + c.ID)
	if !req.State.Raw.IsNull() {
		var state model
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if plan.Enforcement.ValueString() == "enforce" && state.Status.ValueString() == NonCompliant && allEnforceable(ctx, state.Findings, &resp.Diagnostics) {
			plan.Status = types.StringValue(Compliant)
			plan.Findings = types.ListUnknown(types.ObjectType{AttrTypes: findingAttrTypes})
			plan.EvaluatedAt = types.StringUnknown()
			plan.EvidenceJSON = types.StringUnknown()
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

type findingModel struct {
	Mechanism   types.String `tfsdk:"mechanism"`
	Object      types.String `tfsdk:"object"`
	Message     types.String `tfsdk:"message"`
	Enforceable types.Bool   `tfsdk:"enforceable"`
}

func allEnforceable(ctx context.Context, l types.List, d *diag.Diagnostics) bool {
	if !tfvalue.Known(l) {
		return false
	}
	var fs []findingModel
	d.Append(l.ElementsAs(ctx, &fs, false)...)
	if len(fs) == 0 {
		return false
	}
	for _, f := range fs {
		if !f.Enforceable.ValueBool() {
			return false
		}
	}
	return true
}

func stringList(items []string) types.List {
	vals := make([]attr.Value, len(items))
	for i, s := range items {
		vals[i] = types.StringValue(s)
	}
	return types.ListValueMust(types.StringType, vals)
}

// settings reads the model's configuration.
func (m model) settings(ctx context.Context, d *diag.Diagnostics) (Control, Settings, map[string]string, bool) {
	c, ok := Lookup(m.Framework.ValueString(), m.ControlID.ValueString())
	if !ok {
		d.AddError("Unknown control", UnknownControl(m.Framework.ValueString(), m.ControlID.ValueString()))
		return c, Settings{}, nil, false
	}
	s := Settings{Framework: c.Framework, ControlID: c.ID, Enforcement: m.Enforcement.ValueString(), Parameters: tfvalue.StringMap(ctx, m.Parameters, d),
		Scope: Scope{Namespaces: []string{}}}
	if m.Scope != nil {
		if tfvalue.Known(m.Scope.Namespaces) {
			d.Append(m.Scope.Namespaces.ElementsAs(ctx, &s.Scope.Namespaces, false)...)
		}
		slices.Sort(s.Scope.Namespaces)
		s.Scope.AllTenants = m.Scope.AllTenants.ValueBool()
	}
	params, problems := ResolveParameters(c, s.Parameters)
	for _, p := range problems {
		d.AddAttributeError(path.Root("parameters"), "Invalid parameter", "parameters: "+p)
	}
	return c, s, params, !d.HasError()
}

func (r *controlResource) reader(ctx context.Context, d *diag.Diagnostics) *Reader {
	k := tfvalue.Kube(ctx, r.Backends, typeName, d)
	if k == nil {
		return nil
	}
	g, err := r.Backends.GKE(ctx)
	return &Reader{Kube: k, GKE: g, GKEErr: err, PlatformNS: r.Backends.Config.Namespace}
}

// evaluate evaluates the control (enforcing first when enforce is true and enforce mode is
// on), appends the evidence record and sets the computed attributes of m.
func (r *controlResource) evaluate(ctx context.Context, m *model, enforce bool, d *diag.Diagnostics) {
	c, set, params, ok := m.settings(ctx, d)
	if !ok {
		return
	}
	rd := r.reader(ctx, d)
	if rd == nil {
		return
	}
	snap, err := rd.Snapshot(ctx, set.Scope, c.Mechanisms)
	if err != nil {
		d.AddError("Cannot evaluate "+c.Framework+" "+c.ID, err.Error())
		return
	}
	e := Evaluate(c, snap, params, Now())
	enforced := []string{}
	if enforce && set.Enforcement == "enforce" && e.Status == NonCompliant {
		if enforced, err = Enforce(ctx, rd.Kube, c, e, params); err != nil {
			d.AddError("Cannot enforce "+c.Framework+" "+c.ID, err.Error())
			return
		}
		if len(enforced) > 0 {
			if snap, err = rd.Snapshot(ctx, set.Scope, c.Mechanisms); err != nil {
				d.AddError("Cannot evaluate "+c.Framework+" "+c.ID, err.Error())
				return
			}
			e = Evaluate(c, snap, params, Now())
		}
	}
	rec := Record{EvaluatedAt: e.EvaluatedAt, Framework: c.Framework, ControlID: c.ID, Enforcement: set.Enforcement, Status: e.Status,
		ProviderVersion: r.Backends.Config.ProviderVersion, Scope: set.Scope, Parameters: params, Mechanisms: e.Mechanisms, Enforced: enforced}
	evidence, err := AppendEvidence(ctx, rd.Kube, rd.PlatformNS, c, rec, set)
	if err != nil {
		d.AddError("Cannot keep evidence for "+c.Framework+" "+c.ID, err.Error())
		return
	}
	m.ID = types.StringValue(c.Framework + "/" + c.ID)
	m.Title = types.StringValue(c.Title)
	m.Mechanisms = stringList(c.Mechanisms)
	m.Status = types.StringValue(e.Status)
	m.EvaluatedAt = types.StringValue(e.EvaluatedAt)
	m.EvidenceJSON = types.StringValue(evidence)
	fs := make([]findingModel, 0)
	for _, f := range e.Findings() {
		fs = append(fs, findingModel{types.StringValue(f.Mechanism), types.StringValue(f.Object), types.StringValue(f.Message), types.BoolValue(f.Enforceable)})
	}
	l, diags := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: findingAttrTypes}, fs)
	d.Append(diags...)
	m.Findings = l
}

// getter is a plan or a state to read the model from.
type getter interface {
	Get(context.Context, any) diag.Diagnostics
}

// evaluateFrom reads the model from src, evaluates (enforcing when enforce is true) and
// writes the result to state.
func (r *controlResource) evaluateFrom(ctx context.Context, src getter, state *tfsdk.State, enforce bool, d *diag.Diagnostics) {
	var m model
	d.Append(src.Get(ctx, &m)...)
	if d.HasError() {
		return
	}
	r.evaluate(ctx, &m, enforce, d)
	if d.HasError() {
		return
	}
	d.Append(state.Set(ctx, &m)...)
}

func (r *controlResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.evaluateFrom(ctx, req.Plan, &resp.State, true, &resp.Diagnostics)
}

// Read re-evaluates the control (never enforcing) and appends the evidence record.
func (r *controlResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.evaluateFrom(ctx, req.State, &resp.State, false, &resp.Diagnostics)
}

func (r *controlResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m, prior model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Namespaces leaving the scope of an enforced control get back what it set there.
	if prior.Enforcement.ValueString() == "enforce" {
		before := r.scoped(ctx, prior, &resp.Diagnostics)
		after := r.scoped(ctx, m, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		var gone []string
		for _, n := range before {
			if !slices.Contains(after, n) {
				gone = append(gone, n)
			}
		}
		r.release(ctx, prior, gone, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	r.evaluateFrom(ctx, req.Plan, &resp.State, true, &resp.Diagnostics)
}

// Delete releases what enforce mode set and keeps the evidence history.
func (r *controlResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m model
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Enforcement.ValueString() != "enforce" {
		return
	}
	r.release(ctx, m, r.scoped(ctx, m, &resp.Diagnostics), &resp.Diagnostics)
}

// scoped lists the namespaces a model's scope selects now.
func (r *controlResource) scoped(ctx context.Context, m model, d *diag.Diagnostics) []string {
	c, set, _, ok := m.settings(ctx, d)
	if !ok {
		return nil
	}
	rd := r.reader(ctx, d)
	if rd == nil {
		return nil
	}
	snap, err := rd.Snapshot(ctx, set.Scope, []string{PodSecurityRestricted})
	if err != nil {
		d.AddError("Cannot read the scope of "+c.Framework+" "+c.ID, err.Error())
		return nil
	}
	return snap.Scoped
}

func (r *controlResource) release(ctx context.Context, m model, namespaces []string, d *diag.Diagnostics) {
	c, ok := Lookup(m.Framework.ValueString(), m.ControlID.ValueString())
	if !ok || len(namespaces) == 0 {
		return
	}
	k := tfvalue.Kube(ctx, r.Backends, typeName, d)
	if k == nil {
		return
	}
	if err := Release(ctx, k, c, namespaces); err != nil {
		d.AddError("Cannot release what "+c.Framework+" "+c.ID+" enforced", err.Error())
	}
}

// ImportState imports <framework>/<control_id> with the settings kept beside its evidence.
func (r *controlResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	framework, id, found := strings.Cut(req.ID, "/")
	if !found {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("the import ID of %s is <framework>/<control_id>, such as soc2/CC6.1; got %q", typeName, req.ID))
		return
	}
	c, ok := validateControl(types.StringValue(framework), types.StringValue(id), &resp.Diagnostics)
	if !ok {
		return
	}
	k := tfvalue.Kube(ctx, r.Backends, typeName, &resp.Diagnostics)
	if k == nil {
		return
	}
	set, err := ReadSettings(ctx, k, r.Backends.Config.Namespace, c)
	if err != nil {
		resp.Diagnostics.AddError("Cannot import "+req.ID, err.Error())
		return
	}
	if set == nil {
		resp.Diagnostics.AddError("Cannot import "+req.ID, fmt.Sprintf("there is no evidence ConfigMap %s/%s recording this control's settings: it was never applied with this provider's namespace (OCTOLLM_NAMESPACE); create the resource instead",
			r.Backends.Config.Namespace, EvidenceName(c)))
		return
	}
	m := model{Framework: types.StringValue(c.Framework), ControlID: types.StringValue(c.ID), Enforcement: types.StringValue(set.Enforcement),
		Parameters: types.MapNull(types.StringType), Scope: &scopeModel{AllTenants: types.BoolValue(set.Scope.AllTenants), Namespaces: types.SetNull(types.StringType)}}
	if len(set.Parameters) > 0 {
		p, diags := types.MapValueFrom(ctx, types.StringType, set.Parameters)
		resp.Diagnostics.Append(diags...)
		m.Parameters = p
	}
	if len(set.Scope.Namespaces) > 0 {
		m.Scope.Namespaces = stringSet(set.Scope.Namespaces)
	}
	r.evaluate(ctx, &m, false, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func stringSet(items []string) types.Set {
	vals := make([]attr.Value, len(items))
	for i, s := range items {
		vals[i] = types.StringValue(s)
	}
	return types.SetValueMust(types.StringType, vals)
}
