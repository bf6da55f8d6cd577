package compliance

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// findingAttrTypes is the object type of one element of `findings`.
var findingAttrTypes = map[string]attr.Type{
	"mechanism": types.StringType, "object": types.StringType, "message": types.StringType, "enforceable": types.BoolType,
}

func findingsSchema() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Computed: true,
		MarkdownDescription: "What the last evaluation found wrong, mechanism by mechanism: `mechanism`, the `object` " +
			"(`namespace/<name>`, `networkpolicy/<ns>/<name>`, `clusterrolebinding/<name>`, `role/<ns>/<name>`, `deployment/<ns>/<name>`, `gke-cluster/<name>`), " +
			"a `message` saying what to change, and whether enforce mode fixes it (`enforceable`). Empty when compliant.",
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"mechanism":   schema.StringAttribute{Computed: true, MarkdownDescription: "The mechanism whose check failed."},
			"object":      schema.StringAttribute{Computed: true, MarkdownDescription: "The object the finding is about."},
			"message":     schema.StringAttribute{Computed: true, MarkdownDescription: "What is wrong and what to do."},
			"enforceable": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether enforce mode fixes this finding on the next apply."},
		}},
	}
}

func frameworkList() string {
	q := make([]string, len(Frameworks))
	for i, f := range Frameworks {
		q[i] = "`" + f + "`"
	}
	return strings.Join(q, ", ")
}

func resourceSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "One technical control of a compliance framework (SOC 2, ISO 27001, GDPR, CCPA or HIPAA) from the provider's built-in catalog, " +
			"enforced and evaluated on the cluster, with an evidence history an auditor can sample over the audit period. Use one per control you must show.\n\n" +
			"Each control maps to mechanisms (see the catalog below). Every read (refresh, plan, apply) evaluates each mechanism's check on the scoped namespaces, " +
			"the cluster's RBAC and OctoLLM components, and the GKE cluster's security settings, and sets `status`, `findings` and `evaluated_at`.\n\n" +
			"With `enforcement = \"enforce\"`, create and update apply what the provider can enforce (restricted Pod Security labels, a default-deny NetworkPolicy, " +
			"the retention annotation) on the scoped namespaces that exist, with server-side apply under the control's own field manager " +
			"(`octollm-compliance/<framework>/<control_id>`), so labels another resource (a tenant, the platform) also sets are shared, never removed. " +
			"When live state drifts (a label removed, a policy deleted), the plan shows `status` going from `non_compliant` to `compliant` and apply re-enforces. " +
			"Findings enforce mode cannot fix (GKE settings, RBAC, images, a missing namespace) stay until fixed elsewhere. " +
			"With `enforcement = \"audit\"` (the default) nothing in the cluster is changed: only evidence is written.\n\n" +
			"Every evaluation appends a record (time, control, enforcement, each mechanism's result, the objects checked, what was enforced, provider version) " +
			"to the ConfigMap `compliance-evidence-<framework>-<control>` (key `records.jsonl`, one JSON record a line) in the provider's platform namespace, " +
			"keeping the newest 100 (fewer if they would pass 900 KiB, a ConfigMap holding at most 1 MiB); the platform namespace must exist (`octollm_platform`). " +
			"Evidence is the only thing audit mode writes, and only there. The history outlives the resource: destroy keeps it, and releases what enforce mode set " +
			"(the control's labels and annotation, its NetworkPolicy).\n\n" +
			"Import with `<framework>/<control_id>`, such as `soc2/CC6.1`; the settings come from the evidence ConfigMap.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "`<framework>/<control_id>`; also the import ID.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"framework": schema.StringAttribute{Required: true,
				MarkdownDescription: "The framework: " + frameworkList() + ". Changing it replaces the control.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()}},
			"control_id": schema.StringAttribute{Required: true,
				MarkdownDescription: "The control's id in the framework, as the catalog spells it (`CC6.1`, `A.8.24`, `Art.32`, `1798.105`, `164.312(b)`). Changing it replaces the control.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()}},
			"enforcement": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("audit"),
				MarkdownDescription: "`enforce` applies the enforceable mechanisms and re-applies them after drift; `audit` (default) only evaluates and never changes the cluster. " +
					"Switching from `enforce` to `audit` leaves what was enforced in place.",
				Validators: []validator.String{stringvalidator.OneOf("enforce", "audit")}},
			"parameters": schema.MapAttribute{Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Settings of the control's mechanisms; only those the control accepts (see the catalog). `retention_days`: the longest retention a scoped namespace may record (default 30)."},
			"title":      schema.StringAttribute{Computed: true, MarkdownDescription: "The control's title in the framework."},
			"mechanisms": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The mechanisms the control maps to, in catalog order."},
			"status":     schema.StringAttribute{Computed: true, MarkdownDescription: "`compliant` when every mechanism's check passed at the last evaluation, `non_compliant` otherwise."},
			"findings":   findingsSchema(),
			"evaluated_at": schema.StringAttribute{Computed: true,
				MarkdownDescription: "When the last evaluation ran (RFC 3339, UTC)."},
			"evidence_json": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The last evaluation's evidence record, as appended to the evidence ConfigMap."},
		},
		Blocks: map[string]schema.Block{
			"scope": schema.SingleNestedBlock{
				MarkdownDescription: "Where the namespace mechanisms apply (required; it must select something). Cluster-wide mechanisms (RBAC bindings, GKE settings, component images, tenant erasure) look at the whole cluster.",
				Attributes: map[string]schema.Attribute{
					"namespaces": schema.SetAttribute{Optional: true, ElementType: types.StringType,
						MarkdownDescription: "Namespaces to enforce and check, such as the platform namespace `octollm`."},
					"all_tenants": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false),
						MarkdownDescription: "Also every tenant namespace of this platform existing at each evaluation: labelled `octollm.io/tenant`, with its tenant's record (the key Secret) in the provider's `namespace`. Tenants of another platform sharing the cluster (recorded in another platform namespace) are never in scope, so two environments' controls leave each other's tenants alone. Default false."},
				},
			},
		},
	}
}

// emptyScope is the message for a scope that selects nothing.
const emptyScope = "scope selects no namespaces: list them in scope.namespaces (such as [\"octollm\"]) or set scope.all_tenants = true"

// namespaceProblem says what is wrong with a namespace name, or "".
func namespaceProblem(n string) string {
	if len(n) == 0 || len(n) > 63 {
		return fmt.Sprintf("%q is not a namespace name: use 1 to 63 lowercase letters, digits and '-'", n)
	}
	for i, r := range n {
		ok := (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || (r == '-' && i > 0 && i < len(n)-1)
		if !ok {
			return fmt.Sprintf("%q is not a namespace name: use lowercase letters, digits and '-', starting and ending with a letter or digit", n)
		}
	}
	return ""
}
