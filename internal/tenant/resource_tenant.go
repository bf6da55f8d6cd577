package tenant

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/octollm/terraform-provider-octollm/internal/catalog"
	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

var (
	_ resource.ResourceWithConfigure      = (*tenantResource)(nil)
	_ resource.ResourceWithImportState    = (*tenantResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*tenantResource)(nil)
	_ resource.ResourceWithValidateConfig = (*tenantResource)(nil)
)

const defaultTimeout = 10 * time.Minute

// incompleteKey marks, in private state, a tenant whose create failed part way: destroying
// it (Terraform replaces a tainted tenant) removes only what that failed create made, so
// deletion_protection does not block finishing it.
const incompleteKey = "create_incomplete"

// createIncomplete is sync_status after a create that failed part way.
const createIncomplete = "create incomplete: the tenant was never finished (no API key Secret); apply again to finish it"

// NewResource returns the octollm_tenant resource.
func NewResource() resource.Resource { return &tenantResource{} }

type tenantResource struct {
	backends *clients.Backends
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
		PlatformNamespace: r.backends.Config.Namespace,
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

func (r *tenantResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b, err := clients.FromProviderData(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
		return
	}
	r.backends = b
}

func (r *tenantResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m model
	if !tfvalue.ConfigGet(ctx, req.Config, &m, &resp.Diagnostics) {
		return
	}
	d := &resp.Diagnostics
	if tfvalue.Known(m.Name) {
		if msg := NameProblem(m.Name.ValueString()); msg != "" {
			d.AddAttributeError(path.Root("name"), "Invalid tenant name", "name: "+msg)
		}
	}
	for i, q := range m.Quota {
		for _, f := range []struct {
			name string
			v    types.String
		}{{"cpu", q.CPU}, {"memory", q.Memory}} {
			if tfvalue.Known(f.v) {
				if msg := QuantityProblem(f.v.ValueString()); msg != "" {
					d.AddAttributeError(path.Root("quota").AtListIndex(i).AtName(f.name), "Invalid quota", fmt.Sprintf("quota.%s: %s", f.name, msg))
				}
			}
		}
	}
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
	if tfvalue.Known(m.Admins) {
		for _, a := range stringsOf(ctx, m.Admins, d) {
			if msg := EmailProblem(a); msg != "" {
				d.AddAttributeError(path.Root("admins"), "Invalid admin", "admins: "+msg)
			}
		}
	}
	for i, b := range m.Billing {
		p := path.Root("billing").AtListIndex(i)
		if tfvalue.Known(b.Email) {
			if msg := EmailProblem(b.Email.ValueString()); msg != "" {
				d.AddAttributeError(p.AtName("email"), "Invalid billing email", "billing.email: "+msg)
			}
		}
		if tfvalue.Known(b.PlanID) && !strings.HasPrefix(b.PlanID.ValueString(), "prod_") {
			d.AddAttributeError(p.AtName("plan_id"), "Invalid billing plan",
				fmt.Sprintf("billing.plan_id: %q is not a billing plan id: use an octollm_billing_plan's id (a Stripe product, prod_...), such as octollm_billing_plan.standard.id.", b.PlanID.ValueString()))
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
	if plan.billing() != nil && r.backends != nil && r.backends.Config.Stripe.APIKey == "" {
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
	if plan.APIKeyVersion.Equal(state.APIKeyVersion) {
		plan.APIKey, plan.APIKeyID = state.APIKey, state.APIKeyID
	} else {
		plan.APIKey, plan.APIKeyID = types.StringUnknown(), types.StringUnknown()
	}
	switch {
	case plan.billing() == nil:
		plan.StripeCustomerID, plan.StripeSubscriptionID = types.StringNull(), types.StringNull()
	case state.billing() == nil || state.StripeSubscriptionID.IsNull() || strings.Contains(state.SyncStatus.ValueString(), "subscription ") ||
		strings.Contains(state.SyncStatus.ValueString(), "incomplete"):
		plan.StripeCustomerID, plan.StripeSubscriptionID = types.StringUnknown(), types.StringUnknown()
	default:
		plan.StripeCustomerID, plan.StripeSubscriptionID = state.StripeCustomerID, state.StripeSubscriptionID
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *tenantResource) kube(ctx context.Context, d *diag.Diagnostics) *clients.Kube {
	return r.backends.KubeFor(ctx, "octollm_tenant", d)
}

func (r *tenantResource) billingOps(ctx context.Context, name, gen string, d *diag.Diagnostics) *billingOps {
	api, err := r.backends.Stripe(ctx)
	if err != nil {
		d.AddAttributeError(path.Root("billing"), "Cannot reach Stripe", err.Error())
		return nil
	}
	return &billingOps{api: api, tenant: name, gen: gen}
}

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
		// written last) without deletion_protection in the way, and Create adopts the Stripe
		// customer and subscription it finds instead of making new ones.
		plan.SyncStatus = types.StringValue(createIncomplete)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, incompleteKey, []byte(`true`))...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// claimable checks the tenant's namespace and key Secret are free or already this provider's
// tenant of the same name (left by an interrupted create, which this create then finishes).
func (r *tenantResource) claimable(ctx context.Context, k *clients.Kube, name string, d *diag.Diagnostics) bool {
	platformNS := r.backends.Config.Namespace
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
	}{{NamespaceResource, "", Namespace(name)}, {SecretResource, r.backends.Config.Namespace, SecretName(name)}} {
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
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

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
	found, problems := r.observe(ctx, k, &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !found {
		resp.State.RemoveResource(ctx)
		return
	}
	switch {
	case state.SyncStatus.ValueString() == createIncomplete:
		// Kept until an apply finishes the tenant: Delete relies on it.
	case len(problems) == 0:
		if state.SyncStatus.ValueString() == "" || strings.HasPrefix(state.SyncStatus.ValueString(), "drifted") {
			state.SyncStatus = types.StringValue(InSync)
		}
	default:
		state.SyncStatus = types.StringValue("drifted: " + strings.Join(problems, "; "))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// observe compares the live tenant with the one m describes. It returns whether anything of
// the tenant exists (the namespace or the key Secret) and what differs.
func (r *tenantResource) observe(ctx context.Context, k *clients.Kube, m *model, d *diag.Diagnostics) (bool, []string) {
	name := m.Name.ValueString()
	ns, err := k.GetCached(ctx, NamespaceResource, "", Namespace(name))
	if err != nil {
		d.AddError("Cannot read Namespace "+Namespace(name), err.Error())
		return false, nil
	}
	secret, err := k.GetCached(ctx, SecretResource, r.backends.Config.Namespace, SecretName(name))
	if err != nil {
		d.AddError("Cannot read Secret "+SecretName(name), err.Error())
		return false, nil
	}
	if ns == nil && secret == nil {
		return false, nil
	}
	spec := r.spec(ctx, *m, d)
	if spec.APIKeyHash == "" && secret != nil { // imported: the key is not known, only its hash
		if rec, err := ParseRecord(secret); err == nil {
			spec.APIKeyHash = rec.APIKeyHash
		}
	}
	var problems []string
	switch {
	case ns == nil:
		problems = append(problems, fmt.Sprintf("namespace %s is missing", Namespace(name)))
	case ns.GetDeletionTimestamp() != nil:
		problems = append(problems, fmt.Sprintf("namespace %s is being deleted", Namespace(name)))
	default:
		problems = append(problems, Drift(spec.NamespaceObject(), ns)...)
		for _, want := range spec.NamespacedObjects() {
			live, err := k.GetCached(ctx, gvrOf(want), want.GetNamespace(), want.GetName())
			if err != nil {
				d.AddError("Cannot read "+want.GetKind()+" "+want.GetName(), err.Error())
				return true, nil
			}
			problems = append(problems, Drift(want, live)...)
		}
		for _, o := range unwanted(spec) {
			live, err := k.GetCached(ctx, o.gvr, Namespace(name), o.name)
			if err != nil {
				d.AddError("Cannot read "+o.gvr.Resource+" "+o.name, err.Error())
				return true, nil
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
			problems = append(problems, p)
		}
	}
	return true, problems
}

// observeBilling reports a subscription canceled or deleted out of band.
func (r *tenantResource) observeBilling(ctx context.Context, m *model, d *diag.Diagnostics) string {
	api, err := r.backends.Stripe(ctx)
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
	if !k.DeleteNamespaceOrDiag(ctx, Namespace(name), timeout, &resp.Diagnostics) {
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
	secret, err := k.Get(ctx, SecretResource, r.backends.Config.Namespace, SecretName(req.ID))
	if err != nil {
		resp.Diagnostics.AddError("Cannot import tenant "+req.ID, err.Error())
		return
	}
	if secret == nil || !clients.OwnedBy(secret) || secret.GetLabels()[contract.TenantLabel] != req.ID {
		resp.Diagnostics.AddError("Cannot import tenant "+req.ID,
			fmt.Sprintf("there is no tenant %q: the Secret %s/%s that records it does not exist or is not this provider's. Check the name and the provider's namespace (OCTOLLM_NAMESPACE).",
				req.ID, r.backends.Config.Namespace, SecretName(req.ID)))
		return
	}
	rec, err := ParseRecord(secret)
	if err != nil {
		resp.Diagnostics.AddError("Cannot import tenant "+req.ID, err.Error())
		return
	}
	m := modelFromRecord(rec)
	found, problems := r.observe(ctx, k, &m, &resp.Diagnostics)
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
