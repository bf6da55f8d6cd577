package platform_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/acctest/netpol"
	octoplatform "github.com/octollm/terraform-provider-octollm/internal/platform"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox"
)

// The sandbox cluster's own ranges: pods (netpol.PodRange), Services, nodes.
const clusterCIDRs = `["` + netpol.PodRange + `", "34.118.224.0/20", "10.128.0.0/20"]`

// runtimeConfig is the platform with its network policies, a gateway, an orchestrator and an
// arm, and two tenants; extra is appended (a compliance control).
func runtimeConfig(ns, tenantA, tenantB, network, extra string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"octollm\" {\n  namespace = %q\n}\n\n", ns)
	fmt.Fprintf(&b, "resource \"octollm_platform\" \"this\" {\n  namespace = %q\n  deletion_protection = false\n  network_policy = %s\n}\n", ns, network)
	for _, c := range []struct {
		name, kind string
		port       int
	}{{"gateway", "gateway", 8080}, {"orchestrator", "orchestrator", 8000}, {"planner-arm", "arm", 8001}} {
		fmt.Fprintf(&b, `
resource "octollm_component" %[1]q {
  name             = %[1]q
  namespace        = octollm_platform.this.namespace
  kind             = %[2]q
  image            = "ghcr.io/acme/octollm-%[1]s:1.4.2"
  port             = %[3]d
  replicas         = 1
  wait_for_rollout = false
}
`, c.name, c.kind, c.port)
	}
	for _, t := range []string{tenantA, tenantB} {
		fmt.Fprintf(&b, `
resource "octollm_tenant" %[1]q {
  name                = %[1]q
  deletion_protection = false
  depends_on          = [octollm_platform.this]
}
`, t)
	}
	return b.String() + extra
}

func componentLabels(name, kind string) map[string]string {
	return map[string]string{"app": name, "app.kubernetes.io/name": name, "app.kubernetes.io/component": kind,
		"app.kubernetes.io/part-of": "octollm", "app.kubernetes.io/managed-by": "terraform-provider-octollm"}
}

// flowTable is the table: what the platform needs open, and what must stay shut.
func flowTable(c *netpol.Cluster, ns, tenantA, tenantB string) []netpol.Flow {
	gateway := c.Pod(ns, componentLabels("gateway", "gateway")).As("gateway")
	orchestrator := c.Pod(ns, componentLabels("orchestrator", "orchestrator")).As("orchestrator")
	arm := c.Pod(ns, componentLabels("planner-arm", "arm")).As("planner-arm")
	podA := c.Pod("tenant-"+tenantA, map[string]string{"app": "worker"}).As("tenant A pod")
	podB := c.Pod("tenant-"+tenantB, map[string]string{"app": "worker"}).As("tenant B pod")
	apiserver, apiPort := c.APIServer()
	outside := netpol.External("203.0.113.10").As("outside 203.0.113.10")
	return []netpol.Flow{
		{From: outside, To: gateway, Port: 8080, Allowed: true},
		{From: netpol.External("35.191.4.20").As("GKE health check"), To: gateway, Port: 8080, Allowed: true},
		{From: gateway, To: c.KubeDNS(), Port: 53, Protocol: netpol.UDP, Allowed: true},
		{From: gateway, To: c.KubeDNS(), Port: 53, Protocol: netpol.TCP, Allowed: true},
		{From: gateway, To: apiserver, Port: apiPort, Allowed: true},
		{From: gateway, To: netpol.External("104.18.7.192").As("LLM provider 104.18.7.192"), Port: 443, Allowed: true},
		{From: gateway, To: netpol.External("54.187.174.169").As("Stripe 54.187.174.169"), Port: 443, Allowed: true},
		{From: gateway, To: netpol.External("169.254.169.254").As("metadata server"), Port: 80, Allowed: false},
		{From: gateway, To: netpol.External("169.254.169.254").As("metadata server"), Port: 443, Allowed: false},
		{From: gateway, To: orchestrator, Port: 8000, Allowed: true},
		{From: gateway, To: podA, Port: 443, Allowed: false}, // an ipBlock less cluster_cidrs is outside only
		{From: podA, To: podB, Port: 8080, Allowed: false},
		{From: podA, To: orchestrator, Port: 8000, Allowed: false},
		{From: podA, To: gateway, Port: 8080, Allowed: false},
		{From: outside, To: arm, Port: 8001, Allowed: false},
		{From: outside, To: orchestrator, Port: 8000, Allowed: false},
		{From: orchestrator, To: arm, Port: 8001, Allowed: true},
		{From: orchestrator, To: c.KubeDNS(), Port: 53, Protocol: netpol.UDP, Allowed: true},
		{From: gateway, To: arm, Port: 8001, Allowed: false},
		{From: arm, To: netpol.External("104.18.7.192"), Port: 443, Allowed: false},
	}
}

func checkFlows(kube kubernetes.Interface, ns, tenantA, tenantB string, extra ...func(*netpol.Cluster) netpol.Flow) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := netpol.Load(context.Background(), kube, ns, "tenant-"+tenantA, "tenant-"+tenantB)
		if err != nil {
			return err
		}
		flows := flowTable(c, ns, tenantA, tenantB)
		for _, f := range extra {
			flows = append(flows, f(c))
		}
		return c.Check(flows...)
	}
}

// policyNames lists the NetworkPolicies of ns.
func policyNames(kube kubernetes.Interface, ns string) ([]string, error) {
	list, err := kube.NetworkingV1().NetworkPolicies(ns).List(context.Background(), metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range list.Items {
		out = append(out, p.Name)
	}
	sort.Strings(out)
	return out, nil
}

func checkPolicies(kube kubernetes.Interface, ns string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := policyNames(kube, ns)
		if err != nil {
			return err
		}
		w := append([]string{}, want...)
		sort.Strings(w)
		if strings.Join(got, ",") != strings.Join(w, ",") {
			return fmt.Errorf("NetworkPolicies in %s = %v, want %v", ns, got, w)
		}
		return nil
	}
}

// The platform's NetworkPolicies, proven with cyclonus: the flow table holds with the tenants'
// isolation, and again under a SOC 2 CC6.6 control enforcing its default deny on the platform
// namespace; changes out of band show in the plan and apply restores them; import reads the
// settings back; enabled = false deletes them.
func TestAccPlatform_networkPolicies(t *testing.T) {
	acctest.PreCheck(t)
	kube := acctest.Kube(t)
	ctx := context.Background()
	ns := acctest.RandomName("plat")
	tenantA, tenantB := acctest.RandomName("na"), acctest.RandomName("nb")
	cleanup(t, kube, ns)
	network := "{ cluster_cidrs = " + clusterCIDRs + " }"
	base := runtimeConfig(ns, tenantA, tenantB, network, "")
	// The namespace is spelled out: octollm_compliance_control fails validation on an unknown scope.
	control := fmt.Sprintf(`
resource "octollm_compliance_control" "deny" {
  framework   = "soc2"
  control_id  = "CC6.6"
  enforcement = "enforce"
  scope {
    namespaces = [%q]
  }
  depends_on = [octollm_platform.this]
}
`, ns)
	enforced := runtimeConfig(ns, tenantA, tenantB, network, control)
	disabled := runtimeConfig(ns, tenantA, tenantB, "{ enabled = false }", "")
	apiserver := fmt.Sprintf("%s:%d", sandbox.SandboxAPIServerAdvertiseAddress, acctest.Sandbox().Ports.APIServer)
	// An unselected pod of the platform namespace: reachable from outside until the default deny.
	stray := func(allowed bool) func(*netpol.Cluster) netpol.Flow {
		return func(c *netpol.Cluster) netpol.Flow {
			return netpol.Flow{From: netpol.External("203.0.113.10"), To: c.Pod(ns, map[string]string{"app": "stray"}).As("stray pod"), Port: 80, Allowed: allowed}
		}
	}
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate)}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: base,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("network_policy_status"), knownvalue.StringExact("in sync")),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("apiserver_endpoints"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(apiserver)})),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("network_policies"), knownvalue.ListSizeExact(len(octoplatform.NetworkPolicyNames))),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("network_policy").AtMapKey("gateway_port"), knownvalue.Int64Exact(8080)),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("network_policy").AtMapKey("arm_ports"), knownvalue.ListSizeExact(6)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkPolicies(kube, ns, octoplatform.NetworkPolicyNames...),
					checkFlows(kube, ns, tenantA, tenantB, stray(true)),
				),
			},
			{Config: base, ConfigPlanChecks: acctest.NoChanges},
			{
				ResourceName:            address,
				ImportState:             true,
				ImportStateId:           ns,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts", "deletion_protection"},
			},
			{
				// The same table under the compliance control's default deny (ingress and egress, no rules).
				Config: enforced,
				Check: resource.ComposeTestCheckFunc(
					func(*terraform.State) error {
						list, err := kube.NetworkingV1().NetworkPolicies(ns).List(ctx, metav1.ListOptions{LabelSelector: "octollm.io/compliance-control"})
						if err != nil {
							return err
						}
						if len(list.Items) != 1 || len(list.Items[0].Spec.PolicyTypes) != 2 || len(list.Items[0].Spec.Ingress)+len(list.Items[0].Spec.Egress) != 0 {
							return fmt.Errorf("want the control's default deny in %s, got %v", ns, list.Items)
						}
						return nil
					},
					checkFlows(kube, ns, tenantA, tenantB, stray(false)),
				),
			},
			{Config: enforced, ConfigPlanChecks: acctest.NoChanges},
			{
				// A policy deleted and the apiserver policy pointed elsewhere out of band.
				PreConfig: func() {
					if err := kube.NetworkingV1().NetworkPolicies(ns).Delete(ctx, octoplatform.GatewayIngressPolicy, metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
					patch := []byte(`{"spec":{"egress":[{"to":[{"ipBlock":{"cidr":"172.16.0.9/32"}}],"ports":[{"protocol":"TCP","port":443}]}]}}`)
					if _, err := kube.NetworkingV1().NetworkPolicies(ns).Patch(ctx, octoplatform.GatewayAPIServerPolicy, types.MergePatchType, patch, metav1.PatchOptions{FieldManager: "kubectl-edit"}); err != nil {
						t.Fatal(err)
					}
				},
				Config:             enforced,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: enforced,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(address, tfjsonpath.New("network_policy_status"), knownvalue.StringExact("in sync")),
					plancheck.ExpectUnknownValue(address, tfjsonpath.New("apiserver_endpoints")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("apiserver_endpoints"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(apiserver)})),
				},
				Check: checkFlows(kube, ns, tenantA, tenantB, stray(false)),
			},
			{
				// Disabled: the platform's policies are deleted, the control's stays.
				Config:           disabled,
				ConfigPlanChecks: update,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("network_policies"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("apiserver_endpoints"), knownvalue.ListSizeExact(0)),
				},
				Check: checkPolicies(kube, ns),
			},
			{Config: disabled, ConfigPlanChecks: acctest.NoChanges},
		},
	})
}

// network_policy's rules fail at plan time with messages that name the attribute.
func TestAccPlatform_networkPolicyBadInput(t *testing.T) {
	acctest.PreCheck(t)
	cases := map[string]struct{ network, want string }{
		"not a cidr":      {`{ egress_cidrs = ["10.0.0.0"] }`, `network_policy.egress_cidrs[0] "10.0.0.0" is not a CIDR: write an address and a prefix length`},
		"host bits":       {`{ gateway_ingress_cidrs = ["203.0.113.7/24"] }`, `network_policy.gateway_ingress_cidrs[0] "203.0.113.7/24" has host bits set: write the network's address, "203.0.113.0/24"`},
		"repeated cidr":   {`{ load_balancer_cidrs = ["35.191.0.0/16", "35.191.0.0/16"] }`, `network_policy.load_balancer_cidrs[1] repeats 35.191.0.0/16: list each range once`},
		"bad cluster":     {`{ cluster_cidrs = ["10.4.0.0/33"] }`, `network_policy.cluster_cidrs[0] "10.4.0.0/33" is not a CIDR`},
		"port zero":       {`{ gateway_port = 0 }`, `network_policy.gateway_port value must be between 1 and 65535, got: 0`},
		"arm port range":  {`{ arm_ports = [8001, 70000] }`, `network_policy.arm_ports[1] is 70000: a port is between 1 and 65535`},
		"arm port twice":  {`{ arm_ports = [8001, 8001] }`, `network_policy.arm_ports[1] repeats port 8001: list each port once`},
		"no arm ports":    {`{ arm_ports = [] }`, `network_policy.arm_ports is empty: list at least one port`},
		"no egress ports": {`{ egress_ports = [] }`, `network_policy.egress_ports is empty`},
		"inside cluster": {`{ cluster_cidrs = ["10.0.0.0/8"], egress_cidrs = ["10.20.0.0/16"] }`,
			`network_policy.egress_cidrs[0] 10.20.0.0/16 lies inside network_policy.cluster_cidrs[0] 10.0.0.0/8, so it would match nothing outside the cluster`},
	}
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: platform{ns: "octollm", extra: "  network_policy = " + tc.network + "\n"}.config(), PlanOnly: true,
					ExpectError: acctest.ErrorText(tc.want),
				}},
			})
		})
	}
}

// A NetworkPolicy of the same name that the provider did not write is not taken over.
func TestAccPlatform_networkPolicyRefusesForeign(t *testing.T) {
	acctest.PreCheck(t)
	kube := acctest.Kube(t)
	ns := acctest.RandomName("plat")
	cleanup(t, kube, ns)
	off := platform{ns: ns, extra: "  network_policy = { enabled = false }\n"}
	on := platform{ns: ns}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: off.config(), Check: checkPolicies(kube, ns)},
			{
				PreConfig: func() {
					_, err := kube.NetworkingV1().NetworkPolicies(ns).Create(context.Background(), &networkingv1.NetworkPolicy{
						ObjectMeta: metav1.ObjectMeta{Name: octoplatform.DNSEgressPolicy},
						Spec:       networkingv1.NetworkPolicySpec{PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}},
					}, metav1.CreateOptions{})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config:      on.config(),
				ExpectError: acctest.ErrorText("NetworkPolicy " + ns + "/octollm-dns-egress is not the platform's ... so it is not taken over: delete it ... or set network_policy.enabled = false"),
			},
			{
				// Deleted by hand: apply writes all of them.
				PreConfig: func() {
					if err := kube.NetworkingV1().NetworkPolicies(ns).Delete(context.Background(), octoplatform.DNSEgressPolicy, metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: on.config(),
				Check:  checkPolicies(kube, ns, octoplatform.NetworkPolicyNames...),
			},
		},
	})
}
