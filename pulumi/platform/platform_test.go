package platform

import (
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// mocks records every resource the component registers, by type and name, with its inputs.
type mocks struct {
	mu        sync.Mutex
	resources map[string]resource.PropertyMap
	parents   map[string]string
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.resources[args.TypeToken+"::"+args.Name] = args.Inputs
	m.parents[args.TypeToken+"::"+args.Name] = args.RegisterRPC.GetParent()
	out := args.Inputs.Copy()
	switch args.TypeToken[strings.LastIndex(args.TypeToken, ":")+1:] {
	case "Tenant":
		out["apiKey"] = resource.NewStringProperty("ollm_mock")
		out["namespace"] = resource.NewStringProperty("tenant-" + args.Inputs["name"].StringValue())
	case "Component":
		name := args.Inputs["name"].StringValue()
		out["deploymentName"] = resource.NewStringProperty(name)
		out["serviceUrl"] = resource.NewStringProperty("http://" + name + ".octollm.svc.cluster.local:8080")
	case "PlatformNamespace":
		out["gatewayRole"] = resource.NewStringProperty("octollm-gateway-reader")
	case "ComplianceControl":
		out["status"] = resource.NewStringProperty("non_compliant")
	}
	id := args.Name + "-id"
	if args.TypeToken == "octollm:index:BillingPlan" {
		id = "prod_mock"
	}
	return id, out, nil
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	repo := args.Args["repository"].StringValue()
	digest := "sha256:" + strings.Repeat("ab", 32)
	return resource.PropertyMap{
		"repository": args.Args["repository"],
		"tag":        args.Args["tag"],
		"digest":     resource.NewStringProperty(digest),
		"image":      resource.NewStringProperty(repo + "@" + digest),
	}, nil
}

func run(t *testing.T, args *Args) (*mocks, error) {
	t.Helper()
	m := &mocks{resources: map[string]resource.PropertyMap{}, parents: map[string]string{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := NewPlatform(ctx, "p", args)
		return err
	}, pulumi.WithMocks("octollm-platform", "test", m))
	return m, err
}

func (m *mocks) of(typ string) map[string]resource.PropertyMap {
	out := map[string]resource.PropertyMap{}
	for k, v := range m.resources {
		token, name, _ := strings.Cut(k, "::")
		if strings.HasPrefix(token, "octollm:index") && strings.HasSuffix(token, ":"+typ) {
			out[name] = v
		}
	}
	return out
}

// With no arguments the component is modules/platform with its defaults: the seed's three
// pools, orchestrator and executor arm (each with an HPA), the default route and the three
// baseline controls, no gateway, billing or tenants; all children of the component.
func TestDefaults(t *testing.T) {
	m, err := run(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"PlatformNamespace": 1, "NodePool": 3, "Component": 2, "Autoscaling": 2, "ModelRoute": 1, "ComplianceControl": 3, "Tenant": 0, "BillingPlan": 0, "GatewayExposure": 0}
	for typ, n := range want {
		if got := len(m.of(typ)); got != n {
			t.Errorf("%d %s resources, want %d", got, typ, n)
		}
	}
	ns := m.of("PlatformNamespace")["p-namespace-octollm"]
	if ns == nil {
		t.Fatalf("no PlatformNamespace p-namespace-octollm; have %v", m.of("PlatformNamespace"))
	}
	if ns["namespace"].StringValue() != "octollm" || ns["podSecurity"].StringValue() != "restricted" ||
		ns["gatewayServiceAccount"].StringValue() != "octollm-gateway" || !ns["deletionProtection"].BoolValue() {
		t.Errorf("platform namespace inputs %v: want octollm, restricted, octollm-gateway, deletion protection", ns)
	}
	np := ns["networkPolicy"].ObjectValue()
	if np["gatewayPort"].NumberValue() != 8080 || len(np["egressPorts"].ArrayValue()) != 1 || np["egressPorts"].ArrayValue()[0].NumberValue() != 443 {
		t.Errorf("network policy %v: want gateway port 8080 and egress ports [443]", np)
	}
	spot := m.of("NodePool")["p-pool-spot-pool"]
	if spot["name"].StringValue() != "spot-pool" || !spot["spot"].BoolValue() || spot["sandboxConfig"].ObjectValue()["sandboxType"].StringValue() != "gvisor" ||
		spot["autoscaling"].ObjectValue()["maxNodeCount"].NumberValue() != 50 {
		t.Errorf("spot pool inputs %v: want spot-pool, spot, gvisor, 3-50 nodes", spot)
	}
	hpa := m.of("Autoscaling")["p-autoscaling-orchestrator"]
	if hpa["minReplicas"].NumberValue() != 3 || hpa["maxReplicas"].NumberValue() != 20 || hpa["memoryUtilization"].NumberValue() != 75 ||
		hpa["vertical"].ObjectValue()["updateMode"].StringValue() != "Off" || hpa["disruptionBudget"].ObjectValue()["minAvailable"].StringValue() != "2" ||
		hpa["scaleDown"].ObjectValue()["stabilizationWindowSeconds"].NumberValue() != 300 {
		t.Errorf("orchestrator autoscaling inputs %v: want 3-20, memory 75%%, VPA Off, PDB 2, scale-down window 300s", hpa)
	}
	hipaa := m.of("ComplianceControl")["p-control-hipaa-164.312(b)"]
	if hipaa["enforcement"].StringValue() != "audit" || hipaa["scope"].ObjectValue()["allTenants"].BoolValue() ||
		hipaa["scope"].ObjectValue()["namespaces"].ArrayValue()[0].StringValue() != "octollm" {
		t.Errorf("HIPAA control inputs %v: want audit, the platform namespace, not all tenants", hipaa)
	}
	for k, parent := range m.parents {
		if !strings.HasPrefix(k, "octollm:index:Platform::") && !strings.HasSuffix(parent, "octollm:index:Platform::p") {
			t.Errorf("%s has parent %q, want the component", k, parent)
		}
	}
}

// A tenant's defaults are modules/tenant's, its deletion protection the platform's; billing
// subscribes it to the plan; the gateway is a component by digest with the module's settings,
// and Redis' port joins the egress ports.
func TestTenantsBillingGateway(t *testing.T) {
	m, err := run(t, &Args{
		Namespace:          "octollm-dev",
		Environment:        "dev",
		DeletionProtection: ptr(false),
		Components:         map[string]ComponentArgs{},
		BillingPlan:        &BillingPlanArgs{Name: "dev"},
		Tenants: map[string]TenantArgs{
			"acme":   {BillingEmail: "billing@acme.example", Quota: &TenantQuotaArgs{RequestsPerMinute: ptr(60)}},
			"globex": {Tier: "enterprise", DeletionProtection: ptr(true)},
		},
		Gateway: &GatewayArgs{ImageRepository: "127.0.0.1:5000/octollm/gateway", ImageTag: "dev", Env: map[string]string{"OCTOLLM_REDIS_URL": "redis://10.0.0.3:6380/0"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	acme := m.of("Tenant")["p-tenant-acme"]
	if acme["tier"].StringValue() != "standard" || acme["dataRetentionDays"].NumberValue() != 30 || acme["apiKeyVersion"].NumberValue() != 1 ||
		acme["deletionProtection"].BoolValue() || !acme["networkIsolation"].BoolValue() || len(acme["allowedModels"].ArrayValue()) != 2 {
		t.Errorf("tenant acme inputs %v: want standard, 30 days, key version 1, no deletion protection, isolated, two models", acme)
	}
	if b := acme["billing"]; !b.IsObject() || b.ObjectValue()["planId"].StringValue() != "prod_mock" {
		t.Errorf("tenant acme billing %v: want the plan prod_mock", b)
	}
	if q := acme["quota"]; !q.IsObject() || q.ObjectValue()["requestsPerMinute"].NumberValue() != 60 {
		t.Errorf("tenant acme quota %v: want 60 requests per minute", q)
	}
	if globex := m.of("Tenant")["p-tenant-globex"]; !globex["deletionProtection"].BoolValue() || globex["tier"].StringValue() != "enterprise" {
		t.Errorf("tenant globex inputs %v: want its own deletion protection and tier", globex)
	}
	if plan := m.of("BillingPlan")["p-billing-dev"]; plan["currency"].StringValue() != "usd" || len(plan["meter"].ArrayValue()) != 3 {
		t.Errorf("billing plan inputs %v: want usd and the three default meters", plan)
	}
	gw := m.of("Component")["p-component-gateway"]
	if gw == nil {
		t.Fatalf("no gateway component; have %v", m.of("Component"))
	}
	if !strings.HasPrefix(gw["image"].StringValue(), "127.0.0.1:5000/octollm/gateway@sha256:") || !gw["requireDigest"].BoolValue() ||
		gw["serviceAccountName"].StringValue() != "octollm-gateway" || gw["healthPath"].StringValue() != "/readyz" ||
		gw["env"].ObjectValue()["OCTOLLM_NAMESPACE"].StringValue() != "octollm-dev" || gw["env"].ObjectValue()["OCTOLLM_GATEWAY_LISTEN"].StringValue() != ":8080" {
		t.Errorf("gateway component inputs %v: want the image by digest, the gateway's ServiceAccount, /readyz, its namespace and listen address", gw)
	}
	if hpa := m.of("Autoscaling")["p-autoscaling-gateway"]; hpa["minReplicas"].NumberValue() != 2 || hpa["maxReplicas"].NumberValue() != 10 {
		t.Errorf("gateway autoscaling %v: want 2-10", hpa)
	}
	ns := m.of("PlatformNamespace")["p-namespace-octollm-dev"]
	if ns["labels"].ObjectValue()["octollm.dev/environment"].StringValue() != "dev" {
		t.Errorf("platform namespace labels %v: want octollm.dev/environment=dev", ns["labels"])
	}
	ports := ns["networkPolicy"].ObjectValue()["egressPorts"].ArrayValue()
	if len(ports) != 2 || ports[1].NumberValue() != 6380 {
		t.Errorf("egress ports %v: want 443 and Redis' 6380", ports)
	}
}

// Bad arguments fail before anything is registered, with the module's messages.
func TestValidation(t *testing.T) {
	for name, tc := range map[string]struct {
		args Args
		want string
	}{
		"billing email without a plan":   {Args{Tenants: map[string]TenantArgs{"acme": {BillingEmail: "b@acme.example"}}}, "args.Tenants: acme set billingEmail but args.BillingPlan is nil"},
		"gateway named like a component": {Args{Gateway: &GatewayArgs{Name: "orchestrator", ImageTag: "v1"}}, "args.Components has a component named orchestrator"},
		"gateway tag latest":             {Args{Gateway: &GatewayArgs{ImageTag: "latest"}}, "args.Gateway.ImageTag \"latest\" must be a tag"},
		"hostnames without tls":          {Args{Gateway: &GatewayArgs{ImageTag: "v1", Hostnames: []string{"a.example"}}}, "hostnames need tls"},
		"empty node pools":               {Args{NodePools: map[string]NodePoolArgs{}}, "args.NodePools must be nil"},
		"gvisor on ubuntu":               {Args{NodePools: map[string]NodePoolArgs{"s": {MachineType: "e2-standard-4", Gvisor: true, ImageType: "UBUNTU_CONTAINERD"}}}, "runs only on imageType COS_CONTAINERD"},
		"min above max":                  {Args{NodePools: map[string]NodePoolArgs{"s": {MachineType: "e2-standard-4", MinNodeCount: ptr(3), MaxNodeCount: ptr(2)}}}, "minNodeCount must be at most maxNodeCount"},
		"unpinned image":                 {Args{Components: map[string]ComponentArgs{"o": {Kind: "orchestrator", Image: "ghcr.io/acme/o:latest", Port: 80}}}, "image must be pinned"},
		"bad tier":                       {Args{Tenants: map[string]TenantArgs{"acme": {Tier: "gold"}}}, "tier must be free, standard or enterprise"},
		"bad namespace":                  {Args{Namespace: "Octo"}, "args.Namespace \"Octo\" must be a DNS-1123 label"},
		"compliance enforcement":         {Args{ComplianceControls: []ComplianceControlArgs{{Framework: "soc2", ControlID: "CC6.1", Enforcement: "block"}}}, "enforcement must be audit or enforce"},
	} {
		t.Run(name, func(t *testing.T) {
			m, err := run(t, &tc.args)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if len(m.resources) != 0 {
				t.Errorf("%d resources registered despite the error", len(m.resources))
			}
		})
	}
}

// complianceEnforce false makes every control audit.
func TestComplianceEnforceOff(t *testing.T) {
	m, err := run(t, &Args{ComplianceEnforce: ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range m.of("ComplianceControl") {
		if c["enforcement"].StringValue() != "audit" {
			t.Errorf("control %s has enforcement %s, want audit", name, c["enforcement"].StringValue())
		}
	}
}
