package tenant

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/catalog"
	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

var (
	_ resource.ResourceWithConfigure      = (*tenantResource)(nil)
	_ resource.ResourceWithImportState    = (*tenantResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*tenantResource)(nil)
	_ resource.ResourceWithValidateConfig = (*tenantResource)(nil)
)

const defaultTimeout = 10 * time.Minute

// incompleteKey marks, in private state, a tenant whose create failed part way: read keeps its
// sync_status until an apply finishes it, and plan expects Stripe IDs (the next create adopts
// what that create made).
const incompleteKey = "create_incomplete"

// applyIncompleteKey marks, in private state, a tenant whose last update failed part way: read
// keeps its sync_status until an apply finishes it, and plan expects new Stripe IDs.
const applyIncompleteKey = "apply_incomplete"

// billingDriftKey marks, in private state, a tenant whose read found its subscription canceled
// or deleted out of band: plan expects the next apply to make new Stripe IDs.
const billingDriftKey = "billing_drift"

// privateGetter and privateSetter are the request's and the response's private state.
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// marked reports whether private state holds key (one of the *Key marks above).
func marked(ctx context.Context, p privateGetter, key string, d *diag.Diagnostics) bool {
	v, diags := p.GetKey(ctx, key)
	d.Append(diags...)
	return len(v) > 0
}

// mark sets key in private state, or removes it when on is false.
func mark(ctx context.Context, p privateSetter, key string, on bool, d *diag.Diagnostics) {
	var v []byte
	if on {
		v = []byte(`true`)
	}
	d.Append(p.SetKey(ctx, key, v)...)
}

// createIncomplete is sync_status after a create that failed part way.
const createIncomplete = "create incomplete: the tenant was never finished (no API key Secret); apply again to finish it"

// NewResource returns the octollm_tenant resource.
func NewResource() resource.Resource { return &tenantResource{} }

type tenantResource struct {
	tfvalue.ResourceBackends
}

type quotaModel struct {
	CPU               types.String `tfsdk:"cpu"`
	Memory            types.String `tfsdk:"memory"`
	Pods              types.Int64  `tfsdk:"pods"`
	LLMTokensPerMonth types.Int64  `tfsdk:"llm_tokens_per_month"`
	RequestsPerMinute types.Int64  `tfsdk:"requests_per_minute"`
}

type billingModel struct {
	PlanID         types.String `tfsdk:"plan_id"`
	Email          types.String `tfsdk:"email"`
	DeleteCustomer types.Bool   `tfsdk:"delete_customer"`
}

type model struct {
	ID                   types.String   `tfsdk:"id"`
	Name                 types.String   `tfsdk:"name"`
	DisplayName          types.String   `tfsdk:"display_name"`
	Tier                 types.String   `tfsdk:"tier"`
	AllowedModels        types.Set      `tfsdk:"allowed_models"`
	Admins               types.Set      `tfsdk:"admins"`
	NetworkIsolation     types.Bool     `tfsdk:"network_isolation"`
	DataRetentionDays    types.Int64    `tfsdk:"data_retention_days"`
	APIKeyVersion        types.Int64    `tfsdk:"api_key_version"`
	DeletionProtection   types.Bool     `tfsdk:"deletion_protection"`
	Namespace            types.String   `tfsdk:"namespace"`
	APIKey               types.String   `tfsdk:"api_key"`
	APIKeyID             types.String   `tfsdk:"api_key_id"`
	StripeCustomerID     types.String   `tfsdk:"stripe_customer_id"`
	StripeSubscriptionID types.String   `tfsdk:"stripe_subscription_id"`
	SyncStatus           types.String   `tfsdk:"sync_status"`
	Quota                []quotaModel   `tfsdk:"quota"`
	Billing              []billingModel `tfsdk:"billing"`
	Timeouts             timeouts.Value `tfsdk:"timeouts"`
}

func (m model) billing() *billingModel {
	if len(m.Billing) == 0 {
		return nil
	}
	return &m.Billing[0]
}

func stringsOf(ctx context.Context, s types.Set, d *diag.Diagnostics) []string {
	var out []string
	if tfvalue.Known(s) {
		d.Append(s.ElementsAs(ctx, &out, false)...)
	}
	sort.Strings(out)
	return out
}

// spec turns a model into the Spec the objects are built from.
func (r *tenantResource) spec(ctx context.Context, m model, d *diag.Diagnostics) Spec {
	s := Spec{
		Name:              m.Name.ValueString(),
		DisplayName:       m.DisplayName.ValueString(),
		Tier:              m.Tier.ValueString(),
		Quota:             TierQuota(m.Tier.ValueString()),
		AllowedModels:     stringsOf(ctx, m.AllowedModels, d),
		Admins:            stringsOf(ctx, m.Admins, d),
		NetworkIsolation:  m.NetworkIsolation.ValueBool(),
		DataRetentionDays: m.DataRetentionDays.ValueInt64(),
		APIKeyVersion:     m.APIKeyVersion.ValueInt64(),
		APIKeyID:          m.APIKeyID.ValueString(),
		PlatformNamespace: r.Backends.Config.Namespace,
	}
	if tfvalue.Known(m.APIKey) {
		s.APIKeyHash = KeyHash(m.APIKey.ValueString())
	}
	if len(m.Quota) == 1 {
		q := m.Quota[0]
		for _, f := range []struct {
			name string
			v    types.String
			dst  *string
		}{{"cpu", q.CPU, &s.Quota.CPU}, {"memory", q.Memory, &s.Quota.Memory}} {
			if tfvalue.Known(f.v) {
				*f.dst = f.v.ValueString()
				s.QuotaFields = append(s.QuotaFields, f.name)
			}
		}
		for _, f := range []struct {
			name string
			v    types.Int64
			dst  *int64
		}{{"pods", q.Pods, &s.Quota.Pods}, {"llm_tokens_per_month", q.LLMTokensPerMonth, &s.Quota.LLMTokensPerMonth}, {"requests_per_minute", q.RequestsPerMinute, &s.Quota.RequestsPerMinute}} {
			if tfvalue.Known(f.v) {
				*f.dst = f.v.ValueInt64()
				s.QuotaFields = append(s.QuotaFields, f.name)
			}
		}
	}
	if b := m.billing(); b != nil {
		s.Billing = &Billing{PlanID: b.PlanID.ValueString(), Email: b.Email.ValueString(), DeleteCustomer: b.DeleteCustomer.ValueBool(),
			CustomerID: m.StripeCustomerID.ValueString(), SubscriptionID: m.StripeSubscriptionID.ValueString()}
	}
	return s
}

func (r *tenantResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tenant"
}

func (r *tenantResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

// ValidateConfig checks allowed_models against the catalog; the name, quota, admins and
// billing values have their rules in the schema (package validate).
func (r *tenantResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m model
	if !tfvalue.ConfigGet(ctx, req.Config, &m, &resp.Diagnostics) {
		return
	}
	d := &resp.Diagnostics
	if tfvalue.Known(m.AllowedModels) {
		for _, name := range stringsOf(ctx, m.AllowedModels, d) {
			if strings.TrimSpace(name) == "" {
				d.AddAttributeError(path.Root("allowed_models"), "Empty model name", "allowed_models: a model name is empty; use names from data.octollm_model_catalog, such as \"gpt-4o-mini\".")
				continue
			}
			if _, ok := catalog.Lookup(name); !ok {
				d.AddAttributeError(path.Root("allowed_models"), "Unknown model", "allowed_models: "+catalog.UnknownModelError(name))
			}
		}
	}
}

// ModifyPlan derives the computed names, plans a new key when api_key_version changes, and
// refuses billing without a Stripe configuration.
func (r *tenantResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.billing() != nil && r.Backends != nil && r.Backends.Config.Stripe.APIKey == "" {
		resp.Diagnostics.AddAttributeError(path.Root("billing"), "No Stripe configuration",
			"billing: the tenant is billed on Stripe, but the provider has no Stripe configuration: set stripe.api_key in the provider block "+
				"or the STRIPE_API_KEY environment variable (sk_... or rk_...), or remove the billing block.")
		return
	}
	if tfvalue.Known(plan.Name) {
		plan.ID = types.StringValue(plan.Name.ValueString())
		plan.Namespace = types.StringValue(Namespace(plan.Name.ValueString()))
	}
	plan.SyncStatus = types.StringValue(InSync)
	if req.State.Raw.IsNull() {
		plan.APIKey, plan.APIKeyID = types.StringUnknown(), types.StringUnknown()
		if plan.billing() == nil {
			plan.StripeCustomerID, plan.StripeSubscriptionID = types.StringNull(), types.StringNull()
		}
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A key is kept until api_key_version changes; a tenant whose create issued none (one
	// untainted after a failed create) gets its first.
	if plan.APIKeyVersion.Equal(state.APIKeyVersion) && !state.APIKeyID.IsNull() {
		plan.APIKey, plan.APIKeyID = state.APIKey, state.APIKeyID
	} else {
		plan.APIKey, plan.APIKeyID = types.StringUnknown(), types.StringUnknown()
	}
	switch {
	case plan.billing() == nil:
		plan.StripeCustomerID, plan.StripeSubscriptionID = types.StringNull(), types.StringNull()
	case state.billing() == nil || state.StripeSubscriptionID.IsNull() || marked(ctx, req.Private, billingDriftKey, &resp.Diagnostics) ||
		marked(ctx, req.Private, incompleteKey, &resp.Diagnostics) || marked(ctx, req.Private, applyIncompleteKey, &resp.Diagnostics):
		plan.StripeCustomerID, plan.StripeSubscriptionID = types.StringUnknown(), types.StringUnknown()
	default:
		plan.StripeCustomerID, plan.StripeSubscriptionID = state.StripeCustomerID, state.StripeSubscriptionID
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *tenantResource) kube(ctx context.Context, d *diag.Diagnostics) *clients.Kube {
	return tfvalue.Kube(ctx, r.Backends, "octollm_tenant", d)
}

func (r *tenantResource) billingOps(ctx context.Context, name, gen string, d *diag.Diagnostics) *billingOps {
	api, err := r.Backends.Stripe(ctx)
	if err != nil {
		d.AddAttributeError(path.Root("billing"), "Cannot reach Stripe", err.Error())
		return nil
	}
	return &billingOps{api: api, tenant: name, gen: gen}
}
