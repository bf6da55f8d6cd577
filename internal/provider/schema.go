package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
)

func providerSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "The octollm provider stands up and operates the OctoLLM platform on GKE: node pools, " +
			"autoscaling, the gateway runtime, tenants with usage-based billing on Stripe, model routes and compliance " +
			"controls. One provider block reaches every backend, and every setting also comes from an environment " +
			"variable, so a Terraform Cloud workspace needs no files. Kubernetes access is derived from the GKE " +
			"cluster when the `kubernetes` block is absent.",
		Attributes: map[string]schema.Attribute{
			"namespace": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The platform namespace resources default to. Environment variable `OCTOLLM_NAMESPACE`; " +
					"default `octollm`.",
			},
			"request_timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "How long one API request may take before it fails, as a Go duration (`30s`, `2m`). " +
					"An unreachable endpoint fails after this rather than hanging. Environment variable " +
					"`OCTOLLM_REQUEST_TIMEOUT`; default `30s`. Operations that wait have their own `timeouts` blocks.",
			},
		},
		Blocks: map[string]schema.Block{
			"gke": schema.SingleNestedBlock{
				MarkdownDescription: "The GKE cluster the platform runs on. Without a `kubernetes` block, Kubernetes " +
					"access is derived from this cluster's endpoint and CA and a Google token.",
				Attributes: map[string]schema.Attribute{
					"project": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "The Google Cloud project ID. Environment variable `GOOGLE_PROJECT`.",
					},
					"location": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "The cluster's region or zone, such as `us-central1`. Environment variable `OCTOLLM_GKE_LOCATION`.",
					},
					"cluster": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "The GKE cluster name. Environment variable `OCTOLLM_GKE_CLUSTER`.",
					},
					"credentials": schema.StringAttribute{
						Optional:  true,
						Sensitive: true,
						MarkdownDescription: "A service-account key, as JSON or a path to the JSON file. Environment " +
							"variable `GOOGLE_CREDENTIALS`. Without it or `access_token`, Application Default Credentials are used.",
					},
					"access_token": schema.StringAttribute{
						Optional:  true,
						Sensitive: true,
						MarkdownDescription: "An OAuth2 access token, used instead of `credentials`. Environment variable " +
							"`GOOGLE_OAUTH_ACCESS_TOKEN`.",
					},
					"endpoint": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "The ClusterManager API endpoint as `host:port`, for private endpoints and the " +
							"local sandbox. Environment variable `OCTOLLM_GKE_ENDPOINT`; default `container.googleapis.com:443`.",
					},
					"insecure": schema.BoolAttribute{
						Optional: true,
						MarkdownDescription: "Use plaintext gRPC to `endpoint`. Allowed only for loopback endpoints such as " +
							"the local sandbox's. Environment variable `OCTOLLM_GKE_INSECURE`.",
					},
				},
			},
			"kubernetes": schema.SingleNestedBlock{
				MarkdownDescription: "Explicit Kubernetes access. Optional: when absent, access is derived from the GKE cluster.",
				Attributes: map[string]schema.Attribute{
					"host": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "The apiserver URL, such as `https://10.0.0.2`. Environment variable `KUBE_HOST`.",
					},
					"token": schema.StringAttribute{
						Optional:            true,
						Sensitive:           true,
						MarkdownDescription: "A bearer token. Environment variable `KUBE_TOKEN`.",
					},
					"cluster_ca_certificate": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "The PEM-encoded CA certificate of the apiserver. Environment variable `KUBE_CLUSTER_CA_CERT_DATA`.",
					},
					"config_path": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "A kubeconfig file to read access from. Environment variable `KUBE_CONFIG_PATH`.",
					},
					"config_context": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "The kubeconfig context to use; default the file's current context. Environment variable `KUBE_CTX`.",
					},
					"insecure": schema.BoolAttribute{
						Optional: true,
						MarkdownDescription: "Skip verification of the apiserver's certificate. Allowed only for loopback hosts. " +
							"Environment variable `KUBE_INSECURE`.",
					},
				},
			},
			"stripe": schema.SingleNestedBlock{
				MarkdownDescription: "Stripe access, needed only by tenants with billing and by billing plans.",
				Attributes: map[string]schema.Attribute{
					"api_key": schema.StringAttribute{
						Optional:            true,
						Sensitive:           true,
						MarkdownDescription: "A Stripe secret key (`sk_live_...` or `sk_test_...`). Environment variable `STRIPE_API_KEY`.",
					},
					"api_base": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "The Stripe API base URL, for the local sandbox. Environment variable " +
							"`OCTOLLM_STRIPE_API_BASE`; default `https://api.stripe.com`. Plain `http` is allowed only for loopback hosts.",
					},
				},
			},
		},
	}
}
