package modelroute

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

var (
	_ resource.ResourceWithConfigure      = (*routeResource)(nil)
	_ resource.ResourceWithImportState    = (*routeResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*routeResource)(nil)
	_ resource.ResourceWithValidateConfig = (*routeResource)(nil)
)

// NewResource returns the octollm_model_route resource.
func NewResource() resource.Resource { return &routeResource{} }

type routeResource struct {
	tfvalue.ResourceBackends
}

func (r *routeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_model_route"
}

func (r *routeResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema()
}

// ValidateConfig applies Validate once every value is known; a value computed by another
// resource is checked when Terraform plans again with it during apply.
func (r *routeResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if !req.Config.Raw.IsFullyKnown() {
		return
	}
	var m model
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	route := routeOf(ctx, m, &resp.Diagnostics)
	for _, p := range Validate(route) {
		resp.Diagnostics.AddAttributeError(p.Path, p.Summary, p.Detail)
	}
}

// ModifyPlan fills the derived attributes (namespace, ID, ConfigMap name, effective model,
// route.json and its checksum), so the plan shows exactly what the gateway will read.
func (r *routeResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.Backends == nil {
		return
	}
	ns := r.Backends.Config.Namespace
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("namespace"), ns)...)
	if !req.State.Raw.IsNull() {
		var prior types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("namespace"), &prior)...)
		if prior.ValueString() != ns {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("namespace"))
		}
	}
	if !req.Config.Raw.IsFullyKnown() {
		return
	}
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	route := routeOf(ctx, plan, &resp.Diagnostics)
	setComputed(route, ns, &plan, &resp.Diagnostics)
	r.setComputedAttributes(ctx, plan, &resp.Plan, &resp.Diagnostics)
}

// attributeSetter is a plan or a state.
type attributeSetter interface {
	SetAttribute(ctx context.Context, p path.Path, v interface{}) diag.Diagnostics
}

// setComputedAttributes writes only the derived attributes, leaving the configuration's blocks
// exactly as Terraform sent them.
func (r *routeResource) setComputedAttributes(ctx context.Context, m model, to attributeSetter, d *diag.Diagnostics) {
	for name, v := range map[string]types.String{
		"id": m.ID, "namespace": m.Namespace, "config_map": m.ConfigMap, "effective_model": m.EffectiveModel,
		"route_json": m.RouteJSON, "checksum": m.Checksum,
	} {
		d.Append(to.SetAttribute(ctx, path.Root(name), v)...)
	}
}

func (r *routeResource) kube(ctx context.Context, d *diag.Diagnostics) *clients.Kube {
	return tfvalue.Kube(ctx, r.Backends, "octollm_model_route", d)
}

func (r *routeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.write(ctx, req.Plan.Raw.Copy(), &resp.State, true, &resp.Diagnostics)
}

func (r *routeResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.write(ctx, req.Plan.Raw.Copy(), &resp.State, false, &resp.Diagnostics)
}

// write applies the route's ConfigMap and records the plan, with its derived attributes, as
// the new state.
func (r *routeResource) write(ctx context.Context, planned tftypes.Value, state *tfsdk.State, creating bool, d *diag.Diagnostics) {
	state.Raw = planned
	var m model
	d.Append(state.Get(ctx, &m)...)
	if d.HasError() {
		return
	}
	k := r.kube(ctx, d)
	if k == nil {
		return
	}
	route := routeOf(ctx, m, d)
	ns := r.Backends.Config.Namespace
	setComputed(route, ns, &m, d)
	if d.HasError() {
		return
	}
	if creating && !r.mayWrite(ctx, k, route, ns, d) {
		return
	}
	cm, err := route.ConfigMap(ns)
	if err != nil {
		d.AddError("Cannot build the ConfigMap", err.Error())
		return
	}
	obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(cm)
	if err != nil {
		d.AddError("Cannot build the ConfigMap", err.Error())
		return
	}
	delete(obj, "status")
	if md, ok := obj["metadata"].(map[string]any); ok {
		delete(md, "creationTimestamp")
	}
	if _, err := k.Apply(ctx, ConfigMapResource, &unstructured.Unstructured{Object: obj}); err != nil {
		d.AddError("Cannot apply ConfigMap "+ns+"/"+route.ConfigMapName(), err.Error())
		return
	}
	r.setComputedAttributes(ctx, m, state, d)
}

// mayWrite refuses to take over a ConfigMap the provider does not own, or one that holds
// another route whose names run together into the same ConfigMap name; it takes over the
// provider's own ConfigMap of the same route.
func (r *routeResource) mayWrite(ctx context.Context, k *clients.Kube, route Route, ns string, d *diag.Diagnostics) bool {
	name := route.ConfigMapName()
	live, err := k.Get(ctx, ConfigMapResource, ns, name)
	if err != nil {
		d.AddError("Cannot read ConfigMap "+ns+"/"+name, err.Error())
		return false
	}
	if live == nil {
		return true
	}
	if !clients.OwnedBy(live) {
		d.AddError(fmt.Sprintf("ConfigMap %s/%s already exists", ns, name),
			fmt.Sprintf("It is not managed by terraform-provider-octollm, so it is not taken over: import the route with `terraform import octollm_model_route.<name> %s`, or choose another name.", route.ID()))
		return false
	}
	labels := live.GetLabels()
	if labels[contract.RouteLabel] != route.Name || labels[contract.TenantLabel] != route.Tenant {
		other := labels[contract.RouteLabel]
		if t := labels[contract.TenantLabel]; t != "" {
			other = t + "/" + other
		}
		d.AddError(fmt.Sprintf("ConfigMap %s/%s holds another route", ns, name),
			fmt.Sprintf("Route %q and route %q both map to ConfigMap %s, because tenant and name are joined with a hyphen: rename one of them.", route.ID(), other, name))
		return false
	}
	// The provider's own ConfigMap of this very route: what an apply killed after the write and
	// before the state was saved leaves behind. Create takes it over, as every resource takes
	// over what it owns, so the re-apply converges instead of asking for an import.
	tflog.Info(ctx, "model route: taking over the provider's own ConfigMap of this route (left by an interrupted apply?)", map[string]any{"configmap": ns + "/" + name})
	return true
}

// stateAndKube reads the prior state and connects to the cluster; k is nil after an error.
func (r *routeResource) stateAndKube(ctx context.Context, state tfsdk.State, d *diag.Diagnostics) (m model, k *clients.Kube) {
	d.Append(state.Get(ctx, &m)...)
	if d.HasError() {
		return m, nil
	}
	return m, r.kube(ctx, d)
}

func (r *routeResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	m, k := r.stateAndKube(ctx, req.State, &resp.Diagnostics)
	if k == nil {
		return
	}
	importing := m.RouteJSON.IsNull()
	found := r.readInto(ctx, k, &m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !found {
		if importing {
			resp.Diagnostics.AddError("Cannot import "+m.ID.ValueString(),
				fmt.Sprintf("ConfigMap %s/%s does not exist: check the route's name and tenant (the import ID is name or tenant/name) and the provider's namespace.", m.Namespace.ValueString(), m.ConfigMap.ValueString()))
			return
		}
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// readInto reflects the live ConfigMap into m: every attribute when route.json parses, so the
// next plan shows out-of-band edits attribute by attribute, and route_json always. It reports
// false when the ConfigMap is gone.
func (r *routeResource) readInto(ctx context.Context, k *clients.Kube, m *model, d *diag.Diagnostics) bool {
	ns := m.Namespace.ValueString()
	name := ConfigMapNameFor(m.Tenant.ValueString(), m.Name.ValueString())
	m.ConfigMap = types.StringValue(name)
	live, err := k.Get(ctx, ConfigMapResource, ns, name)
	if err != nil {
		d.AddError("Cannot read ConfigMap "+ns+"/"+name, err.Error())
		return false
	}
	if live == nil {
		return false
	}
	data, _, _ := unstructured.NestedString(live.Object, "data", DataKey)
	importing := m.RouteJSON.IsNull()
	m.RouteJSON, m.Checksum = types.StringValue(data), types.StringValue(Checksum([]byte(data)))
	route, err := ParseJSON([]byte(data))
	switch {
	case err == nil && route.Name == m.Name.ValueString() && route.Tenant == m.Tenant.ValueString():
		setRoute(ctx, route, m, d)
		m.EffectiveModel = tfvalue.OptString(route.EffectiveModel())
		m.ID = types.StringValue(route.ID())
	case importing && err != nil:
		d.AddError("Cannot import "+m.ID.ValueString(), fmt.Sprintf("ConfigMap %s/%s: %s. Fix or delete the ConfigMap, then create the route with Terraform.", ns, name, err))
	case importing:
		d.AddError("Cannot import "+m.ID.ValueString(), fmt.Sprintf("ConfigMap %s/%s holds route %q, not %q: import that ID instead.", ns, name, route.ID(), m.ID.ValueString()))
	}
	// Otherwise route.json is not this route's any more: route_json now differs from what the
	// configuration renders, so the plan rewrites it.
	if missing := missingLabels(Route{Name: m.Name.ValueString(), Tenant: m.Tenant.ValueString()}.Labels(), live.GetLabels()); missing != "" {
		// The gateway finds routes by these labels: a checksum that cannot match makes the
		// plan show the route being rewritten, and apply restores them.
		m.Checksum = types.StringValue("drifted: ConfigMap labels " + missing)
	}
	return true
}

// missingLabels lists the wanted labels live lacks or has with another value, or "".
func missingLabels(want, live map[string]string) string {
	var out []string
	for k, v := range want {
		if live[k] != v {
			out = append(out, fmt.Sprintf("%s=%s", k, v))
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, ", ") + " missing or changed"
}

func (r *routeResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	m, k := r.stateAndKube(ctx, req.State, &resp.Diagnostics)
	if k == nil {
		return
	}
	ns, name := m.Namespace.ValueString(), ConfigMapNameFor(m.Tenant.ValueString(), m.Name.ValueString())
	if err := k.Delete(ctx, ConfigMapResource, ns, name); err != nil {
		resp.Diagnostics.AddError("Cannot delete ConfigMap "+ns+"/"+name, err.Error())
	}
}

// ParseImportID splits an import ID, name or tenant/name, and checks both are DNS-1123 labels.
func ParseImportID(id string) (tenant, name string, err error) {
	parts := strings.Split(id, "/")
	switch len(parts) {
	case 1:
		name = parts[0]
	case 2:
		tenant, name = parts[0], parts[1]
		if !dnsLabel.MatchString(tenant) {
			return "", "", fmt.Errorf("import ID %q: tenant %q %s. Use name for a global route or tenant/name for a tenant route, such as acme/code-review", id, tenant, dnsLabelMessage)
		}
	default:
		return "", "", fmt.Errorf("import ID %q is not name or tenant/name: use, for example, code-review or acme/code-review", id)
	}
	if !dnsLabel.MatchString(name) {
		return "", "", fmt.Errorf("import ID %q: name %q %s. Use name for a global route or tenant/name for a tenant route, such as acme/code-review", id, name, dnsLabelMessage)
	}
	return tenant, name, nil
}

// ImportState records the route's identity; Read then fills every attribute from route.json.
func (r *routeResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	tenant, name, err := ParseImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	ns := ""
	if r.Backends != nil {
		ns = r.Backends.Config.Namespace
	}
	for attr, v := range map[string]types.String{
		"id": types.StringValue(req.ID), "name": types.StringValue(name), "tenant": tfvalue.OptString(tenant),
		"namespace": types.StringValue(ns), "config_map": types.StringValue(ConfigMapNameFor(tenant, name)),
	} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), v)...)
	}
}
