package tenant

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

func (r *tenantResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.Name.ValueString()
	incomplete, diags := req.Private.GetKey(ctx, incompleteKey)
	resp.Diagnostics.Append(diags...)
	if (state.DeletionProtection.IsNull() || state.DeletionProtection.ValueBool()) && incomplete == nil && state.SyncStatus.ValueString() != createIncomplete {
		resp.Diagnostics.AddAttributeError(path.Root("deletion_protection"), "Cannot destroy octollm_tenant: deletion protection is on",
			fmt.Sprintf("octollm_tenant %s: deletion_protection is true; set deletion_protection = false and apply, then destroy. "+
				"Destroying deletes namespace %s and all the tenant's data, revokes its API key and cancels its subscription.", name, Namespace(name)))
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultTimeout)
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
	if err := k.Delete(ctx, SecretResource, r.backends.Config.Namespace, SecretName(name)); err != nil {
		resp.Diagnostics.AddError("Cannot delete the key Secret "+SecretName(name), err.Error())
		return
	}
	if !tfvalue.DeleteNamespace(ctx, k, Namespace(name), timeout, &resp.Diagnostics) {
		return
	}
	b := state.billing()
	if b == nil {
		return
	}
	o := r.billingOps(ctx, name, "", &resp.Diagnostics)
	if o == nil {
		return
	}
	if tfvalue.Known(state.StripeSubscriptionID) {
		if err := o.cancel(state.StripeSubscriptionID.ValueString()); err != nil {
			resp.Diagnostics.AddError("Cannot cancel the tenant's subscription", err.Error())
			return
		}
	}
	if b.DeleteCustomer.ValueBool() && tfvalue.Known(state.StripeCustomerID) {
		if err := o.deleteCustomer(state.StripeCustomerID.ValueString()); err != nil {
			resp.Diagnostics.AddError("Cannot delete the tenant's Stripe customer", err.Error())
		}
	}
}
