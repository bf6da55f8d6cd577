package platform

// The component's arguments mirror modules/platform's variables (and the variables of the
// modules it calls), in Go's spelling: every field the Terraform module defaults is optional
// here with the same default. The json tags are the names in Pulumi stack configuration, so a
// stack's `platform` object decodes straight into Args (config.GetObject).

// Args are the arguments of the octollm:index:Platform component.
type Args struct {
	// Namespace is the platform namespace (restricted Pod Security); default "octollm".
	// Configure the provider's namespace to the same value: routes and compliance evidence
	// live there.
	Namespace string `json:"namespace,omitempty"`
	// Environment (dev, staging, prod...) is recorded as the namespace label
	// octollm.dev/environment; empty: no label.
	Environment string `json:"environment,omitempty"`
	// DeletionProtection protects the platform namespace and every tenant from destroy;
	// default true. Set false and run `pulumi up` before destroying.
	DeletionProtection *bool `json:"deletionProtection,omitempty"`
	// PodSecurity is the Pod Security Standard of the platform namespace: restricted
	// (default) or baseline.
	PodSecurity string `json:"podSecurity,omitempty"`
	// GatewayServiceAccount is the gateway's ServiceAccount; default "octollm-gateway".
	GatewayServiceAccount string `json:"gatewayServiceAccount,omitempty"`
	// Labels are extra labels of the platform namespace.
	Labels map[string]string `json:"labels,omitempty"`

	// NodePools by name; nil: the seed's cpu-optimized, memory-optimized and spot pools
	// (DefaultNodePools). Given, it must not be empty.
	NodePools map[string]NodePoolArgs `json:"nodePools,omitempty"`
	// NodePoolNamePrefix prefixes every node pool's name, so environments sharing a
	// cluster do not collide.
	NodePoolNamePrefix string `json:"nodePoolNamePrefix,omitempty"`

	// Components are the runtime components by name; nil: the seed's orchestrator and
	// executor arm (DefaultComponents). An empty map runs none.
	Components map[string]ComponentArgs `json:"components,omitempty"`

	// BillingPlan is the usage-based Stripe plan tenants with BillingEmail subscribe to;
	// nil: no billing.
	BillingPlan *BillingPlanArgs `json:"billingPlan,omitempty"`

	// Tenants by name (a DNS-1123 label of at most 40 characters).
	Tenants map[string]TenantArgs `json:"tenants,omitempty"`

	// Routes are the model routes by name; nil: the seed's cheapest capable model for
	// reasoning 7 (DefaultRoutes). An empty map creates none.
	Routes map[string]RouteArgs `json:"routes,omitempty"`

	// ComplianceControls are scoped by default to the platform namespace and all tenants;
	// nil: the default baseline (DefaultComplianceControls).
	ComplianceControls []ComplianceControlArgs `json:"complianceControls,omitempty"`
	// ComplianceEnforce false makes every control only audit; default true.
	ComplianceEnforce *bool `json:"complianceEnforce,omitempty"`

	// Gateway is this project's gateway (octollm-gateway); nil: no gateway.
	Gateway *GatewayArgs `json:"gateway,omitempty"`

	// NetworkPolicy is octollm_platform's network_policy; GatewayPort follows Gateway.Port
	// and Redis' port (from the gateway's OCTOLLM_REDIS_URL) is added to EgressPorts.
	NetworkPolicy *NetworkPolicyArgs `json:"networkPolicy,omitempty"`
}

// NodePoolArgs is one node pool, as modules/node-pools' var.pools.
type NodePoolArgs struct {
	// WorkloadType: cpu-optimized, memory-optimized, spot or general (default).
	WorkloadType string `json:"workloadType,omitempty"`
	// CPU and MemoryGb together, or MachineType.
	CPU         *int     `json:"cpu,omitempty"`
	MemoryGb    *float64 `json:"memoryGb,omitempty"`
	MachineType string   `json:"machineType,omitempty"`
	// MachineFamily narrows the machine types CPU and MemoryGb choose from.
	MachineFamily string `json:"machineFamily,omitempty"`
	Spot          bool   `json:"spot,omitempty"`
	// Gvisor makes a GKE Sandbox pool for sandboxed components (image type COS_CONTAINERD).
	Gvisor    bool   `json:"gvisor,omitempty"`
	ImageType string `json:"imageType,omitempty"`
	// InitialNodeCount; default 1.
	InitialNodeCount *int `json:"initialNodeCount,omitempty"`
	// MinNodeCount and MaxNodeCount together turn on autoscaling.
	MinNodeCount   *int              `json:"minNodeCount,omitempty"`
	MaxNodeCount   *int              `json:"maxNodeCount,omitempty"`
	LocationPolicy string            `json:"locationPolicy,omitempty"`
	DiskSizeGb     *int              `json:"diskSizeGb,omitempty"`
	DiskType       string            `json:"diskType,omitempty"`
	NodeLocations  []string          `json:"nodeLocations,omitempty"`
	Labels         map[string]string `json:"labels,omitempty"`
	Taints         []TaintArgs       `json:"taints,omitempty"`
}

// TaintArgs is a node pool taint.
type TaintArgs struct {
	Key    string `json:"key"`
	Value  string `json:"value,omitempty"`
	Effect string `json:"effect"`
}

// ComponentArgs is one runtime component, as modules/gateway-runtime's var.components.
type ComponentArgs struct {
	// Kind: gateway, reflex, orchestrator or arm.
	Kind string `json:"kind"`
	// Image, pinned: registry/repository:tag (not latest) or @sha256:<digest>.
	Image string `json:"image"`
	Port  int    `json:"port"`
	// Replicas, when not autoscaled.
	Replicas          *int                     `json:"replicas,omitempty"`
	RequireDigest     bool                     `json:"requireDigest,omitempty"`
	Sandboxed         bool                     `json:"sandboxed,omitempty"`
	WorkloadType      string                   `json:"workloadType,omitempty"`
	PlacementRequired bool                     `json:"placementRequired,omitempty"`
	Env               map[string]string        `json:"env,omitempty"`
	SecretEnv         map[string]SecretRefArgs `json:"secretEnv,omitempty"`
	Args              []string                 `json:"args,omitempty"`
	// ServiceAccountName: a ServiceAccount for the pods; empty: none, without an API token.
	ServiceAccountName            string            `json:"serviceAccountName,omitempty"`
	Requests                      map[string]string `json:"requests,omitempty"`
	Limits                        map[string]string `json:"limits,omitempty"`
	HealthPath                    string            `json:"healthPath,omitempty"`
	TerminationGracePeriodSeconds *int              `json:"terminationGracePeriodSeconds,omitempty"`
	PreStopSleepSeconds           *int              `json:"preStopSleepSeconds,omitempty"`
	// WaitForRollout; default true.
	WaitForRollout *bool                 `json:"waitForRollout,omitempty"`
	Autoscaling    *ComponentScalingArgs `json:"autoscaling,omitempty"`
}

// SecretRefArgs names a key of a Secret in the platform namespace.
type SecretRefArgs struct {
	Secret string `json:"secret"`
	Key    string `json:"key"`
}

// ComponentScalingArgs is a component's HPA (and optional VPA and PDB), as
// modules/autoscaling with its default scale-up and scale-down behaviour.
type ComponentScalingArgs struct {
	MinReplicas int `json:"minReplicas"`
	MaxReplicas int `json:"maxReplicas"`
	// CPUUtilization; default 70.
	CPUUtilization    *int              `json:"cpuUtilization,omitempty"`
	MemoryUtilization *int              `json:"memoryUtilization,omitempty"`
	PodMetrics        map[string]string `json:"podMetrics,omitempty"`
	// VpaUpdateMode (Off, Initial, Recreate, Auto, InPlaceOrRecreate) adds a VPA.
	VpaUpdateMode string `json:"vpaUpdateMode,omitempty"`
	// MinAvailable adds a PodDisruptionBudget.
	MinAvailable string `json:"minAvailable,omitempty"`
}

// BillingPlanArgs is the Stripe billing plan.
type BillingPlanArgs struct {
	Name string `json:"name"`
	// Currency; default usd.
	Currency string `json:"currency,omitempty"`
	// Meters; nil: llm_tokens, api_calls and compute_seconds (DefaultMeters).
	Meters []MeterArgs `json:"meters,omitempty"`
}

// MeterArgs is one metered price of the billing plan (cents per unit).
type MeterArgs struct {
	Key               string `json:"key"`
	DisplayName       string `json:"displayName"`
	UnitAmountDecimal string `json:"unitAmountDecimal"`
}

// TenantArgs is one tenant, as modules/tenant.
type TenantArgs struct {
	DisplayName string `json:"displayName,omitempty"`
	// Tier: free, standard (default) or enterprise.
	Tier string `json:"tier,omitempty"`
	// AllowedModels; nil: gpt-4o-mini and claude-haiku-4-5.
	AllowedModels []string `json:"allowedModels,omitempty"`
	Admins        []string `json:"admins,omitempty"`
	// DataRetentionDays; default 30.
	DataRetentionDays *int `json:"dataRetentionDays,omitempty"`
	// APIKeyVersion; default 1. Bump it to rotate the tenant's API key.
	APIKeyVersion *int `json:"apiKeyVersion,omitempty"`
	// NetworkIsolation; default true.
	NetworkIsolation *bool `json:"networkIsolation,omitempty"`
	// BillingEmail subscribes the tenant to BillingPlan.
	BillingEmail string `json:"billingEmail,omitempty"`
	// DeletionProtection; default Args.DeletionProtection.
	DeletionProtection *bool            `json:"deletionProtection,omitempty"`
	Quota              *TenantQuotaArgs `json:"quota,omitempty"`
}

// TenantQuotaArgs is a tenant's quota; unset fields take the tier's default.
type TenantQuotaArgs struct {
	CPU               string `json:"cpu,omitempty"`
	Memory            string `json:"memory,omitempty"`
	Pods              *int   `json:"pods,omitempty"`
	LlmTokensPerMonth *int   `json:"llmTokensPerMonth,omitempty"`
	RequestsPerMinute *int   `json:"requestsPerMinute,omitempty"`
}

// RouteArgs is one model route, as modules/model-routing's var.routes.
type RouteArgs struct {
	Tenant string `json:"tenant,omitempty"`
	// Strategy: cheapest_capable (default), weighted, priority or lowest_latency.
	Strategy           string             `json:"strategy,omitempty"`
	RequiredCapability string             `json:"requiredCapability,omitempty"`
	MinCapabilityScore *int               `json:"minCapabilityScore,omitempty"`
	TaskTypes          []string           `json:"taskTypes,omitempty"`
	MinComplexity      *int               `json:"minComplexity,omitempty"`
	MaxComplexity      *int               `json:"maxComplexity,omitempty"`
	Targets            []RouteTargetArgs  `json:"targets,omitempty"`
	Fallback           *RouteFallbackArgs `json:"fallback,omitempty"`
	Retry              *RouteRetryArgs    `json:"retry,omitempty"`
	Cache              *RouteCacheArgs    `json:"cache,omitempty"`
	Budget             *RouteBudgetArgs   `json:"budget,omitempty"`
}

// RouteTargetArgs is a model a route sends to.
type RouteTargetArgs struct {
	Model    string `json:"model"`
	Weight   *int   `json:"weight,omitempty"`
	Priority *int   `json:"priority,omitempty"`
}

// RouteFallbackArgs is a route's fallback.
type RouteFallbackArgs struct {
	On          []string `json:"on"`
	Models      []string `json:"models"`
	MaxAttempts *int     `json:"maxAttempts,omitempty"`
}

// RouteRetryArgs is a route's retry policy.
type RouteRetryArgs struct {
	Attempts          *int  `json:"attempts,omitempty"`
	BackoffMs         *int  `json:"backoffMs,omitempty"`
	RespectRetryAfter *bool `json:"respectRetryAfter,omitempty"`
}

// RouteCacheArgs is a route's response cache.
type RouteCacheArgs struct {
	Mode                string   `json:"mode"`
	TTLSeconds          *int     `json:"ttlSeconds,omitempty"`
	SimilarityThreshold *float64 `json:"similarityThreshold,omitempty"`
	// PartitionByTenant; default true.
	PartitionByTenant *bool `json:"partitionByTenant,omitempty"`
}

// RouteBudgetArgs is a route's budget.
type RouteBudgetArgs struct {
	UsdPerDay         *float64 `json:"usdPerDay,omitempty"`
	TokensPerMinute   *int     `json:"tokensPerMinute,omitempty"`
	RequestsPerMinute *int     `json:"requestsPerMinute,omitempty"`
	OnExceed          string   `json:"onExceed,omitempty"`
}

// ComplianceControlArgs is one compliance control, as modules/compliance-baseline's var.controls.
type ComplianceControlArgs struct {
	// Framework: soc2, iso27001, gdpr, ccpa or hipaa.
	Framework string `json:"framework"`
	ControlID string `json:"controlId"`
	// Enforcement: audit (default) or enforce.
	Enforcement string `json:"enforcement,omitempty"`
	// Namespaces; nil: the platform namespace.
	Namespaces []string `json:"namespaces,omitempty"`
	// AllTenants; default true.
	AllTenants *bool             `json:"allTenants,omitempty"`
	Parameters map[string]string `json:"parameters,omitempty"`
}

// GatewayArgs is the gateway: this project's image, resolved to its digest at deployment,
// run as the platform's gateway ServiceAccount.
type GatewayArgs struct {
	// Name; default "gateway".
	Name string `json:"name,omitempty"`
	// ImageRepository; default ghcr.io/octollm/octollm-gateway.
	ImageRepository string `json:"imageRepository,omitempty"`
	// ImageTag, not latest: it is resolved to a digest.
	ImageTag string `json:"imageTag"`
	// Port; default 8080.
	Port int `json:"port,omitempty"`
	// Env adds to (and may replace) OCTOLLM_NAMESPACE, OCTOLLM_GATEWAY_LISTEN and
	// OCTOLLM_GATEWAY_SPOOL_DIR.
	Env map[string]string `json:"env,omitempty"`
	// SecretEnv takes provider API keys and STRIPE_API_KEY from Secrets in the platform
	// namespace, never from the stack's state.
	SecretEnv map[string]SecretRefArgs `json:"secretEnv,omitempty"`
	Args      []string                 `json:"args,omitempty"`
	// WorkloadType; default cpu-optimized.
	WorkloadType string `json:"workloadType,omitempty"`
	// Requests; default cpu 250m, memory 256Mi. Limits; default cpu 1, memory 512Mi.
	Requests    map[string]string       `json:"requests,omitempty"`
	Limits      map[string]string       `json:"limits,omitempty"`
	Autoscaling *GatewayAutoscalingArgs `json:"autoscaling,omitempty"`
	// Hostnames (with TLS) expose the gateway through the Gateway API.
	Hostnames     []string        `json:"hostnames,omitempty"`
	TLS           *GatewayTLSArgs `json:"tls,omitempty"`
	StaticAddress string          `json:"staticAddress,omitempty"`
}

// GatewayAutoscalingArgs is the gateway's HPA and PDB; defaults 2-10 replicas at 70% CPU, at
// least 1 available.
type GatewayAutoscalingArgs struct {
	MinReplicas    *int   `json:"minReplicas,omitempty"`
	MaxReplicas    *int   `json:"maxReplicas,omitempty"`
	CPUUtilization *int   `json:"cpuUtilization,omitempty"`
	MinAvailable   string `json:"minAvailable,omitempty"`
}

// GatewayTLSArgs is the certificate of the exposed gateway.
type GatewayTLSArgs struct {
	CertificateMap        string   `json:"certificateMap,omitempty"`
	CertificateSecrets    []string `json:"certificateSecrets,omitempty"`
	PreSharedCertificates []string `json:"preSharedCertificates,omitempty"`
}

// NetworkPolicyArgs is octollm_platform's network_policy; nil fields take the provider's defaults.
type NetworkPolicyArgs struct {
	// Enabled; default true. false leaves the namespace without the platform's policies.
	Enabled             *bool    `json:"enabled,omitempty"`
	GatewayPort         *int     `json:"gatewayPort,omitempty"`
	ReflexPort          *int     `json:"reflexPort,omitempty"`
	OrchestratorPort    *int     `json:"orchestratorPort,omitempty"`
	ArmPorts            []int    `json:"armPorts,omitempty"`
	EgressPorts         []int    `json:"egressPorts,omitempty"`
	GatewayIngressCidrs []string `json:"gatewayIngressCidrs,omitempty"`
	LoadBalancerCidrs   []string `json:"loadBalancerCidrs,omitempty"`
	EgressCidrs         []string `json:"egressCidrs,omitempty"`
	ClusterCidrs        []string `json:"clusterCidrs,omitempty"`
}
