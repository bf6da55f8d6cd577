package platform

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stypes "k8s.io/apimachinery/pkg/types"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
	"github.com/octollm/terraform-provider-octollm/internal/validate"
)

var (
	_ resource.ResourceWithConfigure      = (*platformResource)(nil)
	_ resource.ResourceWithImportState    = (*platformResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*platformResource)(nil)
	_ resource.ResourceWithValidateConfig = (*platformResource)(nil)
)

// defaultDeleteTimeout bounds the wait for the namespace to be gone without timeouts.delete.
const defaultDeleteTimeout = 10 * time.Minute

// NewResource returns the octollm_platform resource.
func NewResource() resource.Resource { return &platformResource{} }

type platformResource struct {
	tfvalue.ResourceBackends
}

type model struct {
	ID                    types.String   `tfsdk:"id"`
	Namespace             types.String   `tfsdk:"namespace"`
	PodSecurity           types.String   `tfsdk:"pod_security"`
	GatewayServiceAccount types.String   `tfsdk:"gateway_service_account"`
	Labels                types.Map      `tfsdk:"labels"`
	DeletionProtection    types.Bool     `tfsdk:"deletion_protection"`
	GatewayRole           types.String   `tfsdk:"gateway_role"`
	GatewayRBAC           types.String   `tfsdk:"gateway_rbac"`
	NetworkPolicy         types.Object   `tfsdk:"network_policy"`
	NetworkPolicies       types.List     `tfsdk:"network_policies"`
	NetworkPolicyStatus   types.String   `tfsdk:"network_policy_status"`
	APIServerEndpoints    types.List     `tfsdk:"apiserver_endpoints"`
	UID                   types.String   `tfsdk:"uid"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
}

func (r *platformResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_platform"
}

func (r *platformResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

// ModifyPlan derives the computed names from the configuration and plans the gateway's RBAC
// in sync, so a gateway_rbac that Read found drifted shows as an update.
func (r *platformResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if tfvalue.Known(plan.Namespace) {
		plan.ID = types.StringValue(plan.Namespace.ValueString())
	}
	if tfvalue.Known(plan.GatewayServiceAccount) {
		plan.GatewayRole = types.StringValue(RoleName(plan.GatewayServiceAccount.ValueString()))
	} else {
		plan.GatewayRole = types.StringUnknown()
	}
	plan.GatewayRBAC = types.StringValue(InSync)
	planNetwork(ctx, req, &plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// ValidateConfig checks network_policy's cross-field rules.
func (r *platformResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var v types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("network_policy"), &v)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateNetwork(ctx, v, &resp.Diagnostics)
}

func (r *platformResource) kube(ctx context.Context, d *diag.Diagnostics) *clients.Kube {
	return tfvalue.Kube(ctx, r.Backends, "octollm_platform", d)
}

// specOf turns a planned model into a Spec.
func specOf(ctx context.Context, m model, d *diag.Diagnostics) Spec {
	s := Spec{
		Namespace:             m.Namespace.ValueString(),
		PodSecurity:           m.PodSecurity.ValueString(),
		GatewayServiceAccount: m.GatewayServiceAccount.ValueString(),
		Labels:                map[string]string{},
		Network:               networkSpecOf(ctx, m.NetworkPolicy, d),
	}
	if tfvalue.Known(m.Labels) {
		d.Append(m.Labels.ElementsAs(ctx, &s.Labels, false)...)
	}
	return s
}

// apply writes the namespace and the gateway's objects, removes namespace labels the
// configuration does not have, and, when the ServiceAccount was renamed, deletes the old
// ServiceAccount, Role and RoleBinding.
func (r *platformResource) apply(ctx context.Context, k *clients.Kube, s Spec, oldServiceAccount string, d *diag.Diagnostics) {
	ns, err := k.Apply(ctx, NamespaceResource, s.NamespaceObject())
	if err != nil {
		d.AddError("Cannot apply Namespace "+s.Namespace, err.Error())
		return
	}
	if ns.GetDeletionTimestamp() != nil {
		d.AddAttributeError(path.Root("namespace"), "Namespace "+s.Namespace+" is being deleted",
			fmt.Sprintf("namespace %s is Terminating (%s), so nothing can be created in it: wait until it is gone, then apply again to create it anew.", s.Namespace, clients.NamespaceBlockers(ns)))
		return
	}
	if extra := s.ExtraLabels(ns.GetLabels()); len(extra) > 0 {
		labels := map[string]any{}
		for _, key := range extra {
			labels[key] = nil
		}
		body, _ := json.Marshal(map[string]any{"metadata": map[string]any{"labels": labels}})
		err := clients.Retry(ctx, clients.KubeTransient, "label namespace "+s.Namespace, func(ctx context.Context) error {
			_, err := k.Dynamic.Resource(NamespaceResource).Patch(ctx, s.Namespace, k8stypes.MergePatchType, body, metav1.PatchOptions{FieldManager: clients.FieldManager})
			return err
		})
		if err != nil {
			d.AddAttributeError(path.Root("labels"), "Cannot remove labels from Namespace "+s.Namespace,
				fmt.Sprintf("The labels %v are not in the configuration and could not be removed: %v. Add them to labels, or remove them with kubectl label namespace %s <key>-.", extra, k.Error("patch namespace "+s.Namespace, err), s.Namespace))
			return
		}
	}
	if _, err := k.Apply(ctx, ServiceAccountResource, s.ServiceAccount()); err != nil {
		d.AddAttributeError(path.Root("gateway_service_account"), "Cannot apply ServiceAccount "+s.GatewayServiceAccount, err.Error())
		return
	}
	if _, err := k.Apply(ctx, RoleResource, s.Role()); err != nil {
		d.AddAttributeError(path.Root("gateway_role"), "Cannot apply Role "+RoleName(s.GatewayServiceAccount), err.Error())
		return
	}
	rbName := RoleName(s.GatewayServiceAccount)
	binding, err := k.Get(ctx, RoleBindingResource, s.Namespace, rbName)
	if err != nil {
		d.AddError("Cannot read RoleBinding "+rbName, err.Error())
		return
	}
	if binding != nil && !s.SameRoleRef(binding) {
		// roleRef cannot change: a binding that refers elsewhere is replaced.
		if err := k.Delete(ctx, RoleBindingResource, s.Namespace, rbName); err != nil {
			d.AddError("Cannot replace RoleBinding "+rbName, err.Error())
			return
		}
	}
	if _, err := k.Apply(ctx, RoleBindingResource, s.RoleBinding()); err != nil {
		d.AddAttributeError(path.Root("gateway_role"), "Cannot apply RoleBinding "+rbName, err.Error())
		return
	}
	if oldServiceAccount != "" && oldServiceAccount != s.GatewayServiceAccount {
		deleteOld(ctx, k, s.Namespace, oldServiceAccount, d)
		if d.HasError() {
			return
		}
	}
	applyNetwork(ctx, k, s, d)
}

// deleteOld deletes a renamed gateway's RoleBinding, Role and ServiceAccount, those the
// provider wrote only.
func deleteOld(ctx context.Context, k *clients.Kube, namespace, serviceAccount string, d *diag.Diagnostics) {
	old := RoleName(serviceAccount)
	for _, o := range []struct {
		gvr  schema.GroupVersionResource
		kind string
		name string
	}{{RoleBindingResource, "RoleBinding", old}, {RoleResource, "Role", old}, {ServiceAccountResource, "ServiceAccount", serviceAccount}} {
		live, err := k.Get(ctx, o.gvr, namespace, o.name)
		if err != nil {
			d.AddError("Cannot read the old "+o.kind+" "+o.name, err.Error())
			return
		}
		if live == nil || !clients.OwnedBy(live) {
			continue
		}
		if err := k.Delete(ctx, o.gvr, namespace, o.name); err != nil {
			d.AddAttributeError(path.Root("gateway_service_account"), "Cannot delete the old "+o.kind+" "+o.name,
				fmt.Sprintf("gateway_service_account was renamed from %s, whose %s could not be deleted: %v. Delete it with kubectl -n %s delete %s %s, or grant the provider's identity RBAC to delete it.",
					serviceAccount, o.kind, err, namespace, o.gvr.Resource, o.name))
			return
		}
	}
}

func (r *platformResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
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
	if resp.Diagnostics.HasError() {
		return
	}
	live, err := k.Get(ctx, NamespaceResource, "", s.Namespace)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read Namespace "+s.Namespace, err.Error())
		return
	}
	if live != nil && !clients.OwnedBy(live) {
		resp.Diagnostics.AddAttributeError(path.Root("namespace"), "Namespace "+s.Namespace+" already exists",
			fmt.Sprintf("namespace %s is not managed by terraform-provider-octollm (no %s=%s label), so it is not taken over: import it with "+
				"`terraform import octollm_platform.<name> %s`, or choose another namespace.", s.Namespace, contract.ManagedByLabel, contract.ManagedByValue, s.Namespace))
		return
	}
	if live != nil && live.GetDeletionTimestamp() != nil {
		resp.Diagnostics.AddAttributeError(path.Root("namespace"), "Namespace "+s.Namespace+" is being deleted",
			fmt.Sprintf("namespace %s is Terminating (%s): wait until it is gone, then apply again, or choose another namespace.", s.Namespace, clients.NamespaceBlockers(live)))
		return
	}
	r.apply(ctx, k, s, "", &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	r.finish(ctx, k, &plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *platformResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	s := specOf(ctx, plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, k, s, state.GatewayServiceAccount.ValueString(), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	r.finish(ctx, k, &plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// finish reads back what apply wrote, and fails rather than store a state that differs from
// the plan when something kept the objects from taking the configured form.
func (r *platformResource) finish(ctx context.Context, k *clients.Kube, m *model, d *diag.Diagnostics) {
	planned := *m
	found, dd := readInto(ctx, k, m)
	d.Append(dd...)
	if d.HasError() {
		return
	}
	if !found {
		d.AddAttributeError(path.Root("namespace"), "Namespace "+planned.Namespace.ValueString()+" disappeared",
			"The namespace was deleted while it was being applied: check what deletes it, then apply again.")
		return
	}
	if m.GatewayRBAC.ValueString() != InSync {
		d.AddAttributeError(path.Root("gateway_rbac"), "The gateway's RBAC did not take the configured form",
			m.GatewayRBAC.ValueString()+" after apply. Something in the cluster (an admission webhook or another controller) changes these objects: find it, then apply again.")
	}
	if m.NetworkPolicyStatus.ValueString() != InSync {
		d.AddAttributeError(path.Root("network_policy_status"), "The platform's NetworkPolicies did not take the configured form",
			m.NetworkPolicyStatus.ValueString()+" after apply. Something in the cluster (an admission webhook or another controller) changes them: find it, then apply again.")
	}
	if m.PodSecurity.ValueString() != planned.PodSecurity.ValueString() {
		d.AddAttributeError(path.Root("pod_security"), "The Pod Security labels did not take the configured form",
			"pod_security reads "+m.PodSecurity.ValueString()+" after apply. Something in the cluster (an admission webhook or another controller) changes the namespace's labels: find it, then apply again.")
	}
}

func (r *platformResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	found, d := readInto(ctx, k, &state)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !found {
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// readInto reads the live namespace and gateway objects into m, which holds the prior values
// (the namespace and ServiceAccount names, and whether labels was null or empty). It reports
// false when the namespace does not exist.
func readInto(ctx context.Context, k *clients.Kube, m *model) (bool, diag.Diagnostics) {
	var d diag.Diagnostics
	name, sa := m.Namespace.ValueString(), m.GatewayServiceAccount.ValueString()
	ns, err := k.Get(ctx, NamespaceResource, "", name)
	if err != nil {
		d.AddError("Cannot read Namespace "+name, err.Error())
		return false, d
	}
	if ns == nil {
		return false, d
	}
	if ns.GetDeletionTimestamp() != nil {
		d.AddAttributeWarning(path.Root("namespace"), "Namespace "+name+" is being deleted",
			fmt.Sprintf("namespace %s is Terminating (%s). Destroy waits until it is gone; apply fails until it is gone.", name, clients.NamespaceBlockers(ns)))
	}
	labels := ns.GetLabels()
	m.ID = types.StringValue(name)
	m.UID = types.StringValue(string(ns.GetUID()))
	m.PodSecurity = types.StringValue(PodSecurityFrom(labels))
	user := UserLabels(labels)
	if len(user) == 0 && m.Labels.IsNull() {
		m.Labels = types.MapNull(types.StringType)
	} else {
		v, dd := types.MapValueFrom(ctx, types.StringType, user)
		d.Append(dd...)
		m.Labels = v
	}
	m.GatewayRole = types.StringValue(RoleName(sa))
	var objs [3]*unstructured.Unstructured
	for i, o := range []struct {
		gvr  schema.GroupVersionResource
		name string
	}{{ServiceAccountResource, sa}, {RoleResource, RoleName(sa)}, {RoleBindingResource, RoleName(sa)}} {
		if objs[i], err = k.Get(ctx, o.gvr, name, o.name); err != nil {
			d.AddError("Cannot read the gateway's "+o.gvr.Resource, err.Error())
			return false, d
		}
	}
	spec := Spec{Namespace: name, GatewayServiceAccount: sa}
	m.GatewayRBAC = types.StringValue(spec.RBACStatus(objs[0], objs[1], objs[2]))
	spec.Network = networkSpecOf(ctx, m.NetworkPolicy, &d)
	readNetwork(ctx, k, spec, m, &d)
	if d.HasError() {
		return false, d
	}
	return true, d
}

func (r *platformResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.Namespace.ValueString()
	if state.DeletionProtection.IsNull() || state.DeletionProtection.ValueBool() {
		resp.Diagnostics.AddAttributeError(path.Root("deletion_protection"), "Cannot destroy octollm_platform: deletion protection is on",
			fmt.Sprintf("octollm_platform.%s: deletion_protection is true; set deletion_protection = false and apply, then destroy. "+
				"Destroying deletes namespace %s and everything in it.", name, name))
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	// It returns only once the namespace controller has emptied and removed the namespace.
	tfvalue.DeleteNamespace(ctx, k, name, timeout, &resp.Diagnostics)
}

func (r *platformResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if msg := validate.Namespace(req.ID); msg != "" {
		resp.Diagnostics.AddError("Invalid import ID", "The import ID is the namespace's name: "+msg)
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	ns, err := k.Get(ctx, NamespaceResource, "", req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Cannot import "+req.ID, err.Error())
		return
	}
	if ns == nil {
		resp.Diagnostics.AddError("Cannot import "+req.ID, fmt.Sprintf("Namespace %s does not exist: check the name, or let apply create it instead of importing it.", req.ID))
		return
	}
	sa, err := gatewayServiceAccount(ctx, k, req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Cannot import "+req.ID, err.Error())
		return
	}
	m := model{
		Namespace:             types.StringValue(req.ID),
		GatewayServiceAccount: types.StringValue(sa),
		Labels:                types.MapNull(types.StringType),
		NetworkPolicy:         importNetwork(ctx, k, req.ID, &resp.Diagnostics),
		DeletionProtection:    types.BoolValue(true),
		Timeouts:              tfvalue.NullTimeouts(timeouts.Opts{Delete: true}),
	}
	found, d := readInto(ctx, k, &m)
	resp.Diagnostics.Append(d...)
	if !found && !resp.Diagnostics.HasError() {
		resp.Diagnostics.AddError("Cannot import "+req.ID, "Namespace "+req.ID+" was deleted during the import.")
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// gatewayServiceAccount finds the gateway's ServiceAccount an import adopts: the one the
// provider labelled as the gateway's, else the default name.
func gatewayServiceAccount(ctx context.Context, k *clients.Kube, namespace string) (string, error) {
	var list *unstructured.UnstructuredList
	selector := contract.ManagedByLabel + "=" + contract.ManagedByValue + "," + contract.ComponentLabel + "=" + GatewayComponent
	err := clients.Retry(ctx, clients.KubeTransient, "list ServiceAccounts in "+namespace, func(ctx context.Context) error {
		var err error
		list, err = k.Dynamic.Resource(ServiceAccountResource).Namespace(namespace).List(ctx, metav1.ListOptions{LabelSelector: selector})
		return err
	})
	if err != nil {
		return "", k.Error("list serviceaccounts in "+namespace, err)
	}
	if len(list.Items) == 1 {
		return list.Items[0].GetName(), nil
	}
	return DefaultGatewayServiceAccount, nil
}
