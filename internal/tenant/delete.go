package tenant

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
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
	// A create that failed part way issued no key (api_key_id null: Create writes the key
	// Secret last) and made no usable tenant: replacing it, as Terraform does a tainted one,
	// is not blocked by deletion protection. The state is what tells: Terraform hands the
	// Delete of a tainted instance's replacement the new object's planned private state, not
	// the old one's, so a private mark would not reach here.
	if (state.DeletionProtection.IsNull() || state.DeletionProtection.ValueBool()) && !state.APIKeyID.IsNull() {
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
	// The key first (revoked at once), then billing, then the namespace: deleting a namespace
	// waits for its controller, and a CLI killed or timed out then leaves a tenant the next
	// refresh finds gone. Its subscription must be canceled by then, or nothing would cancel it.
	if err := k.Delete(ctx, SecretResource, r.Backends.Config.Namespace, SecretName(name)); err != nil {
		resp.Diagnostics.AddError("Cannot delete the key Secret "+SecretName(name), err.Error())
		return
	}
	if !r.cancelBilling(ctx, name, state, &resp.Diagnostics) {
		return
	}
	tfvalue.DeleteNamespace(ctx, k, Namespace(name), timeout, &resp.Diagnostics)
}

// cancelBilling cancels a billed tenant's subscription and, with billing.delete_customer, deletes
// its Stripe customer; false when Stripe refused.
func (r *tenantResource) cancelBilling(ctx context.Context, name string, state model, d *diag.Diagnostics) bool {
	b := state.billing()
	if b == nil {
		return true
	}
	o := r.billingOps(ctx, name, "", d)
	if o == nil {
		return false
	}
	if tfvalue.Known(state.StripeSubscriptionID) {
		if err := o.cancel(state.StripeSubscriptionID.ValueString()); err != nil {
			d.AddError("Cannot cancel the tenant's subscription", err.Error())
			return false
		}
	}
	if b.DeleteCustomer.ValueBool() && tfvalue.Known(state.StripeCustomerID) {
		if err := o.deleteCustomer(state.StripeCustomerID.ValueString()); err != nil {
			d.AddError("Cannot delete the tenant's Stripe customer", err.Error())
			return false
		}
	}
	return true
}
