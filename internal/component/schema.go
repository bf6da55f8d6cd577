package component

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/validate"
)

var (
	dnsLabel = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`)
	// dns1123Subdomain is a ServiceAccount name.
	dns1123Subdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	secretType       = types.ObjectType{AttrTypes: map[string]attr.Type{"secret": types.StringType, "key": types.StringType}}
)

func resourceSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "One runtime component of the OctoLLM gateway (the gateway, the reflex layer, the orchestrator " +
			"or an arm) as a Deployment and a ClusterIP Service. Pods run as non-root with a read-only root filesystem, no " +
			"privilege escalation, all capabilities dropped and the RuntimeDefault seccomp profile, so the `restricted` Pod " +
			"Security Standard admits them; `placement` puts them on the node pool of a workload type. With `replicas` " +
			"unset the replica count is left to the HPA (`octollm_autoscaling`) and survives every apply.\n\n" +
			"Import with `namespace/name`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "`namespace/name`; also the import ID.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The component's name: the Deployment's and the Service's. Changing it replaces them.",
				Validators:    []validator.String{stringvalidator.RegexMatches(dnsLabel, "must be a DNS-1123 label: lowercase letters, digits and hyphens, starting with a letter, at most 63 characters")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"namespace": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The namespace; default the provider's `namespace`. Reference `octollm_platform.this.namespace` to create the platform first.",
				Validators:          []validator.String{validate.AtPath(validate.Namespace)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
			},
			"kind": schema.StringAttribute{
				Required: true, MarkdownDescription: "`gateway`, `reflex`, `orchestrator` or `arm`.",
				Validators: []validator.String{stringvalidator.OneOf(Kinds...)},
			},
			"image": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The image, `registry/repository:tag` or with `@sha256:<64 hex>`. `latest` and untagged " +
					"references are refused.",
			},
			"require_digest": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Refuse an `image` without a sha256 digest at plan time. Default false.",
			},
			"port": schema.Int64Attribute{
				Required: true, MarkdownDescription: "The container's HTTP port, also the Service's.",
				Validators: []validator.Int64{int64validator.Between(1, 65535)},
			},
			"replicas": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Replica count. Unset: the provider leaves `spec.replicas` to the HPA.",
				Validators:          []validator.Int64{int64validator.Between(0, 1000)},
			},
			"args": schema.ListAttribute{
				Optional: true, ElementType: types.StringType, MarkdownDescription: "Container arguments.",
			},
			"env": schema.MapAttribute{
				Optional: true, ElementType: types.StringType, MarkdownDescription: "Plain environment variables.",
				Validators: []validator.Map{mapvalidator.KeysAre(validate.String("Invalid environment variable name", "env key ", validate.EnvName))},
			},
			"secret_env": schema.MapAttribute{
				Optional: true, ElementType: secretType,
				MarkdownDescription: "Environment variables from Secrets: `{ NAME = { secret = \"llm-keys\", key = \"openai\" } }`.",
				Validators:          []validator.Map{mapvalidator.KeysAre(validate.String("Invalid environment variable name", "secret_env key ", validate.EnvName))},
			},
			"health_path": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("/healthz"),
				MarkdownDescription: "Path of the readiness and liveness probes. Default `/healthz`.",
				Validators:          []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^/`), "must start with /")},
			},
			"termination_grace_period_seconds": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(60),
				MarkdownDescription: "Seconds a pod gets to stop. Default 60.",
				Validators:          []validator.Int64{int64validator.Between(0, 3600)},
			},
			"pre_stop_sleep_seconds": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(0),
				MarkdownDescription: "Seconds to keep serving after a pod is told to stop, so load balancers drain it; below the grace period. Default 0.",
				Validators:          []validator.Int64{int64validator.Between(0, 3600)},
			},
			"sandboxed": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Run in GKE Sandbox (`runtimeClassName: gvisor`), for the executor arm. The gvisor RuntimeClass places the pods only on GKE Sandbox nodes (`sandbox.gke.io/runtime=gvisor`): the cluster needs an `octollm_node_pool` with `sandbox_config { sandbox_type = \"gvisor\" }` (of the `placement` workload type, if set), else the pods stay unschedulable. Default false.",
			},
			"service_account_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The ServiceAccount the pods run as, in the component's namespace (for the gateway: `octollm_platform.gateway_service_account`). " +
					"Only then is an API token mounted; without it the pods run with no token and cannot call the apiserver.",
				Validators: []validator.String{stringvalidator.LengthAtMost(253), stringvalidator.RegexMatches(dns1123Subdomain, "must be a ServiceAccount name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters")},
			},
			"wait_for_rollout": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Wait until the Deployment is Available with every replica updated. Default true.",
			},
			"deployment_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The Deployment's name.", PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"service_name":    schema.StringAttribute{Computed: true, MarkdownDescription: "The Service's name.", PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"service_url": schema.StringAttribute{
				Computed: true, MarkdownDescription: "`http://<name>.<namespace>.svc.cluster.local:<port>`.",
			},
			"image_digest": schema.StringAttribute{Computed: true, MarkdownDescription: "The image's `sha256:` digest, when the reference has one."},
		},
		Blocks: map[string]schema.Block{
			"resources": schema.SingleNestedBlock{
				MarkdownDescription: "Container requests and limits, such as `requests = { cpu = \"500m\", memory = \"1Gi\" }`.",
				Attributes: map[string]schema.Attribute{
					"requests": schema.MapAttribute{
						Optional: true, ElementType: types.StringType, MarkdownDescription: "Requests by resource name.",
						Validators: []validator.Map{validate.Quantities()},
					},
					"limits": schema.MapAttribute{
						Optional: true, ElementType: types.StringType, MarkdownDescription: "Limits by resource name.",
						Validators: []validator.Map{validate.Quantities()},
					},
				},
			},
			"placement": schema.SingleNestedBlock{
				MarkdownDescription: "Put the pods on the nodes of a workload type (`octollm_node_pool.workload_type`): a toleration for its taint and a node affinity, preferred or required.",
				Attributes: map[string]schema.Attribute{
					"workload_type": schema.StringAttribute{
						Optional: true, MarkdownDescription: "`cpu-optimized`, `memory-optimized` or `spot`. Required in the block.",
						Validators: []validator.String{stringvalidator.OneOf("cpu-optimized", "memory-optimized", "spot")},
					},
					"required": schema.BoolAttribute{
						Optional: true, Computed: true, Default: booldefault.StaticBool(false),
						MarkdownDescription: "Only those nodes (required affinity) instead of preferring them. Default false.",
					},
				},
			},
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true}),
		},
	}
}
