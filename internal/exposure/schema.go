package exposure

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
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

	"github.com/octollm/terraform-provider-octollm/internal/validate"
)

func resourceSchema(ctx context.Context) schema.Schema {
	gceNameRule := stringvalidator.RegexMatches(gceName, "must be a Google Cloud resource name: 1-63 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen")
	return schema.Schema{
		MarkdownDescription: "Makes a Service (the gateway's, from `octollm_component`) reachable from outside the cluster over HTTPS " +
			"on its hostnames, the way GKE does it with the Gateway API: a `Gateway` of a GKE GatewayClass (default " +
			"`gke-l7-global-external-managed`, a global external Application Load Balancer) with an HTTPS listener, an " +
			"`HTTPRoute` from it to the Service, optionally an HTTP listener whose route redirects to HTTPS, and a GKE " +
			"`HealthCheckPolicy` so the load balancer checks the gateway's readiness path rather than `/`. TLS comes from " +
			"exactly one of a Certificate Manager certificate map, Kubernetes TLS Secrets, or pre-shared Compute Engine " +
			"SSL certificates. The cluster needs the Gateway API enabled (`gcloud container clusters update CLUSTER " +
			"--gateway-api=standard`).\n\n" +
			"Objects: Gateway `<name>`, HTTPRoute `<name>`, HTTPRoute `<name>-http-redirect` (with the redirect) and " +
			"HealthCheckPolicy `<name>`, in `namespace`, written with server-side apply.\n\n" +
			"Import with `namespace/name`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "`namespace/name`; also the import ID.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The exposure's name: the Gateway's, the HTTPRoute's and the HealthCheckPolicy's. Changing it replaces them.",
				Validators: []validator.String{stringvalidator.RegexMatches(dnsLabel, "must be a DNS-1123 label: lower-case letters, digits and hyphens, at most 63 characters"),
					stringvalidator.LengthAtMost(63)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"namespace": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The Service's namespace, where the objects go; default the provider's `namespace`. Changing it replaces them.",
				Validators:          []validator.String{validate.AtPath(validate.Namespace)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
			},
			"service_name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The Service to expose, such as `octollm_component.gateway.service_name`.",
				Validators: []validator.String{stringvalidator.RegexMatches(dnsLabel, "must be a Service name (a DNS-1123 label)")},
			},
			"service_port": schema.Int64Attribute{
				Required: true, MarkdownDescription: "The Service's port, 1-65535, such as `octollm_component.gateway.port`.",
				Validators: []validator.Int64{int64validator.Between(1, 65535)},
			},
			"hostnames": schema.ListAttribute{
				Required: true, ElementType: types.StringType,
				MarkdownDescription: "Fully qualified DNS names clients use, such as `[\"api.octollm.example.com\"]`; the first is `url`'s. " +
					"Point them at `address` in DNS. Changing them updates the routes in place.",
				Validators: []validator.List{listvalidator.SizeBetween(1, 16)},
			},
			"gateway_class": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(DefaultGatewayClass),
				MarkdownDescription: "The GKE GatewayClass: `gke-l7-global-external-managed` (default), `gke-l7-regional-external-managed`, " +
					"`gke-l7-rilb` (internal) or `gke-l7-gxlb` (classic). Changing it replaces the Gateway: GKE builds a different load balancer.",
				Validators:    []validator.String{stringvalidator.OneOf(GatewayClasses...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"certificate_map": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "A Certificate Manager certificate map's name (annotation `networking.gke.io/certmap`); global classes only. " +
					"One of `certificate_map`, `certificate_secrets` and `pre_shared_certificates`.",
				Validators: []validator.String{gceNameRule},
			},
			"certificate_secrets": schema.ListAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Names of `kubernetes.io/tls` Secrets in `namespace` the HTTPS listener terminates TLS with.",
				Validators: []validator.List{listvalidator.SizeBetween(1, 64), listvalidator.ValueStringsAre(
					stringvalidator.RegexMatches(secretName, "must be a Secret name (a DNS-1123 subdomain)"), stringvalidator.LengthAtMost(253))},
			},
			"pre_shared_certificates": schema.ListAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Names of Compute Engine SSL certificates (TLS option `networking.gke.io/pre-shared-certs`).",
				Validators:          []validator.List{listvalidator.SizeBetween(1, 15), listvalidator.ValueStringsAre(gceNameRule)},
			},
			"static_address": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "A reserved IP address's name (`gcloud compute addresses create NAME --global` for global classes), " +
					"requested as a `NamedAddress`. Unset: GKE assigns an ephemeral address.",
				Validators: []validator.String{gceNameRule},
			},
			"http_to_https_redirect": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Also listen for HTTP on port 80 and answer every request with a 301 redirect to https. Default true.",
			},
			"wait_for_address": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Wait, up to `timeouts`, until GKE reports the Gateway `Programmed` with an address. Default false: " +
					"a load balancer takes minutes to provision, and `address` is filled in by a later refresh.",
			},
			"gateway_name":             schema.StringAttribute{Computed: true, MarkdownDescription: "The Gateway's name.", PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"http_route_name":          schema.StringAttribute{Computed: true, MarkdownDescription: "The HTTPRoute's name.", PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"redirect_route_name":      schema.StringAttribute{Computed: true, MarkdownDescription: "The redirect HTTPRoute's name, when `http_to_https_redirect` is true."},
			"health_check_policy_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The HealthCheckPolicy's name.", PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"url":                      schema.StringAttribute{Computed: true, MarkdownDescription: "`https://<first hostname>`."},
			"address": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The load balancer's address from the Gateway's status, once GKE assigned one; null before.",
			},
		},
		Blocks: map[string]schema.Block{
			"health_check": schema.SingleNestedBlock{
				MarkdownDescription: "The load balancer's HTTP health check of the Service's endpoints (a GKE HealthCheckPolicy). " +
					"Absent: `/readyz` on each endpoint's serving port every 5 seconds.",
				Attributes: map[string]schema.Attribute{
					"request_path": schema.StringAttribute{
						Optional: true, Computed: true, Default: stringdefault.StaticString(DefaultHealthPath),
						MarkdownDescription: "The path probed; default `/readyz`, the gateway's readiness endpoint.",
						Validators:          []validator.String{stringvalidator.RegexMatches(requestPath, "must start with / and hold only URL path characters"), stringvalidator.LengthAtMost(2048)},
					},
					"port": schema.Int64Attribute{
						Optional: true, MarkdownDescription: "The port probed, 1-65535. Unset: each endpoint's serving port (the container port behind `service_port`).",
						Validators: []validator.Int64{int64validator.Between(1, 65535)},
					},
					"check_interval_sec": schema.Int64Attribute{
						Optional: true, Computed: true, Default: int64default.StaticInt64(DefaultCheckInterval),
						MarkdownDescription: "Seconds between probes, 1-300. Default 5.",
						Validators:          []validator.Int64{int64validator.Between(1, 300)},
					},
					"timeout_sec": schema.Int64Attribute{
						Optional: true, Computed: true, Default: int64default.StaticInt64(DefaultCheckTimeout),
						MarkdownDescription: "Seconds a probe may take, 1-300 and at most `check_interval_sec`. Default 5.",
						Validators:          []validator.Int64{int64validator.Between(1, 300)},
					},
					"healthy_threshold": schema.Int64Attribute{
						Optional: true, MarkdownDescription: "Consecutive successes that mark an endpoint healthy, 1-10. Unset: GKE's default, 2.",
						Validators: []validator.Int64{int64validator.Between(1, 10)},
					},
					"unhealthy_threshold": schema.Int64Attribute{
						Optional: true, MarkdownDescription: "Consecutive failures that mark an endpoint unhealthy, 1-10. Unset: GKE's default, 2.",
						Validators: []validator.Int64{int64validator.Between(1, 10)},
					},
				},
			},
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}
