package compliance

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"cloud.google.com/go/container/apiv1/containerpb"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// restricted is the Pod Security level the check requires.
const restricted = "restricted"

// podSecurityModes are the Pod Security Admission label suffixes the check requires.
var podSecurityModes = []string{"enforce", "audit", "warn"}

// Finding is one failed check: the mechanism, the object it is about, what is wrong and
// whether enforce mode fixes it.
type Finding struct {
	Mechanism   string `json:"mechanism"`
	Object      string `json:"object"`
	Message     string `json:"message"`
	Enforceable bool   `json:"enforceable"`
}

// MechanismResult is one mechanism's check: whether it passed, the objects it looked at and
// its findings.
type MechanismResult struct {
	Mechanism string    `json:"mechanism"`
	Passed    bool      `json:"passed"`
	Checked   []string  `json:"checked"`
	Findings  []Finding `json:"findings"`
}

// Snapshot is what the checks read from the cluster, gathered once per evaluation.
type Snapshot struct {
	// Scoped lists the scoped namespaces' names, sorted; Namespaces holds those that exist.
	Scoped          []string
	Namespaces      map[string]*corev1.Namespace
	NetworkPolicies map[string][]networkingv1.NetworkPolicy // by namespace
	Roles           map[string][]rbacv1.Role                // by namespace
	RoleBindings    map[string][]rbacv1.RoleBinding         // by namespace
	ClusterBindings []rbacv1.ClusterRoleBinding
	Components      []appsv1.Deployment
	// TenantNamespaces are the namespaces labelled octollm.io/tenant; TenantRecords the tenants
	// with a record (key Secret) in the platform namespace.
	TenantNamespaces []corev1.Namespace
	TenantRecords    map[string]bool
	PlatformNS       string
	// GKE is the cluster as GKE reports it, or nil with GKEErr saying why it could not be read.
	GKE    *containerpb.Cluster
	GKEErr error
}

// Check runs one mechanism's check on a snapshot.
func Check(mechanism string, s *Snapshot, params map[string]string) MechanismResult {
	r := MechanismResult{Mechanism: mechanism, Checked: []string{}, Findings: []Finding{}}
	fail := func(object, format string, args ...any) {
		r.Findings = append(r.Findings, Finding{Mechanism: mechanism, Object: object, Message: fmt.Sprintf(format, args...)})
	}
	fixable := func(object, format string, args ...any) {
		fail(object, format, args...)
		r.Findings[len(r.Findings)-1].Enforceable = true
	}
	if Mechanisms[mechanism].GKE {
		checkGKE(mechanism, s, &r, fail)
	} else {
		switch mechanism {
		case PodSecurityRestricted:
			s.eachNamespace(&r, fail, func(ns *corev1.Namespace, obj string) {
				var wrong []string
				for _, mode := range podSecurityModes {
					if v := ns.Labels[contract.PodSecurityPrefix+mode]; v != restricted {
						wrong = append(wrong, fmt.Sprintf("%s=%q", contract.PodSecurityPrefix+mode, v))
					}
				}
				if len(wrong) > 0 {
					fixable(obj, "Pod Security is not restricted: %s; label the namespace %q for enforce, audit and warn, or set enforcement = \"enforce\"", strings.Join(wrong, ", "), restricted)
				}
			})
		case DefaultDenyNetwork:
			s.eachNamespace(&r, fail, func(ns *corev1.Namespace, obj string) {
				for _, np := range s.NetworkPolicies[ns.Name] {
					r.Checked = append(r.Checked, "networkpolicy/"+ns.Name+"/"+np.Name)
				}
				if missing := missingDefaultDeny(s.NetworkPolicies[ns.Name]); len(missing) > 0 {
					fixable(obj, "no NetworkPolicy selecting every Pod denies all %s; add one (podSelector {}, the policy type, no rules) or set enforcement = \"enforce\"", strings.Join(missing, " and "))
				}
			})
		case RBACLeastPrivilege:
			checkRBAC(s, &r, fail)
		case ImageDigestPinning:
			for _, d := range s.Components {
				obj := "deployment/" + d.Namespace + "/" + d.Name
				r.Checked = append(r.Checked, obj)
				for _, c := range append(slices.Clone(d.Spec.Template.Spec.InitContainers), d.Spec.Template.Spec.Containers...) {
					if !pinned(c.Image) {
						fail(obj, "container %q runs image %q, which is not pinned by digest: set the component's image to name@sha256:<digest>", c.Name, c.Image)
					}
				}
			}
		case DataRetention:
			limit, _ := strconv.Atoi(params[retentionDays.Name])
			s.eachNamespace(&r, fail, func(ns *corev1.Namespace, obj string) {
				v, ok := ns.Annotations[contract.DataRetentionAnnotation]
				days, err := strconv.Atoi(v)
				switch {
				case !ok:
					fixable(obj, "no retention period recorded; annotate the namespace %s with at most %d (days) or set enforcement = \"enforce\"", contract.DataRetentionAnnotation, limit)
				case err != nil || days < 1:
					fixable(obj, "retention period %s=%q is not a whole number of days; set it to at most %d or set enforcement = \"enforce\"", contract.DataRetentionAnnotation, v, limit)
				case days > limit:
					fixable(obj, "retention period of %d days exceeds retention_days = %d; shorten it or set enforcement = \"enforce\"", days, limit)
				}
			})
		case TenantErasure:
			for _, ns := range s.TenantNamespaces {
				if ns.DeletionTimestamp != nil {
					continue // being deleted: its data is being erased
				}
				obj := "namespace/" + ns.Name
				r.Checked = append(r.Checked, obj)
				tenant := ns.Labels[contract.TenantLabel]
				if !s.TenantRecords[tenant] {
					fail(obj, "tenant %q has no tenant record (Secret labelled %s=%s in namespace %s), so destroying a tenant would not erase this namespace: import or create octollm_tenant %q, or delete the namespace",
						tenant, contract.KindLabel, contract.KindAPIKey, s.PlatformNS, tenant)
				}
			}
		}
	}
	sort.Strings(r.Checked)
	r.Checked = slices.Compact(r.Checked)
	r.Passed = len(r.Findings) == 0
	return r
}

// eachNamespace runs fn on each scoped namespace that exists and records a finding for each
// that does not.
func (s *Snapshot) eachNamespace(r *MechanismResult, fail func(string, string, ...any), fn func(*corev1.Namespace, string)) {
	for _, name := range s.Scoped {
		obj := "namespace/" + name
		r.Checked = append(r.Checked, obj)
		ns := s.Namespaces[name]
		if ns == nil {
			fail(obj, "namespace %q does not exist: create it (octollm_platform or octollm_tenant) or remove it from scope.namespaces", name)
			continue
		}
		if ns.DeletionTimestamp != nil {
			fail(obj, "namespace %q is being deleted: nothing can be enforced there; remove it from scope.namespaces", name)
			continue
		}
		fn(ns, obj)
	}
}

// missingDefaultDeny returns the policy types ("ingress", "egress") no policy of the
// namespace denies by default: one selecting every Pod, listing the type and allowing nothing.
func missingDefaultDeny(policies []networkingv1.NetworkPolicy) []string {
	denied := map[networkingv1.PolicyType]bool{}
	for _, np := range policies {
		if len(np.Spec.PodSelector.MatchLabels) > 0 || len(np.Spec.PodSelector.MatchExpressions) > 0 {
			continue
		}
		for _, t := range np.Spec.PolicyTypes {
			if (t == networkingv1.PolicyTypeIngress && len(np.Spec.Ingress) == 0) || (t == networkingv1.PolicyTypeEgress && len(np.Spec.Egress) == 0) {
				denied[t] = true
			}
		}
	}
	var missing []string
	for _, t := range []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress} {
		if !denied[t] {
			missing = append(missing, strings.ToLower(string(t)))
		}
	}
	return missing
}

// systemSubject reports whether a subject is part of Kubernetes itself: a system: user or
// group, or a ServiceAccount of kube-system.
func systemSubject(s rbacv1.Subject) bool {
	if s.Kind == rbacv1.ServiceAccountKind {
		return s.Namespace == "kube-system"
	}
	return strings.HasPrefix(s.Name, "system:")
}

func subjectName(s rbacv1.Subject) string {
	if s.Kind == rbacv1.ServiceAccountKind {
		return "ServiceAccount " + s.Namespace + "/" + s.Name
	}
	return s.Kind + " " + s.Name
}

func checkRBAC(s *Snapshot, r *MechanismResult, fail func(string, string, ...any)) {
	for _, b := range s.ClusterBindings {
		if b.RoleRef.Kind != "ClusterRole" || b.RoleRef.Name != "cluster-admin" {
			continue
		}
		obj := "clusterrolebinding/" + b.Name
		r.Checked = append(r.Checked, obj)
		for _, sub := range b.Subjects {
			if !systemSubject(sub) {
				fail(obj, "%s is bound to cluster-admin: bind it to a namespaced Role with explicit verbs instead, then delete this binding", subjectName(sub))
			}
		}
	}
	for _, ns := range s.Scoped {
		for _, b := range s.RoleBindings[ns] {
			if b.RoleRef.Kind != "ClusterRole" || b.RoleRef.Name != "cluster-admin" {
				continue
			}
			obj := "rolebinding/" + ns + "/" + b.Name
			r.Checked = append(r.Checked, obj)
			for _, sub := range b.Subjects {
				if !systemSubject(sub) {
					fail(obj, "%s is bound to cluster-admin in namespace %s: use a Role with explicit verbs and resources", subjectName(sub), ns)
				}
			}
		}
		for _, role := range s.Roles[ns] {
			obj := "role/" + ns + "/" + role.Name
			r.Checked = append(r.Checked, obj)
			for i, rule := range role.Rules {
				if slices.Contains(rule.Verbs, "*") || slices.Contains(rule.Resources, "*") {
					fail(obj, "rule %d grants wildcard verbs or resources (verbs %v, resources %v): list the verbs and resources the subject needs", i, rule.Verbs, rule.Resources)
				}
			}
		}
	}
}

var kmsKeyName = regexp.MustCompile(`^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$`)

// requiredLogComponents are the GKE logging components audit_logging needs.
var requiredLogComponents = []containerpb.LoggingComponentConfig_Component{
	containerpb.LoggingComponentConfig_SYSTEM_COMPONENTS,
	containerpb.LoggingComponentConfig_WORKLOADS,
	containerpb.LoggingComponentConfig_APISERVER,
}

func checkGKE(mechanism string, s *Snapshot, r *MechanismResult, fail func(string, string, ...any)) {
	if s.GKE == nil {
		r.Checked = append(r.Checked, "gke-cluster")
		fail("gke-cluster", "cannot check the GKE cluster: %v", s.GKEErr)
		return
	}
	c := s.GKE
	obj := "gke-cluster/" + c.GetName()
	r.Checked = append(r.Checked, obj)
	switch mechanism {
	case SecretsEncryption:
		de := c.GetDatabaseEncryption()
		switch {
		case de.GetState() != containerpb.DatabaseEncryption_ENCRYPTED:
			fail(obj, "application-layer secrets encryption is off (databaseEncryption.state %s): enable it with a Cloud KMS key (gcloud container clusters update --database-encryption-key)", de.GetState())
		case !kmsKeyName.MatchString(de.GetKeyName()):
			fail(obj, "databaseEncryption.keyName %q is not a Cloud KMS key (projects/P/locations/L/keyRings/R/cryptoKeys/K)", de.GetKeyName())
		}
	case AuditLogging:
		on := c.GetLoggingConfig().GetComponentConfig().GetEnableComponents()
		var missing []string
		for _, want := range requiredLogComponents {
			if !slices.Contains(on, want) {
				missing = append(missing, want.String())
			}
		}
		if len(missing) > 0 {
			fail(obj, "loggingConfig does not send %s logs to Cloud Logging: add them (gcloud container clusters update --logging=SYSTEM,WORKLOAD,API_SERVER)", strings.Join(missing, ", "))
		}
	case WorkloadIdentity:
		if c.GetWorkloadIdentityConfig().GetWorkloadPool() == "" {
			fail(obj, "Workload Identity is off (no workloadIdentityConfig.workloadPool): enable it with --workload-pool=<project>.svc.id.goog")
		}
	case ShieldedNodes:
		if !c.GetShieldedNodes().GetEnabled() {
			fail(obj, "Shielded GKE Nodes are off: enable them (gcloud container clusters update --enable-shielded-nodes)")
		}
	case BinaryAuthorization:
		if c.GetBinaryAuthorization().GetEvaluationMode() != containerpb.BinaryAuthorization_PROJECT_SINGLETON_POLICY_ENFORCE {
			fail(obj, "Binary Authorization is not enforced (evaluationMode %s): set it to PROJECT_SINGLETON_POLICY_ENFORCE", c.GetBinaryAuthorization().GetEvaluationMode())
		}
	}
}

var digestRef = regexp.MustCompile(`@sha256:[0-9a-f]{64}$`)

func pinned(image string) bool { return digestRef.MatchString(image) }
