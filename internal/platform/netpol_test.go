package platform

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/mattfenwick/cyclonus/pkg/matcher"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

var apiserverAt = []Endpoint{{IP: "172.16.0.2", Port: 443}}

func networkSeed() Spec {
	s := seed()
	s.Network = DefaultNetworkSpec()
	s.Network.ClusterCIDRs = []string{"10.4.0.0/14", "34.118.224.0/20", "10.128.0.0/20"}
	return s
}

func policyNamed(t *testing.T, ps []*networkingv1.NetworkPolicy, name string) *networkingv1.NetworkPolicy {
	t.Helper()
	for _, p := range ps {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no NetworkPolicy %s", name)
	return nil
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestNetworkPolicies_objects(t *testing.T) {
	ps := networkSeed().NetworkPolicies(apiserverAt)
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
		if p.Namespace != "octollm" || p.Labels["app.kubernetes.io/managed-by"] != "terraform-provider-octollm" || p.Labels[NetworkPolicyLabel] != NetworkPolicyValue {
			t.Errorf("%s: namespace %q labels %v", p.Name, p.Namespace, p.Labels)
		}
	}
	if !slices.Equal(names, NetworkPolicyNames) {
		t.Errorf("names = %v, want %v", names, NetworkPolicyNames)
	}

	in := policyNamed(t, ps, GatewayIngressPolicy)
	if got, want := asJSON(t, in.Spec), `{"podSelector":{"matchLabels":{"app.kubernetes.io/component":"gateway","app.kubernetes.io/part-of":"octollm"}},`+
		`"ingress":[{"ports":[{"protocol":"TCP","port":8080}],"from":[{"ipBlock":{"cidr":"0.0.0.0/0","except":["10.4.0.0/14","34.118.224.0/20","10.128.0.0/20"]}},`+
		`{"ipBlock":{"cidr":"35.191.0.0/16"}},{"ipBlock":{"cidr":"130.211.0.0/22"}}]}],"policyTypes":["Ingress"]}`; got != want {
		t.Errorf("gateway ingress =\n%s\nwant\n%s", got, want)
	}
	out := policyNamed(t, ps, GatewayEgressPolicy)
	if got, want := asJSON(t, out.Spec.Egress[0]), `{"ports":[{"protocol":"TCP","port":443}],"to":[{"ipBlock":{"cidr":"0.0.0.0/0","except":["169.254.169.254/32","10.4.0.0/14","34.118.224.0/20","10.128.0.0/20"]}}]}`; got != want {
		t.Errorf("gateway egress to providers =\n%s\nwant\n%s", got, want)
	}
	api := policyNamed(t, ps, GatewayAPIServerPolicy)
	if got, want := asJSON(t, api.Spec.Egress), `[{"ports":[{"protocol":"TCP","port":443}],"to":[{"ipBlock":{"cidr":"172.16.0.2/32"}}]}]`; got != want {
		t.Errorf("apiserver egress = %s, want %s", got, want)
	}
	dns := policyNamed(t, ps, DNSEgressPolicy)
	if got, want := asJSON(t, dns.Spec), `{"podSelector":{},"egress":[{"ports":[{"protocol":"UDP","port":53},{"protocol":"TCP","port":53}],`+
		`"to":[{"podSelector":{"matchLabels":{"k8s-app":"kube-dns"}},"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"kube-system"}}}]}],"policyTypes":["Egress"]}`; got != want {
		t.Errorf("dns egress =\n%s\nwant\n%s", got, want)
	}
	arm := policyNamed(t, ps, ArmIngressPolicy)
	if len(arm.Spec.Ingress) != 1 || len(arm.Spec.Ingress[0].Ports) != 6 || arm.Spec.Ingress[0].From[0].PodSelector.MatchLabels[contract.ComponentLabel] != "orchestrator" {
		t.Errorf("arm ingress = %s", asJSON(t, arm.Spec))
	}

	// Recorded for import, and read back.
	got, ok := NetworkSettingsFrom(mustObject(t, in))
	if !ok || asJSON(t, got) != asJSON(t, networkSeed().Network) {
		t.Errorf("recorded settings = %+v, %t", got, ok)
	}

	s := networkSeed()
	s.Network.Enabled = false
	if ps := s.NetworkPolicies(apiserverAt); ps != nil {
		t.Errorf("disabled: %d policies", len(ps))
	}
}

// An except must lie strictly inside its cidr: ranges outside it, or of the other family, are left out.
func TestNetworkPolicies_exceptsOnlyInside(t *testing.T) {
	s := networkSeed()
	s.Network.EgressCIDRs = []string{"104.16.0.0/13", "::/0"}
	s.Network.ClusterCIDRs = []string{"10.4.0.0/14", "fd00::/64"}
	out := policyNamed(t, s.NetworkPolicies([]Endpoint{{IP: "fd00::1", Port: 6443}}), GatewayEgressPolicy)
	if got, want := asJSON(t, out.Spec.Egress[0].To), `[{"ipBlock":{"cidr":"104.16.0.0/13"}},{"ipBlock":{"cidr":"::/0","except":["fd00::/64"]}}]`; got != want {
		t.Errorf("egress ipBlocks = %s, want %s", got, want)
	}
	api := policyNamed(t, s.NetworkPolicies([]Endpoint{{IP: "fd00::1", Port: 6443}}), GatewayAPIServerPolicy)
	if got := api.Spec.Egress[0].To[0].IPBlock.CIDR; got != "fd00::1/128" {
		t.Errorf("IPv6 apiserver block = %s", got)
	}
}

func mustObject(t *testing.T, p *networkingv1.NetworkPolicy) *unstructured.Unstructured {
	t.Helper()
	u, err := NetworkPolicyObject(p)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// The flow table, offline, with cyclonus: under a default deny of the namespace the policies
// open exactly what the platform needs.
func TestNetworkPolicies_flows(t *testing.T) {
	s := networkSeed()
	deny := &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "deny", Namespace: "octollm"},
		Spec: networkingv1.NetworkPolicySpec{PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}}}
	policy := matcher.BuildNetworkPolicies(false, append(s.NetworkPolicies(apiserverAt), deny))
	pod := func(ns, kind, ip string) *matcher.TrafficPeer {
		labels := map[string]string{"app.kubernetes.io/part-of": "octollm"}
		if kind != "" {
			labels[contract.ComponentLabel] = kind
		} else {
			labels = map[string]string{"k8s-app": "kube-dns"}
		}
		return &matcher.TrafficPeer{IP: ip, Internal: &matcher.InternalPeer{Namespace: ns, PodLabels: labels, NamespaceLabels: map[string]string{contract.NamespaceNameLabel: ns}}}
	}
	ext := func(ip string) *matcher.TrafficPeer { return &matcher.TrafficPeer{IP: ip} }
	gateway, reflex, orchestrator, arm := pod("octollm", "gateway", "10.4.0.10"), pod("octollm", "reflex", "10.4.0.11"), pod("octollm", "orchestrator", "10.4.0.12"), pod("octollm", "arm", "10.4.0.13")
	kubeDNS, other := pod("kube-system", "", "10.4.1.2"), pod("other", "gateway", "10.4.2.2")
	cases := []struct {
		name     string
		from, to *matcher.TrafficPeer
		port     int
		proto    corev1.Protocol
		allowed  bool
	}{
		{"outside -> gateway", ext("203.0.113.10"), gateway, 8080, corev1.ProtocolTCP, true},
		{"GKE health check -> gateway", ext("130.211.0.9"), gateway, 8080, corev1.ProtocolTCP, true},
		{"outside -> gateway other port", ext("203.0.113.10"), gateway, 9090, corev1.ProtocolTCP, false},
		{"node -> gateway (cluster range)", ext("10.128.0.2"), gateway, 8080, corev1.ProtocolTCP, false},
		{"pod elsewhere -> gateway", other, gateway, 8080, corev1.ProtocolTCP, false},
		{"gateway -> kube-dns udp", gateway, kubeDNS, 53, corev1.ProtocolUDP, true},
		{"gateway -> kube-dns tcp", gateway, kubeDNS, 53, corev1.ProtocolTCP, true},
		{"arm -> kube-dns", arm, kubeDNS, 53, corev1.ProtocolUDP, true},
		{"gateway -> apiserver", gateway, ext("172.16.0.2"), 443, corev1.ProtocolTCP, true},
		{"gateway -> another control-plane address", gateway, ext("172.16.0.3"), 443, corev1.ProtocolTCP, true}, // 443 to anywhere outside
		{"gateway -> apiserver wrong port", gateway, ext("172.16.0.2"), 6443, corev1.ProtocolTCP, false},
		{"gateway -> LLM provider", gateway, ext("104.18.7.192"), 443, corev1.ProtocolTCP, true},
		{"gateway -> provider on 80", gateway, ext("104.18.7.192"), 80, corev1.ProtocolTCP, false},
		{"gateway -> metadata server", gateway, ext("169.254.169.254"), 80, corev1.ProtocolTCP, false},
		{"gateway -> metadata server 443", gateway, ext("169.254.169.254"), 443, corev1.ProtocolTCP, false},
		{"gateway -> Service range", gateway, ext("34.118.224.10"), 443, corev1.ProtocolTCP, false},
		{"gateway -> reflex", gateway, reflex, 8080, corev1.ProtocolTCP, true},
		{"gateway -> orchestrator", gateway, orchestrator, 8000, corev1.ProtocolTCP, true},
		{"reflex -> orchestrator", reflex, orchestrator, 8000, corev1.ProtocolTCP, true},
		{"gateway -> arm", gateway, arm, 8001, corev1.ProtocolTCP, false},
		{"orchestrator -> arm", orchestrator, arm, 8006, corev1.ProtocolTCP, true},
		{"orchestrator -> arm other port", orchestrator, arm, 9000, corev1.ProtocolTCP, false},
		{"outside -> arm", ext("203.0.113.10"), arm, 8001, corev1.ProtocolTCP, false},
		{"outside -> orchestrator", ext("203.0.113.10"), orchestrator, 8000, corev1.ProtocolTCP, false},
		{"orchestrator -> internet", orchestrator, ext("104.18.7.192"), 443, corev1.ProtocolTCP, false},
		{"pod elsewhere -> orchestrator", other, orchestrator, 8000, corev1.ProtocolTCP, false},
	}
	for _, c := range cases {
		got := policy.IsTrafficAllowed(&matcher.Traffic{Source: c.from, Destination: c.to, ResolvedPort: c.port, Protocol: c.proto}).IsAllowed()
		if got != c.allowed {
			t.Errorf("%s %d/%s: allowed=%t, want %t", c.name, c.port, c.proto, got, c.allowed)
		}
	}
}

func TestNetworkStatus(t *testing.T) {
	s := networkSeed()
	want := s.NetworkPolicies(apiserverAt)
	live := map[string]*unstructured.Unstructured{}
	for _, p := range want {
		live[p.Name] = mustObject(t, p)
	}
	if got := NetworkStatus(want, live, nil); got != InSync {
		t.Errorf("status = %q", got)
	}
	// The apiserver moved: the live policy still admits the old address.
	moved := s.NetworkPolicies([]Endpoint{{IP: "172.16.0.3", Port: 443}})
	if got, wantMsg := NetworkStatus(moved, live, nil), "drifted: NetworkPolicy octollm-gateway-apiserver admits the apiserver at [172.16.0.2:443] but it is at [172.16.0.3:443]"; got != wantMsg {
		t.Errorf("status = %q, want %q", got, wantMsg)
	}
	// One deleted, one changed, and one left over.
	delete(live, GatewayIngressPolicy)
	changed := mustObject(t, want[1])
	if err := unstructured.SetNestedSlice(changed.Object, []any{}, "spec", "egress"); err != nil {
		t.Fatal(err)
	}
	live[want[1].Name] = changed
	got := NetworkStatus(want, live, []string{"octollm-old"})
	for _, part := range []string{"NetworkPolicy octollm-gateway-ingress is missing", "NetworkPolicy octollm-gateway-egress was changed out of band",
		"NetworkPolicy octollm-old is no longer configured but still exists"} {
		if !strings.Contains(got, part) {
			t.Errorf("status %q lacks %q", got, part)
		}
	}
}

// What the apiserver returns (defaults filled) compares equal to what was applied.
func TestNetworkStatus_serverDefaults(t *testing.T) {
	want := networkSeed().NetworkPolicies(apiserverAt)
	live := map[string]*unstructured.Unstructured{}
	for _, p := range want {
		var back networkingv1.NetworkPolicy
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(mustObject(t, p).Object, &back); err != nil {
			t.Fatal(err)
		}
		back.UID, back.ResourceVersion, back.Generation = "uid", "42", 1
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&back)
		if err != nil {
			t.Fatal(err)
		}
		live[p.Name] = &unstructured.Unstructured{Object: u}
	}
	if got := NetworkStatus(want, live, nil); got != InSync {
		t.Errorf("status = %q", got)
	}
}

func TestAPIServerEndpointsFromSlices(t *testing.T) {
	eps := []discoveryv1.EndpointSlice{{
		Ports: []discoveryv1.EndpointPort{{Name: ptr.To("https"), Port: ptr.To[int32](443)}},
		Endpoints: []discoveryv1.Endpoint{
			{Addresses: []string{"172.16.0.3"}, Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(true)}},
			{Addresses: []string{"172.16.0.2"}},
			{Addresses: []string{"172.16.0.9"}, Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(false)}},
		},
	}}
	if got := strings.Join(EndpointStrings(EndpointsFromSlices(eps)), ","); got != "172.16.0.2:443,172.16.0.3:443" {
		t.Errorf("endpoints = %s", got)
	}
}

func TestNetworkValidation(t *testing.T) {
	for in, want := range map[string]string{
		"10.4.0.0/14":   "",
		"2001:db8::/32": "",
		"10.4.0.0":      `"10.4.0.0" is not a CIDR: write an address and a prefix length, such as "10.4.0.0/14" or "2001:db8::/32".`,
		"10.4.0.1/14":   `"10.4.0.1/14" has host bits set: write the network's address, "10.4.0.0/14".`,
		"300.0.0.0/8":   `"300.0.0.0/8" is not a CIDR`,
	} {
		if got := CIDRProblem(in); !strings.HasPrefix(got, want) || (want == "" && got != "") {
			t.Errorf("CIDRProblem(%q) = %q, want %q", in, got, want)
		}
	}
	seen := map[int64]bool{}
	for _, c := range []struct {
		port int64
		want string
	}{{8001, ""}, {8001, "repeats port 8001: list each port once."}, {0, "is 0: a port is between 1 and 65535."}, {65536, "is 65536: a port is between 1 and 65535."}} {
		if got := PortProblem(c.port, seen); got != c.want {
			t.Errorf("PortProblem(%d) = %q, want %q", c.port, got, c.want)
		}
	}
	n := DefaultNetworkSpec()
	n.ClusterCIDRs = []string{"10.0.0.0/8", "0.0.0.0/0"}
	n.EgressCIDRs = []string{"10.20.0.0/16"}
	n.GatewayIngressCIDRs = []string{"203.0.113.0/24"}
	got := ClusterCIDRProblems(n)
	if len(got) != 2 || !strings.HasPrefix(got["egress_cidrs[0]"], "network_policy.egress_cidrs[0] 10.20.0.0/16 lies inside network_policy.cluster_cidrs[0] 10.0.0.0/8") ||
		!strings.HasPrefix(got["gateway_ingress_cidrs[0]"], "network_policy.gateway_ingress_cidrs[0] 203.0.113.0/24 lies inside network_policy.cluster_cidrs[1] 0.0.0.0/0") {
		t.Errorf("problems = %v", got)
	}
	if got := ClusterCIDRProblems(networkSeed().Network); len(got) != 0 {
		t.Errorf("the defaults with the sandbox's ranges: %v", got)
	}
}
