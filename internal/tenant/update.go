package tenant

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

func (r *tenantResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultTimeout)
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
	if plan.APIKey.IsUnknown() {
		key, err := NewAPIKey()
		if err != nil {
			resp.Diagnostics.AddError("Cannot generate an API key", err.Error())
			return
		}
		plan.APIKey, plan.APIKeyID = types.StringValue(key), types.StringValue(KeyID(key))
	}
	if plan.billing() != nil {
		// Keep what exists; write checks it is still live.
		plan.StripeCustomerID, plan.StripeSubscriptionID = state.StripeCustomerID, state.StripeSubscriptionID
	} else if sb := state.billing(); sb != nil && tfvalue.Known(state.StripeSubscriptionID) {
		o := r.billingOps(ctx, state.Name.ValueString(), "", &resp.Diagnostics)
		if o == nil {
			return
		}
		if err := o.cancel(state.StripeSubscriptionID.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("billing"), "Cannot cancel the tenant's subscription", err.Error())
			return
		}
		if sb.DeleteCustomer.ValueBool() && tfvalue.Known(state.StripeCustomerID) {
			if err := o.deleteCustomer(state.StripeCustomerID.ValueString()); err != nil {
				resp.Diagnostics.AddAttributeError(path.Root("billing"), "Cannot delete the tenant's Stripe customer", err.Error())
				return
			}
		}
	}
	if r.write(ctx, k, &plan, &resp.Diagnostics) || resp.Diagnostics.HasError() {
		failed := resp.Diagnostics.HasError()
		mark(ctx, resp.Private, applyIncompleteKey, failed, &resp.Diagnostics)
		if !failed {
			mark(ctx, resp.Private, incompleteKey, false, &resp.Diagnostics)
			mark(ctx, resp.Private, billingDriftKey, false, &resp.Diagnostics)
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}
