package tenant

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

func (r *tenantResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultTimeout)
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
	name := plan.Name.ValueString()
	if !r.claimable(ctx, k, name, &resp.Diagnostics) {
		return
	}
	key, err := NewAPIKey()
	if err != nil {
		resp.Diagnostics.AddError("Cannot generate an API key", err.Error())
		return
	}
	plan.APIKey, plan.APIKeyID = types.StringValue(key), types.StringValue(KeyID(key))
	if plan.billing() != nil {
		plan.StripeCustomerID, plan.StripeSubscriptionID = types.StringNull(), types.StringNull()
	}
	created := r.write(ctx, k, &plan, &resp.Diagnostics)
	if !created {
		return
	}
	if resp.Diagnostics.HasError() {
		// State records what exists; Terraform taints the tenant, and the next apply replaces
		// it: Delete removes what this create made (never a usable tenant: its key Secret is
		// written last, so no key was issued and api_key and api_key_id stay null) without
		// deletion_protection in the way, and Create adopts the Stripe customer and
		// subscription it finds instead of making new ones.
		plan.APIKey, plan.APIKeyID = types.StringNull(), types.StringNull()
		plan.SyncStatus = types.StringValue(createIncomplete)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, incompleteKey, []byte(`true`))...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// claimable checks the tenant's namespace and key Secret are free or already this provider's
// tenant of the same name (left by an interrupted create, which this create then finishes).
func (r *tenantResource) claimable(ctx context.Context, k *clients.Kube, name string, d *diag.Diagnostics) bool {
	platformNS := r.Backends.Config.Namespace
	if live, err := k.Get(ctx, NamespaceResource, "", platformNS); err != nil {
		d.AddError("Cannot read the platform namespace "+platformNS, err.Error())
		return false
	} else if live == nil {
		d.AddAttributeError(path.Root("name"), "No platform namespace",
			fmt.Sprintf("the tenant's key Secret goes in the platform namespace %q (the provider's namespace, OCTOLLM_NAMESPACE), which does not exist: "+
				"create it with an octollm_platform resource and let the tenant depend on it, or set the provider's namespace to the platform's.", platformNS))
		return false
	}
	for _, o := range []struct {
		gvr       schema.GroupVersionResource
		namespace string
		name      string
	}{{NamespaceResource, "", Namespace(name)}, {SecretResource, r.Backends.Config.Namespace, SecretName(name)}} {
		live, err := k.Get(ctx, o.gvr, o.namespace, o.name)
		if err != nil {
			d.AddError("Cannot read "+o.gvr.Resource+" "+o.name, err.Error())
			return false
		}
		if live != nil && (!clients.OwnedBy(live) || live.GetLabels()[contract.TenantLabel] != name) {
			d.AddAttributeError(path.Root("name"), "Tenant objects already exist",
				fmt.Sprintf("name: %s %s already exists and is not this provider's tenant %q (it lacks the labels %s=%s and %s=%s). "+
					"Choose another name, delete the object, or import an existing tenant with `terraform import octollm_tenant.<name> %s`.",
					strings.TrimSuffix(o.gvr.Resource, "s"), o.name, name, contract.ManagedByLabel, contract.ManagedByValue, contract.TenantLabel, name, name))
			return false
		}
	}
	return true
}

// write makes the cluster and Stripe match m: the namespace (waiting out a Terminating one),
// the objects in it, Stripe's customer and subscription, then the key Secret, which the
// gateway trusts only once billing is in place. It records in m what exists and reports
// whether the namespace exists (false: nothing was made).
func (r *tenantResource) write(ctx context.Context, k *clients.Kube, m *model, d *diag.Diagnostics) bool {
	name := m.Name.ValueString()
	nsName := Namespace(name)
	if live, err := k.Get(ctx, NamespaceResource, "", nsName); err != nil {
		d.AddError("Cannot read Namespace "+nsName, err.Error())
		return false
	} else if live != nil && live.GetDeletionTimestamp() != nil {
		if err := k.WaitNamespaceGone(ctx, nsName); err != nil {
			d.AddError("Namespace "+nsName+" is still Terminating",
				fmt.Sprintf("%s. Apply recreates the tenant once the old namespace is gone: remove what blocks it, or raise timeouts.", err))
			return false
		}
	}
	spec := r.spec(ctx, *m, d)
	ns, err := k.Apply(ctx, NamespaceResource, spec.NamespaceObject())
	if err != nil {
		d.AddError("Cannot write Namespace "+nsName, err.Error())
		return false
	}
	m.SyncStatus = types.StringValue("incomplete: the last apply failed; apply again to finish")
	for _, obj := range spec.NamespacedObjects() {
		if _, err := k.Apply(ctx, gvrOf(obj), obj); err != nil {
			d.AddError(fmt.Sprintf("Cannot write %s %s/%s", obj.GetKind(), obj.GetNamespace(), obj.GetName()), err.Error())
			return true
		}
	}
	for _, o := range unwanted(spec) {
		if err := k.Delete(ctx, o.gvr, nsName, o.name); err != nil {
			d.AddError(fmt.Sprintf("Cannot delete %s %s/%s", o.gvr.Resource, nsName, o.name), err.Error())
			return true
		}
	}
	if !r.writeBilling(ctx, m, string(ns.GetUID()), d) {
		return true
	}
	spec = r.spec(ctx, *m, d)
	secret, err := spec.KeySecret()
	if err == nil {
		_, err = k.Apply(ctx, SecretResource, secret)
	}
	if err != nil {
		d.AddError("Cannot write the key Secret "+SecretName(name), err.Error())
		return true
	}
	m.SyncStatus = types.StringValue(InSync)
	return true
}

// writeBilling ensures the customer and subscription, or with billing removed cancels the
// subscription; it records the ids in m as they come to exist.
func (r *tenantResource) writeBilling(ctx context.Context, m *model, gen string, d *diag.Diagnostics) bool {
	b := m.billing()
	if b == nil {
		return true
	}
	o := r.billingOps(ctx, m.Name.ValueString(), gen, d)
	if o == nil {
		return false
	}
	cus, err := o.ensureCustomer(m.StripeCustomerID.ValueString(), b.Email.ValueString(), m.DisplayName.ValueString())
	if err != nil {
		d.AddAttributeError(path.Root("billing"), "Cannot create the tenant's Stripe customer", err.Error()+
			". The tenant's namespace exists and is recorded in the state; apply again to finish without duplicates.")
		return false
	}
	m.StripeCustomerID = types.StringValue(cus.ID)
	sub, err := o.ensureSubscription(m.StripeSubscriptionID.ValueString(), cus.ID, b.PlanID.ValueString())
	if err != nil {
		d.AddAttributeError(path.Root("billing"), "Cannot subscribe the tenant to its billing plan", err.Error()+
			". The tenant's namespace and Stripe customer exist and are recorded in the state; apply again to finish without duplicates.")
		return false
	}
	m.StripeSubscriptionID = types.StringValue(sub.ID)
	return true
}

type objectRef struct {
	gvr  schema.GroupVersionResource
	name string
}

// unwanted are the optional objects the spec does not ask for: the admins' RoleBinding
// without admins, the NetworkPolicies without network isolation.
func unwanted(s Spec) []objectRef {
	var out []objectRef
	if len(s.Admins) == 0 {
		out = append(out, objectRef{RoleBindingResource, AdminsBindingName})
	}
	if !s.NetworkIsolation {
		for _, n := range NetworkPolicyNames {
			out = append(out, objectRef{NetworkPolicyResource, n})
		}
	}
	return out
}

func gvrOf(obj *unstructured.Unstructured) schema.GroupVersionResource {
	switch obj.GetKind() {
	case "ResourceQuota":
		return ResourceQuotaResource
	case "LimitRange":
		return LimitRangeResource
	case "NetworkPolicy":
		return NetworkPolicyResource
	case "ServiceAccount":
		return ServiceAccountResource
	case "Role":
		return RoleResource
	case "RoleBinding":
		return RoleBindingResource
	case "Secret":
		return SecretResource
	}
	return NamespaceResource
}
