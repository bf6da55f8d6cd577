// Package compliance owns the compliance catalog (SOC 2, ISO 27001, GDPR, CCPA and HIPAA
// controls mapped to technical mechanisms), the checks and enforcement of those mechanisms on
// the cluster, the evidence history kept per control, and the octollm_compliance_control
// resource and octollm_compliance_report data source built on them.
package compliance

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Frameworks are the supported frameworks, in catalog order.
var Frameworks = []string{"soc2", "iso27001", "gdpr", "ccpa", "hipaa"}

// FrameworkTitles name the frameworks as an auditor would.
var FrameworkTitles = map[string]string{
	"soc2":     "SOC 2 (Trust Services Criteria 2017)",
	"iso27001": "ISO/IEC 27001:2022 Annex A",
	"gdpr":     "GDPR (Regulation (EU) 2016/679)",
	"ccpa":     "CCPA (Cal. Civ. Code)",
	"hipaa":    "HIPAA Security Rule (45 CFR 164.312)",
}

// Mechanism names.
const (
	PodSecurityRestricted = "pod_security_restricted"
	DefaultDenyNetwork    = "default_deny_network"
	RBACLeastPrivilege    = "rbac_least_privilege"
	SecretsEncryption     = "secrets_encryption"
	AuditLogging          = "audit_logging"
	WorkloadIdentity      = "workload_identity"
	ShieldedNodes         = "shielded_nodes"
	BinaryAuthorization   = "binary_authorization"
	ImageDigestPinning    = "image_digest_pinning"
	DataRetention         = "data_retention"
	TenantErasure         = "tenant_erasure"
)

// Mechanism is a technical measure the provider can check on the cluster and, when
// Enforceable, apply to the scoped namespaces.
type Mechanism struct {
	Name        string
	Enforceable bool
	GKE         bool // checked on the GKE cluster rather than in Kubernetes
	Check       string
	Enforce     string // what enforce mode applies; empty when only checked
}

// Mechanisms is every mechanism, by name.
var Mechanisms = map[string]Mechanism{
	PodSecurityRestricted: {Name: PodSecurityRestricted, Enforceable: true,
		Check:   "Each scoped namespace has the Pod Security labels `enforce`, `audit` and `warn` set to `restricted`.",
		Enforce: "Sets the three labels to `restricted`."},
	DefaultDenyNetwork: {Name: DefaultDenyNetwork, Enforceable: true,
		Check:   "Each scoped namespace has NetworkPolicies selecting every Pod that deny all ingress and all egress not explicitly allowed.",
		Enforce: "Creates NetworkPolicy `compliance-default-deny` (all Pods, Ingress and Egress, no rules)."},
	RBACLeastPrivilege: {Name: RBACLeastPrivilege,
		Check: "No subject outside `system:` (users, groups, kube-system ServiceAccounts) is bound to `cluster-admin`; no Role in a scoped namespace has a wildcard verb or resource."},
	SecretsEncryption: {Name: SecretsEncryption, GKE: true,
		Check: "The GKE cluster encrypts Secrets at the application layer (`databaseEncryption.state` ENCRYPTED) with a Cloud KMS key (`projects/*/locations/*/keyRings/*/cryptoKeys/*`)."},
	AuditLogging: {Name: AuditLogging, GKE: true,
		Check: "The GKE cluster's `loggingConfig` sends SYSTEM_COMPONENTS, WORKLOADS and APISERVER logs to Cloud Logging."},
	WorkloadIdentity: {Name: WorkloadIdentity, GKE: true,
		Check: "The GKE cluster has Workload Identity (`workloadIdentityConfig.workloadPool` `<project>.svc.id.goog`)."},
	ShieldedNodes: {Name: ShieldedNodes, GKE: true,
		Check: "The GKE cluster has Shielded GKE Nodes enabled."},
	BinaryAuthorization: {Name: BinaryAuthorization, GKE: true,
		Check: "The GKE cluster enforces Binary Authorization (evaluation mode PROJECT_SINGLETON_POLICY_ENFORCE)."},
	ImageDigestPinning: {Name: ImageDigestPinning,
		Check: "Every container image of the OctoLLM components (Deployments labelled `app.kubernetes.io/part-of=octollm` and managed by this provider) is pinned by `@sha256:` digest."},
	DataRetention: {Name: DataRetention, Enforceable: true,
		Check:   "Each scoped namespace records its retention period in the annotation `octollm.io/data-retention-days`, at most `retention_days`.",
		Enforce: "Sets the annotation to `retention_days` where it is missing or longer."},
	TenantErasure: {Name: TenantErasure,
		Check: "Every tenant namespace (label `octollm.io/tenant`) is owned by a tenant record (Secret labelled `octollm.dev/kind=api-key` in the platform namespace), so destroying the tenant erases its data."},
}

// Parameter is a setting a control accepts in `parameters`.
type Parameter struct {
	Name        string
	Default     string
	Description string
	// Parse checks a value and returns a message saying what is wrong, or "".
	Parse func(string) string
}

// retentionDays is the parameter of controls with data_retention.
var retentionDays = Parameter{
	Name: "retention_days", Default: "30",
	Description: "The longest retention period, in days, a scoped namespace may record.",
	Parse: func(v string) string {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 36500 {
			return "must be a whole number of days from 1 to 36500, such as \"30\""
		}
		return ""
	},
}

// Control is one catalog entry: a framework's control mapped to mechanisms.
type Control struct {
	Framework  string
	ID         string
	Title      string
	Mechanisms []string
}

// Parameters are the parameters the control accepts: those of its mechanisms.
func (c Control) Parameters() []Parameter {
	if slices.Contains(c.Mechanisms, DataRetention) {
		return []Parameter{retentionDays}
	}
	return nil
}

// Enforceable reports whether enforce mode can apply any of the control's mechanisms.
func (c Control) Enforceable() bool {
	for _, m := range c.Mechanisms {
		if Mechanisms[m].Enforceable {
			return true
		}
	}
	return false
}

// Catalog is every control, in framework then catalog order.
var Catalog = []Control{
	{"soc2", "CC6.1", "Logical access security: software, infrastructure and architectures", []string{RBACLeastPrivilege, PodSecurityRestricted, DefaultDenyNetwork, WorkloadIdentity}},
	{"soc2", "CC6.6", "Security measures against threats from outside system boundaries", []string{DefaultDenyNetwork}},
	{"soc2", "CC6.7", "Restricting the transmission, movement and removal of information", []string{SecretsEncryption}},
	{"soc2", "CC6.8", "Preventing or detecting unauthorized or malicious software", []string{ImageDigestPinning, BinaryAuthorization}},
	{"soc2", "CC7.2", "Monitoring system components for anomalies", []string{AuditLogging}},
	{"iso27001", "A.5.15", "Access control", []string{RBACLeastPrivilege}},
	{"iso27001", "A.5.16", "Identity management", []string{WorkloadIdentity}},
	{"iso27001", "A.8.9", "Configuration management", []string{ShieldedNodes, BinaryAuthorization, ImageDigestPinning}},
	{"iso27001", "A.8.10", "Information deletion", []string{DataRetention, TenantErasure}},
	{"iso27001", "A.8.15", "Logging", []string{AuditLogging}},
	{"iso27001", "A.8.20", "Networks security", []string{DefaultDenyNetwork}},
	{"iso27001", "A.8.24", "Use of cryptography", []string{SecretsEncryption}},
	{"gdpr", "Art.5(1)(e)", "Storage limitation", []string{DataRetention}},
	{"gdpr", "Art.17", "Right to erasure", []string{TenantErasure}},
	{"gdpr", "Art.25", "Data protection by design and by default", []string{PodSecurityRestricted, DefaultDenyNetwork}},
	{"gdpr", "Art.32", "Security of processing", []string{SecretsEncryption, DefaultDenyNetwork}},
	{"ccpa", "1798.105", "Consumers' right to delete personal information", []string{TenantErasure}},
	{"ccpa", "1798.150", "Reasonable security procedures (data breach liability)", []string{SecretsEncryption, RBACLeastPrivilege}},
	{"hipaa", "164.312(a)(1)", "Access control", []string{RBACLeastPrivilege, DefaultDenyNetwork}},
	{"hipaa", "164.312(a)(2)(iv)", "Encryption and decryption", []string{SecretsEncryption}},
	{"hipaa", "164.312(b)", "Audit controls", []string{AuditLogging}},
	{"hipaa", "164.312(c)(1)", "Integrity", []string{ImageDigestPinning, BinaryAuthorization, ShieldedNodes}},
	{"hipaa", "164.312(d)", "Person or entity authentication", []string{WorkloadIdentity}},
	{"hipaa", "164.312(e)(1)", "Transmission security", []string{DefaultDenyNetwork}},
}

// Lookup returns the control of a framework, or ok false.
func Lookup(framework, id string) (Control, bool) {
	for _, c := range Catalog {
		if c.Framework == framework && c.ID == id {
			return c, true
		}
	}
	return Control{}, false
}

// ControlsOf returns a framework's controls in catalog order.
func ControlsOf(framework string) []Control {
	var out []Control
	for _, c := range Catalog {
		if c.Framework == framework {
			out = append(out, c)
		}
	}
	return out
}

// ControlIDs lists a framework's control ids, quoted and comma-separated, for messages.
func ControlIDs(framework string) string {
	var ids []string
	for _, c := range ControlsOf(framework) {
		ids = append(ids, strconv.Quote(c.ID))
	}
	return strings.Join(ids, ", ")
}

// UnknownControl says a control id is not in a framework's catalog and lists the valid ones.
func UnknownControl(framework, id string) string {
	return fmt.Sprintf("%q is not a %s control in the built-in catalog. Use one of: %s.", id, framework, ControlIDs(framework))
}

// UnknownFramework says a framework is not supported and lists the valid ones.
func UnknownFramework(f string) string {
	q := make([]string, len(Frameworks))
	for i, fw := range Frameworks {
		q[i] = strconv.Quote(fw)
	}
	return fmt.Sprintf("%q is not a supported framework. Use one of: %s.", f, strings.Join(q, ", "))
}

// ResolveParameters checks params against the control and returns them with defaults filled
// in, or messages (one per bad key, sorted) saying what to change.
func ResolveParameters(c Control, params map[string]string) (map[string]string, []string) {
	out := map[string]string{}
	accepted := map[string]Parameter{}
	for _, p := range c.Parameters() {
		accepted[p.Name] = p
		out[p.Name] = p.Default
	}
	var problems []string
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p, ok := accepted[k]
		if !ok {
			names := make([]string, 0, len(accepted))
			for n := range accepted {
				names = append(names, strconv.Quote(n))
			}
			sort.Strings(names)
			valid := "none"
			if len(names) > 0 {
				valid = strings.Join(names, ", ")
			}
			problems = append(problems, fmt.Sprintf("%q is not a parameter of %s %s; it accepts: %s. Remove it.", k, c.Framework, c.ID, valid))
			continue
		}
		if msg := p.Parse(params[k]); msg != "" {
			problems = append(problems, fmt.Sprintf("%s = %q: %s.", k, params[k], msg))
			continue
		}
		out[k] = params[k]
	}
	return out, problems
}
