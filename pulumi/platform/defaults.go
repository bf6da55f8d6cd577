package platform

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The defaults of modules/platform and the modules it calls, as functions so callers can
// start from them and change one field.

// DefaultNodePools are modules/node-pools' default pools: the seed's cpu-optimized,
// memory-optimized and GKE Sandbox spot pools.
func DefaultNodePools() map[string]NodePoolArgs {
	return map[string]NodePoolArgs{
		"cpu-optimized-pool": {
			WorkloadType: "cpu-optimized", CPU: ptr(16), MemoryGb: ptr(16.0),
			InitialNodeCount: ptr(2), MinNodeCount: ptr(2), MaxNodeCount: ptr(20),
		},
		"memory-optimized-pool": {
			WorkloadType: "memory-optimized", CPU: ptr(8), MemoryGb: ptr(64.0),
			InitialNodeCount: ptr(2), MinNodeCount: ptr(2), MaxNodeCount: ptr(10),
		},
		// GKE Sandbox (gVisor): the default components' executor arm is sandboxed on spot.
		"spot-pool": {
			WorkloadType: "spot", Spot: true, Gvisor: true, CPU: ptr(8), MemoryGb: ptr(32.0),
			InitialNodeCount: ptr(3), MinNodeCount: ptr(3), MaxNodeCount: ptr(50),
		},
	}
}

// DefaultComponents are modules/gateway-runtime's default components: the seed's
// orchestrator and executor arm, autoscaled on CPU and memory.
func DefaultComponents() map[string]ComponentArgs {
	return map[string]ComponentArgs{
		"orchestrator": {
			Kind: "orchestrator", Image: "ghcr.io/acme/octollm-orchestrator:1.4.2", Port: 8000,
			WorkloadType: "cpu-optimized",
			Requests:     map[string]string{"cpu": "500m", "memory": "1Gi"},
			Limits:       map[string]string{"cpu": "2", "memory": "4Gi"},
			Autoscaling: &ComponentScalingArgs{
				MinReplicas: 3, MaxReplicas: 20, CPUUtilization: ptr(70), MemoryUtilization: ptr(75),
				VpaUpdateMode: "Off", MinAvailable: "2",
			},
		},
		"executor-arm": {
			Kind: "arm", Image: "ghcr.io/acme/octollm-executor:1.4.2", Port: 8006,
			Sandboxed: true, WorkloadType: "spot",
			Requests:                      map[string]string{"cpu": "250m", "memory": "512Mi"},
			Limits:                        map[string]string{"cpu": "1", "memory": "2Gi"},
			TerminationGracePeriodSeconds: ptr(60),
			PreStopSleepSeconds:           ptr(30),
			Autoscaling: &ComponentScalingArgs{
				MinReplicas: 2, MaxReplicas: 10, CPUUtilization: ptr(70), MemoryUtilization: ptr(80),
				MinAvailable: "2",
			},
		},
	}
}

// DefaultMeters are the billing plan's default meters (cents per unit).
func DefaultMeters() []MeterArgs {
	return []MeterArgs{
		{Key: "llm_tokens", DisplayName: "LLM tokens", UnitAmountDecimal: "0.0002"},
		{Key: "api_calls", DisplayName: "API calls", UnitAmountDecimal: "0.01"},
		{Key: "compute_seconds", DisplayName: "Compute seconds", UnitAmountDecimal: "0.005"},
	}
}

// DefaultRoutes is modules/model-routing's default: the cheapest model scoring at least 7
// on reasoning, falling back to gpt-4o.
func DefaultRoutes() map[string]RouteArgs {
	return map[string]RouteArgs{
		"default": {
			RequiredCapability: "reasoning", MinCapabilityScore: ptr(7),
			Fallback: &RouteFallbackArgs{On: []string{"rate_limit", "timeout", "server_error"}, Models: []string{"gpt-4o"}},
			Retry:    &RouteRetryArgs{Attempts: ptr(2), BackoffMs: ptr(500)},
		},
	}
}

// DefaultComplianceControls is modules/compliance-baseline's default baseline: SOC 2 CC6.1,
// GDPR Art.5(1)(e) (30 days' retention) and HIPAA 164.312(b).
func DefaultComplianceControls() []ComplianceControlArgs {
	return []ComplianceControlArgs{
		{Framework: "soc2", ControlID: "CC6.1", Enforcement: "enforce"},
		{Framework: "gdpr", ControlID: "Art.5(1)(e)", Enforcement: "enforce", Parameters: map[string]string{"retention_days": "30"}},
		{Framework: "hipaa", ControlID: "164.312(b)", AllTenants: ptr(false)},
	}
}

// DefaultAllowedModels are a tenant's models when AllowedModels is nil.
var DefaultAllowedModels = []string{"gpt-4o-mini", "claude-haiku-4-5"}

const (
	defaultNamespace      = "octollm"
	defaultServiceAccount = "octollm-gateway"
	defaultGatewayRepo    = "ghcr.io/octollm/octollm-gateway"
)

var (
	dnsLabel         = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	tenantName       = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$`)
	letterLabel      = regexp.MustCompile(`^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)
	poolName         = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)
	poolPrefix       = regexp.MustCompile(`^([a-z][a-z0-9-]{0,20})?$`)
	billingPlanName  = regexp.MustCompile(`^[a-z0-9_-]{1,63}$`)
	imageTag         = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	pinnedImage      = regexp.MustCompile(`^[^ ]+/[^/ :@]+(:[A-Za-z0-9_.-]+|(:[A-Za-z0-9_.-]+)?@sha256:[0-9a-f]{64})$`)
	redisURLPort     = regexp.MustCompile(`^rediss?://(?:[^@/]*@)?[^:/]+:([0-9]+)`)
	workloadTypes    = []string{"cpu-optimized", "memory-optimized", "spot", "general"}
	componentKinds   = []string{"gateway", "reflex", "orchestrator", "arm"}
	componentPlaces  = []string{"cpu-optimized", "memory-optimized", "spot"}
	routeStrategies  = []string{"cheapest_capable", "weighted", "priority", "lowest_latency"}
	capabilities     = []string{"reasoning", "coding", "knowledge"}
	frameworks       = []string{"soc2", "iso27001", "gdpr", "ccpa", "hipaa"}
	tiers            = []string{"free", "standard", "enterprise"}
	vpaUpdateModes   = []string{"Off", "Initial", "Recreate", "Auto", "InPlaceOrRecreate"}
	nodeImageTypes   = []string{"COS_CONTAINERD", "UBUNTU_CONTAINERD"}
	enforcementModes = []string{"audit", "enforce"}
)

// resolved is Args with every default filled in and every rule checked.
type resolved struct {
	Args
	deletionProtection bool
	complianceEnforce  bool
	redisPort          *int
}

// resolve applies modules/platform's defaults and validations. Its error messages name the
// argument (args.Tenants, args.Gateway.ImageTag, ...) and say what to do, as the module's do
// for its variables.
func resolve(in Args) (*resolved, error) {
	r := &resolved{Args: in, deletionProtection: orTrue(in.DeletionProtection), complianceEnforce: orTrue(in.ComplianceEnforce)}
	a := &r.Args
	a.Namespace = strOr(a.Namespace, defaultNamespace)
	if !dnsLabel.MatchString(a.Namespace) {
		return nil, fmt.Errorf("args.Namespace %q must be a DNS-1123 label (at most 63 lowercase letters, digits and '-')", a.Namespace)
	}
	if a.Environment != "" && !dnsLabel.MatchString(a.Environment) {
		return nil, fmt.Errorf("args.Environment %q must be a DNS-1123 label such as dev or prod", a.Environment)
	}
	a.PodSecurity = strOr(a.PodSecurity, "restricted")
	if !slices.Contains([]string{"restricted", "baseline"}, a.PodSecurity) {
		return nil, fmt.Errorf("args.PodSecurity %q must be restricted or baseline", a.PodSecurity)
	}
	a.GatewayServiceAccount = strOr(a.GatewayServiceAccount, defaultServiceAccount)
	if err := resolveNodePools(a); err != nil {
		return nil, err
	}
	if err := resolveComponents(a); err != nil {
		return nil, err
	}
	if err := resolveBilling(a); err != nil {
		return nil, err
	}
	if err := resolveTenants(a, r.deletionProtection); err != nil {
		return nil, err
	}
	if err := resolveRoutes(a); err != nil {
		return nil, err
	}
	if err := resolveCompliance(a); err != nil {
		return nil, err
	}
	if err := resolveGateway(a); err != nil {
		return nil, err
	}
	if a.Gateway != nil {
		if u, ok := a.Gateway.Env["OCTOLLM_REDIS_URL"]; ok {
			port := 6379
			if m := redisURLPort.FindStringSubmatch(u); m != nil {
				port, _ = strconv.Atoi(m[1])
			}
			r.redisPort = &port
		}
	}
	return r, nil
}

func resolveNodePools(a *Args) error {
	if !poolPrefix.MatchString(a.NodePoolNamePrefix) {
		return fmt.Errorf("args.NodePoolNamePrefix %q must be empty or up to 21 lowercase letters, digits and hyphens starting with a letter", a.NodePoolNamePrefix)
	}
	if a.NodePools == nil {
		a.NodePools = DefaultNodePools()
	} else if len(a.NodePools) == 0 {
		return fmt.Errorf("args.NodePools must be nil (the default pools) or a non-empty map of pools")
	}
	pools := make(map[string]NodePoolArgs, len(a.NodePools))
	for _, name := range sortedKeys(a.NodePools) {
		p := a.NodePools[name]
		if !poolName.MatchString(name) {
			return fmt.Errorf("args.NodePools: %q: every key (the pool name) must be 1-40 lowercase letters, digits and hyphens, starting with a letter", name)
		}
		p.WorkloadType = strOr(p.WorkloadType, "general")
		if !slices.Contains(workloadTypes, p.WorkloadType) {
			return fmt.Errorf("args.NodePools[%q]: workloadType must be one of cpu-optimized, memory-optimized, spot or general", name)
		}
		if (p.MachineType == "") == (p.CPU == nil && p.MemoryGb == nil) || (p.CPU == nil) != (p.MemoryGb == nil) {
			return fmt.Errorf("args.NodePools[%q]: set either cpu and memoryGb together, or machineType", name)
		}
		if p.InitialNodeCount == nil {
			p.InitialNodeCount = ptr(1)
		}
		if *p.InitialNodeCount < 0 {
			return fmt.Errorf("args.NodePools[%q]: initialNodeCount must be 0 or more", name)
		}
		if (p.MinNodeCount == nil) != (p.MaxNodeCount == nil) {
			return fmt.Errorf("args.NodePools[%q]: minNodeCount and maxNodeCount are set together (autoscaling) or both left out (a fixed size)", name)
		}
		if p.MinNodeCount != nil {
			lo, hi, init := *p.MinNodeCount, *p.MaxNodeCount, *p.InitialNodeCount
			if lo > hi {
				return fmt.Errorf("args.NodePools[%q]: minNodeCount must be at most maxNodeCount", name)
			}
			if lo < 0 || hi < 1 || init < lo || init > hi {
				return fmt.Errorf("args.NodePools[%q]: autoscaling needs 0 <= minNodeCount <= initialNodeCount <= maxNodeCount and maxNodeCount >= 1", name)
			}
		}
		if p.ImageType != "" && !slices.Contains(nodeImageTypes, p.ImageType) {
			return fmt.Errorf("args.NodePools[%q]: imageType must be COS_CONTAINERD or UBUNTU_CONTAINERD", name)
		}
		if p.Gvisor && p.ImageType != "" && p.ImageType != "COS_CONTAINERD" {
			return fmt.Errorf("args.NodePools[%q]: a pool with gvisor = true (GKE Sandbox) runs only on imageType COS_CONTAINERD: leave imageType unset or set it to COS_CONTAINERD", name)
		}
		if p.WorkloadType == "spot" && !p.Spot {
			return fmt.Errorf("args.NodePools[%q]: a pool of workloadType spot must set spot = true", name)
		}
		pools[name] = p
	}
	a.NodePools = pools
	return nil
}

func resolveComponents(a *Args) error {
	if a.Components == nil {
		a.Components = DefaultComponents()
	}
	comps := make(map[string]ComponentArgs, len(a.Components))
	for _, name := range sortedKeys(a.Components) {
		c, err := resolveComponent("args.Components", name, a.Components[name])
		if err != nil {
			return err
		}
		comps[name] = c
	}
	a.Components = comps
	return nil
}

func resolveComponent(arg, name string, c ComponentArgs) (ComponentArgs, error) {
	if !letterLabel.MatchString(name) {
		return c, fmt.Errorf("%s: %q: every key (the component name) must be a DNS-1123 label starting with a letter", arg, name)
	}
	if !slices.Contains(componentKinds, c.Kind) {
		return c, fmt.Errorf("%s[%q]: kind must be gateway, reflex, orchestrator or arm", arg, name)
	}
	if !pinnedImage.MatchString(c.Image) || strings.HasSuffix(c.Image, ":latest") {
		return c, fmt.Errorf("%s[%q]: image must be pinned, registry/repository:tag or @sha256:<digest>, never latest or untagged", arg, name)
	}
	if c.Port < 1 || c.Port > 65535 {
		return c, fmt.Errorf("%s[%q]: port must be between 1 and 65535", arg, name)
	}
	if c.WorkloadType != "" && !slices.Contains(componentPlaces, c.WorkloadType) {
		return c, fmt.Errorf("%s[%q]: workloadType must be cpu-optimized, memory-optimized or spot (or unset)", arg, name)
	}
	if c.WaitForRollout == nil {
		c.WaitForRollout = ptr(true)
	}
	if s := c.Autoscaling; s != nil {
		if c.Replicas != nil {
			return c, fmt.Errorf("%s[%q]: set replicas or autoscaling, not both; the HPA owns the replica count", arg, name)
		}
		sc := *s
		if sc.CPUUtilization == nil {
			sc.CPUUtilization = ptr(70)
		}
		if c.Requests["cpu"] == "" || (sc.MemoryUtilization != nil && c.Requests["memory"] == "") {
			return c, fmt.Errorf("%s[%q]: autoscaling on cpuUtilization or memoryUtilization needs requests for that resource (utilization is a percentage of requests; without them the HPA cannot compute it and never scales)", arg, name)
		}
		if sc.MinReplicas < 1 || sc.MinReplicas > sc.MaxReplicas {
			return c, fmt.Errorf("%s[%q]: autoscaling needs 1 <= minReplicas <= maxReplicas", arg, name)
		}
		if sc.VpaUpdateMode != "" && !slices.Contains(vpaUpdateModes, sc.VpaUpdateMode) {
			return c, fmt.Errorf("%s[%q]: autoscaling.vpaUpdateMode must be Off, Initial, Recreate, Auto or InPlaceOrRecreate", arg, name)
		}
		c.Autoscaling = &sc
	}
	return c, nil
}

func resolveBilling(a *Args) error {
	if a.BillingPlan != nil {
		bp := *a.BillingPlan
		bp.Currency = strOr(bp.Currency, "usd")
		if bp.Meters == nil {
			bp.Meters = DefaultMeters()
		}
		if !billingPlanName.MatchString(bp.Name) || len(bp.Meters) == 0 {
			return fmt.Errorf("args.BillingPlan: name must be 1-63 lowercase letters, digits, '-' and '_', with at least one meter")
		}
		a.BillingPlan = &bp
	}
	return nil
}

func resolveTenants(a *Args, deletionProtection bool) error {
	tenants := make(map[string]TenantArgs, len(a.Tenants))
	var billed []string
	for _, name := range sortedKeys(a.Tenants) {
		t := a.Tenants[name]
		if !tenantName.MatchString(name) {
			return fmt.Errorf("args.Tenants: %q: every key (the tenant name) must be a DNS-1123 label of at most 40 characters", name)
		}
		t.Tier = strOr(t.Tier, "standard")
		if !slices.Contains(tiers, t.Tier) {
			return fmt.Errorf("args.Tenants[%q]: tier must be free, standard or enterprise", name)
		}
		if t.AllowedModels == nil {
			t.AllowedModels = slices.Clone(DefaultAllowedModels)
		}
		for _, admin := range t.Admins {
			if !strings.Contains(admin, "@") || strings.Count(admin, "@") != 1 || strings.ContainsRune(admin, ' ') {
				return fmt.Errorf("args.Tenants[%q]: admins must be email addresses (%q is not)", name, admin)
			}
		}
		if t.DataRetentionDays == nil {
			t.DataRetentionDays = ptr(30)
		}
		if d := *t.DataRetentionDays; d < 1 || d > 3650 {
			return fmt.Errorf("args.Tenants[%q]: dataRetentionDays must be between 1 and 3650", name)
		}
		if t.APIKeyVersion == nil {
			t.APIKeyVersion = ptr(1)
		}
		if t.NetworkIsolation == nil {
			t.NetworkIsolation = ptr(true)
		}
		if t.DeletionProtection == nil {
			t.DeletionProtection = ptr(deletionProtection)
		}
		if t.BillingEmail != "" {
			billed = append(billed, name)
		}
		tenants[name] = t
	}
	if len(billed) > 0 && a.BillingPlan == nil {
		return fmt.Errorf("args.Tenants: %s set billingEmail but args.BillingPlan is nil", strings.Join(billed, ", "))
	}
	a.Tenants = tenants
	return nil
}

func resolveRoutes(a *Args) error {
	if a.Routes == nil {
		a.Routes = DefaultRoutes()
	}
	routes := make(map[string]RouteArgs, len(a.Routes))
	for _, name := range sortedKeys(a.Routes) {
		r := a.Routes[name]
		if !dnsLabel.MatchString(name) || (r.Tenant != "" && !dnsLabel.MatchString(r.Tenant)) {
			return fmt.Errorf("args.Routes: %q: every key (the route name) and tenant must be a DNS-1123 label", name)
		}
		r.Strategy = strOr(r.Strategy, "cheapest_capable")
		if !slices.Contains(routeStrategies, r.Strategy) {
			return fmt.Errorf("args.Routes[%q]: strategy must be cheapest_capable, weighted, priority or lowest_latency", name)
		}
		if r.Strategy == "cheapest_capable" {
			if !slices.Contains(capabilities, r.RequiredCapability) || r.MinCapabilityScore == nil || *r.MinCapabilityScore < 1 || *r.MinCapabilityScore > 10 {
				return fmt.Errorf("args.Routes[%q]: cheapest_capable routes need requiredCapability (reasoning, coding or knowledge) and minCapabilityScore 1-10", name)
			}
		} else {
			if r.RequiredCapability != "" || r.MinCapabilityScore != nil {
				return fmt.Errorf("args.Routes[%q]: only cheapest_capable routes take requiredCapability and minCapabilityScore; leave both unset for %s", name, r.Strategy)
			}
			if len(r.Targets) == 0 {
				return fmt.Errorf("args.Routes[%q]: weighted, priority and lowest_latency routes need at least one target", name)
			}
		}
		if r.Cache != nil && r.Cache.PartitionByTenant == nil {
			c := *r.Cache
			c.PartitionByTenant = ptr(true)
			r.Cache = &c
		}
		routes[name] = r
	}
	a.Routes = routes
	return nil
}

func resolveCompliance(a *Args) error {
	if a.ComplianceControls == nil {
		a.ComplianceControls = DefaultComplianceControls()
	}
	seen := map[string]bool{}
	controls := make([]ComplianceControlArgs, 0, len(a.ComplianceControls))
	for _, c := range a.ComplianceControls {
		key := c.Framework + "/" + c.ControlID
		if !slices.Contains(frameworks, c.Framework) {
			return fmt.Errorf("args.ComplianceControls: %s: framework must be soc2, iso27001, gdpr, ccpa or hipaa", key)
		}
		c.Enforcement = strOr(c.Enforcement, "audit")
		if !slices.Contains(enforcementModes, c.Enforcement) {
			return fmt.Errorf("args.ComplianceControls: %s: enforcement must be audit or enforce", key)
		}
		if seen[key] {
			return fmt.Errorf("args.ComplianceControls: each framework/controlId may appear only once (%s is repeated)", key)
		}
		seen[key] = true
		if c.Namespaces == nil {
			c.Namespaces = []string{a.Namespace}
		}
		if c.AllTenants == nil {
			c.AllTenants = ptr(true)
		}
		if len(c.Namespaces) == 0 && !*c.AllTenants {
			return fmt.Errorf("args.ComplianceControls: %s selects nothing: give namespaces or allTenants = true", key)
		}
		controls = append(controls, c)
	}
	a.ComplianceControls = controls
	return nil
}

func resolveGateway(a *Args) error {
	if a.Gateway == nil {
		return nil
	}
	g := *a.Gateway
	g.Name = strOr(g.Name, "gateway")
	if !letterLabel.MatchString(g.Name) {
		return fmt.Errorf("args.Gateway.Name %q must be a DNS-1123 label starting with a letter", g.Name)
	}
	if _, clash := a.Components[g.Name]; clash {
		return fmt.Errorf("args.Components has a component named %s, which is args.Gateway's name: rename one (args.Gateway.Name)", g.Name)
	}
	g.ImageRepository = strOr(g.ImageRepository, defaultGatewayRepo)
	if g.ImageTag == "latest" || !imageTag.MatchString(g.ImageTag) {
		return fmt.Errorf("args.Gateway.ImageTag %q must be a tag (letters, digits, '_', '.', '-'), not latest: it is resolved to a digest", g.ImageTag)
	}
	if g.Port == 0 {
		g.Port = 8080
	}
	if g.Port < 1 || g.Port > 65535 {
		return fmt.Errorf("args.Gateway.Port must be between 1 and 65535")
	}
	if len(g.Hostnames) > 0 && g.TLS == nil {
		return fmt.Errorf("args.Gateway: hostnames need tls (certificateMap, certificateSecrets or preSharedCertificates): the gateway is served over HTTPS only")
	}
	g.WorkloadType = strOr(g.WorkloadType, "cpu-optimized")
	if g.Requests == nil {
		g.Requests = map[string]string{"cpu": "250m", "memory": "256Mi"}
	}
	if g.Limits == nil {
		g.Limits = map[string]string{"cpu": "1", "memory": "512Mi"}
	}
	as := GatewayAutoscalingArgs{}
	if g.Autoscaling != nil {
		as = *g.Autoscaling
	}
	if as.MinReplicas == nil {
		as.MinReplicas = ptr(2)
	}
	if as.MaxReplicas == nil {
		as.MaxReplicas = ptr(10)
	}
	if as.CPUUtilization == nil {
		as.CPUUtilization = ptr(70)
	}
	as.MinAvailable = strOr(as.MinAvailable, "1")
	g.Autoscaling = &as
	a.Gateway = &g
	return nil
}

// gatewayComponent is the gateway as a runtime component, as modules/platform's
// local.gateway_component: the image by digest, run as the gateway's ServiceAccount (the only
// component with an API token), draining on SIGTERM.
func gatewayComponent(g *GatewayArgs, namespace, serviceAccount, image string) ComponentArgs {
	env := map[string]string{
		"OCTOLLM_NAMESPACE":         namespace,
		"OCTOLLM_GATEWAY_LISTEN":    fmt.Sprintf(":%d", g.Port),
		"OCTOLLM_GATEWAY_SPOOL_DIR": "/tmp/octollm-spool",
	}
	maps.Copy(env, g.Env)
	return ComponentArgs{
		Kind: "gateway", Image: image, RequireDigest: true, Port: g.Port,
		ServiceAccountName: serviceAccount, Env: env, SecretEnv: g.SecretEnv, Args: g.Args,
		HealthPath: "/readyz", WorkloadType: g.WorkloadType, Requests: g.Requests, Limits: g.Limits,
		TerminationGracePeriodSeconds: ptr(30), PreStopSleepSeconds: ptr(5), WaitForRollout: ptr(true),
		Autoscaling: &ComponentScalingArgs{
			MinReplicas: *g.Autoscaling.MinReplicas, MaxReplicas: *g.Autoscaling.MaxReplicas,
			CPUUtilization: g.Autoscaling.CPUUtilization, MinAvailable: g.Autoscaling.MinAvailable,
		},
	}
}

func ptr[T any](v T) *T { return &v }

func strOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// orTrue is *b, true when b is nil.
func orTrue(b *bool) bool { return b == nil || *b }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
