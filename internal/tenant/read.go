package tenant

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

func (r *tenantResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	found, problems, billingDrift := r.observe(ctx, k, &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !found {
		resp.State.RemoveResource(ctx)
		return
	}
	switch {
	case marked(ctx, req.Private, incompleteKey, &resp.Diagnostics):
		// sync_status keeps saying the create is unfinished until an apply finishes it.
	case len(problems) == 0:
		if !marked(ctx, req.Private, applyIncompleteKey, &resp.Diagnostics) {
			state.SyncStatus = types.StringValue(InSync)
		}
	default:
		state.SyncStatus = types.StringValue("drifted: " + strings.Join(problems, "; "))
	}
	mark(ctx, resp.Private, billingDriftKey, billingDrift, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// observe compares the live tenant with the one m describes. It returns whether anything of
// the tenant exists (the namespace or the key Secret), what differs, and whether its
// subscription is gone or no longer live.
func (r *tenantResource) observe(ctx context.Context, k *clients.Kube, m *model, d *diag.Diagnostics) (found bool, problems []string, billingDrift bool) {
	name := m.Name.ValueString()
	ns, err := k.Get(ctx, NamespaceResource, "", Namespace(name))
	if err != nil {
		d.AddError("Cannot read Namespace "+Namespace(name), err.Error())
		return false, nil, false
	}
	secret, err := k.Get(ctx, SecretResource, r.Backends.Config.Namespace, SecretName(name))
	if err != nil {
		d.AddError("Cannot read Secret "+SecretName(name), err.Error())
		return false, nil, false
	}
	if ns == nil && secret == nil {
		return false, nil, false
	}
	spec := r.spec(ctx, *m, d)
	if spec.APIKeyHash == "" && secret != nil { // imported: the key is not known, only its hash
		if rec, err := ParseRecord(secret); err == nil {
			spec.APIKeyHash = rec.APIKeyHash
		}
	}
	switch {
	case ns == nil:
		problems = append(problems, fmt.Sprintf("namespace %s is missing", Namespace(name)))
	case ns.GetDeletionTimestamp() != nil:
		problems = append(problems, fmt.Sprintf("namespace %s is being deleted", Namespace(name)))
	default:
		problems = append(problems, Drift(spec.NamespaceObject(), ns)...)
		for _, want := range spec.NamespacedObjects() {
			live, err := k.Get(ctx, gvrOf(want), want.GetNamespace(), want.GetName())
			if err != nil {
				d.AddError("Cannot read "+want.GetKind()+" "+want.GetName(), err.Error())
				return true, nil, false
			}
			problems = append(problems, Drift(want, live)...)
		}
		for _, o := range unwanted(spec) {
			live, err := k.Get(ctx, o.gvr, Namespace(name), o.name)
			if err != nil {
				d.AddError("Cannot read "+o.gvr.Resource+" "+o.name, err.Error())
				return true, nil, false
			}
			if live != nil {
				problems = append(problems, fmt.Sprintf("%s %s exists but the configuration does not ask for it", strings.TrimSuffix(o.gvr.Resource, "s"), o.name))
			}
		}
	}
	if want, err := spec.KeySecret(); err == nil {
		problems = append(problems, Drift(want, secret)...)
	}
	if b := m.billing(); b != nil && tfvalue.Known(m.StripeSubscriptionID) {
		if p := r.observeBilling(ctx, m, d); p != "" {
			problems, billingDrift = append(problems, p), true
		}
	}
	return true, problems, billingDrift
}

// observeBilling reports a subscription canceled or deleted out of band.
func (r *tenantResource) observeBilling(ctx context.Context, m *model, d *diag.Diagnostics) string {
	api, err := r.Backends.Stripe(ctx)
	if err != nil {
		d.AddAttributeError(path.Root("billing"), "Cannot reach Stripe", err.Error())
		return ""
	}
	id := m.StripeSubscriptionID.ValueString()
	sub, err := api.Subscriptions.Get(id, nil)
	switch {
	case clients.StripeNotFound(err):
		return "subscription " + id + " no longer exists"
	case err != nil:
		d.AddError("Cannot read subscription "+id, clients.StripeError("retrieve subscription "+id, err).Error())
		return ""
	case !live(sub):
		return fmt.Sprintf("subscription %s is %s", id, sub.Status)
	}
	return ""
}

// ImportState imports a tenant by name from its key Secret's record. The key itself is not
// recoverable: api_key stays null until api_key_version changes.
func (r *tenantResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if msg := NameProblem(req.ID); msg != "" {
		resp.Diagnostics.AddError("Invalid import ID", "The import ID of octollm_tenant is the tenant's name: "+msg)
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	secret, err := k.Get(ctx, SecretResource, r.Backends.Config.Namespace, SecretName(req.ID))
	if err != nil {
		resp.Diagnostics.AddError("Cannot import tenant "+req.ID, err.Error())
		return
	}
	if secret == nil || !clients.OwnedBy(secret) || secret.GetLabels()[contract.TenantLabel] != req.ID {
		resp.Diagnostics.AddError("Cannot import tenant "+req.ID,
			fmt.Sprintf("there is no tenant %q: the Secret %s/%s that records it does not exist or is not this provider's. Check the name and the provider's namespace (OCTOLLM_NAMESPACE).",
				req.ID, r.Backends.Config.Namespace, SecretName(req.ID)))
		return
	}
	rec, err := ParseRecord(secret)
	if err != nil {
		resp.Diagnostics.AddError("Cannot import tenant "+req.ID, err.Error())
		return
	}
	m := modelFromRecord(rec)
	found, problems, billingDrift := r.observe(ctx, k, &m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !found {
		resp.Diagnostics.AddError("Cannot import tenant "+req.ID, "the tenant was deleted during the import")
		return
	}
	if len(problems) > 0 {
		m.SyncStatus = types.StringValue("drifted: " + strings.Join(problems, "; "))
	}
	mark(ctx, resp.Private, billingDriftKey, billingDrift, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func modelFromRecord(rec Spec) model {
	set := func(v []string) types.Set {
		if len(v) == 0 {
			return types.SetNull(types.StringType)
		}
		elems := make([]attr.Value, 0, len(v))
		for _, s := range v {
			elems = append(elems, types.StringValue(s))
		}
		return types.SetValueMust(types.StringType, elems)
	}
	m := model{
		ID: types.StringValue(rec.Name), Name: types.StringValue(rec.Name), DisplayName: types.StringValue(rec.DisplayName),
		Tier: types.StringValue(rec.Tier), AllowedModels: set(rec.AllowedModels), Admins: set(rec.Admins),
		NetworkIsolation: types.BoolValue(rec.NetworkIsolation), DataRetentionDays: types.Int64Value(rec.DataRetentionDays),
		APIKeyVersion: types.Int64Value(rec.APIKeyVersion), DeletionProtection: types.BoolValue(true),
		Namespace: types.StringValue(Namespace(rec.Name)), APIKey: types.StringNull(), APIKeyID: types.StringValue(rec.APIKeyID),
		StripeCustomerID: types.StringNull(), StripeSubscriptionID: types.StringNull(), SyncStatus: types.StringValue(InSync),
		Timeouts: tfvalue.NullTimeouts(timeouts.Opts{Create: true, Update: true, Delete: true}),
	}
	if len(rec.QuotaFields) > 0 {
		set := map[string]bool{}
		for _, f := range rec.QuotaFields {
			set[f] = true
		}
		str := func(f, v string) types.String {
			if set[f] {
				return types.StringValue(v)
			}
			return types.StringNull()
		}
		num := func(f string, v int64) types.Int64 {
			if set[f] {
				return types.Int64Value(v)
			}
			return types.Int64Null()
		}
		q := rec.Quota
		m.Quota = []quotaModel{{CPU: str("cpu", q.CPU), Memory: str("memory", q.Memory), Pods: num("pods", q.Pods),
			LLMTokensPerMonth: num("llm_tokens_per_month", q.LLMTokensPerMonth), RequestsPerMinute: num("requests_per_minute", q.RequestsPerMinute)}}
	}
	if b := rec.Billing; b != nil {
		m.Billing = []billingModel{{PlanID: types.StringValue(b.PlanID), Email: types.StringValue(b.Email), DeleteCustomer: types.BoolValue(b.DeleteCustomer)}}
		m.StripeCustomerID, m.StripeSubscriptionID = types.StringValue(b.CustomerID), types.StringValue(b.SubscriptionID)
	}
	return m
}
