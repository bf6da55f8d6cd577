package platform

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/octollm/terraform-provider-octollm/internal/validate"
)

// DefaultGatewayServiceAccount is gateway_service_account's default.
const DefaultGatewayServiceAccount = "octollm-gateway"

// maxServiceAccountName leaves room for "-reader" in the Role's name.
const maxServiceAccountName = validation.DNS1123SubdomainMaxLength - len("-reader")

func resourceSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "The platform namespace and the gateway's identity. The namespace carries Pod Security Admission " +
			"labels (`enforce`, `audit` and `warn` at `pod_security`, `enforce-version=latest`) and your `labels`; in it, the gateway's " +
			"ServiceAccount is bound to a Role `<gateway_service_account>-reader` that may only get, list and watch ConfigMaps " +
			"(model routes, `octollm.dev/kind=model-route`) and Secrets (tenant API-key hashes, `octollm.dev/kind=api-key`) in this namespace: no writes. " +
			"Objects are written with server-side apply and labelled `app.kubernetes.io/managed-by=terraform-provider-octollm`; " +
			"an existing namespace without that label is not taken over (import it instead). The namespace also gets the platform's " +
			"NetworkPolicies (`network_policy`), so the gateway, orchestrator and arms keep working under a default deny and nothing else reaches them.\n\n" +
			"Drift shows in the plan: namespace labels changed or added out of band (labels set by other tools are removed on apply), " +
			"Pod Security labels changed (`pod_security` then reads `drifted: ...`), and a gateway ServiceAccount, Role or RoleBinding " +
			"deleted or changed (`gateway_rbac` then reads `drifted: ...`), and a NetworkPolicy deleted or changed, or the apiserver moved " +
			"(`network_policy_status` then reads `drifted: ...`); apply restores them. A namespace deleted out of band is created again.\n\n" +
			"Destroying deletes the namespace and everything in it, and waits until it is gone; it is refused while " +
			"`deletion_protection` is true.\n\nImport with the namespace's name.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The namespace's name; also the import ID.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"namespace": schema.StringAttribute{
				Required: true, MarkdownDescription: "The platform namespace, a DNS-1123 label (at most 63 lowercase letters, digits and `-`). Changing it replaces the platform, deleting the old namespace.",
				Validators:    []validator.String{validate.AtPath(validate.Namespace)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"pod_security": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("restricted"),
				MarkdownDescription: "The Pod Security Standard enforced, audited and warned about in the namespace: `restricted` (default) or `baseline`.",
				Validators:          []validator.String{stringvalidator.OneOf(PodSecurityLevels...)},
			},
			"gateway_service_account": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(DefaultGatewayServiceAccount),
				MarkdownDescription: "The gateway's ServiceAccount, a DNS-1123 subdomain; default `octollm-gateway`. Renaming it deletes the old ServiceAccount, Role and RoleBinding.",
				Validators:          []validator.String{validate.AtPath(ServiceAccountProblem)},
			},
			"labels": schema.MapAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Extra namespace labels. The provider's own keys (`pod-security.kubernetes.io/*`, `app.kubernetes.io/managed-by`, " +
					"`app.kubernetes.io/part-of`, `kubernetes.io/metadata.name`) are not allowed.",
				Validators: []validator.Map{validate.Labels(OwnedLabelReason)},
			},
			"deletion_protection": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "While true (the default, and after an import), destroying the platform fails instead of deleting the namespace and everything in it. Set it to false and apply before destroying.",
			},
			"gateway_role": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The gateway's Role and RoleBinding name, `<gateway_service_account>-reader`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"gateway_rbac": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "`in sync` when the gateway's ServiceAccount, Role and RoleBinding are as configured; after a change out of band, " +
					"what differs (`drifted: RoleBinding octollm-gateway-reader is missing`), so the plan shows the update that restores them.",
			},
			"network_policy": networkPolicyAttribute(),
			"network_policies": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "The names of the NetworkPolicies written in the namespace (see `network_policy`); empty when it is disabled.",
			},
			"network_policy_status": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "`in sync` when the platform's NetworkPolicies are as configured and admit the apiserver where it is now; otherwise " +
					"what differs (`drifted: NetworkPolicy octollm-gateway-apiserver admits the apiserver at [10.0.0.2:443] but it is at [10.0.0.3:443]`), " +
					"so the plan shows the update that restores them.",
			},
			"apiserver_endpoints": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "The apiserver's `ip:port` endpoints that `" + GatewayAPIServerPolicy + "` admits, discovered from the `default/kubernetes` " +
					"EndpointSlice at apply. Empty when `network_policy` is disabled.",
			},
			"uid": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The namespace's UID.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Delete: true}),
		},
	}
}

// ServiceAccountProblem explains why name is not a valid gateway ServiceAccount name (a DNS-1123
// subdomain that leaves room for the Role's "-reader"), or returns "".
func ServiceAccountProblem(name string) string {
	errs := validation.IsDNS1123Subdomain(name)
	if len(errs) == 0 && len(name) > maxServiceAccountName {
		errs = append(errs, fmt.Sprintf("it is %d characters long, and the Role named after it adds 7 (-reader)", len(name)))
	}
	if len(errs) > 0 {
		return fmt.Sprintf("%q is not a valid ServiceAccount name: %s. Use at most %d lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, such as %q.",
			name, strings.Join(errs, "; "), maxServiceAccountName, DefaultGatewayServiceAccount)
	}
	return ""
}
