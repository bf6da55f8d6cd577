package modelroute

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

// model is the resource's Terraform state.
type model struct {
	ID                 types.String       `tfsdk:"id"`
	Name               types.String       `tfsdk:"name"`
	Tenant             types.String       `tfsdk:"tenant"`
	Namespace          types.String       `tfsdk:"namespace"`
	Strategy           types.String       `tfsdk:"strategy"`
	RequiredCapability types.String       `tfsdk:"required_capability"`
	MinCapabilityScore types.Int64        `tfsdk:"min_capability_score"`
	EffectiveModel     types.String       `tfsdk:"effective_model"`
	ConfigMap          types.String       `tfsdk:"config_map"`
	RouteJSON          types.String       `tfsdk:"route_json"`
	Checksum           types.String       `tfsdk:"checksum"`
	Match              *matchModel        `tfsdk:"match"`
	Targets            []targetModel      `tfsdk:"target"`
	CustomModels       []customModelModel `tfsdk:"custom_model"`
	Fallback           *fallbackModel     `tfsdk:"fallback"`
	Retry              *retryModel        `tfsdk:"retry"`
	Cache              *cacheModel        `tfsdk:"cache"`
	Budget             *budgetModel       `tfsdk:"budget"`
}

type matchModel struct {
	TaskTypes     types.List  `tfsdk:"task_types"`
	MinComplexity types.Int64 `tfsdk:"min_complexity"`
	MaxComplexity types.Int64 `tfsdk:"max_complexity"`
}

type targetModel struct {
	Model    types.String `tfsdk:"model"`
	Weight   types.Int64  `tfsdk:"weight"`
	Priority types.Int64  `tfsdk:"priority"`
}

type customModelModel struct {
	Name                      types.String  `tfsdk:"name"`
	Provider                  types.String  `tfsdk:"provider"`
	InputCostPerMillion       types.Float64 `tfsdk:"input_cost_per_million"`
	OutputCostPerMillion      types.Float64 `tfsdk:"output_cost_per_million"`
	CachedInputCostPerMillion types.Float64 `tfsdk:"cached_input_cost_per_million"`
	ContextWindow             types.Int64   `tfsdk:"context_window"`
	Capabilities              types.Map     `tfsdk:"capabilities"`
}

type fallbackModel struct {
	On          types.List  `tfsdk:"on"`
	Models      types.List  `tfsdk:"models"`
	MaxAttempts types.Int64 `tfsdk:"max_attempts"`
}

type retryModel struct {
	Attempts          types.Int64 `tfsdk:"attempts"`
	BackoffMS         types.Int64 `tfsdk:"backoff_ms"`
	RespectRetryAfter types.Bool  `tfsdk:"respect_retry_after"`
}

type cacheModel struct {
	Mode                types.String  `tfsdk:"mode"`
	TTLSeconds          types.Int64   `tfsdk:"ttl_seconds"`
	SimilarityThreshold types.Float64 `tfsdk:"similarity_threshold"`
	PartitionByTenant   types.Bool    `tfsdk:"partition_by_tenant"`
}

type budgetModel struct {
	USDPerDay         types.Float64 `tfsdk:"usd_per_day"`
	TokensPerMinute   types.Int64   `tfsdk:"tokens_per_minute"`
	RequestsPerMinute types.Int64   `tfsdk:"requests_per_minute"`
	OnExceed          types.String  `tfsdk:"on_exceed"`
}

// The schema's defaults, applied here too because ValidateConfig sees the configuration before
// Terraform fills them in.
func int64Or(v types.Int64, def int64) int64 {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return v.ValueInt64()
}

func stringOr(v types.String, def string) string {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return v.ValueString()
}

func boolOr(v types.Bool, def bool) bool {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return v.ValueBool()
}

func int64Ptr(v types.Int64) *int64 {
	if !tfvalue.Known(v) {
		return nil
	}
	n := v.ValueInt64()
	return &n
}

func float64Ptr(v types.Float64) *float64 {
	if !tfvalue.Known(v) {
		return nil
	}
	f := v.ValueFloat64()
	return &f
}

func stringList(ctx context.Context, l types.List, d *diag.Diagnostics) []string {
	if !tfvalue.Known(l) {
		return nil
	}
	out := []string{}
	d.Append(l.ElementsAs(ctx, &out, false)...)
	return out
}

// routeOf is the route a configuration or plan describes.
func routeOf(ctx context.Context, m model, d *diag.Diagnostics) Route {
	r := Route{
		Name: m.Name.ValueString(), Tenant: m.Tenant.ValueString(),
		Strategy:           stringOr(m.Strategy, StrategyCheapestCapable),
		RequiredCapability: m.RequiredCapability.ValueString(),
		MinCapabilityScore: int64Ptr(m.MinCapabilityScore),
	}
	if mm := m.Match; mm != nil {
		r.Match = &Match{TaskTypes: stringList(ctx, mm.TaskTypes, d), MinComplexity: int64Or(mm.MinComplexity, 1), MaxComplexity: int64Or(mm.MaxComplexity, 10)}
	}
	for _, t := range m.Targets {
		r.Targets = append(r.Targets, Target{Model: t.Model.ValueString(), Weight: int64Or(t.Weight, 1), Priority: int64Or(t.Priority, 0)})
	}
	for _, c := range m.CustomModels {
		caps := map[string]int64{}
		if tfvalue.Known(c.Capabilities) {
			d.Append(c.Capabilities.ElementsAs(ctx, &caps, false)...)
		}
		r.CustomModels = append(r.CustomModels, CustomModel{
			Name: c.Name.ValueString(), Provider: stringOr(c.Provider, "self-hosted"),
			InputCostPerMillion: c.InputCostPerMillion.ValueFloat64(), OutputCostPerMillion: c.OutputCostPerMillion.ValueFloat64(),
			CachedInputCostPerMillion: float64Ptr(c.CachedInputCostPerMillion), ContextWindow: int64Ptr(c.ContextWindow),
			Capabilities: caps,
		})
	}
	if f := m.Fallback; f != nil {
		r.Fallback = &Fallback{On: stringList(ctx, f.On, d), Models: stringList(ctx, f.Models, d), MaxAttempts: int64Or(f.MaxAttempts, 1)}
	}
	if rt := m.Retry; rt != nil {
		r.Retry = &Retry{Attempts: int64Or(rt.Attempts, 2), BackoffMS: int64Or(rt.BackoffMS, 500), RespectRetryAfter: boolOr(rt.RespectRetryAfter, true)}
	}
	if c := m.Cache; c != nil {
		r.Cache = &Cache{Mode: c.Mode.ValueString(), TTLSeconds: int64Ptr(c.TTLSeconds), SimilarityThreshold: float64Ptr(c.SimilarityThreshold), PartitionByTenant: boolOr(c.PartitionByTenant, true)}
	}
	if b := m.Budget; b != nil {
		r.Budget = &Budget{USDPerDay: float64Ptr(b.USDPerDay), TokensPerMinute: int64Ptr(b.TokensPerMinute), RequestsPerMinute: int64Ptr(b.RequestsPerMinute), OnExceed: stringOr(b.OnExceed, "reject")}
	}
	return r
}

func int64Value(p *int64) types.Int64 {
	if p == nil {
		return types.Int64Null()
	}
	return types.Int64Value(*p)
}

func float64Value(p *float64) types.Float64 {
	if p == nil {
		return types.Float64Null()
	}
	return types.Float64Value(*p)
}

func listValue(ctx context.Context, items []string, d *diag.Diagnostics) types.List {
	if items == nil {
		return types.ListNull(types.StringType)
	}
	v, dd := types.ListValueFrom(ctx, types.StringType, items)
	d.Append(dd...)
	return v
}

// setRoute writes a route read back from route.json into m's configuration attributes.
func setRoute(ctx context.Context, r Route, m *model, d *diag.Diagnostics) {
	m.Name, m.Tenant = types.StringValue(r.Name), tfvalue.OptString(r.Tenant)
	m.Strategy, m.RequiredCapability = types.StringValue(r.Strategy), tfvalue.OptString(r.RequiredCapability)
	m.MinCapabilityScore = int64Value(r.MinCapabilityScore)
	m.Match = nil
	if mm := r.Match; mm != nil {
		m.Match = &matchModel{TaskTypes: listValue(ctx, mm.TaskTypes, d), MinComplexity: types.Int64Value(mm.MinComplexity), MaxComplexity: types.Int64Value(mm.MaxComplexity)}
	}
	m.Targets = make([]targetModel, 0, len(r.Targets))
	for _, t := range r.Targets {
		m.Targets = append(m.Targets, targetModel{Model: types.StringValue(t.Model), Weight: types.Int64Value(t.Weight), Priority: types.Int64Value(t.Priority)})
	}
	m.CustomModels = make([]customModelModel, 0, len(r.CustomModels))
	for _, c := range r.CustomModels {
		caps, dd := types.MapValueFrom(ctx, types.Int64Type, c.Capabilities)
		d.Append(dd...)
		m.CustomModels = append(m.CustomModels, customModelModel{
			Name: types.StringValue(c.Name), Provider: types.StringValue(c.Provider),
			InputCostPerMillion: types.Float64Value(c.InputCostPerMillion), OutputCostPerMillion: types.Float64Value(c.OutputCostPerMillion),
			CachedInputCostPerMillion: float64Value(c.CachedInputCostPerMillion), ContextWindow: int64Value(c.ContextWindow), Capabilities: caps,
		})
	}
	m.Fallback = nil
	if f := r.Fallback; f != nil {
		m.Fallback = &fallbackModel{On: listValue(ctx, f.On, d), Models: listValue(ctx, f.Models, d), MaxAttempts: types.Int64Value(f.MaxAttempts)}
	}
	m.Retry = nil
	if rt := r.Retry; rt != nil {
		m.Retry = &retryModel{Attempts: types.Int64Value(rt.Attempts), BackoffMS: types.Int64Value(rt.BackoffMS), RespectRetryAfter: types.BoolValue(rt.RespectRetryAfter)}
	}
	m.Cache = nil
	if c := r.Cache; c != nil {
		m.Cache = &cacheModel{Mode: tfvalue.OptString(c.Mode), TTLSeconds: int64Value(c.TTLSeconds), SimilarityThreshold: float64Value(c.SimilarityThreshold), PartitionByTenant: types.BoolValue(c.PartitionByTenant)}
	}
	m.Budget = nil
	if b := r.Budget; b != nil {
		m.Budget = &budgetModel{USDPerDay: float64Value(b.USDPerDay), TokensPerMinute: int64Value(b.TokensPerMinute), RequestsPerMinute: int64Value(b.RequestsPerMinute), OnExceed: types.StringValue(b.OnExceed)}
	}
}

// setComputed fills the attributes the provider derives from the route.
func setComputed(r Route, namespace string, m *model, d *diag.Diagnostics) {
	m.ID = types.StringValue(r.ID())
	m.Namespace = types.StringValue(namespace)
	m.ConfigMap = types.StringValue(r.ConfigMapName())
	m.EffectiveModel = tfvalue.OptString(r.EffectiveModel())
	data, err := r.JSON()
	if err != nil {
		d.AddError("Cannot render route.json", err.Error())
		return
	}
	m.RouteJSON = types.StringValue(string(data))
	m.Checksum = types.StringValue(Checksum(data))
}
