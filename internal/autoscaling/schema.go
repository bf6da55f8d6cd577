package autoscaling

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/validate"
)

func behaviorBlock(direction string) schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "How fast the HPA scales " + direction + ". Absent: Kubernetes' defaults.",
		Attributes: map[string]schema.Attribute{
			"stabilization_window_seconds": schema.Int64Attribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Seconds of past recommendations considered before scaling " + direction + ", 0-3600.",
				Validators:          []validator.Int64{int64validator.Between(0, 3600)},
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"select_policy": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "`Max` (the policy allowing the biggest change), `Min` or `Disabled`.",
				Validators:          []validator.String{stringvalidator.OneOf("Max", "Min", "Disabled")},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"policy": schema.ListNestedBlock{
				MarkdownDescription: "A scaling policy; at least one per block.",
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"type": schema.StringAttribute{
						Required: true, MarkdownDescription: "`Percent` or `Pods`.",
						Validators: []validator.String{stringvalidator.OneOf("Percent", "Pods")},
					},
					"value": schema.Int64Attribute{
						Required: true, MarkdownDescription: "Percent of current replicas, or a pod count, per period; at least 1.",
						Validators: []validator.Int64{int64validator.AtLeast(1)},
					},
					"period_seconds": schema.Int64Attribute{
						Required: true, MarkdownDescription: "The period the value applies to, 1-1800 seconds.",
						Validators: []validator.Int64{int64validator.Between(1, 1800)},
					},
				}},
				Validators: []validator.List{listvalidator.SizeAtLeast(1)},
			},
		},
	}
}

func resourceSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Hybrid autoscaling for one workload: a HorizontalPodAutoscaler (autoscaling/v2) scaling " +
			"replicas on CPU, memory and custom metrics with separate scale-up and scale-down behaviour, an optional " +
			"VerticalPodAutoscaler right-sizing requests, and an optional PodDisruptionBudget so spot preemption " +
			"never takes the workload to zero. Objects are named `<target>-hpa`, `<target>-vpa` and `<target>-pdb` " +
			"and written with server-side apply. Removing `vertical` or `disruption_budget` deletes that object.\n\n" +
			"Import with `namespace/target-name`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "`namespace/target-name`; also the import ID.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"namespace": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The workload's namespace; default the provider's `namespace`. Changing it replaces the objects.",
				Validators:          []validator.String{validate.AtPath(validate.Namespace)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
			},
			"min_replicas": schema.Int64Attribute{
				Required: true, MarkdownDescription: "Fewest replicas, at least 1 and at most `max_replicas`.",
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"max_replicas": schema.Int64Attribute{
				Required: true, MarkdownDescription: "Most replicas.",
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"cpu_utilization": schema.Int64Attribute{
				Optional: true, MarkdownDescription: "Target average CPU use, in percent of requests.",
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"memory_utilization": schema.Int64Attribute{
				Optional: true, MarkdownDescription: "Target average memory use, in percent of requests.",
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"hpa_name": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The HorizontalPodAutoscaler's name.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"vpa_name": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The VerticalPodAutoscaler's name, when `vertical` is set.",
			},
			"pdb_name": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The PodDisruptionBudget's name, when `disruption_budget` is set.",
			},
		},
		Blocks: map[string]schema.Block{
			"target": schema.SingleNestedBlock{
				MarkdownDescription: "The workload to scale. Required. Changing it replaces the objects.",
				Attributes: map[string]schema.Attribute{
					"kind": schema.StringAttribute{
						Optional: true, Computed: true, Default: stringdefault.StaticString("Deployment"),
						MarkdownDescription: "`Deployment` (default) or `StatefulSet`.",
						Validators:          []validator.String{stringvalidator.OneOf("Deployment", "StatefulSet")},
						PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
					},
					"name": schema.StringAttribute{
						Optional: true, MarkdownDescription: "The workload's name. Required.",
						Validators:    []validator.String{stringvalidator.RegexMatches(dnsLabel, "must be a DNS-1123 label of at most 57 characters (the objects add -hpa, -vpa, -pdb)")},
						PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
					},
				},
				Validators: []validator.Object{objectvalidator.IsRequired()},
			},
			"metric": schema.ListNestedBlock{
				MarkdownDescription: "A custom metric to scale on. `Pods` and `Object` metrics are read from the cluster's " +
					"`custom.metrics.k8s.io` API, and `External` ones from `external.metrics.k8s.io`: a metrics adapter must serve " +
					"them (on GKE: Managed Service for Prometheus collecting the metric plus the custom-metrics-stackdriver-adapter). " +
					"An HPA that cannot read one of its metrics scales up on the others but never scales down, so the plan warns " +
					"when the cluster's `custom.metrics.k8s.io` does not serve a `Pods` or `Object` metric named here. " +
					"`cpu_utilization` and `memory_utilization` need only metrics-server, which GKE runs.",
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"type": schema.StringAttribute{
						Required: true, MarkdownDescription: "`Pods` (averaged over the workload's pods), `Object` or `External`.",
						Validators: []validator.String{stringvalidator.OneOf("Pods", "Object", "External")},
					},
					"name": schema.StringAttribute{
						Required: true, MarkdownDescription: "The metric's name, such as `task_queue_depth`.",
						Validators: []validator.String{validate.String("Invalid metric name", "metric.name: ", validate.MetricName)},
					},
					"average_value": schema.StringAttribute{
						Optional: true, MarkdownDescription: "Target value per pod, a quantity such as `10` or `500m`. Required for `Pods`.",
						Validators: []validator.String{validate.String("Invalid quantity in metric.average_value", "", validate.Quantity)},
					},
					"value": schema.StringAttribute{
						Optional: true, MarkdownDescription: "Target total value, a quantity; for `Object` and `External` instead of `average_value`.",
						Validators: []validator.String{validate.String("Invalid quantity in metric.value", "", validate.Quantity)},
					},
					"selector": schema.MapAttribute{
						Optional: true, ElementType: types.StringType,
						MarkdownDescription: "Label selector narrowing the metric.",
					},
					"object_kind":        schema.StringAttribute{Optional: true, MarkdownDescription: "For `Object`: the described object's kind, such as `Service`."},
					"object_name":        schema.StringAttribute{Optional: true, MarkdownDescription: "For `Object`: the described object's name."},
					"object_api_version": schema.StringAttribute{Optional: true, MarkdownDescription: "For `Object`: the described object's API version, such as `v1`."},
				}},
			},
			"scale_up":   behaviorBlock("up"),
			"scale_down": behaviorBlock("down"),
			"vertical": schema.SingleNestedBlock{
				MarkdownDescription: "A VerticalPodAutoscaler for the workload. The cluster needs the VPA API (GKE: `--enable-vertical-pod-autoscaling`).",
				Attributes: map[string]schema.Attribute{
					"update_mode": schema.StringAttribute{
						Optional: true, Computed: true, Default: stringdefault.StaticString("Off"),
						MarkdownDescription: "`Off` (recommend only, default), `Initial`, `Recreate`, `Auto` or `InPlaceOrRecreate`.",
						Validators:          []validator.String{stringvalidator.OneOf("Off", "Initial", "Recreate", "Auto", "InPlaceOrRecreate")},
					},
					"container": schema.StringAttribute{
						Optional: true, Computed: true, Default: stringdefault.StaticString("*"),
						MarkdownDescription: "The container the policy applies to; default `*`, every container.",
					},
					"min_allowed": schema.MapAttribute{
						Optional: true, ElementType: types.StringType,
						MarkdownDescription: "Lowest requests VPA may set, such as `{ cpu = \"500m\", memory = \"1Gi\" }`.",
						Validators:          []validator.Map{validate.Quantities(), mapvalidator.KeysAre(validate.String("Unknown resource in vertical.min_allowed", "", vpaResourceProblem))},
					},
					"max_allowed": schema.MapAttribute{
						Optional: true, ElementType: types.StringType,
						MarkdownDescription: "Highest requests VPA may set.",
						Validators:          []validator.Map{validate.Quantities(), mapvalidator.KeysAre(validate.String("Unknown resource in vertical.max_allowed", "", vpaResourceProblem))},
					},
					"controlled_resources": schema.ListAttribute{
						Optional: true, ElementType: types.StringType,
						MarkdownDescription: "Resources VPA controls: `cpu`, `memory`; default both.",
						Validators:          []validator.List{listvalidator.ValueStringsAre(stringvalidator.OneOf("cpu", "memory"))},
					},
				},
			},
			"disruption_budget": schema.SingleNestedBlock{
				MarkdownDescription: "A PodDisruptionBudget for the workload's pods: set `min_available` or `max_unavailable`.",
				Attributes: map[string]schema.Attribute{
					"min_available": schema.StringAttribute{
						Optional: true, MarkdownDescription: "Pods that must stay available: a count (`2`) or a percentage (`50%`).",
						Validators: []validator.String{validate.String("Invalid disruption_budget.min_available", "", intOrPercentProblem)},
					},
					"max_unavailable": schema.StringAttribute{
						Optional: true, MarkdownDescription: "Pods that may be unavailable: a count or a percentage.",
						Validators: []validator.String{validate.String("Invalid disruption_budget.max_unavailable", "", intOrPercentProblem)},
					},
					"selector": schema.MapAttribute{
						Optional: true, ElementType: types.StringType,
						MarkdownDescription: "The pods' labels; default `{ app = <target name> }`.",
					},
				},
			},
		},
	}
}
