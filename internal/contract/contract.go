// Package contract is the contract between the provider and the gateway: what the provider
// writes into the cluster and into Stripe, and what the gateway runtime reads back. It holds
// route.json's types (RouteDocument and the Route it embeds), the tenant key Secret's record
// (TenantRecord, TenantKey), the label and object names both sides select by, the data keys of
// the objects, the meter event names and the HTTP headers the gateway reads and sets. The
// resource families write through it and the gateway reads through it, so the two sides can
// never disagree; docs/guides/model-route-contract.md describes the same contract for other readers.
//
// It also holds the names every resource family shares: the ownership markers by which the
// provider recognises what it wrote (the managed-by label on Kubernetes objects, its GCE
// resource-label and Stripe metadata forms) and the well-known Kubernetes labels several
// families write or read. A family that needs one of these names uses it from here, never a
// copy of its own.
//
// The package imports only the standard library: the gateway binary imports it.
package contract

// Labels, values and names on the objects the provider writes.
const (
	// RouteSchemaVersion is route.json's schema_version.
	RouteSchemaVersion = 1
	// RouteDataKey is the ConfigMap data key holding route.json.
	RouteDataKey = "route.json"
	// RouteLabel carries a route's name on its ConfigMap.
	RouteLabel = "octollm.io/model-route"
	// TenantLabel carries the tenant on a tenant's objects, its key Secret and its routes.
	TenantLabel = "octollm.io/tenant"
	// TierLabel carries the tenant's tier on its namespace.
	TierLabel = "octollm.io/tier"
	// KindLabel says what an object is to the gateway; the gateway's Role reads by it.
	KindLabel = "octollm.dev/kind"
	// KindModelRoute is KindLabel's value on a route ConfigMap.
	KindModelRoute = "model-route"
	// KindAPIKey is KindLabel's value on a tenant key Secret.
	KindAPIKey = "api-key"
	// PartOfLabel and PartOfValue are on every object of the platform.
	PartOfLabel = "app.kubernetes.io/part-of"
	PartOfValue = "octollm"
	// RouteConfigMapPrefix starts every route ConfigMap's name.
	RouteConfigMapPrefix = "octollm-route-"
	// DataRetentionAnnotation records a tenant namespace's data retention period in days;
	// the compliance controls check and enforce it.
	DataRetentionAnnotation = "octollm.io/data-retention-days"
)

// Ownership markers: how the provider marks what it created, so that it never takes over an
// object, pool or Stripe record it did not write. Every marker's value is ManagedByValue.
const (
	// ManagedByLabel is on every Kubernetes object the provider writes.
	ManagedByLabel = "app.kubernetes.io/managed-by"
	// ManagedByValue is the value of every ownership marker.
	ManagedByValue = "terraform-provider-octollm"
	// ManagedByResourceLabel marks, in a GKE node pool's GCE resource labels, pools the
	// provider created (GCE label keys allow neither '/' nor '.').
	ManagedByResourceLabel = "managed-by"
	// ManagedByMetadata marks, in Stripe metadata, the products, prices and customers the
	// provider created.
	ManagedByMetadata = "managed_by"
)

// Well-known Kubernetes labels several families write or read.
const (
	// NameLabel, ComponentLabel and InstanceLabel are the app.kubernetes.io recommended labels.
	NameLabel      = "app.kubernetes.io/name"
	ComponentLabel = "app.kubernetes.io/component"
	InstanceLabel  = "app.kubernetes.io/instance"
	// NamespaceNameLabel is set by the apiserver on every namespace to the namespace's name.
	NamespaceNameLabel = "kubernetes.io/metadata.name"
	// PodSecurityPrefix starts the Pod Security Admission labels (enforce, audit, warn and
	// their -version).
	PodSecurityPrefix = "pod-security.kubernetes.io/"
)

// The tenant key Secret (in the platform namespace, labelled KindLabel=KindAPIKey): its data
// keys. The Secret never holds the key itself, only its hex SHA-256.
const (
	KeySecretKeyID         = "key_id"
	KeySecretSHA256        = "key_sha256"
	KeySecretAllowedModels = "allowed_models"
	KeySecretQuota         = "quota"
	KeySecretRecord        = "tenant.json"

	// APIKeyPrefix starts every tenant API key.
	APIKeyPrefix = "ollm_"

	keySecretNamePrefix = "octollm-tenant-" //nolint:gosec // G101: the prefix of a Secret object's name, not a credential
	keySecretNameSuffix = "-key"
)

// Stripe billing meters: the gateway reports usage as meter events named MeterEventPrefix+key,
// with the customer under MeterCustomerPayloadKey and the amount under MeterValuePayloadKey.
const (
	MeterEventPrefix        = "octollm_"
	MeterCustomerPayloadKey = "stripe_customer_id"
	MeterValuePayloadKey    = "value"

	MeterAPICalls       = MeterEventPrefix + "api_calls"
	MeterLLMTokens      = MeterEventPrefix + "llm_tokens"
	MeterComputeSeconds = MeterEventPrefix + "compute_seconds"
)

// HTTP headers the gateway reads from requests (task type, complexity) and sets on responses
// (the model and the route that served the request).
const (
	HeaderTaskType   = "X-OctoLLM-Task-Type"
	HeaderComplexity = "X-OctoLLM-Complexity"
	HeaderModel      = "X-OctoLLM-Model"
	HeaderRoute      = "X-OctoLLM-Route"
)

// KeySecretName is the name of tenant's key Secret: octollm-tenant-<tenant>-key.
func KeySecretName(tenant string) string {
	return keySecretNamePrefix + tenant + keySecretNameSuffix
}

// RouteConfigMapName is the ConfigMap name of the route tenant/name: octollm-route-<name> for
// a global route (tenant ""), octollm-route-<tenant>-<name> for a tenant route.
func RouteConfigMapName(tenant, name string) string {
	if tenant == "" {
		return RouteConfigMapPrefix + name
	}
	return RouteConfigMapPrefix + tenant + "-" + name
}

// MeterEventName is the Stripe meter event name of a billing plan's meter key: octollm_<key>.
func MeterEventName(key string) string { return MeterEventPrefix + key }
