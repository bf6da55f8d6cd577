package nodepool

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cloud.google.com/go/container/apiv1/containerpb"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/machinetypes"
	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
	"github.com/octollm/terraform-provider-octollm/internal/validate"
)

var (
	_ resource.ResourceWithConfigure        = (*nodePoolResource)(nil)
	_ resource.ResourceWithImportState      = (*nodePoolResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*nodePoolResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*nodePoolResource)(nil)
	_ resource.ResourceWithConfigValidators = (*nodePoolResource)(nil)
)

// NewResource returns the octollm_node_pool resource.
func NewResource() resource.Resource { return &nodePoolResource{} }

type nodePoolResource struct {
	tfvalue.ResourceBackends
}

type model struct {
	ID                types.String          `tfsdk:"id"`
	Name              types.String          `tfsdk:"name"`
	Project           types.String          `tfsdk:"project"`
	Location          types.String          `tfsdk:"location"`
	Cluster           types.String          `tfsdk:"cluster"`
	WorkloadType      types.String          `tfsdk:"workload_type"`
	CPU               types.Int64           `tfsdk:"cpu"`
	MemoryGB          types.Float64         `tfsdk:"memory_gb"`
	MachineFamily     types.String          `tfsdk:"machine_family"`
	MachineType       types.String          `tfsdk:"machine_type"`
	ImageType         types.String          `tfsdk:"image_type"`
	Spot              types.Bool            `tfsdk:"spot"`
	InitialNodeCount  types.Int64           `tfsdk:"initial_node_count"`
	DiskSizeGB        types.Int64           `tfsdk:"disk_size_gb"`
	DiskType          types.String          `tfsdk:"disk_type"`
	Labels            types.Map             `tfsdk:"labels"`
	NodeLocations     types.List            `tfsdk:"node_locations"`
	Status            types.String          `tfsdk:"status"`
	Version           types.String          `tfsdk:"version"`
	InstanceGroupURLs types.List            `tfsdk:"instance_group_urls"`
	Autoscaling       *autoscalingModel     `tfsdk:"autoscaling"`
	Taints            []taintModel          `tfsdk:"taint"`
	Management        *managementModel      `tfsdk:"management"`
	UpgradeSettings   *upgradeSettingsModel `tfsdk:"upgrade_settings"`
	SandboxConfig     *sandboxConfigModel   `tfsdk:"sandbox_config"`
	Timeouts          timeouts.Value        `tfsdk:"timeouts"`
}

type autoscalingModel struct {
	MinNodeCount   types.Int64  `tfsdk:"min_node_count"`
	MaxNodeCount   types.Int64  `tfsdk:"max_node_count"`
	LocationPolicy types.String `tfsdk:"location_policy"`
}

type taintModel struct {
	Key    types.String `tfsdk:"key"`
	Value  types.String `tfsdk:"value"`
	Effect types.String `tfsdk:"effect"`
}

type managementModel struct {
	AutoRepair  types.Bool `tfsdk:"auto_repair"`
	AutoUpgrade types.Bool `tfsdk:"auto_upgrade"`
}

type sandboxConfigModel struct {
	SandboxType types.String `tfsdk:"sandbox_type"`
}

type upgradeSettingsModel struct {
	MaxSurge       types.Int64 `tfsdk:"max_surge"`
	MaxUnavailable types.Int64 `tfsdk:"max_unavailable"`
}

const defaultTimeout = 30 * time.Minute

func (r *nodePoolResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_node_pool"
}

func (r *nodePoolResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

// ConfigValidators are the rules between attributes: which of machine_type, cpu and memory_gb
// go together, and what the autoscaling and sandbox_config blocks need.
func (r *nodePoolResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	machineType, cpu, memory := path.Root("machine_type"), path.Root("cpu"), path.Root("memory_gb")
	autoscaling, sandbox := path.Root("autoscaling"), path.Root("sandbox_config")
	bothCounts := "The autoscaling block needs min_node_count and max_node_count: set both, or remove the block for a fixed size."
	return []resource.ConfigValidator{
		validate.Refuse{Set: []path.Path{machineType}, AnySet: []path.Path{cpu, memory}, At: machineType,
			Summary: "machine_type conflicts with cpu and memory_gb",
			Detail:  "Set either machine_type, or cpu and memory_gb (the machine type is then chosen for you), not both."},
		validate.Refuse{Unset: []path.Path{machineType, cpu, memory}, At: cpu,
			Summary: "Missing node size", Detail: "Set cpu and memory_gb (vCPUs and GB per node), or machine_type."},
		validate.Refuse{Set: []path.Path{memory}, Unset: []path.Path{machineType, cpu}, At: cpu,
			Summary: "Missing cpu", Detail: "memory_gb is set without cpu: set cpu, the vCPUs per node, too."},
		validate.Refuse{Set: []path.Path{cpu}, Unset: []path.Path{machineType, memory}, At: memory,
			Summary: "Missing memory_gb", Detail: "cpu is set without memory_gb: set memory_gb, the GB per node, too."},
		validate.Refuse{Set: []path.Path{autoscaling}, Unset: []path.Path{autoscaling.AtName("min_node_count")}, At: autoscaling.AtName("min_node_count"),
			Summary: "Missing autoscaling.min_node_count", Detail: bothCounts},
		validate.Refuse{Set: []path.Path{autoscaling}, Unset: []path.Path{autoscaling.AtName("max_node_count")}, At: autoscaling.AtName("max_node_count"),
			Summary: "Missing autoscaling.max_node_count", Detail: bothCounts},
		validate.Refuse{Set: []path.Path{sandbox}, Unset: []path.Path{sandbox.AtName("sandbox_type")}, At: sandbox.AtName("sandbox_type"),
			Summary: "Missing sandbox_config.sandbox_type",
			Detail:  `The sandbox_config block needs sandbox_type = "gvisor" for a GKE Sandbox pool; remove the block for a pool without GKE Sandbox.`},
	}
}

// ValidateConfig checks the rules that compare values: a machine fits cpu and memory_gb, an
// upgrade can progress, GKE Sandbox's image, the autoscaling bounds.
func (r *nodePoolResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m model
	if !tfvalue.ConfigGet(ctx, req.Config, &m, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(validateShape(m)...)
	if u := m.UpgradeSettings; u != nil && tfvalue.Known(u.MaxSurge) && tfvalue.Known(u.MaxUnavailable) && u.MaxSurge.ValueInt64() == 0 && u.MaxUnavailable.ValueInt64() == 0 {
		resp.Diagnostics.AddAttributeError(path.Root("upgrade_settings").AtName("max_surge"), "upgrade_settings cannot both be 0",
			"With max_surge = 0 and max_unavailable = 0 an upgrade could never replace a node: set max_surge (extra nodes) or max_unavailable to at least 1.")
	}
	if m.SandboxConfig != nil && tfvalue.Known(m.ImageType) && m.ImageType.ValueString() != ImageCOSContainerd {
		resp.Diagnostics.AddAttributeError(path.Root("image_type"), "GKE Sandbox needs image_type COS_CONTAINERD",
			fmt.Sprintf("image_type is %q, but GKE Sandbox (sandbox_config) runs only on Container-Optimized OS: set image_type = %q (the default), or remove sandbox_config.",
				m.ImageType.ValueString(), ImageCOSContainerd))
	}
	if a := m.Autoscaling; a != nil && tfvalue.Known(a.MinNodeCount) && tfvalue.Known(a.MaxNodeCount) && a.MinNodeCount.ValueInt64() > a.MaxNodeCount.ValueInt64() {
		resp.Diagnostics.AddAttributeError(path.Root("autoscaling").AtName("min_node_count"), "autoscaling.min_node_count exceeds max_node_count",
			fmt.Sprintf("min_node_count (%d) is greater than max_node_count (%d): lower min_node_count or raise max_node_count.",
				a.MinNodeCount.ValueInt64(), a.MaxNodeCount.ValueInt64()))
	}
}

// validateShape checks that some machine fits cpu and memory_gb (ConfigValidators say which of
// machine_type, cpu and memory_gb go together).
func validateShape(m model) diag.Diagnostics {
	var diags diag.Diagnostics
	if !m.MachineType.IsNull() {
		return diags
	}
	if tfvalue.Known(m.CPU) && tfvalue.Known(m.MemoryGB) && !m.MachineFamily.IsUnknown() {
		family := m.MachineFamily.ValueString()
		if _, err := machinetypes.MachineTypeFor(m.CPU.ValueInt64(), m.MemoryGB.ValueFloat64(), family); err != nil {
			attr := path.Root("cpu")
			var se *machinetypes.ShapeError
			if errors.As(err, &se) && len(se.Attributes) == 1 && se.Attributes[0] == "memory_gb" {
				attr = path.Root("memory_gb")
			}
			diags.AddAttributeError(attr, "No machine fits cpu and memory_gb", err.Error())
		}
	}
	return diags
}

// ModifyPlan fills what the plan can know: the provider's default cluster, the machine type
// chosen from cpu and memory, and the spot-dependent location policy; and replaces the pool
// when its cluster changes.
func (r *nodePoolResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
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
		def := r.Backends.Config.GKE
		for _, f := range []struct {
			name   string
			cfg    types.String
			target *types.String
			def    string
			old    func(*model) types.String
		}{
			{"project", config.Project, &plan.Project, def.Project, func(m *model) types.String { return m.Project }},
			{"location", config.Location, &plan.Location, def.Location, func(m *model) types.String { return m.Location }},
			{"cluster", config.Cluster, &plan.Cluster, def.Cluster, func(m *model) types.String { return m.Cluster }},
		} {
			if f.cfg.IsUnknown() {
				continue
			}
			value := f.cfg.ValueString()
			if f.cfg.IsNull() {
				value = f.def
			}
			if value == "" {
				resp.Diagnostics.AddAttributeError(path.Root(f.name), "Missing "+f.name,
					fmt.Sprintf("Set %s here or in the provider's gke block (or its environment variable).", f.name))
				continue
			}
			*f.target = types.StringValue(value)
			if state != nil && f.old(state).ValueString() != value {
				resp.RequiresReplace = append(resp.RequiresReplace, path.Root(f.name))
			}
		}
	}

	// Machine type from the node shape, or the shape from the machine type.
	if config.MachineType.IsNull() && tfvalue.Known(plan.CPU) && tfvalue.Known(plan.MemoryGB) && tfvalue.Known(plan.MachineFamily) {
		mt, err := machinetypes.MachineTypeFor(plan.CPU.ValueInt64(), plan.MemoryGB.ValueFloat64(), plan.MachineFamily.ValueString())
		if err == nil {
			plan.MachineType = types.StringValue(mt)
		}
	}
	if tfvalue.Known(config.MachineType) {
		if cpu, memMB, ok := machinetypes.Shape(config.MachineType.ValueString()); ok {
			plan.CPU = types.Int64Value(int64(cpu))
			plan.MemoryGB = types.Float64Value(float64(memMB) / 1024)
		} else {
			plan.CPU = types.Int64Null()
			plan.MemoryGB = types.Float64Null()
		}
		if f := FamilyOf(config.MachineType.ValueString()); f != "" && config.MachineFamily.IsNull() {
			plan.MachineFamily = types.StringValue(f)
		}
	}
	if plan.Autoscaling != nil && plan.Autoscaling.LocationPolicy.IsUnknown() && tfvalue.Known(plan.Spot) {
		plan.Autoscaling.LocationPolicy = types.StringValue(DefaultLocationPolicy(plan.Spot.ValueBool()))
	}
	if state != nil && !resp.Diagnostics.HasError() {
		plan.ID = state.ID
		if len(resp.RequiresReplace) == 0 {
			plan.Status = state.Status
		}
	}
	if plan.Labels.IsUnknown() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// spec turns a planned model into the node pool it describes.
func spec(ctx context.Context, m model) (Spec, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := Spec{
		Name:             m.Name.ValueString(),
		WorkloadType:     m.WorkloadType.ValueString(),
		MachineType:      m.MachineType.ValueString(),
		ImageType:        m.ImageType.ValueString(),
		Spot:             m.Spot.ValueBool(),
		GVisor:           m.SandboxConfig != nil && m.SandboxConfig.SandboxType.ValueString() == SandboxGVisor,
		InitialNodeCount: m.InitialNodeCount.ValueInt64(),
		DiskSizeGB:       m.DiskSizeGB.ValueInt64(),
		DiskType:         m.DiskType.ValueString(),
		Labels:           map[string]string{},
		AutoRepair:       true,
		AutoUpgrade:      true,
		MaxSurge:         1,
	}
	if !m.Labels.IsNull() && !m.Labels.IsUnknown() {
		diags.Append(m.Labels.ElementsAs(ctx, &s.Labels, false)...)
	}
	if tfvalue.Known(m.NodeLocations) {
		diags.Append(m.NodeLocations.ElementsAs(ctx, &s.NodeLocations, false)...)
	}
	for _, t := range m.Taints {
		s.Taints = append(s.Taints, Taint{Key: t.Key.ValueString(), Value: t.Value.ValueString(), Effect: t.Effect.ValueString()})
	}
	if a := m.Autoscaling; a != nil {
		policy := a.LocationPolicy.ValueString()
		if !tfvalue.Known(a.LocationPolicy) {
			policy = DefaultLocationPolicy(s.Spot)
		}
		s.Autoscaling = &AutoscalingSpec{Min: a.MinNodeCount.ValueInt64(), Max: a.MaxNodeCount.ValueInt64(), LocationPolicy: policy}
	}
	if mg := m.Management; mg != nil {
		s.AutoRepair, s.AutoUpgrade = mg.AutoRepair.ValueBool(), mg.AutoUpgrade.ValueBool()
	}
	if u := m.UpgradeSettings; u != nil {
		s.MaxSurge, s.MaxUnavailable = u.MaxSurge.ValueInt64(), u.MaxUnavailable.ValueInt64()
	}
	return s, diags
}

func clusterName(m model) string {
	return fmt.Sprintf("projects/%s/locations/%s/clusters/%s", m.Project.ValueString(), m.Location.ValueString(), m.Cluster.ValueString())
}

func (r *nodePoolResource) gke(ctx context.Context, diags *diag.Diagnostics) *clients.GKE {
	g, err := r.Backends.GKE(ctx)
	if err != nil {
		diags.AddError("Cannot reach GKE", err.Error())
		return nil
	}
	return g
}

func (r *nodePoolResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	g := r.gke(ctx, &resp.Diagnostics)
	s, diags := spec(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cluster := clusterName(plan)
	id := ID(plan.Project.ValueString(), plan.Location.ValueString(), plan.Cluster.ValueString(), s.Name)

	_, err := g.Mutate(ctx, cluster, "create node pool "+s.Name, func(ctx context.Context) (*containerpb.Operation, error) {
		return g.Client.CreateNodePool(ctx, &containerpb.CreateNodePoolRequest{Parent: cluster, NodePool: GKENodePool(s)})
	})
	if err != nil && isCode(err, codes.AlreadyExists) {
		// A pool of ours whose create was interrupted (crash, Ctrl-C) is adopted, not duplicated.
		err = r.adopt(ctx, g, id, plan)
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot create node pool "+s.Name, err.Error())
		return
	}
	np, err := r.waitSettled(ctx, g, id)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read node pool "+s.Name+" after creating it", err.Error())
		return
	}
	plan.ID = types.StringValue(id)
	resp.Diagnostics.Append(fromNodePool(ctx, np, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// adopt takes over an existing pool only when this provider created it.
func (r *nodePoolResource) adopt(ctx context.Context, g *clients.GKE, id string, plan model) error {
	np, err := getNodePool(ctx, g, id)
	if err != nil {
		return err
	}
	if np.GetConfig().GetResourceLabels()[contract.ManagedByResourceLabel] != contract.ManagedByValue {
		return fmt.Errorf("node pool %s already exists and was not created by terraform-provider-octollm: import it with `terraform import octollm_node_pool.<name> %s`, or choose another name", plan.Name.ValueString(), id)
	}
	return nil
}

func isCode(err error, c codes.Code) bool {
	var withStatus interface{ GRPCStatus() *status.Status }
	if errors.As(err, &withStatus) {
		return withStatus.GRPCStatus().Code() == c
	}
	st, ok := status.FromError(errors.Unwrap(err))
	return ok && st.Code() == c
}

// getNodePool reads a pool, retrying transient errors; a missing pool returns a NotFound error.
func getNodePool(ctx context.Context, g *clients.GKE, id string) (*containerpb.NodePool, error) {
	var np *containerpb.NodePool
	err := clients.Retry(ctx, clients.GKETransient, "get node pool", func(ctx context.Context) error {
		var err error
		np, err = g.Client.GetNodePool(ctx, &containerpb.GetNodePoolRequest{Name: id})
		return err
	})
	return np, err
}

// waitSettled reads a pool, first waiting out any operation still changing it (an apply
// interrupted mid-operation resumes here).
func (r *nodePoolResource) waitSettled(ctx context.Context, g *clients.GKE, id string) (*containerpb.NodePool, error) {
	np, err := getNodePool(ctx, g, id)
	if err != nil || settled(np) {
		return np, err
	}
	err = clients.Poll(ctx, "node pool "+id+" to settle", func(ctx context.Context) (bool, string, error) {
		next, err := getNodePool(ctx, g, id)
		if err != nil {
			return false, "", err
		}
		np = next
		return settled(np), "node pool " + np.GetStatus().String(), nil
	})
	if err != nil && ctx.Err() != nil && !settled(np) {
		return np, fmt.Errorf("node pool %s is still %s: %w", id, np.GetStatus(), ctx.Err())
	}
	if err != nil {
		return nil, err
	}
	return np, nil
}

// settled reports whether no operation is changing the pool.
func settled(np *containerpb.NodePool) bool {
	switch np.GetStatus() {
	case containerpb.NodePool_PROVISIONING, containerpb.NodePool_RECONCILING, containerpb.NodePool_STOPPING:
		return false
	}
	return true
}

func (r *nodePoolResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	g := r.gke(ctx, &resp.Diagnostics)
	if g == nil {
		return
	}
	id := state.ID.ValueString()
	readCtx, cancel := context.WithTimeout(ctx, defaultTimeout)
	defer cancel()
	np, err := r.waitSettled(readCtx, g, id)
	if isCode(err, codes.NotFound) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read node pool "+id, clients.GKEError("read node pool", err, g.Config.Endpoint).Error())
		return
	}
	resp.Diagnostics.Append(fromNodePool(ctx, np, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// fromNodePool reflects the live pool into the model. Blocks the configuration left out stay
// out unless the live pool departs from their defaults, so there are no perpetual diffs.
func fromNodePool(ctx context.Context, np *containerpb.NodePool, m *model) diag.Diagnostics {
	var diags diag.Diagnostics
	cfg := np.GetConfig()
	workload := WorkloadTypeOf(cfg.GetLabels())
	liveLabels, liveTaints := cfg.GetLabels(), cfg.GetTaints()
	if IsGVisor(cfg) {
		liveLabels, liveTaints = WithoutSandboxMarks(liveLabels, liveTaints)
		m.SandboxConfig = &sandboxConfigModel{SandboxType: types.StringValue(SandboxGVisor)}
	} else {
		m.SandboxConfig = nil
	}
	m.ImageType = types.StringValue(imageTypeOrDefault(cfg.GetImageType()))
	m.Name = types.StringValue(np.GetName())
	m.WorkloadType = types.StringValue(workload)
	m.MachineType = types.StringValue(cfg.GetMachineType())
	if cpu, memMB, ok := machinetypes.Shape(cfg.GetMachineType()); ok {
		m.CPU = types.Int64Value(int64(cpu))
		m.MemoryGB = types.Float64Value(float64(memMB) / 1024)
	} else {
		m.CPU, m.MemoryGB = types.Int64Null(), types.Float64Null()
	}
	if f := FamilyOf(cfg.GetMachineType()); f != "" {
		m.MachineFamily = types.StringValue(f)
	} else if m.MachineFamily.IsNull() || m.MachineFamily.IsUnknown() {
		m.MachineFamily = types.StringValue(string(machinetypes.DefaultFamily))
	}
	m.Spot = types.BoolValue(cfg.GetSpot())
	// GKE reports the count the pool was created with, never its size after a resize, so
	// the configured value stands once known; an import takes GKE's.
	if m.InitialNodeCount.IsNull() || m.InitialNodeCount.IsUnknown() {
		m.InitialNodeCount = types.Int64Value(int64(np.GetInitialNodeCount()))
	}
	m.DiskSizeGB = types.Int64Value(int64(cfg.GetDiskSizeGb()))
	m.DiskType = types.StringValue(cfg.GetDiskType())

	labels := UserLabels(liveLabels, workload)
	if len(labels) == 0 && m.Labels.IsNull() {
		m.Labels = types.MapNull(types.StringType)
	} else {
		v, d := types.MapValueFrom(ctx, types.StringType, labels)
		diags.Append(d...)
		m.Labels = v
	}
	m.Taints = nil
	for _, t := range UserTaints(liveTaints, workload) {
		m.Taints = append(m.Taints, taintModel{Key: types.StringValue(t.Key), Value: types.StringValue(t.Value), Effect: types.StringValue(t.Effect)})
	}
	locations, d := types.ListValueFrom(ctx, types.StringType, np.GetLocations())
	diags.Append(d...)
	m.NodeLocations = locations

	if as := np.GetAutoscaling(); as.GetEnabled() {
		m.Autoscaling = &autoscalingModel{
			MinNodeCount:   types.Int64Value(int64(as.GetMinNodeCount())),
			MaxNodeCount:   types.Int64Value(int64(as.GetMaxNodeCount())),
			LocationPolicy: types.StringValue(as.GetLocationPolicy().String()),
		}
	} else {
		m.Autoscaling = nil
	}
	mg := np.GetManagement()
	if m.Management != nil || !mg.GetAutoRepair() || !mg.GetAutoUpgrade() {
		m.Management = &managementModel{AutoRepair: types.BoolValue(mg.GetAutoRepair()), AutoUpgrade: types.BoolValue(mg.GetAutoUpgrade())}
	}
	us := np.GetUpgradeSettings()
	if m.UpgradeSettings != nil || us.GetMaxSurge() != 1 || us.GetMaxUnavailable() != 0 {
		m.UpgradeSettings = &upgradeSettingsModel{MaxSurge: types.Int64Value(int64(us.GetMaxSurge())), MaxUnavailable: types.Int64Value(int64(us.GetMaxUnavailable()))}
	}
	m.Status = types.StringValue(np.GetStatus().String())
	m.Version = types.StringValue(np.GetVersion())
	urls, d := types.ListValueFrom(ctx, types.StringType, np.GetInstanceGroupUrls())
	diags.Append(d...)
	m.InstanceGroupURLs = urls
	return diags
}

func (r *nodePoolResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	g := r.gke(ctx, &resp.Diagnostics)
	want, d1 := spec(ctx, plan)
	have, d2 := spec(ctx, state)
	resp.Diagnostics.Append(d1...)
	resp.Diagnostics.Append(d2...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	cluster := clusterName(state)

	for _, step := range updateSteps(id, have, want) {
		if _, err := g.Mutate(ctx, cluster, step.what+" of node pool "+want.Name, step.call(g)); err != nil {
			resp.Diagnostics.AddError("Cannot update node pool "+want.Name, err.Error())
			return
		}
	}
	np, err := r.waitSettled(ctx, g, id)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read node pool "+want.Name+" after updating it", err.Error())
		return
	}
	resp.Diagnostics.Append(fromNodePool(ctx, np, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *nodePoolResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	g := r.gke(ctx, &resp.Diagnostics)
	if g == nil {
		return
	}
	id := state.ID.ValueString()
	_, err := g.Mutate(ctx, clusterName(state), "delete node pool "+state.Name.ValueString(), func(ctx context.Context) (*containerpb.Operation, error) {
		return g.Client.DeleteNodePool(ctx, &containerpb.DeleteNodePoolRequest{Name: id})
	})
	if err != nil && !isCode(err, codes.NotFound) {
		resp.Diagnostics.AddError("Cannot delete node pool "+state.Name.ValueString(), err.Error())
		return
	}
	// Delete returns only once the pool is gone.
	err = clients.Poll(ctx, "node pool "+id+" to be deleted", func(ctx context.Context) (bool, string, error) {
		_, err := getNodePool(ctx, g, id)
		if isCode(err, codes.NotFound) {
			return true, "", nil
		}
		return false, "the node pool still exists", err
	})
	switch {
	case err != nil && ctx.Err() != nil:
		resp.Diagnostics.AddError("Node pool "+state.Name.ValueString()+" still exists", "It was still being deleted when the delete timeout ended; run apply again to wait for it.")
	case err != nil:
		resp.Diagnostics.AddError("Cannot confirm node pool "+state.Name.ValueString()+" is gone", err.Error())
	}
}

func (r *nodePoolResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	project, location, cluster, name, err := ParseID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	g := r.gke(ctx, &resp.Diagnostics)
	if g == nil {
		return
	}
	np, err := getNodePool(ctx, g, req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Cannot import node pool "+req.ID, clients.GKEError("read node pool", err, g.Config.Endpoint).Error())
		return
	}
	m := model{
		ID: types.StringValue(req.ID), Project: types.StringValue(project), Location: types.StringValue(location),
		Cluster: types.StringValue(cluster), Name: types.StringValue(name),
		MachineFamily: types.StringNull(), Labels: types.MapNull(types.StringType),
		InitialNodeCount: types.Int64Null(),
		Timeouts:         tfvalue.NullTimeouts(timeouts.Opts{Create: true, Update: true, Delete: true}),
	}
	resp.Diagnostics.Append(fromNodePool(ctx, np, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
