package tenant

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
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

// InSync is sync_status's value when the tenant's objects match the configuration.
const InSync = "in sync"

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
}

func resourceSchema(ctx context.Context) schema.Schema {
	q := TierQuota("standard")
	return schema.Schema{
		MarkdownDescription: "An isolated OctoLLM tenant. In namespace `tenant-<name>`: the labels `octollm.io/tenant` and `octollm.io/tier` and " +
			"restricted Pod Security (enforce, audit, warn); a ResourceQuota `tenant-quota` (CPU and memory requests and limits, pods); a LimitRange " +
			"`tenant-defaults` giving containers a default request and limit; with `network_isolation`, NetworkPolicies `default-deny`, " +
			"`allow-same-namespace`, `allow-from-platform` and `allow-dns`; a ServiceAccount `tenant-workload` with a Role and RoleBinding of the same name " +
			"(workloads, explicit verbs, no wildcards); and the `admins` bound to the built-in `admin` ClusterRole in that namespace only (RoleBinding `tenant-admins`). " +
			"In the platform namespace (the provider's `namespace`), Secret `octollm-tenant-<name>-key`, labelled `octollm.dev/kind=api-key`, holds what the gateway needs: " +
			"the SHA-256 hash of the API key (never the key), its id, the allowed models, the quotas and the whole record as `tenant.json`.\n\n" +
			"With `billing`, a Stripe customer (metadata `octollm_tenant=<name>`) is subscribed to every metered price of the billing plan. " +
			"Stripe writes look for what an interrupted earlier run made and carry deterministic idempotency keys (tenant, operation, and the namespace's UID as generation), " +
			"so a retried or re-run create never makes a second customer or subscription. If Stripe fails after the namespace exists, the apply fails with Stripe's message, " +
			"the state records what exists, and the next apply finishes the tenant.\n\n" +
			"Drift shows as `sync_status` reading `drifted: ...` (an object deleted or edited, the namespace deleted); apply restores it, keeping the API key.\n\n" +
			"Destroy is refused while `deletion_protection` is true. Otherwise it deletes the key Secret (the key stops working), deletes the namespace and waits until it is gone " +
			"(all tenant data erased), cancels the subscription (usage so far is invoiced) and keeps the customer for invoice history unless `billing.delete_customer` is true.\n\n" +
			"Import with the tenant's name. The key itself is never stored in the cluster, so after an import `api_key` is unknown (null) until the key is rotated " +
			"by changing `api_key_version`.",
		Attributes: map[string]schema.Attribute{
			"id": computedString("The tenant's name; also the import ID."),
			"name": schema.StringAttribute{
				Required: true, MarkdownDescription: fmt.Sprintf("The tenant's name, a DNS-1123 label of at most %d characters. Changing it replaces the tenant.", MaxNameLength),
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{validate.String("Invalid tenant name", "name: ", NameProblem)},
			},
			"display_name": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				MarkdownDescription: "A human-readable name: the namespace annotation `octollm.io/display-name` and the Stripe customer's name.",
			},
			"tier": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("standard"),
				MarkdownDescription: "`free`, `standard` (default) or `enterprise`: the default quotas, which `quota` overrides field by field.",
				Validators:          []validator.String{stringvalidator.OneOf(Tiers...)},
			},
			"allowed_models": schema.SetAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "The models the tenant may call, names from `data.octollm_model_catalog`. Empty or unset: none.",
			},
			"admins": schema.SetAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Email addresses of the tenant's administrators, bound to the `admin` ClusterRole inside the tenant namespace only.",
				Validators:          []validator.Set{setvalidator.ValueStringsAre(validate.String("Invalid admin", "admins: ", validate.Email))},
			},
			"network_isolation": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Deny all traffic to and from the tenant's pods except within the tenant, from the platform namespace and DNS. Default true.",
			},
			"data_retention_days": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(defaultRetentionDays),
				MarkdownDescription: "How long the platform keeps the tenant's data, recorded as the namespace annotation `octollm.io/data-retention-days`. 1 to 3650; default 30.",
				Validators:          []validator.Int64{int64validator.Between(1, 3650)},
			},
			"api_key_version": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(1),
				MarkdownDescription: "Change it (for example increment it) to rotate the API key: a new key is generated and the old one stops working.",
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"deletion_protection": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "While true (the default), destroy is refused: destroying erases the tenant's namespace and all its data. " +
					"A tenant whose create failed part way (`sync_status` starting `create incomplete`) never had a usable API key; Terraform replaces it on the next apply, and deletion protection does not block that.",
			},
			"namespace": computedString("The tenant's namespace, `tenant-<name>`."),
			"api_key": schema.StringAttribute{
				Computed: true, Sensitive: true,
				MarkdownDescription: "The tenant's API key: `ollm_` and 32 random bytes in base62. Generated on create and on rotation only; the cluster holds only its SHA-256 hash. Null after an import until rotated.",
			},
			"api_key_id": schema.StringAttribute{Computed: true, MarkdownDescription: "The key's public identifier, derived from its hash; the gateway logs and meters by it. " +
				"Null, like `api_key`, while a create that failed part way has issued no key."},
			"stripe_customer_id":     computedString("The Stripe customer (`cus_...`) with `billing`; null without."),
			"stripe_subscription_id": computedString("The Stripe subscription (`sub_...`) to the plan's metered prices with `billing`; null without."),
			"sync_status": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "`in sync` when every Kubernetes object of the tenant and its Stripe subscription match the configuration; otherwise what drifted " +
					"(an object deleted or edited out of band, the namespace deleted, the subscription canceled), which the next apply restores.",
			},
		},
		Blocks: map[string]schema.Block{
			"quota": schema.ListNestedBlock{
				MarkdownDescription: fmt.Sprintf("Overrides of the tier's quotas (standard: cpu %q, memory %q, pods %d, %d LLM tokens per month, %d requests per minute). "+
					"CPU, memory and pods are enforced by the apiserver's ResourceQuota; the token and request limits by the gateway.",
					q.CPU, q.Memory, q.Pods, q.LLMTokensPerMonth, q.RequestsPerMinute),
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"cpu": schema.StringAttribute{
						Optional: true, MarkdownDescription: "CPU requests and limits of all pods together, a quantity such as `\"8\"` or `\"7500m\"`.",
						Validators: []validator.String{validate.String("Invalid quota", "quota.cpu: ", QuantityProblem)},
					},
					"memory": schema.StringAttribute{
						Optional: true, MarkdownDescription: "Memory requests and limits of all pods together, a quantity such as `\"16Gi\"`.",
						Validators: []validator.String{validate.String("Invalid quota", "quota.memory: ", QuantityProblem)},
					},
					"pods":                 schema.Int64Attribute{Optional: true, MarkdownDescription: "Pods at most.", Validators: []validator.Int64{int64validator.AtLeast(0)}},
					"llm_tokens_per_month": schema.Int64Attribute{Optional: true, MarkdownDescription: "LLM tokens per calendar month, enforced by the gateway.", Validators: []validator.Int64{int64validator.AtLeast(0)}},
					"requests_per_minute":  schema.Int64Attribute{Optional: true, MarkdownDescription: "API requests per minute, enforced by the gateway.", Validators: []validator.Int64{int64validator.AtLeast(0)}},
				}},
			},
			"billing": schema.ListNestedBlock{
				MarkdownDescription: "Usage-based billing on Stripe; needs the provider's Stripe configuration (`STRIPE_API_KEY`).",
				Validators:          []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"plan_id": schema.StringAttribute{
						Required: true, MarkdownDescription: "The `id` of an `octollm_billing_plan` (a Stripe product, `prod_...`). Changing it moves the subscription to the new plan's prices in place.",
						Validators: []validator.String{validate.String("Invalid billing plan", "billing.plan_id: ", planIDProblem)},
					},
					"email": schema.StringAttribute{
						Required: true, MarkdownDescription: "The billing email address of the Stripe customer.",
						Validators: []validator.String{validate.String("Invalid billing email", "billing.email: ", validate.Email)},
					},
					"delete_customer": schema.BoolAttribute{
						Optional: true, Computed: true, Default: booldefault.StaticBool(false),
						MarkdownDescription: "Delete the Stripe customer on destroy. Default false: the customer is kept for its invoice history.",
					},
				}},
			},
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

// planIDProblem explains why id is not a billing plan's id (a Stripe product), or returns "".
func planIDProblem(id string) string {
	if strings.HasPrefix(id, "prod_") {
		return ""
	}
	return fmt.Sprintf("%q is not a billing plan id: use an octollm_billing_plan's id (a Stripe product, prod_...), such as octollm_billing_plan.standard.id.", id)
}
