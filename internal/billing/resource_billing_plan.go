package billing

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/stripe/stripe-go/v76"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

var (
	_ resource.ResourceWithConfigure      = (*planResource)(nil)
	_ resource.ResourceWithImportState    = (*planResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*planResource)(nil)
	_ resource.ResourceWithValidateConfig = (*planResource)(nil)
)

// NewResource returns the octollm_billing_plan resource.
func NewResource() resource.Resource { return &planResource{} }

type planResource struct {
	tfvalue.ResourceBackends
}

type meterModel struct {
	Key               types.String `tfsdk:"key"`
	DisplayName       types.String `tfsdk:"display_name"`
	UnitAmountDecimal types.String `tfsdk:"unit_amount_decimal"`
}

type model struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	Currency     types.String `tfsdk:"currency"`
	ProductID    types.String `tfsdk:"product_id"`
	Meters       types.Map    `tfsdk:"meters"`
	StripeStatus types.String `tfsdk:"stripe_status"`
	Meter        []meterModel `tfsdk:"meter"`
}

func (m model) meters() []Meter {
	out := make([]Meter, 0, len(m.Meter))
	for _, x := range m.Meter {
		out = append(out, Meter{Key: x.Key.ValueString(), DisplayName: x.DisplayName.ValueString(), UnitAmountDecimal: x.UnitAmountDecimal.ValueString()})
	}
	return out
}

func (r *planResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_billing_plan"
}

func (r *planResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

func (r *planResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m model
	if !tfvalue.ConfigGet(ctx, req.Config, &m, &resp.Diagnostics) {
		return
	}
	if tfvalue.Known(m.Name) {
		if msg := NameProblem(m.Name.ValueString()); msg != "" {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Invalid plan name", "name: "+msg)
		}
	}
	if tfvalue.Known(m.Currency) {
		if msg := CurrencyProblem(m.Currency.ValueString()); msg != "" {
			resp.Diagnostics.AddAttributeError(path.Root("currency"), "Invalid currency", "currency: "+msg)
		}
	}
	if len(m.Meter) == 0 {
		resp.Diagnostics.AddAttributeError(path.Root("meter"), "No meters",
			"meter: a billing plan needs at least one meter block (key, display_name, unit_amount_decimal), such as key = \"llm_tokens\".")
	}
	seen := map[string]int{}
	for i, x := range m.Meter {
		p := path.Root("meter").AtListIndex(i)
		if tfvalue.Known(x.Key) {
			key := x.Key.ValueString()
			if msg := MeterKeyProblem(key); msg != "" {
				resp.Diagnostics.AddAttributeError(p.AtName("key"), "Invalid meter key", fmt.Sprintf("meter[%d].key: %s", i, msg))
			}
			if j, dup := seen[key]; dup {
				resp.Diagnostics.AddAttributeError(p.AtName("key"), "Duplicate meter key",
					fmt.Sprintf("meter[%d].key: %q is also the key of meter[%d]; each meter key may appear once per plan: merge the two blocks or rename one.", i, key, j))
			} else {
				seen[key] = i
			}
		}
		if tfvalue.Known(x.UnitAmountDecimal) {
			if msg := AmountProblem(x.UnitAmountDecimal.ValueString()); msg != "" {
				resp.Diagnostics.AddAttributeError(p.AtName("unit_amount_decimal"), "Invalid amount", fmt.Sprintf("meter[%d].unit_amount_decimal: %s", i, msg))
			}
		}
		if tfvalue.Known(x.DisplayName) && strings.TrimSpace(x.DisplayName.ValueString()) == "" {
			resp.Diagnostics.AddAttributeError(p.AtName("display_name"), "Empty display name",
				fmt.Sprintf("meter[%d].display_name: give the meter a name for invoices, such as \"LLM tokens\".", i))
		}
	}
}

// ModifyPlan refuses to plan without a Stripe configuration, and keeps the meter and price
// ids of meters whose key and amount are unchanged.
func (r *planResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	if r.Backends != nil && r.Backends.Config.Stripe.APIKey == "" {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "No Stripe configuration",
			"octollm_billing_plan needs Stripe: set stripe.api_key in the provider block or the STRIPE_API_KEY environment variable (a secret or restricted key, sk_... or rk_...).")
		return
	}
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior := map[string]meterIDs{}
	if !req.State.Raw.IsNull() {
		var state model
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		prior = idsOf(ctx, state, &resp.Diagnostics)
		amounts := map[string]string{}
		for _, x := range state.Meter {
			amounts[x.Key.ValueString()] = x.UnitAmountDecimal.ValueString()
		}
		currencyChanged := !plan.Currency.Equal(state.Currency)
		for k, ids := range prior {
			if currencyChanged || !SameAmount(amounts[k], amountOf(plan, k)) {
				ids.price = ""
				prior[k] = ids
			}
		}
	}
	elems := map[string]attr.Value{}
	allKnown := true
	for _, x := range plan.Meter {
		if !tfvalue.Known(x.Key) {
			allKnown = false
			break
		}
		k := x.Key.ValueString()
		ids := prior[k]
		elems[k] = types.ObjectValueMust(meterObjectType.AttrTypes, map[string]attr.Value{
			"meter_id":   knownOrUnknown(ids.meter),
			"price_id":   knownOrUnknown(ids.price),
			"event_name": types.StringValue(contract.MeterEventName(k)),
		})
	}
	if allKnown {
		plan.Meters = types.MapValueMust(meterObjectType, elems)
	} else {
		plan.Meters = types.MapUnknown(meterObjectType)
	}
	plan.StripeStatus = types.StringValue(InSync)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func amountOf(m model, key string) string {
	for _, x := range m.Meter {
		if x.Key.ValueString() == key {
			return x.UnitAmountDecimal.ValueString()
		}
	}
	return ""
}

func knownOrUnknown(s string) types.String {
	if s == "" {
		return types.StringUnknown()
	}
	return types.StringValue(s)
}

type meterIDs struct{ meter, price string }

func idsOf(ctx context.Context, m model, d *diag.Diagnostics) map[string]meterIDs {
	out := map[string]meterIDs{}
	if !tfvalue.Known(m.Meters) {
		return out
	}
	var raw map[string]struct {
		MeterID   types.String `tfsdk:"meter_id"`
		PriceID   types.String `tfsdk:"price_id"`
		EventName types.String `tfsdk:"event_name"`
	}
	d.Append(m.Meters.ElementsAs(ctx, &raw, false)...)
	for k, v := range raw {
		out[k] = meterIDs{meter: v.MeterID.ValueString(), price: v.PriceID.ValueString()}
	}
	return out
}

func (r *planResource) ops(ctx context.Context, d *diag.Diagnostics) *stripeOps {
	if r.Backends == nil {
		d.AddError("Provider not configured", "The octollm provider was not configured before octollm_billing_plan was used; this is a bug in the provider.")
		return nil
	}
	api, err := r.Backends.Stripe(ctx)
	if err != nil {
		d.AddError("Cannot reach Stripe", err.Error())
		return nil
	}
	return &stripeOps{api: api}
}

func (r *planResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	o := r.ops(ctx, &resp.Diagnostics)
	if o == nil {
		return
	}
	r.write(*o, "", &plan, &resp.Diagnostics)
	if plan.ID.IsUnknown() { // not even the product exists
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *planResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	o := r.ops(ctx, &resp.Diagnostics)
	if o == nil {
		return
	}
	r.write(*o, state.ID.ValueString(), &plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// write makes Stripe match the plan: the product, then per meter its meter and price, then
// archives the prices (and releases the meters) of meters no longer configured. On failure m
// records what exists, so the next apply continues from there.
func (r *planResource) write(o stripeOps, productID string, m *model, d *diag.Diagnostics) {
	name := m.Name.ValueString()
	currency := m.Currency.ValueString()
	product, err := o.ensureProduct(productID, name)
	if err != nil {
		d.AddError("Cannot write the plan's Stripe product", err.Error())
		return
	}
	m.ID = types.StringValue(product.ID)
	m.ProductID = types.StringValue(product.ID)
	ids := map[string]meterIDs{}
	defer func() {
		m.Meters = metersValue(m.meters(), ids)
		if d.HasError() {
			m.StripeStatus = types.StringValue("incomplete: the last apply failed; apply again to finish")
		} else {
			m.StripeStatus = types.StringValue(InSync)
		}
	}()
	prices, extra, err := o.activePrices(product.ID)
	if err != nil {
		d.AddError("Cannot read the plan's prices", err.Error())
		return
	}
	meters, err := o.meters()
	if err != nil {
		d.AddError("Cannot read billing meters", err.Error())
		return
	}
	wanted := map[string]bool{}
	for _, mt := range m.meters() {
		wanted[mt.Key] = true
		meter, err := o.ensureMeter(meters, mt)
		if err != nil {
			d.AddAttributeError(path.Root("meter"), "Cannot write billing meter "+mt.EventName(), err.Error())
			return
		}
		price, err := o.ensurePrice(name, product.ID, currency, prices[mt.Key], mt, meter.ID)
		if err != nil {
			d.AddAttributeError(path.Root("meter"), "Cannot write the price of meter "+mt.Key, err.Error())
			return
		}
		ids[mt.Key] = meterIDs{meter: meter.ID, price: price.ID}
	}
	for key, p := range prices {
		if wanted[key] {
			continue
		}
		if err := o.archivePrice(p.ID); err != nil {
			d.AddError("Cannot archive the price of removed meter "+key, err.Error())
			return
		}
		if p.Recurring != nil && p.Recurring.Meter != "" {
			if err := o.releaseMeter(p.Recurring.Meter, product.ID); err != nil {
				d.AddError("Cannot deactivate the meter of removed meter "+key, err.Error())
				return
			}
		}
	}
	for _, p := range extra {
		if p.Metadata[contract.ManagedByMetadata] != contract.ManagedByValue {
			continue // someone else's price on the product: not ours to archive
		}
		if err := o.archivePrice(p.ID); err != nil {
			d.AddError("Cannot archive a superseded price", err.Error())
			return
		}
	}
}

func metersValue(meters []Meter, ids map[string]meterIDs) types.Map {
	elems := map[string]attr.Value{}
	for _, mt := range meters {
		x, ok := ids[mt.Key]
		if !ok {
			continue
		}
		elems[mt.Key] = types.ObjectValueMust(meterObjectType.AttrTypes, map[string]attr.Value{
			"meter_id": types.StringValue(x.meter), "price_id": types.StringValue(x.price), "event_name": types.StringValue(mt.EventName()),
		})
	}
	return types.MapValueMust(meterObjectType, elems)
}

func (r *planResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	o := r.ops(ctx, &resp.Diagnostics)
	if o == nil {
		return
	}
	live, err := o.read(state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot read billing plan "+state.Name.ValueString(), err.Error())
		return
	}
	if live == nil {
		resp.State.RemoveResource(ctx)
		return
	}
	refresh(&state, live)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// refresh sets m from the live plan: the product name, each meter's display name and amount,
// the ids, and stripe_status describing what the configuration's shape cannot show.
func refresh(m *model, live *Live) {
	m.ID = types.StringValue(live.Product.ID)
	m.ProductID = types.StringValue(live.Product.ID)
	if n := live.Product.Metadata[PlanMetadata]; n != "" {
		m.Name = types.StringValue(n)
	}
	var problems []string
	ids := map[string]meterIDs{}
	for i, x := range m.Meter {
		key := x.Key.ValueString()
		price, meter := live.Prices[key], live.Meters[key]
		if price == nil {
			problems = append(problems, fmt.Sprintf("meter %s has no active price", key))
			continue
		}
		if amount := FormatAmount(price.UnitAmountDecimal); !SameAmount(amount, x.UnitAmountDecimal.ValueString()) {
			m.Meter[i].UnitAmountDecimal = types.StringValue(amount)
		}
		if c := string(price.Currency); c != "" {
			m.Currency = types.StringValue(c)
		}
		if meter == nil {
			problems = append(problems, fmt.Sprintf("meter %s: price %s has no billing meter", key, price.ID))
			continue
		}
		if meter.Status != stripe.BillingMeterStatusActive {
			problems = append(problems, fmt.Sprintf("billing meter %s (%s) is %s", meter.ID, meter.EventName, meter.Status))
		}
		m.Meter[i].DisplayName = types.StringValue(meter.DisplayName)
		ids[key] = meterIDs{meter: meter.ID, price: price.ID}
	}
	for key := range live.Prices {
		if amountOf(*m, key) == "" && !hasKey(*m, key) {
			problems = append(problems, fmt.Sprintf("an active price %s bills meter key %s, which the configuration does not have", live.Prices[key].ID, key))
		}
	}
	sort.Strings(problems)
	m.Meters = metersValue(m.meters(), ids)
	if len(problems) == 0 {
		m.StripeStatus = types.StringValue(InSync)
	} else {
		m.StripeStatus = types.StringValue("drifted: " + strings.Join(problems, "; "))
	}
}

func hasKey(m model, key string) bool {
	for _, x := range m.Meter {
		if x.Key.ValueString() == key {
			return true
		}
	}
	return false
}

func (r *planResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	o := r.ops(ctx, &resp.Diagnostics)
	if o == nil {
		return
	}
	product := state.ID.ValueString()
	prices, extra, err := o.activePrices(product)
	if err != nil {
		if clients.StripeNotFound(err) {
			return
		}
		resp.Diagnostics.AddError("Cannot read the plan's prices", err.Error())
		return
	}
	meters := map[string]bool{}
	for _, ids := range idsOf(ctx, state, &resp.Diagnostics) {
		if ids.meter != "" {
			meters[ids.meter] = true
		}
	}
	for _, p := range append(sortedPrices(prices), extra...) {
		if p.Metadata[contract.ManagedByMetadata] != contract.ManagedByValue {
			continue
		}
		if err := o.archivePrice(p.ID); err != nil {
			resp.Diagnostics.AddError("Cannot archive price "+p.ID, err.Error())
			return
		}
		if p.Recurring != nil && p.Recurring.Meter != "" {
			meters[p.Recurring.Meter] = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(meters)) {
		if err := o.releaseMeter(id, product); err != nil {
			resp.Diagnostics.AddError("Cannot deactivate billing meter "+id, err.Error())
			return
		}
	}
	if _, err := o.api.Products.Update(product, &stripe.ProductParams{Active: stripe.Bool(false)}); err != nil && !clients.StripeNotFound(err) {
		resp.Diagnostics.AddError("Cannot archive product "+product, clients.StripeError("archive product "+product, err).Error())
	}
}

func sortedPrices(m map[string]*stripe.Price) []*stripe.Price {
	out := make([]*stripe.Price, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}

// ImportState imports a plan by its Stripe product id; the meters come from the product's
// active prices, ordered by key.
func (r *planResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !strings.HasPrefix(req.ID, "prod_") {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("The import ID of octollm_billing_plan is the Stripe product id, such as prod_Q1w2e3r4t5y6u7 (the plan's id attribute); got %q.", req.ID))
		return
	}
	o := r.ops(ctx, &resp.Diagnostics)
	if o == nil {
		return
	}
	live, err := o.read(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Cannot import "+req.ID, err.Error())
		return
	}
	if live == nil || live.Product.Metadata[PlanMetadata] == "" {
		resp.Diagnostics.AddError("Cannot import "+req.ID,
			fmt.Sprintf("product %s does not exist, is archived, or has no %s metadata, so it is not an OctoLLM billing plan: check the id in the Stripe dashboard.", req.ID, PlanMetadata))
		return
	}
	m := model{Name: types.StringValue(live.Product.Metadata[PlanMetadata]), Currency: types.StringValue("usd")}
	for _, key := range slices.Sorted(maps.Keys(live.Prices)) {
		m.Meter = append(m.Meter, meterModel{Key: types.StringValue(key), DisplayName: types.StringValue(live.Prices[key].Nickname),
			UnitAmountDecimal: types.StringValue(FormatAmount(live.Prices[key].UnitAmountDecimal))})
	}
	refresh(&m, live)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
