// Package platform is the octollm:index:Platform component: the composition modules/platform
// gives Terraform users (the platform namespace, node pools, the runtime components and the
// gateway, a billing plan, tenants, model routes and compliance controls), with the same
// defaults, for Pulumi programs in Go. Every child is a typed resource of the bridged octollm
// package (github.com/octollm/terraform-provider-octollm/pulumi/sdk/go/octollm), so the
// provider's own code creates, reads, updates and deletes them.
package platform

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/octollm/terraform-provider-octollm/pulumi/sdk/go/octollm"
)

// Token is the component's Pulumi type.
const Token = "octollm:index:Platform" //nolint:gosec // a Pulumi type token, not a credential

// Platform is the octollm:index:Platform component. Its outputs are those of modules/platform.
type Platform struct {
	pulumi.ResourceState

	// Namespace is the platform namespace.
	Namespace pulumi.StringOutput `pulumi:"namespace"`
	// GatewayServiceAccount is the gateway's ServiceAccount name and its Role (name, role).
	GatewayServiceAccount pulumi.StringMapOutput `pulumi:"gatewayServiceAccount"`
	// NodePools by pool key: id, name, machineType, imageType, workloadType, spot, gvisor, status.
	NodePools pulumi.MapOutput `pulumi:"nodePools"`
	// Components by name: id, deployment, service and in-cluster URL.
	Components pulumi.MapOutput `pulumi:"components"`
	// ServiceURLs by component name (the gateway's too): its in-cluster URL.
	ServiceURLs pulumi.StringMapOutput `pulumi:"serviceUrls"`
	// Autoscaling by component name: its HPA, VPA and PDB names.
	Autoscaling pulumi.MapOutput `pulumi:"autoscaling"`
	// BillingPlan is the plan's Stripe product id and meters; empty without args.BillingPlan.
	BillingPlan pulumi.MapOutput `pulumi:"billingPlan"`
	// Tenants by name: namespace, apiKeyId, stripeCustomerId, stripeSubscriptionId.
	Tenants pulumi.MapOutput `pulumi:"tenants"`
	// TenantAPIKeys by tenant name: the API key, a secret, known on create and rotation only.
	TenantAPIKeys pulumi.StringMapOutput `pulumi:"tenantApiKeys"`
	// Routes by name: id, configMap, namespace, checksum and effectiveModel.
	Routes pulumi.MapOutput `pulumi:"routes"`
	// Compliance by framework/controlId: title, status, enforcement.
	Compliance pulumi.MapOutput `pulumi:"compliance"`
	// NonCompliantControls are the controls whose last evaluation failed.
	NonCompliantControls pulumi.StringArrayOutput `pulumi:"nonCompliantControls"`
	// Gateway is the gateway's image (by digest), ServiceAccount, in-cluster URL, Deployment
	// and, when exposed, public URL and address; empty without args.Gateway.
	Gateway pulumi.MapOutput `pulumi:"gateway"`
	// GatewayURL is the gateway's public URL when it is exposed (args.Gateway.Hostnames), else
	// its in-cluster URL; "" without args.Gateway.
	GatewayURL pulumi.StringOutput `pulumi:"gatewayUrl"`
}

// NewPlatform registers the component and its resources. args nil means every default: the
// default pools, components, routes and compliance baseline, no gateway, billing or tenants.
// Pass the octollm provider with pulumi.Provider or pulumi.Providers: every child uses it.
func NewPlatform(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Platform, error) {
	if args == nil {
		args = &Args{}
	}
	r, err := resolve(*args)
	if err != nil {
		return nil, err
	}
	p := &Platform{}
	if err := ctx.RegisterComponentResource(Token, name, p, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, p: p, r: r, parent: pulumi.Parent(p)}
	if err := b.build(); err != nil {
		return nil, err
	}
	return p, nil
}

type builder struct {
	ctx    *pulumi.Context
	name   string
	p      *Platform
	r      *resolved
	parent pulumi.ResourceOption

	ns         *octollm.PlatformNamespace
	pools      []pulumi.Resource
	runtime    []pulumi.Resource
	tenants    map[string]*octollm.Tenant
	tenantDeps []pulumi.Resource
}

func (b *builder) child(kind, key string) string { return fmt.Sprintf("%s-%s-%s", b.name, kind, key) }

func (b *builder) build() error {
	if err := b.namespace(); err != nil {
		return err
	}
	nodePools, err := b.nodePools()
	if err != nil {
		return err
	}
	components := pulumi.Map{}
	serviceURLs := pulumi.StringMap{}
	scaling := pulumi.Map{}
	for _, name := range sortedKeys(b.r.Components) {
		if err := b.component(name, b.r.Components[name], components, serviceURLs, scaling); err != nil {
			return err
		}
	}
	gateway, gatewayURL, err := b.gateway(components, serviceURLs, scaling)
	if err != nil {
		return err
	}
	billing, planID, err := b.billingPlan()
	if err != nil {
		return err
	}
	tenants, keys, err := b.tenantsOf(planID)
	if err != nil {
		return err
	}
	routes, err := b.routes()
	if err != nil {
		return err
	}
	compliance, nonCompliant, err := b.compliance()
	if err != nil {
		return err
	}

	p := b.p
	p.Namespace = b.ns.Namespace
	p.GatewayServiceAccount = pulumi.StringMap{"name": b.ns.GatewayServiceAccount, "role": b.ns.GatewayRole}.ToStringMapOutput()
	p.NodePools = nodePools.ToMapOutput()
	p.Components = components.ToMapOutput()
	p.ServiceURLs = serviceURLs.ToStringMapOutput()
	p.Autoscaling = scaling.ToMapOutput()
	p.BillingPlan = billing.ToMapOutput()
	p.Tenants = tenants.ToMapOutput()
	p.TenantAPIKeys = pulumi.ToSecret(keys.ToStringMapOutput()).(pulumi.StringMapOutput)
	p.Routes = routes.ToMapOutput()
	p.Compliance = compliance.ToMapOutput()
	p.NonCompliantControls = nonCompliant
	p.Gateway = gateway.ToMapOutput()
	p.GatewayURL = gatewayURL
	return b.ctx.RegisterResourceOutputs(p, pulumi.Map{
		"namespace":             p.Namespace,
		"gatewayServiceAccount": p.GatewayServiceAccount,
		"nodePools":             p.NodePools,
		"components":            p.Components,
		"serviceUrls":           p.ServiceURLs,
		"autoscaling":           p.Autoscaling,
		"billingPlan":           p.BillingPlan,
		"tenants":               p.Tenants,
		"tenantApiKeys":         p.TenantAPIKeys,
		"routes":                p.Routes,
		"compliance":            p.Compliance,
		"nonCompliantControls":  p.NonCompliantControls,
		"gateway":               p.Gateway,
		"gatewayUrl":            p.GatewayURL,
	})
}

// namespace is octollm_platform.this: the namespace, the gateway's identity and the
// platform's network policies.
func (b *builder) namespace() error {
	a := b.r.Args
	labels := pulumi.StringMap{}
	if a.Environment != "" {
		labels["octollm.dev/environment"] = pulumi.String(a.Environment)
	}
	for k, v := range a.Labels {
		labels[k] = pulumi.String(v)
	}
	np := NetworkPolicyArgs{}
	if a.NetworkPolicy != nil {
		np = *a.NetworkPolicy
	}
	gatewayPort := 8080
	if a.Gateway != nil {
		gatewayPort = a.Gateway.Port
	} else if np.GatewayPort != nil {
		gatewayPort = *np.GatewayPort
	}
	egress := np.EgressPorts
	if egress == nil {
		egress = []int{443}
	}
	if b.r.redisPort != nil {
		egress = append(egress, *b.r.redisPort)
	}
	policy := &octollm.PlatformNamespaceNetworkPolicyArgs{
		Enabled:             pulumi.Bool(orTrue(np.Enabled)),
		GatewayPort:         pulumi.Int(gatewayPort),
		EgressPorts:         intArray(distinct(egress)),
		ReflexPort:          intPtr(np.ReflexPort),
		OrchestratorPort:    intPtr(np.OrchestratorPort),
		ArmPorts:            intArrayOrNil(np.ArmPorts),
		GatewayIngressCidrs: stringArrayOrNil(np.GatewayIngressCidrs),
		LoadBalancerCidrs:   stringArrayOrNil(np.LoadBalancerCidrs),
		EgressCidrs:         stringArrayOrNil(np.EgressCidrs),
		ClusterCidrs:        stringArrayOrNil(np.ClusterCidrs),
	}
	ns, err := octollm.NewPlatformNamespace(b.ctx, b.child("namespace", a.Namespace), &octollm.PlatformNamespaceArgs{
		Namespace:             pulumi.String(a.Namespace),
		PodSecurity:           pulumi.String(a.PodSecurity),
		GatewayServiceAccount: pulumi.String(a.GatewayServiceAccount),
		Labels:                labels,
		DeletionProtection:    pulumi.Bool(b.r.deletionProtection),
		NetworkPolicy:         policy,
	}, b.parent)
	if err != nil {
		return err
	}
	b.ns = ns
	return nil
}

// nodePools is modules/node-pools.
func (b *builder) nodePools() (pulumi.Map, error) {
	out := pulumi.Map{}
	for _, key := range sortedKeys(b.r.NodePools) {
		p := b.r.NodePools[key]
		args := &octollm.NodePoolArgs{
			Name:             pulumi.String(b.r.NodePoolNamePrefix + key),
			WorkloadType:     pulumi.String(p.WorkloadType),
			Cpu:              intPtr(p.CPU),
			MemoryGb:         floatPtr(p.MemoryGb),
			MachineType:      strPtr(p.MachineType),
			MachineFamily:    strPtr(p.MachineFamily),
			Spot:             pulumi.Bool(p.Spot),
			ImageType:        strPtr(p.ImageType),
			InitialNodeCount: intPtr(p.InitialNodeCount),
			DiskSizeGb:       intPtr(p.DiskSizeGb),
			DiskType:         strPtr(p.DiskType),
			NodeLocations:    stringArrayOrNil(p.NodeLocations),
			Labels:           stringMapOrNil(p.Labels),
		}
		if p.MinNodeCount != nil {
			args.Autoscaling = &octollm.NodePoolAutoscalingArgs{
				MinNodeCount:   pulumi.Int(*p.MinNodeCount),
				MaxNodeCount:   pulumi.Int(*p.MaxNodeCount),
				LocationPolicy: strPtr(p.LocationPolicy),
			}
		}
		// GKE Sandbox: GKE labels and taints the nodes sandbox.gke.io/runtime=gvisor for the
		// gvisor RuntimeClass of sandboxed components.
		if p.Gvisor {
			args.SandboxConfig = &octollm.NodePoolSandboxConfigArgs{SandboxType: pulumi.String("gvisor")}
		}
		if len(p.Taints) > 0 {
			taints := octollm.NodePoolTaintArray{}
			for _, t := range p.Taints {
				taints = append(taints, &octollm.NodePoolTaintArgs{Key: pulumi.String(t.Key), Value: strPtr(t.Value), Effect: pulumi.String(t.Effect)})
			}
			args.Taints = taints
		}
		np, err := octollm.NewNodePool(b.ctx, b.child("pool", key), args, b.parent)
		if err != nil {
			return nil, err
		}
		b.pools = append(b.pools, np)
		out[key] = pulumi.Map{
			"id":           np.ID(),
			"name":         np.Name,
			"machineType":  np.MachineType,
			"imageType":    np.ImageType,
			"workloadType": np.WorkloadType,
			"spot":         np.Spot,
			"gvisor":       pulumi.Bool(p.Gvisor),
			"status":       np.Status,
		}
	}
	return out, nil
}

// component is one octollm_component of modules/gateway-runtime with its modules/autoscaling.
func (b *builder) component(name string, c ComponentArgs, components pulumi.Map, urls pulumi.StringMap, scaling pulumi.Map) error {
	return b.componentWithImage(name, c, pulumi.String(c.Image), components, urls, scaling)
}

func (b *builder) componentWithImage(name string, c ComponentArgs, image pulumi.StringInput, components pulumi.Map, urls pulumi.StringMap, scaling pulumi.Map) error {
	args := &octollm.ComponentArgs{
		Name:                          pulumi.String(name),
		Namespace:                     b.ns.Namespace,
		Kind:                          pulumi.String(c.Kind),
		Image:                         image,
		RequireDigest:                 pulumi.Bool(c.RequireDigest),
		Port:                          pulumi.Int(c.Port),
		Replicas:                      intPtr(c.Replicas),
		Sandboxed:                     pulumi.Bool(c.Sandboxed),
		Env:                           stringMapOrNil(c.Env),
		Args:                          stringArrayOrNil(c.Args),
		ServiceAccountName:            strPtr(c.ServiceAccountName),
		HealthPath:                    strPtr(c.HealthPath),
		TerminationGracePeriodSeconds: intPtr(c.TerminationGracePeriodSeconds),
		PreStopSleepSeconds:           intPtr(c.PreStopSleepSeconds),
		WaitForRollout:                pulumi.BoolPtr(orTrue(c.WaitForRollout)),
	}
	if len(c.SecretEnv) > 0 {
		env := octollm.ComponentSecretEnvMap{}
		for k, v := range c.SecretEnv {
			env[k] = &octollm.ComponentSecretEnvArgs{Secret: pulumi.String(v.Secret), Key: pulumi.String(v.Key)}
		}
		args.SecretEnv = env
	}
	if c.Requests != nil || c.Limits != nil {
		args.Resources = &octollm.ComponentResourcesArgs{Requests: stringMapOrNil(c.Requests), Limits: stringMapOrNil(c.Limits)}
	}
	if c.WorkloadType != "" {
		args.Placement = &octollm.ComponentPlacementArgs{WorkloadType: pulumi.String(c.WorkloadType), Required: pulumi.Bool(c.PlacementRequired)}
	}
	comp, err := octollm.NewComponent(b.ctx, b.child("component", name), args, b.parent, pulumi.DependsOn(b.pools))
	if err != nil {
		return err
	}
	b.runtime = append(b.runtime, comp)
	components[name] = pulumi.Map{
		"id":         comp.ID(),
		"deployment": comp.DeploymentName,
		"service":    pulumi.String(name),
		"url":        comp.ServiceUrl,
	}
	urls[name] = comp.ServiceUrl
	if s := c.Autoscaling; s != nil {
		hpa, err := b.autoscaling(name, comp, s)
		if err != nil {
			return err
		}
		b.runtime = append(b.runtime, hpa)
		scaling[name] = pulumi.Map{"hpaName": hpa.HpaName, "vpaName": hpa.VpaName, "pdbName": hpa.PdbName}
	}
	return nil
}

// autoscaling is modules/autoscaling as gateway-runtime calls it: its default scale-up (100%
// per 30s, 30s window) and scale-down (1 pod per 60s, 300s window) behaviour, a VPA when
// vpaUpdateMode is set and a PDB when minAvailable is.
func (b *builder) autoscaling(name string, comp *octollm.Component, s *ComponentScalingArgs) (*octollm.Autoscaling, error) {
	args := &octollm.AutoscalingArgs{
		Namespace:         b.ns.Namespace,
		Target:            &octollm.AutoscalingTargetArgs{Kind: pulumi.String("Deployment"), Name: comp.DeploymentName},
		MinReplicas:       pulumi.Int(s.MinReplicas),
		MaxReplicas:       pulumi.Int(s.MaxReplicas),
		CpuUtilization:    intPtr(s.CPUUtilization),
		MemoryUtilization: intPtr(s.MemoryUtilization),
		ScaleUp: &octollm.AutoscalingScaleUpArgs{
			StabilizationWindowSeconds: pulumi.Int(30),
			SelectPolicy:               pulumi.String("Max"),
			Policies: octollm.AutoscalingScaleUpPolicyArray{
				&octollm.AutoscalingScaleUpPolicyArgs{Type: pulumi.String("Percent"), Value: pulumi.Int(100), PeriodSeconds: pulumi.Int(30)},
			},
		},
		ScaleDown: &octollm.AutoscalingScaleDownArgs{
			StabilizationWindowSeconds: pulumi.Int(300),
			SelectPolicy:               pulumi.String("Min"),
			Policies: octollm.AutoscalingScaleDownPolicyArray{
				&octollm.AutoscalingScaleDownPolicyArgs{Type: pulumi.String("Pods"), Value: pulumi.Int(1), PeriodSeconds: pulumi.Int(60)},
			},
		},
	}
	if len(s.PodMetrics) > 0 {
		metrics := octollm.AutoscalingMetricArray{}
		for _, k := range sortedKeys(s.PodMetrics) {
			metrics = append(metrics, &octollm.AutoscalingMetricArgs{Type: pulumi.String("Pods"), Name: pulumi.String(k), AverageValue: pulumi.String(s.PodMetrics[k])})
		}
		args.Metrics = metrics
	}
	if s.VpaUpdateMode != "" {
		args.Vertical = &octollm.AutoscalingVerticalArgs{UpdateMode: pulumi.String(s.VpaUpdateMode), Container: pulumi.String(name)}
	}
	if s.MinAvailable != "" {
		args.DisruptionBudget = &octollm.AutoscalingDisruptionBudgetArgs{MinAvailable: pulumi.String(s.MinAvailable)}
	}
	return octollm.NewAutoscaling(b.ctx, b.child("autoscaling", name), args, b.parent)
}

// gateway is modules/platform's gateway: the tag resolved to the digest the registry serves
// (octollm:index:getImage), the component run as the gateway's ServiceAccount, and, with
// hostnames, an octollm_gateway_exposure.
func (b *builder) gateway(components pulumi.Map, urls pulumi.StringMap, scaling pulumi.Map) (pulumi.Map, pulumi.StringOutput, error) {
	g := b.r.Gateway
	if g == nil {
		return pulumi.Map{}, pulumi.String("").ToStringOutput(), nil
	}
	img := octollm.GetImageOutput(b.ctx, octollm.GetImageOutputArgs{
		Repository: pulumi.String(g.ImageRepository),
		Tag:        pulumi.String(g.ImageTag),
	}, pulumi.Parent(b.p))
	c := gatewayComponent(g, b.r.Namespace, b.r.GatewayServiceAccount, "")
	// The ServiceAccount and namespace as the platform resource reports them.
	c.ServiceAccountName = b.r.GatewayServiceAccount
	if err := b.componentWithImage(g.Name, c, img.Image(), components, urls, scaling); err != nil {
		return nil, pulumi.StringOutput{}, err
	}
	serviceURL := urls[g.Name].(pulumi.StringOutput)
	out := pulumi.Map{
		"image":          img.Image(),
		"digest":         img.Digest(),
		"serviceAccount": b.ns.GatewayServiceAccount,
		"serviceUrl":     serviceURL,
		"deployment":     components[g.Name].(pulumi.Map)["deployment"],
	}
	if len(g.Hostnames) == 0 {
		return out, serviceURL, nil
	}
	exp, err := octollm.NewGatewayExposure(b.ctx, b.child("exposure", g.Name), &octollm.GatewayExposureArgs{
		Name:                  pulumi.String(g.Name),
		Namespace:             b.ns.Namespace,
		ServiceName:           pulumi.String(g.Name),
		ServicePort:           pulumi.Int(g.Port),
		Hostnames:             pulumi.ToStringArray(g.Hostnames),
		CertificateMap:        strPtr(g.TLS.CertificateMap),
		CertificateSecrets:    stringArrayOrNil(g.TLS.CertificateSecrets),
		PreSharedCertificates: stringArrayOrNil(g.TLS.PreSharedCertificates),
		StaticAddress:         strPtr(g.StaticAddress),
	}, b.parent, pulumi.DependsOn(b.runtime))
	if err != nil {
		return nil, pulumi.StringOutput{}, err
	}
	out["url"] = exp.Url
	out["address"] = exp.Address
	return out, exp.Url, nil
}

// billingPlan is octollm_billing_plan.this.
func (b *builder) billingPlan() (pulumi.Map, pulumi.StringPtrInput, error) {
	bp := b.r.BillingPlan
	if bp == nil {
		return pulumi.Map{}, nil, nil
	}
	meters := octollm.BillingPlanMeterArray{}
	for _, m := range bp.Meters {
		meters = append(meters, &octollm.BillingPlanMeterArgs{
			Key: pulumi.String(m.Key), DisplayName: pulumi.String(m.DisplayName), UnitAmountDecimal: pulumi.String(m.UnitAmountDecimal),
		})
	}
	plan, err := octollm.NewBillingPlan(b.ctx, b.child("billing", bp.Name), &octollm.BillingPlanArgs{
		Name:     pulumi.String(bp.Name),
		Currency: pulumi.String(bp.Currency),
		Meter:    meters,
	}, b.parent)
	if err != nil {
		return nil, nil, err
	}
	id := plan.ID().ToStringOutput()
	return pulumi.Map{"id": id, "meters": plan.Meters}, id, nil
}

// tenantsOf is modules/tenant for each tenant.
func (b *builder) tenantsOf(planID pulumi.StringPtrInput) (pulumi.Map, pulumi.StringMap, error) {
	out, keys := pulumi.Map{}, pulumi.StringMap{}
	b.tenants = map[string]*octollm.Tenant{}
	for _, name := range sortedKeys(b.r.Tenants) {
		t := b.r.Tenants[name]
		args := &octollm.TenantArgs{
			Name:               pulumi.String(name),
			DisplayName:        strPtr(t.DisplayName),
			Tier:               pulumi.String(t.Tier),
			AllowedModels:      pulumi.ToStringArray(t.AllowedModels),
			Admins:             stringArrayOrNil(t.Admins),
			NetworkIsolation:   pulumi.Bool(*t.NetworkIsolation),
			DataRetentionDays:  pulumi.Int(*t.DataRetentionDays),
			ApiKeyVersion:      pulumi.Int(*t.APIKeyVersion),
			DeletionProtection: pulumi.Bool(*t.DeletionProtection),
		}
		if q := t.Quota; q != nil {
			args.Quota = &octollm.TenantQuotaArgs{
				Cpu: strPtr(q.CPU), Memory: strPtr(q.Memory), Pods: intPtr(q.Pods),
				LlmTokensPerMonth: intPtr(q.LlmTokensPerMonth), RequestsPerMinute: intPtr(q.RequestsPerMinute),
			}
		}
		if t.BillingEmail != "" {
			args.Billing = &octollm.TenantBillingArgs{
				PlanId: planID.ToStringPtrOutput().Elem(), Email: pulumi.String(t.BillingEmail), DeleteCustomer: pulumi.Bool(false),
			}
		}
		// Tenants' network policies admit traffic from the platform namespace.
		tenant, err := octollm.NewTenant(b.ctx, b.child("tenant", name), args, b.parent, pulumi.DependsOn([]pulumi.Resource{b.ns}))
		if err != nil {
			return nil, nil, err
		}
		b.tenants[name] = tenant
		b.tenantDeps = append(b.tenantDeps, tenant)
		out[name] = pulumi.Map{
			"namespace":            tenant.Namespace,
			"apiKeyId":             tenant.ApiKeyId,
			"stripeCustomerId":     tenant.StripeCustomerId,
			"stripeSubscriptionId": tenant.StripeSubscriptionId,
		}
		keys[name] = tenant.ApiKey
	}
	return out, keys, nil
}

// routes is modules/model-routing: ConfigMaps in the platform namespace; tenant routes name
// existing tenants.
func (b *builder) routes() (pulumi.Map, error) {
	out := pulumi.Map{}
	deps := append([]pulumi.Resource{b.ns}, b.tenantDeps...)
	for _, name := range sortedKeys(b.r.Routes) {
		r := b.r.Routes[name]
		args := &octollm.ModelRouteArgs{
			Name:               pulumi.String(name),
			Tenant:             strPtr(r.Tenant),
			Strategy:           pulumi.String(r.Strategy),
			RequiredCapability: strPtr(r.RequiredCapability),
			MinCapabilityScore: intPtr(r.MinCapabilityScore),
		}
		if r.TaskTypes != nil || r.MinComplexity != nil || r.MaxComplexity != nil {
			args.Match = &octollm.ModelRouteMatchArgs{TaskTypes: stringArrayOrNil(r.TaskTypes), MinComplexity: intPtr(r.MinComplexity), MaxComplexity: intPtr(r.MaxComplexity)}
		}
		if len(r.Targets) > 0 {
			targets := octollm.ModelRouteTargetArray{}
			for _, t := range r.Targets {
				targets = append(targets, &octollm.ModelRouteTargetArgs{Model: pulumi.String(t.Model), Weight: intPtr(t.Weight), Priority: intPtr(t.Priority)})
			}
			args.Targets = targets
		}
		if f := r.Fallback; f != nil {
			args.Fallback = &octollm.ModelRouteFallbackArgs{Ons: pulumi.ToStringArray(f.On), Models: pulumi.ToStringArray(f.Models), MaxAttempts: intPtr(f.MaxAttempts)}
		}
		if rt := r.Retry; rt != nil {
			args.Retry = &octollm.ModelRouteRetryArgs{Attempts: intPtr(rt.Attempts), BackoffMs: intPtr(rt.BackoffMs), RespectRetryAfter: boolPtr(rt.RespectRetryAfter)}
		}
		if c := r.Cache; c != nil {
			args.Cache = &octollm.ModelRouteCacheArgs{Mode: pulumi.String(c.Mode), TtlSeconds: intPtr(c.TTLSeconds), SimilarityThreshold: floatPtr(c.SimilarityThreshold), PartitionByTenant: boolPtr(c.PartitionByTenant)}
		}
		if bu := r.Budget; bu != nil {
			args.Budget = &octollm.ModelRouteBudgetArgs{UsdPerDay: floatPtr(bu.UsdPerDay), TokensPerMinute: intPtr(bu.TokensPerMinute), RequestsPerMinute: intPtr(bu.RequestsPerMinute), OnExceed: strPtr(bu.OnExceed)}
		}
		route, err := octollm.NewModelRoute(b.ctx, b.child("route", name), args, b.parent, pulumi.DependsOn(deps))
		if err != nil {
			return nil, err
		}
		out[name] = pulumi.Map{
			"id":             route.ID(),
			"configMap":      route.ConfigMap,
			"namespace":      route.Namespace,
			"checksum":       route.Checksum,
			"effectiveModel": route.EffectiveModel,
		}
	}
	return out, nil
}

// compliance is modules/compliance-baseline, evaluated after what the platform runs: the
// namespace, the components and every tenant.
func (b *builder) compliance() (pulumi.Map, pulumi.StringArrayOutput, error) {
	out := pulumi.Map{}
	deps := append(append([]pulumi.Resource{b.ns}, b.runtime...), b.tenantDeps...)
	var statuses []pulumi.StringOutput
	var ids []string
	for _, c := range b.r.ComplianceControls {
		key := c.Framework + "/" + c.ControlID
		enforcement := c.Enforcement
		if !b.r.complianceEnforce {
			enforcement = "audit"
		}
		ctl, err := octollm.NewComplianceControl(b.ctx, b.child("control", c.Framework+"-"+c.ControlID), &octollm.ComplianceControlArgs{
			Framework:   pulumi.String(c.Framework),
			ControlId:   pulumi.String(c.ControlID),
			Enforcement: pulumi.String(enforcement),
			Parameters:  stringMapOrNil(c.Parameters),
			Scope: &octollm.ComplianceControlScopeArgs{
				Namespaces: stringArrayOrNil(c.Namespaces),
				AllTenants: pulumi.Bool(*c.AllTenants),
			},
		}, b.parent, pulumi.DependsOn(deps))
		if err != nil {
			return nil, pulumi.StringArrayOutput{}, err
		}
		out[key] = pulumi.Map{"title": ctl.Title, "status": ctl.Status, "enforcement": ctl.Enforcement}
		statuses = append(statuses, ctl.Status)
		ids = append(ids, key)
	}
	all := make([]interface{}, len(statuses))
	for i, s := range statuses {
		all[i] = s
	}
	nonCompliant := pulumi.All(all...).ApplyT(func(vs []interface{}) []string {
		bad := []string{}
		for i, v := range vs {
			if s, _ := v.(string); s == "non_compliant" {
				bad = append(bad, ids[i])
			}
		}
		return bad
	}).(pulumi.StringArrayOutput)
	return out, nonCompliant, nil
}
