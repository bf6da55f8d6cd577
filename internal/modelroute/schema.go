package modelroute

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/catalog"
)

var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)

const dnsLabelMessage = "must be a DNS-1123 label: at most 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit"

// code formats values as Markdown code for descriptions: `a`, `b` or `c`.
func code(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return orList(quoted)
}

func resourceSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A cost-aware LLM route: which tasks it serves (`match`), how it picks a model (`strategy` over " +
			"`target` blocks, or the cheapest capable model of the whole catalog), and what happens on failure (`fallback`, " +
			"`retry`), plus a response `cache` and a `budget`. Every model name is checked against the built-in catalog " +
			"(`data.octollm_model_catalog`) and the route's `custom_model` blocks at plan time, as are weights, priority tiers, " +
			"fallbacks, cache and budget settings; for `cheapest_capable` the plan shows the chosen `effective_model`.\n\n" +
			"The route is stored as ConfigMap `octollm-route-<name>` (tenant routes: `octollm-route-<tenant>-<name>`) in the " +
			"provider's platform namespace, key `route.json`, labelled `octollm.io/model-route=<name>` and " +
			"`octollm.dev/kind=model-route` so the gateway's read-only Role (`octollm_platform`) sees it. A tenant route takes " +
			"precedence over a global route for that tenant. `route.json` is canonical JSON; its format is the contract in " +
			"the guide [Model routes: the contract the gateway reads](../guides/model-route-contract.md), with the JSON Schema " +
			"`docs/model-route.schema.json` of the provider's repository.\n\n" +
			"Import with `name` for a global route or `tenant/name` for a tenant route.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "`name`, or `tenant/name` for a tenant route; also the import ID.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The route's name, a DNS-1123 label such as `code-review`. Changing it replaces the route.",
				Validators:    []validator.String{stringvalidator.RegexMatches(dnsLabel, dnsLabelMessage)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"tenant": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The tenant this route belongs to, a DNS-1123 label (the `octollm_tenant` name). For that tenant's " +
					"requests a tenant route takes precedence over a global route. Unset: a global route. Changing it replaces the route.",
				Validators:    []validator.String{stringvalidator.RegexMatches(dnsLabel, dnsLabelMessage)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"namespace": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The namespace of the ConfigMap: the provider's `namespace` (the platform namespace).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"strategy": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(StrategyCheapestCapable),
				MarkdownDescription: "How the route picks a model: " + code(Strategies) + ". `cheapest_capable` (default) takes the cheapest " +
					"model by input + output price whose `required_capability` score is at least `min_capability_score`, among the targets " +
					"or, with no targets, among the whole catalog and the custom models; `weighted` splits traffic by `target.weight`; " +
					"`priority` uses the lowest `target.priority` tier that is healthy; `lowest_latency` picks per request by observed latency.",
				Validators: []validator.String{stringvalidator.OneOf(Strategies...)},
			},
			"required_capability": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "For `cheapest_capable` (required there, refused otherwise): the capability scored, " + code(catalog.Capabilities()) + ".",
				Validators:          []validator.String{stringvalidator.OneOf(catalog.Capabilities()...)},
			},
			"min_capability_score": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "For `cheapest_capable` (required there, refused otherwise): the lowest acceptable score, 1-10.",
				Validators:          []validator.Int64{int64validator.Between(catalog.MinScore, catalog.MaxScore)},
			},
			"effective_model": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "For `cheapest_capable`, the model chosen at plan time (ties go to the first name in alphabetical " +
					"order); null for the other strategies, which choose per request.",
			},
			"config_map": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The ConfigMap's name: `octollm-route-<name>` or `octollm-route-<tenant>-<name>`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"route_json": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The exact `route.json` the gateway reads. Edits made to the ConfigMap out of band show here, and in the attributes, in the next plan.",
			},
			"checksum": schema.StringAttribute{
				Computed: true, MarkdownDescription: "Hex SHA-256 of `route.json`; changes exactly when the gateway's view of the route changes.",
			},
		},
		Blocks: map[string]schema.Block{
			"match": schema.SingleNestedBlock{
				MarkdownDescription: "Which tasks the route serves. Absent: every task.",
				Attributes: map[string]schema.Attribute{
					"task_types": schema.ListAttribute{
						Optional: true, ElementType: types.StringType,
						MarkdownDescription: "Task types served, such as `[\"code_review\"]`. Unset: every task type.",
					},
					"min_complexity": schema.Int64Attribute{
						Optional: true, Computed: true, Default: int64default.StaticInt64(1),
						MarkdownDescription: "Lowest task complexity served, 1-10 (the seed's complexity scale). Default 1.",
						Validators:          []validator.Int64{int64validator.Between(1, 10)},
					},
					"max_complexity": schema.Int64Attribute{
						Optional: true, Computed: true, Default: int64default.StaticInt64(10),
						MarkdownDescription: "Highest task complexity served, 1-10, not below `min_complexity`. Default 10.",
						Validators:          []validator.Int64{int64validator.Between(1, 10)},
					},
				},
			},
			"target": schema.ListNestedBlock{
				MarkdownDescription: "A model the route sends requests to. Each model at most once; not also a fallback model.",
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"model": schema.StringAttribute{
						Required: true, MarkdownDescription: "A catalog model (`data.octollm_model_catalog`) or a `custom_model` of this route.",
					},
					"weight": schema.Int64Attribute{
						Optional: true, Computed: true, Default: int64default.StaticInt64(1),
						MarkdownDescription: "Relative share of traffic for `weighted`, 0-1000; at least one target must be above 0. Default 1.",
						Validators:          []validator.Int64{int64validator.Between(0, 1000)},
					},
					"priority": schema.Int64Attribute{
						Optional: true, Computed: true, Default: int64default.StaticInt64(0),
						MarkdownDescription: "Tier for `priority`, 0 first; tiers run 0, 1, 2, ... without gaps. Default 0.",
						Validators:          []validator.Int64{int64validator.Between(0, 100)},
					},
				}},
			},
			"custom_model": schema.ListNestedBlock{
				MarkdownDescription: "A model this route declares itself, such as a fine-tuned self-hosted model; it can be a target, a fallback " +
					"and a `cheapest_capable` candidate. Its name must not be a catalog name.",
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"name": schema.StringAttribute{
						Required: true, MarkdownDescription: "The model's name, as targets and fallbacks refer to it.",
						Validators: []validator.String{stringvalidator.LengthBetween(1, 128)},
					},
					"provider": schema.StringAttribute{
						Optional: true, Computed: true, Default: stringdefault.StaticString("self-hosted"),
						MarkdownDescription: "Who serves it. Default `self-hosted`.",
					},
					"input_cost_per_million":        schema.Float64Attribute{Required: true, MarkdownDescription: "USD per million input tokens, 0 or more."},
					"output_cost_per_million":       schema.Float64Attribute{Required: true, MarkdownDescription: "USD per million output tokens, 0 or more."},
					"cached_input_cost_per_million": schema.Float64Attribute{Optional: true, MarkdownDescription: "USD per million cached input tokens, 0 or more."},
					"context_window": schema.Int64Attribute{
						Optional: true, MarkdownDescription: "Maximum input tokens.",
						Validators: []validator.Int64{int64validator.AtLeast(1)},
					},
					"capabilities": schema.MapAttribute{
						Required: true, ElementType: types.Int64Type,
						MarkdownDescription: "Scores 1-10 by capability: `{ reasoning = 6, coding = 6, knowledge = 6 }`. A capability left out scores 0.",
					},
				}},
			},
			"fallback": schema.SingleNestedBlock{
				MarkdownDescription: "Where a request goes when its model fails.",
				Attributes: map[string]schema.Attribute{
					"on": schema.ListAttribute{
						Optional: true, ElementType: types.StringType,
						MarkdownDescription: "The failures that trigger the fallback: " + code(FallbackTriggers) + ". Required in the block.",
						Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
					},
					"models": schema.ListAttribute{
						Optional: true, ElementType: types.StringType,
						MarkdownDescription: "Fallback models in the order tried; catalog or custom models, none of them a target. Required in the block.",
						Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
					},
					"max_attempts": schema.Int64Attribute{
						Optional: true, Computed: true, Default: int64default.StaticInt64(1),
						MarkdownDescription: "How many fallback models are tried at most, 1-10. Default 1.",
						Validators:          []validator.Int64{int64validator.Between(1, 10)},
					},
				},
			},
			"retry": schema.SingleNestedBlock{
				MarkdownDescription: "Retries on the same model before falling back. Absent: no retries.",
				Attributes: map[string]schema.Attribute{
					"attempts": schema.Int64Attribute{
						Optional: true, Computed: true, Default: int64default.StaticInt64(2),
						MarkdownDescription: "Retries after the first try, 0-10. Default 2.",
						Validators:          []validator.Int64{int64validator.Between(0, 10)},
					},
					"backoff_ms": schema.Int64Attribute{
						Optional: true, Computed: true, Default: int64default.StaticInt64(500),
						MarkdownDescription: "Initial backoff in milliseconds, doubled per retry, 0-60000. Default 500.",
						Validators:          []validator.Int64{int64validator.Between(0, 60000)},
					},
					"respect_retry_after": schema.BoolAttribute{
						Optional: true, Computed: true, Default: booldefault.StaticBool(true),
						MarkdownDescription: "Wait as long as a 429's `Retry-After` says when it is longer than the backoff. Default true.",
					},
				},
			},
			"cache": schema.SingleNestedBlock{
				MarkdownDescription: "The response cache, as in the seed's cached client: `exact` (same prompt) or `semantic` (a prompt " +
					"whose embedding is similar enough). Absent: no caching.",
				Attributes: map[string]schema.Attribute{
					"mode": schema.StringAttribute{
						Optional: true, MarkdownDescription: code(CacheModes) + ". Required in the block.",
						Validators: []validator.String{stringvalidator.OneOf(CacheModes...)},
					},
					"ttl_seconds": schema.Int64Attribute{
						Optional: true, MarkdownDescription: "How long an answer is served from the cache; required for `semantic`.",
					},
					"similarity_threshold": schema.Float64Attribute{
						Optional: true,
						MarkdownDescription: "For `semantic`: the cosine similarity above which a cached answer is reused, in (0, 1]. " +
							"Unset: the gateway's default, 0.95.",
					},
					"partition_by_tenant": schema.BoolAttribute{
						Optional: true, Computed: true, Default: booldefault.StaticBool(true),
						MarkdownDescription: "Keep each tenant's cached answers apart, so no tenant is served another's. Default true.",
					},
				},
			},
			"budget": schema.SingleNestedBlock{
				MarkdownDescription: "Spending limits of the route; every limit set must be above 0.",
				Attributes: map[string]schema.Attribute{
					"usd_per_day":         schema.Float64Attribute{Optional: true, MarkdownDescription: "USD per UTC day."},
					"tokens_per_minute":   schema.Int64Attribute{Optional: true, MarkdownDescription: "Input plus output tokens per minute."},
					"requests_per_minute": schema.Int64Attribute{Optional: true, MarkdownDescription: "Requests per minute."},
					"on_exceed": schema.StringAttribute{
						Optional: true, Computed: true, Default: stringdefault.StaticString("reject"),
						MarkdownDescription: "What happens over budget: `reject` (HTTP 429, default), `downgrade` (to the cheapest capable " +
							"fallback or target) or `queue`.",
						Validators: []validator.String{stringvalidator.OneOf(BudgetActions...)},
					},
				},
			},
		},
	}
}
