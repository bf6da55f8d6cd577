package autoscaling

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
	"github.com/octollm/terraform-provider-octollm/internal/validate"
)

var (
	_ resource.ResourceWithConfigure        = (*autoscalingResource)(nil)
	_ resource.ResourceWithImportState      = (*autoscalingResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*autoscalingResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*autoscalingResource)(nil)
	_ resource.ResourceWithConfigValidators = (*autoscalingResource)(nil)
)

var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,55}[a-z0-9])?$`)

// NewResource returns the octollm_autoscaling resource.
func NewResource() resource.Resource { return &autoscalingResource{} }

type autoscalingResource struct {
	tfvalue.ResourceBackends
}

type model struct {
	ID                types.String     `tfsdk:"id"`
	Namespace         types.String     `tfsdk:"namespace"`
	MinReplicas       types.Int64      `tfsdk:"min_replicas"`
	MaxReplicas       types.Int64      `tfsdk:"max_replicas"`
	CPUUtilization    types.Int64      `tfsdk:"cpu_utilization"`
	MemoryUtilization types.Int64      `tfsdk:"memory_utilization"`
	HPAName           types.String     `tfsdk:"hpa_name"`
	VPAName           types.String     `tfsdk:"vpa_name"`
	PDBName           types.String     `tfsdk:"pdb_name"`
	Target            *targetModel     `tfsdk:"target"`
	Metrics           []metricModel    `tfsdk:"metric"`
	ScaleUp           *behaviorModel   `tfsdk:"scale_up"`
	ScaleDown         *behaviorModel   `tfsdk:"scale_down"`
	Vertical          *verticalModel   `tfsdk:"vertical"`
	DisruptionBudget  *disruptionModel `tfsdk:"disruption_budget"`
}

type targetModel struct {
	Kind types.String `tfsdk:"kind"`
	Name types.String `tfsdk:"name"`
}

type metricModel struct {
	Type             types.String `tfsdk:"type"`
	Name             types.String `tfsdk:"name"`
	AverageValue     types.String `tfsdk:"average_value"`
	Value            types.String `tfsdk:"value"`
	Selector         types.Map    `tfsdk:"selector"`
	ObjectKind       types.String `tfsdk:"object_kind"`
	ObjectName       types.String `tfsdk:"object_name"`
	ObjectAPIVersion types.String `tfsdk:"object_api_version"`
}

type behaviorModel struct {
	StabilizationWindowSeconds types.Int64   `tfsdk:"stabilization_window_seconds"`
	SelectPolicy               types.String  `tfsdk:"select_policy"`
	Policies                   []policyModel `tfsdk:"policy"`
}

type policyModel struct {
	Type          types.String `tfsdk:"type"`
	Value         types.Int64  `tfsdk:"value"`
	PeriodSeconds types.Int64  `tfsdk:"period_seconds"`
}

type verticalModel struct {
	UpdateMode          types.String `tfsdk:"update_mode"`
	Container           types.String `tfsdk:"container"`
	MinAllowed          types.Map    `tfsdk:"min_allowed"`
	MaxAllowed          types.Map    `tfsdk:"max_allowed"`
	ControlledResources types.List   `tfsdk:"controlled_resources"`
}

type disruptionModel struct {
	MinAvailable   types.String `tfsdk:"min_available"`
	MaxUnavailable types.String `tfsdk:"max_unavailable"`
	Selector       types.Map    `tfsdk:"selector"`
}

func (r *autoscalingResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_autoscaling"
}

func (r *autoscalingResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema()
}

// ConfigValidators are the rules between attributes: the target's name, and one bound of the
// disruption budget.
func (r *autoscalingResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	target, budget := path.Root("target"), path.Root("disruption_budget")
	minAvailable, maxUnavailable := budget.AtName("min_available"), budget.AtName("max_unavailable")
	return []resource.ConfigValidator{
		validate.Refuse{Set: []path.Path{target}, Unset: []path.Path{target.AtName("name")}, At: target.AtName("name"),
			Summary: "Missing target.name", Detail: "Set target.name to the Deployment or StatefulSet to scale."},
		validate.Refuse{Set: []path.Path{budget}, Unset: []path.Path{minAvailable, maxUnavailable}, At: budget,
			Summary: "Empty disruption_budget", Detail: "Set min_available or max_unavailable (a count such as 2, or a percentage such as \"50%\")."},
		validate.Refuse{Set: []path.Path{minAvailable, maxUnavailable}, At: maxUnavailable,
			Summary: "Both min_available and max_unavailable", Detail: "A PodDisruptionBudget takes one of them: remove min_available or max_unavailable."},
	}
}

// ValidateConfig enforces the rules that compare values, before anything reaches the cluster.
func (r *autoscalingResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m model
	if !tfvalue.ConfigGet(ctx, req.Config, &m, &resp.Diagnostics) {
		return
	}
	d := &resp.Diagnostics
	if tfvalue.Known(m.MinReplicas) && tfvalue.Known(m.MaxReplicas) && m.MinReplicas.ValueInt64() > m.MaxReplicas.ValueInt64() {
		d.AddAttributeError(path.Root("min_replicas"), "min_replicas exceeds max_replicas",
			fmt.Sprintf("min_replicas (%d) is greater than max_replicas (%d): lower min_replicas or raise max_replicas.", m.MinReplicas.ValueInt64(), m.MaxReplicas.ValueInt64()))
	}
	if m.CPUUtilization.IsNull() && m.MemoryUtilization.IsNull() && len(m.Metrics) == 0 {
		d.AddAttributeError(path.Root("cpu_utilization"), "No metric to scale on",
			"The HPA needs at least one metric: set cpu_utilization, memory_utilization, or a metric block.")
	}
	for i, mm := range m.Metrics {
		p := path.Root("metric").AtListIndex(i)
		typ := mm.Type.ValueString()
		if mm.AverageValue.IsNull() && mm.Value.IsNull() {
			d.AddAttributeError(p.AtName("average_value"), "Missing metric target", "Set average_value (per pod) or value (total) for metric "+mm.Name.ValueString()+".")
		}
		if typ == "Pods" && !mm.Value.IsNull() {
			d.AddAttributeError(p.AtName("value"), "Pods metrics take average_value", "A Pods metric is averaged over the pods: use average_value instead of value.")
		}
		if typ == "Object" && (mm.ObjectKind.IsNull() || mm.ObjectName.IsNull() || mm.ObjectAPIVersion.IsNull()) {
			d.AddAttributeError(p.AtName("object_kind"), "Object metric needs its object",
				"An Object metric describes one object: set object_kind, object_name and object_api_version.")
		}
		if typ != "Object" && (!mm.ObjectKind.IsNull() || !mm.ObjectName.IsNull() || !mm.ObjectAPIVersion.IsNull()) {
			d.AddAttributeError(p.AtName("object_kind"), "object_* is only for Object metrics", "Remove object_kind, object_name and object_api_version, or set type = \"Object\".")
		}
	}
	if v := m.Vertical; v != nil {
		minAllowed, maxAllowed := tfvalue.StringMap(ctx, v.MinAllowed, d), tfvalue.StringMap(ctx, v.MaxAllowed, d)
		for _, res := range validate.QuantitiesAbove(minAllowed, maxAllowed) {
			d.AddAttributeError(path.Root("vertical").AtName("min_allowed"), "vertical.min_allowed exceeds max_allowed",
				fmt.Sprintf("min_allowed.%s (%s) is more than max_allowed.%s (%s): lower the minimum or raise the maximum.", res, minAllowed[res], res, maxAllowed[res]))
		}
		mode := v.UpdateMode.ValueString()
		if mode == "Auto" || mode == "Recreate" || mode == "InPlaceOrRecreate" {
			controlled := []string{"cpu", "memory"}
			if tfvalue.Known(v.ControlledResources) {
				controlled = nil
				d.Append(v.ControlledResources.ElementsAs(ctx, &controlled, false)...)
			}
			for _, res := range controlled {
				if (res == "cpu" && !m.CPUUtilization.IsNull()) || (res == "memory" && !m.MemoryUtilization.IsNull()) {
					d.AddAttributeError(path.Root("vertical").AtName("update_mode"), "VPA and HPA would fight over "+res,
						fmt.Sprintf("A VPA in %s mode that controls %s, while the HPA scales on %s utilization, is the documented HPA/VPA conflict: "+
							"set vertical.update_mode to \"Off\" or \"Initial\", leave %s out of controlled_resources, or scale the HPA on custom metrics instead of %s_utilization.", mode, res, res, res, res))
					break
				}
			}
		}
	}
}

// ModifyPlan fills the provider's default namespace and keeps quantities the user wrote
// differently but that mean the same ("1000m" and "1") from showing as changes. It warns about
// Pods and Object metrics the cluster's custom.metrics.k8s.io does not serve.
func (r *autoscalingResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, config model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var state *model
	if !req.State.Raw.IsNull() {
		state = &model{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if r.Backends != nil {
		tfvalue.DefaultNamespace(ctx, config.Namespace, r.Backends.Config.Namespace, &plan.Namespace, req.State, resp)
	}
	if plan.Target != nil && tfvalue.Known(plan.Target.Name) {
		name := plan.Target.Name.ValueString()
		plan.ID = types.StringValue(plan.Namespace.ValueString() + "/" + name)
		names := Spec{TargetName: name}
		plan.HPAName = types.StringValue(names.HPAName())
		plan.VPAName, plan.PDBName = types.StringNull(), types.StringNull()
		if plan.Vertical != nil {
			plan.VPAName = types.StringValue(names.VPAName())
		}
		if plan.DisruptionBudget != nil {
			plan.PDBName = types.StringValue(names.PDBName())
		}
	}
	if state != nil {
		for i := range plan.Metrics {
			if i < len(state.Metrics) {
				plan.Metrics[i].AverageValue = sameQuantityOr(plan.Metrics[i].AverageValue, state.Metrics[i].AverageValue)
				plan.Metrics[i].Value = sameQuantityOr(plan.Metrics[i].Value, state.Metrics[i].Value)
			}
		}
		if plan.Vertical != nil && state.Vertical != nil {
			plan.Vertical.MinAllowed = sameQuantitiesOr(ctx, plan.Vertical.MinAllowed, state.Vertical.MinAllowed)
			plan.Vertical.MaxAllowed = sameQuantitiesOr(ctx, plan.Vertical.MaxAllowed, state.Vertical.MaxAllowed)
		}
	}
	r.warnUnservedMetrics(ctx, plan.Metrics, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// sameQuantityOr returns prior when it is the same quantity as v, else v.
func sameQuantityOr(v, prior types.String) types.String {
	if tfvalue.Known(v) && tfvalue.Known(prior) && SameQuantity(v.ValueString(), prior.ValueString()) {
		return prior
	}
	return v
}

func sameQuantitiesOr(ctx context.Context, v, prior types.Map) types.Map {
	if !tfvalue.Known(v) || !tfvalue.Known(prior) {
		return v
	}
	var d diag.Diagnostics
	a, b := tfvalue.StringMap(ctx, v, &d), tfvalue.StringMap(ctx, prior, &d)
	if len(a) != len(b) {
		return v
	}
	for k, q := range a {
		if p, ok := b[k]; !ok || !SameQuantity(q, p) {
			return v
		}
	}
	return prior
}

func (r *autoscalingResource) kube(ctx context.Context, d *diag.Diagnostics) *clients.Kube {
	return tfvalue.Kube(ctx, r.Backends, "octollm_autoscaling", d)
}

// specOf turns a planned model into a Spec.
func specOf(ctx context.Context, m model, d *diag.Diagnostics) Spec {
	s := Spec{
		Namespace:   m.Namespace.ValueString(),
		TargetKind:  m.Target.Kind.ValueString(),
		TargetName:  m.Target.Name.ValueString(),
		MinReplicas: m.MinReplicas.ValueInt64(),
		MaxReplicas: m.MaxReplicas.ValueInt64(),
	}
	if tfvalue.Known(m.CPUUtilization) {
		s.CPUUtilization = m.CPUUtilization.ValueInt64()
	}
	if tfvalue.Known(m.MemoryUtilization) {
		s.MemoryUtilization = m.MemoryUtilization.ValueInt64()
	}
	for _, mm := range m.Metrics {
		s.Metrics = append(s.Metrics, Metric{
			Type: mm.Type.ValueString(), Name: mm.Name.ValueString(),
			AverageValue: mm.AverageValue.ValueString(), Value: mm.Value.ValueString(),
			Selector:   tfvalue.StringMap(ctx, mm.Selector, d),
			ObjectKind: mm.ObjectKind.ValueString(), ObjectName: mm.ObjectName.ValueString(), ObjectAPI: mm.ObjectAPIVersion.ValueString(),
		})
	}
	s.ScaleUp, s.ScaleDown = behaviorSpec(m.ScaleUp), behaviorSpec(m.ScaleDown)
	if v := m.Vertical; v != nil {
		s.Vertical = &Vertical{
			UpdateMode: v.UpdateMode.ValueString(), Container: v.Container.ValueString(),
			MinAllowed: tfvalue.StringMap(ctx, v.MinAllowed, d), MaxAllowed: tfvalue.StringMap(ctx, v.MaxAllowed, d),
			ControlledResources: []string{"cpu", "memory"},
		}
		if tfvalue.Known(v.ControlledResources) {
			s.Vertical.ControlledResources = nil
			d.Append(v.ControlledResources.ElementsAs(ctx, &s.Vertical.ControlledResources, false)...)
		}
	}
	if b := m.DisruptionBudget; b != nil {
		s.Disruption = &DisruptionBudget{MinAvailable: b.MinAvailable.ValueString(), MaxUnavailable: b.MaxUnavailable.ValueString(), Selector: tfvalue.StringMap(ctx, b.Selector, d)}
	}
	return s
}

func behaviorSpec(b *behaviorModel) *Behavior {
	if b == nil {
		return nil
	}
	out := &Behavior{SelectPolicy: b.SelectPolicy.ValueString()}
	if tfvalue.Known(b.StabilizationWindowSeconds) {
		w := b.StabilizationWindowSeconds.ValueInt64()
		out.StabilizationWindowSeconds = &w
	}
	if !tfvalue.Known(b.SelectPolicy) {
		out.SelectPolicy = ""
	}
	for _, p := range b.Policies {
		out.Policies = append(out.Policies, Policy{Type: p.Type.ValueString(), Value: p.Value.ValueInt64(), PeriodSeconds: p.PeriodSeconds.ValueInt64()})
	}
	return out
}

// apply writes the three objects, deleting the optional ones the spec no longer has.
func (r *autoscalingResource) apply(ctx context.Context, k *clients.Kube, s Spec, creating bool, d *diag.Diagnostics) {
	type object struct {
		gvr  schema.GroupVersionResource
		name string
		obj  *unstructured.Unstructured
		kind string
	}
	objects := []object{{HPAResource, s.HPAName(), s.HPA(), "HorizontalPodAutoscaler"}, {VPAResource, s.VPAName(), s.VPA(), "VerticalPodAutoscaler"}, {PDBResource, s.PDBName(), s.PDB(), "PodDisruptionBudget"}}
	if s.Vertical != nil {
		ok, err := k.HasAPI(ctx, "autoscaling.k8s.io/v1", "verticalpodautoscalers")
		if err != nil {
			d.AddError("Cannot check for the VerticalPodAutoscaler API", err.Error())
			return
		}
		if !ok {
			d.AddAttributeError(path.Root("vertical"), "Vertical pod autoscaling is not enabled",
				"The cluster serves no VerticalPodAutoscaler API (autoscaling.k8s.io/v1). Enable vertical pod autoscaling "+
					"(GKE: gcloud container clusters update CLUSTER --enable-vertical-pod-autoscaling) or remove the vertical block.")
			return
		}
	}
	if creating {
		for _, o := range objects {
			if o.obj == nil {
				continue
			}
			live, err := k.Get(ctx, o.gvr, s.Namespace, o.name)
			if err != nil {
				d.AddError("Cannot read "+o.kind+" "+o.name, err.Error())
				return
			}
			if live != nil && !clients.OwnedBy(live) {
				d.AddError(o.kind+" "+s.Namespace+"/"+o.name+" already exists",
					fmt.Sprintf("It is not managed by terraform-provider-octollm (no %s=%s label), so it is not taken over: import it with "+
						"`terraform import octollm_autoscaling.<name> %s/%s`, or delete it.", contract.ManagedByLabel, contract.ManagedByValue, s.Namespace, s.TargetName))
				return
			}
		}
	}
	for _, o := range objects {
		if o.obj == nil {
			if !creating {
				if err := k.Delete(ctx, o.gvr, s.Namespace, o.name); err != nil {
					d.AddError("Cannot delete "+o.kind+" "+o.name, err.Error())
					return
				}
			}
			continue
		}
		if _, err := k.Apply(ctx, o.gvr, o.obj); err != nil {
			d.AddError("Cannot apply "+o.kind+" "+o.name, err.Error())
			return
		}
	}
	r.warnIfTargetMissing(ctx, k, s, d)
}

// warnIfTargetMissing warns, not fails: an HPA is valid before its workload exists.
func (r *autoscalingResource) warnIfTargetMissing(ctx context.Context, k *clients.Kube, s Spec, d *diag.Diagnostics) {
	gvr := schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: strings.ToLower(s.TargetKind) + "s"}
	live, err := k.Get(ctx, gvr, s.Namespace, s.TargetName)
	if err == nil && live == nil {
		d.AddAttributeWarning(path.Root("target").AtName("name"), "Target workload not found",
			fmt.Sprintf("%s %s/%s does not exist yet. The autoscalers are created and take effect once it does; check target.kind and target.name if it should exist already.", s.TargetKind, s.Namespace, s.TargetName))
	}
}

func (r *autoscalingResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	s := specOf(ctx, plan, &resp.Diagnostics)
	r.apply(ctx, k, s, true, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.readInto(ctx, k, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *autoscalingResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	r.apply(ctx, k, specOf(ctx, plan, &resp.Diagnostics), false, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.readInto(ctx, k, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *autoscalingResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	hpa, err := k.Get(ctx, HPAResource, state.Namespace.ValueString(), Spec{TargetName: state.Target.Name.ValueString()}.HPAName())
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the HorizontalPodAutoscaler", err.Error())
		return
	}
	if hpa == nil {
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(r.readInto(ctx, k, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// readInto reads the live objects into m, keeping m's spelling of equal quantities.
func (r *autoscalingResource) readInto(ctx context.Context, k *clients.Kube, m *model) diag.Diagnostics {
	var d diag.Diagnostics
	ns, target := m.Namespace.ValueString(), m.Target.Name.ValueString()
	names := Spec{TargetName: target}
	hpa, err := k.Get(ctx, HPAResource, ns, names.HPAName())
	if err != nil || hpa == nil {
		d.AddError("Cannot read the HorizontalPodAutoscaler", fmt.Sprintf("%s/%s: %v", ns, names.HPAName(), err))
		return d
	}
	var vpa *unstructured.Unstructured
	if ok, err := k.HasAPI(ctx, "autoscaling.k8s.io/v1", "verticalpodautoscalers"); err == nil && ok {
		if vpa, err = k.Get(ctx, VPAResource, ns, names.VPAName()); err != nil {
			d.AddError("Cannot read the VerticalPodAutoscaler", err.Error())
			return d
		}
	}
	pdb, err := k.Get(ctx, PDBResource, ns, names.PDBName())
	if err != nil {
		d.AddError("Cannot read the PodDisruptionBudget", err.Error())
		return d
	}
	s, err := SpecFromObjects(hpa, vpa, pdb)
	if err != nil {
		d.AddError("Cannot read the autoscalers", err.Error())
		return d
	}
	d.Append(toModel(ctx, s, m)...)
	return d
}

// toModel writes a live Spec into m, which holds the prior values: equal quantities keep their
// prior spelling, and blocks the prior left out stay out while the server holds only defaults.
func toModel(ctx context.Context, s Spec, m *model) diag.Diagnostics {
	var d diag.Diagnostics
	prior := *m
	m.ID = types.StringValue(s.Namespace + "/" + s.TargetName)
	m.Namespace = types.StringValue(s.Namespace)
	m.Target = &targetModel{Kind: types.StringValue(s.TargetKind), Name: types.StringValue(s.TargetName)}
	m.MinReplicas = types.Int64Value(s.MinReplicas)
	m.MaxReplicas = types.Int64Value(s.MaxReplicas)
	m.CPUUtilization, m.MemoryUtilization = types.Int64Null(), types.Int64Null()
	if s.CPUUtilization > 0 {
		m.CPUUtilization = types.Int64Value(s.CPUUtilization)
	}
	if s.MemoryUtilization > 0 {
		m.MemoryUtilization = types.Int64Value(s.MemoryUtilization)
	}
	m.HPAName = types.StringValue(s.HPAName())
	m.Metrics = nil
	for i, mm := range s.Metrics {
		out := metricModel{
			Type: types.StringValue(mm.Type), Name: types.StringValue(mm.Name),
			AverageValue: tfvalue.OptString(mm.AverageValue), Value: tfvalue.OptString(mm.Value),
			Selector:   optMap(ctx, mm.Selector, &d),
			ObjectKind: tfvalue.OptString(mm.ObjectKind), ObjectName: tfvalue.OptString(mm.ObjectName), ObjectAPIVersion: tfvalue.OptString(mm.ObjectAPI),
		}
		if i < len(prior.Metrics) {
			out.AverageValue = sameQuantityOr(out.AverageValue, prior.Metrics[i].AverageValue)
			out.Value = sameQuantityOr(out.Value, prior.Metrics[i].Value)
			if prior.Metrics[i].Selector.IsNull() && len(mm.Selector) == 0 {
				out.Selector = types.MapNull(types.StringType)
			}
		}
		m.Metrics = append(m.Metrics, out)
	}
	m.ScaleUp = behaviorModelOf(s.ScaleUp, prior.ScaleUp)
	m.ScaleDown = behaviorModelOf(s.ScaleDown, prior.ScaleDown)
	m.Vertical, m.VPAName = nil, types.StringNull()
	if v := s.Vertical; v != nil {
		vm := &verticalModel{UpdateMode: types.StringValue(v.UpdateMode), Container: types.StringValue(v.Container)}
		vm.MinAllowed, vm.MaxAllowed = optMap(ctx, v.MinAllowed, &d), optMap(ctx, v.MaxAllowed, &d)
		controlled, dd := types.ListValueFrom(ctx, types.StringType, v.ControlledResources)
		d.Append(dd...)
		vm.ControlledResources = controlled
		if p := prior.Vertical; p != nil {
			vm.MinAllowed = sameQuantitiesOr(ctx, vm.MinAllowed, p.MinAllowed)
			vm.MaxAllowed = sameQuantitiesOr(ctx, vm.MaxAllowed, p.MaxAllowed)
			if p.ControlledResources.IsNull() && slices.Equal(v.ControlledResources, []string{"cpu", "memory"}) {
				vm.ControlledResources = types.ListNull(types.StringType)
			}
		}
		m.Vertical, m.VPAName = vm, types.StringValue(s.VPAName())
	}
	m.DisruptionBudget, m.PDBName = nil, types.StringNull()
	if b := s.Disruption; b != nil {
		dm := &disruptionModel{MinAvailable: tfvalue.OptString(b.MinAvailable), MaxUnavailable: tfvalue.OptString(b.MaxUnavailable), Selector: optMap(ctx, b.Selector, &d)}
		defaultSelector := len(b.Selector) == 1 && b.Selector["app"] == s.TargetName
		if (prior.DisruptionBudget == nil || prior.DisruptionBudget.Selector.IsNull()) && defaultSelector {
			dm.Selector = types.MapNull(types.StringType)
		}
		m.DisruptionBudget, m.PDBName = dm, types.StringValue(s.PDBName())
	}
	return d
}

func behaviorModelOf(b *Behavior, prior *behaviorModel) *behaviorModel {
	if b == nil || prior == nil {
		// The apiserver fills default rules; only a configured block is tracked.
		return nil
	}
	out := &behaviorModel{SelectPolicy: tfvalue.OptString(b.SelectPolicy), StabilizationWindowSeconds: types.Int64Null()}
	if b.StabilizationWindowSeconds != nil {
		out.StabilizationWindowSeconds = types.Int64Value(*b.StabilizationWindowSeconds)
	}
	for _, p := range b.Policies {
		out.Policies = append(out.Policies, policyModel{Type: types.StringValue(p.Type), Value: types.Int64Value(p.Value), PeriodSeconds: types.Int64Value(p.PeriodSeconds)})
	}
	return out
}

func optMap(ctx context.Context, m map[string]string, d *diag.Diagnostics) types.Map {
	if len(m) == 0 {
		return types.MapNull(types.StringType)
	}
	v, dd := types.MapValueFrom(ctx, types.StringType, m)
	d.Append(dd...)
	return v
}

func (r *autoscalingResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	ns, names := state.Namespace.ValueString(), Spec{TargetName: state.Target.Name.ValueString()}
	for _, o := range []struct {
		gvr  schema.GroupVersionResource
		name string
		skip bool
	}{{PDBResource, names.PDBName(), false}, {VPAResource, names.VPAName(), state.Vertical == nil}, {HPAResource, names.HPAName(), false}} {
		if o.skip {
			continue
		}
		if err := k.Delete(ctx, o.gvr, ns, o.name); err != nil {
			resp.Diagnostics.AddError("Cannot delete "+o.name, err.Error())
			return
		}
	}
}

func (r *autoscalingResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ns, target, ok := strings.Cut(req.ID, "/")
	if !ok || ns == "" || target == "" || strings.Contains(target, "/") {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("import ID %q is not namespace/target-name: use, for example, octollm/orchestrator for the autoscalers of Deployment orchestrator in namespace octollm.", req.ID))
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	m := model{Namespace: types.StringValue(ns), Target: &targetModel{Name: types.StringValue(target)}}
	hpa, err := k.Get(ctx, HPAResource, ns, Spec{TargetName: target}.HPAName())
	if err != nil {
		resp.Diagnostics.AddError("Cannot import "+req.ID, err.Error())
		return
	}
	if hpa == nil {
		resp.Diagnostics.AddError("Cannot import "+req.ID, fmt.Sprintf("HorizontalPodAutoscaler %s/%s does not exist: check the namespace and the target's name.", ns, Spec{TargetName: target}.HPAName()))
		return
	}
	// An import tracks the behaviour blocks the HPA carries.
	m.ScaleUp, m.ScaleDown = &behaviorModel{}, &behaviorModel{}
	resp.Diagnostics.Append(r.readInto(ctx, k, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
