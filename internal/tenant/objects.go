// Package tenant implements octollm_tenant: an isolated tenant namespace (Pod Security,
// quota, default limits, network policies, RBAC), its API key, stored hashed where the gateway
// reads it, and its Stripe customer and metered subscription.
package tenant

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"sort"
	"strings"

	apiresource "k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/validate"
)

// The object kinds a tenant writes.
var (
	NamespaceResource      = clients.NamespaceResource
	ResourceQuotaResource  = schema.GroupVersionResource{Version: "v1", Resource: "resourcequotas"}
	LimitRangeResource     = schema.GroupVersionResource{Version: "v1", Resource: "limitranges"}
	NetworkPolicyResource  = schema.GroupVersionResource{Group: "networking.k8s.io", Version: "v1", Resource: "networkpolicies"}
	ServiceAccountResource = schema.GroupVersionResource{Version: "v1", Resource: "serviceaccounts"}
	RoleResource           = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "roles"}
	RoleBindingResource    = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings"}
	SecretResource         = schema.GroupVersionResource{Version: "v1", Resource: "secrets"}
)

// Labels, annotations and object names.
const (
	DisplayNameAnno      = "octollm.io/display-name"
	NamespacePrefix      = "tenant-"
	QuotaName            = "tenant-quota"
	LimitRangeName       = "tenant-defaults"
	WorkloadName         = "tenant-workload" // ServiceAccount, Role and RoleBinding
	AdminsBindingName    = "tenant-admins"
	DefaultDenyPolicy    = "default-deny"
	SameNamespacePolicy  = "allow-same-namespace"
	FromPlatformPolicy   = "allow-from-platform"
	DNSPolicy            = "allow-dns"
	KeyPrefix            = contract.APIKeyPrefix
	MaxNameLength        = 40
	SpecKey              = contract.KeySecretRecord
	restricted           = "restricted"
	containerDefaultCPU  = "500m"
	containerDefaultMem  = "512Mi"
	containerRequestCPU  = "100m"
	containerRequestMem  = "128Mi"
	apiKeyRandomBytes    = 32
	apiKeyIDHexLength    = 16
	defaultRetentionDays = 30
)

// Tiers are the tenant tiers, each with default quotas.
var Tiers = []string{"free", "standard", "enterprise"}

// Quota is a tenant's resource and usage allowance, as the gateway reads it.
type Quota = contract.Quota

// TierQuota returns a tier's default quota.
func TierQuota(tier string) Quota {
	switch tier {
	case "free":
		return Quota{CPU: "2", Memory: "4Gi", Pods: 10, LLMTokensPerMonth: 1_000_000, RequestsPerMinute: 60}
	case "enterprise":
		return Quota{CPU: "64", Memory: "256Gi", Pods: 500, LLMTokensPerMonth: 1_000_000_000, RequestsPerMinute: 6000}
	default:
		return Quota{CPU: "8", Memory: "16Gi", Pods: 50, LLMTokensPerMonth: 10_000_000, RequestsPerMinute: 600}
	}
}

// Billing is the tenant's Stripe side as recorded.
type Billing = contract.Billing

// Spec is a tenant as the configuration wants it; its record (contract.TenantRecord, the same
// fields but PlatformNamespace and APIKeyHash) is what the key Secret holds as tenant.json for
// the gateway and for import.
type Spec struct {
	Name              string
	DisplayName       string
	Tier              string
	Quota             Quota
	QuotaFields       []string // the quota fields configured, not from the tier
	AllowedModels     []string
	Admins            []string
	NetworkIsolation  bool
	DataRetentionDays int64
	APIKeyVersion     int64
	APIKeyID          string
	Billing           *Billing

	PlatformNamespace string
	APIKeyHash        string // hex SHA-256 of the key
}

// TenantRecord is the spec as tenant.json records it.
func (s Spec) TenantRecord() contract.TenantRecord {
	return contract.TenantRecord{
		Name: s.Name, DisplayName: s.DisplayName, Tier: s.Tier, Quota: s.Quota, QuotaFields: s.QuotaFields,
		AllowedModels: s.AllowedModels, Admins: s.Admins, NetworkIsolation: s.NetworkIsolation,
		DataRetentionDays: s.DataRetentionDays, APIKeyVersion: s.APIKeyVersion, APIKeyID: s.APIKeyID, Billing: s.Billing,
	}
}

// specFromRecord is the spec tenant.json records, without the platform namespace and key hash.
func specFromRecord(r contract.TenantRecord) Spec {
	return Spec{
		Name: r.Name, DisplayName: r.DisplayName, Tier: r.Tier, Quota: r.Quota, QuotaFields: r.QuotaFields,
		AllowedModels: r.AllowedModels, Admins: r.Admins, NetworkIsolation: r.NetworkIsolation,
		DataRetentionDays: r.DataRetentionDays, APIKeyVersion: r.APIKeyVersion, APIKeyID: r.APIKeyID, Billing: r.Billing,
	}
}

// Namespace is the tenant's namespace name.
func Namespace(name string) string { return NamespacePrefix + name }

// SecretName is the name of the key Secret in the platform namespace.
func SecretName(name string) string { return contract.KeySecretName(name) }

// NameProblem explains why name cannot name a tenant, or returns "".
func NameProblem(name string) string {
	errs := validate.DNSLabel(name, MaxNameLength)
	if len(errs) == 0 {
		return ""
	}
	return fmt.Sprintf("%q is not a valid tenant name: %s. Use at most %d lowercase letters, digits and '-', starting and ending with a letter or digit, such as \"acme\" (the namespace is tenant-<name>).",
		name, strings.Join(errs, "; "), MaxNameLength)
}

// QuantityProblem explains why s is not a non-negative Kubernetes quantity, or returns "".
func QuantityProblem(s string) string {
	if msg := validate.Quantity(s); msg != "" {
		return msg
	}
	if q := apiresource.MustParse(s); q.Sign() < 0 {
		return fmt.Sprintf("%q is negative: a quota must be zero or more.", s)
	}
	return ""
}

// canonical renders a quantity the way the apiserver stores it ("1000m" -> "1").
func canonical(s string) string {
	q, err := apiresource.ParseQuantity(s)
	if err != nil {
		return s
	}
	return q.String()
}

// NewAPIKey returns a fresh API key: "ollm_" and 32 random bytes in base62.
func NewAPIKey() (string, error) {
	b := make([]byte, apiKeyRandomBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return KeyPrefix + new(big.Int).SetBytes(b).Text(62), nil
}

// KeyHash is the hex SHA-256 of an API key, the only form of it the cluster holds.
func KeyHash(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

// KeyID is the key's public identifier, derived from its hash.
func KeyID(key string) string { return "ollmk_" + KeyHash(key)[:apiKeyIDHexLength] }

func labels(s Spec) map[string]any {
	return map[string]any{
		contract.ManagedByLabel: contract.ManagedByValue,
		contract.PartOfLabel:    contract.PartOfValue,
		contract.TenantLabel:    s.Name,
	}
}

func meta(name, namespace string, s Spec) map[string]any {
	m := map[string]any{"name": name, "labels": labels(s)}
	if namespace != "" {
		m["namespace"] = namespace
	}
	return m
}

func object(apiVersion, kind string, metadata map[string]any, fields map[string]any) *unstructured.Unstructured {
	o := map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": metadata}
	for k, v := range fields {
		o[k] = v
	}
	return &unstructured.Unstructured{Object: o}
}

// NamespaceObject is the tenant namespace: tenant and tier labels, restricted Pod Security,
// and the display name and retention period as annotations.
func (s Spec) NamespaceObject() *unstructured.Unstructured {
	m := meta(Namespace(s.Name), "", s)
	l := m["labels"].(map[string]any)
	l[contract.TierLabel] = s.Tier
	for _, mode := range []string{"enforce", "audit", "warn"} {
		l[contract.PodSecurityPrefix+mode] = restricted
	}
	l[contract.PodSecurityPrefix+"enforce-version"] = "latest"
	m["annotations"] = map[string]any{DisplayNameAnno: s.DisplayName, contract.DataRetentionAnnotation: fmt.Sprint(s.DataRetentionDays)}
	return object("v1", "Namespace", m, nil)
}

// ResourceQuota caps the namespace's CPU and memory (requests and limits) and pods.
func (s Spec) ResourceQuota() *unstructured.Unstructured {
	cpu, mem := canonical(s.Quota.CPU), canonical(s.Quota.Memory)
	return object("v1", "ResourceQuota", meta(QuotaName, Namespace(s.Name), s), map[string]any{"spec": map[string]any{"hard": map[string]any{
		"requests.cpu": cpu, "limits.cpu": cpu, "requests.memory": mem, "limits.memory": mem, "pods": fmt.Sprint(s.Quota.Pods),
	}}})
}

// LimitRange gives containers without resources a request and limit, so they count against
// the quota instead of being rejected for lacking them.
func (s Spec) LimitRange() *unstructured.Unstructured {
	return object("v1", "LimitRange", meta(LimitRangeName, Namespace(s.Name), s), map[string]any{"spec": map[string]any{"limits": []any{map[string]any{
		"type":           "Container",
		"default":        map[string]any{"cpu": containerDefaultCPU, "memory": containerDefaultMem},
		"defaultRequest": map[string]any{"cpu": containerRequestCPU, "memory": containerRequestMem},
	}}}})
}

func netpol(s Spec, name string, spec map[string]any) *unstructured.Unstructured {
	return object("networking.k8s.io/v1", "NetworkPolicy", meta(name, Namespace(s.Name), s), map[string]any{"spec": spec})
}

// NetworkPolicies deny all traffic by default, then allow traffic within the tenant, from the
// platform namespace (the gateway), and DNS.
func (s Spec) NetworkPolicies() []*unstructured.Unstructured {
	all := map[string]any{}
	return []*unstructured.Unstructured{
		netpol(s, DefaultDenyPolicy, map[string]any{"podSelector": all, "policyTypes": []any{"Ingress", "Egress"}}),
		netpol(s, SameNamespacePolicy, map[string]any{"podSelector": all, "policyTypes": []any{"Ingress", "Egress"},
			"ingress": []any{map[string]any{"from": []any{map[string]any{"podSelector": all}}}},
			"egress":  []any{map[string]any{"to": []any{map[string]any{"podSelector": all}}}}}),
		netpol(s, FromPlatformPolicy, map[string]any{"podSelector": all, "policyTypes": []any{"Ingress"},
			"ingress": []any{map[string]any{"from": []any{map[string]any{"namespaceSelector": map[string]any{
				"matchLabels": map[string]any{contract.NamespaceNameLabel: s.PlatformNamespace}}}}}}}),
		netpol(s, DNSPolicy, map[string]any{"podSelector": all, "policyTypes": []any{"Egress"},
			"egress": []any{map[string]any{"ports": []any{
				map[string]any{"protocol": "UDP", "port": int64(53)}, map[string]any{"protocol": "TCP", "port": int64(53)}}}}}),
	}
}

// NetworkPolicyNames are the policies NetworkPolicies writes.
var NetworkPolicyNames = []string{DefaultDenyPolicy, SameNamespacePolicy, FromPlatformPolicy, DNSPolicy}

// WorkloadRules are what the tenant's workload ServiceAccount may do in its own namespace:
// run and configure workloads, with explicit verbs and resources (no wildcards).
func WorkloadRules() []any {
	rw := []any{"get", "list", "watch", "create", "update", "patch", "delete"}
	return []any{
		map[string]any{"apiGroups": []any{""}, "resources": []any{"pods", "services", "configmaps", "secrets", "persistentvolumeclaims"}, "verbs": rw},
		map[string]any{"apiGroups": []any{""}, "resources": []any{"pods/log"}, "verbs": []any{"get", "list", "watch"}},
		map[string]any{"apiGroups": []any{"apps"}, "resources": []any{"deployments", "statefulsets", "replicasets"}, "verbs": rw},
		map[string]any{"apiGroups": []any{"batch"}, "resources": []any{"jobs", "cronjobs"}, "verbs": rw},
	}
}

// Workload returns the workload ServiceAccount, its Role and its RoleBinding.
func (s Spec) Workload() []*unstructured.Unstructured {
	ns := Namespace(s.Name)
	return []*unstructured.Unstructured{
		object("v1", "ServiceAccount", meta(WorkloadName, ns, s), nil),
		object("rbac.authorization.k8s.io/v1", "Role", meta(WorkloadName, ns, s), map[string]any{"rules": WorkloadRules()}),
		object("rbac.authorization.k8s.io/v1", "RoleBinding", meta(WorkloadName, ns, s), map[string]any{
			"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": WorkloadName},
			"subjects": []any{map[string]any{"kind": "ServiceAccount", "name": WorkloadName, "namespace": ns}},
		}),
	}
}

// AdminsBinding binds the admins to the built-in admin ClusterRole inside the tenant namespace
// only; nil when there are no admins.
func (s Spec) AdminsBinding() *unstructured.Unstructured {
	if len(s.Admins) == 0 {
		return nil
	}
	admins := slices.Clone(s.Admins)
	sort.Strings(admins)
	subjects := make([]any, 0, len(admins))
	for _, a := range admins {
		subjects = append(subjects, map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": a})
	}
	return object("rbac.authorization.k8s.io/v1", "RoleBinding", meta(AdminsBindingName, Namespace(s.Name), s), map[string]any{
		"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "admin"},
		"subjects": subjects,
	})
}

// Record is tenant.json: what the gateway needs to authenticate and meter the tenant.
func (s Spec) Record() ([]byte, error) {
	r := s.TenantRecord()
	r.AllowedModels = sortedCopy(s.AllowedModels)
	r.Admins = sortedCopy(s.Admins)
	return json.Marshal(r)
}

func sortedCopy(in []string) []string {
	out := slices.Clone(in)
	if out == nil {
		out = []string{}
	}
	sort.Strings(out)
	return out
}

// KeySecret is the Secret in the platform namespace holding the key's hash (never the key),
// its id, the allowed models, the quotas and the whole record.
func (s Spec) KeySecret() (*unstructured.Unstructured, error) {
	record, err := s.Record()
	if err != nil {
		return nil, err
	}
	models, _ := json.Marshal(sortedCopy(s.AllowedModels))
	quota, _ := json.Marshal(s.Quota)
	m := meta(SecretName(s.Name), s.PlatformNamespace, s)
	m["labels"].(map[string]any)[contract.KindLabel] = contract.KindAPIKey
	enc := func(v string) string { return base64.StdEncoding.EncodeToString([]byte(v)) }
	return object("v1", "Secret", m, map[string]any{"type": "Opaque", "data": map[string]any{
		contract.KeySecretKeyID:         enc(s.APIKeyID),
		contract.KeySecretSHA256:        enc(s.APIKeyHash),
		contract.KeySecretAllowedModels: enc(string(models)),
		contract.KeySecretQuota:         enc(string(quota)),
		contract.KeySecretRecord:        enc(string(record)),
	}}), nil
}

// ParseRecord reads tenant.json and the key hash back from a key Secret.
func ParseRecord(secret *unstructured.Unstructured) (Spec, error) {
	var rec contract.TenantRecord
	data, _, _ := unstructured.NestedStringMap(secret.Object, "data")
	raw, err := base64.StdEncoding.DecodeString(data[SpecKey])
	if err != nil {
		return Spec{}, fmt.Errorf("secret %s/%s: %s is not base64: %w", secret.GetNamespace(), secret.GetName(), SpecKey, err)
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		return specFromRecord(rec), fmt.Errorf("secret %s/%s: %s is not the tenant record: %w", secret.GetNamespace(), secret.GetName(), SpecKey, err)
	}
	s := specFromRecord(rec)
	hash, _ := base64.StdEncoding.DecodeString(data[contract.KeySecretSHA256])
	s.APIKeyHash = string(hash)
	return s, nil
}

// NamespacedObjects are every object in the tenant namespace the spec asks for, in apply order.
func (s Spec) NamespacedObjects() []*unstructured.Unstructured {
	objs := []*unstructured.Unstructured{s.ResourceQuota(), s.LimitRange()}
	objs = append(objs, s.Workload()...)
	if b := s.AdminsBinding(); b != nil {
		objs = append(objs, b)
	}
	if s.NetworkIsolation {
		objs = append(objs, s.NetworkPolicies()...)
	}
	return objs
}

// Drift lists how live differs from want in the fields want sets; live nil means missing.
func Drift(want, live *unstructured.Unstructured) []string {
	what := want.GetKind() + " " + want.GetName()
	if live == nil {
		return []string{what + " is missing"}
	}
	var out []string
	for _, field := range []string{"spec", "rules", "roleRef", "subjects", "data", "type"} {
		w, ok := want.Object[field]
		if !ok {
			continue
		}
		if !subset(w, live.Object[field]) {
			out = append(out, fmt.Sprintf("%s: %s differs", what, field))
		}
	}
	wl, ll := want.GetLabels(), live.GetLabels()
	for _, k := range slices.Sorted(maps.Keys(wl)) {
		if ll[k] != wl[k] {
			out = append(out, fmt.Sprintf("%s: label %s is %q, want %q", what, k, ll[k], wl[k]))
		}
	}
	wa, la := want.GetAnnotations(), live.GetAnnotations()
	for _, k := range slices.Sorted(maps.Keys(wa)) {
		if la[k] != wa[k] {
			out = append(out, fmt.Sprintf("%s: annotation %s is %q, want %q", what, k, la[k], wa[k]))
		}
	}
	return out
}

// subset reports whether every field of want is in live with the same value; lists must
// match element by element. Quantities compare by value, numbers across int and float.
func subset(want, live any) bool {
	switch w := want.(type) {
	case map[string]any:
		l, ok := live.(map[string]any)
		if !ok {
			return len(w) == 0 && live == nil
		}
		for k, v := range w {
			if !subset(v, l[k]) {
				return false
			}
		}
		return true
	case []any:
		l, ok := live.([]any)
		if !ok || len(l) != len(w) {
			return false
		}
		for i := range w {
			if !subset(w[i], l[i]) {
				return false
			}
		}
		return true
	case string:
		l, ok := live.(string)
		return ok && (l == w || canonical(l) == canonical(w))
	case int64:
		switch l := live.(type) {
		case int64:
			return l == w
		case float64:
			return l == float64(w)
		}
		return false
	default:
		return fmt.Sprint(want) == fmt.Sprint(live)
	}
}
