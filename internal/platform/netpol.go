package platform

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// NetworkPolicyResource is the kind the platform's traffic rules are written as.
var NetworkPolicyResource = schema.GroupVersionResource{Group: "networking.k8s.io", Version: "v1", Resource: "networkpolicies"}

// The platform's NetworkPolicies. Each one allows traffic on top of any default deny (such
// as octollm_compliance_control's); together they are every flow the platform needs.
const (
	GatewayIngressPolicy      = "octollm-gateway-ingress"      // clients and GKE's load balancers -> gateway port
	GatewayEgressPolicy       = "octollm-gateway-egress"       // gateway -> LLM providers and Stripe, reflex, orchestrator
	GatewayAPIServerPolicy    = "octollm-gateway-apiserver"    // gateway -> the apiserver's endpoints
	ReflexIngressPolicy       = "octollm-reflex-ingress"       // gateway -> reflex port
	ReflexEgressPolicy        = "octollm-reflex-egress"        // reflex -> orchestrator port
	OrchestratorIngressPolicy = "octollm-orchestrator-ingress" // gateway, reflex -> orchestrator port
	OrchestratorEgressPolicy  = "octollm-orchestrator-egress"  // orchestrator -> arm ports
	ArmIngressPolicy          = "octollm-arm-ingress"          // orchestrator -> arm ports
	DNSEgressPolicy           = "octollm-dns-egress"           // every pod of the namespace -> kube-dns
)

// NetworkPolicyNames are the platform's policies in the order they are written.
var NetworkPolicyNames = []string{
	GatewayIngressPolicy, GatewayEgressPolicy, GatewayAPIServerPolicy, ReflexIngressPolicy, ReflexEgressPolicy,
	OrchestratorIngressPolicy, OrchestratorEgressPolicy, ArmIngressPolicy, DNSEgressPolicy,
}

// Labels and annotations of the policies, and the peers they name.
const (
	// NetworkPolicyLabel marks the platform's policies, so those no longer wanted are found and deleted.
	NetworkPolicyLabel = "octollm.dev/network-policy"
	NetworkPolicyValue = "platform"
	// NetworkSettingsAnnotation records the settings on the gateway's ingress policy, for import.
	NetworkSettingsAnnotation = "octollm.dev/network-policy-settings"

	KubeDNSNamespace = "kube-system"
	KubeDNSLabel     = "k8s-app"
	KubeDNSValue     = "kube-dns"
	// MetadataServerCIDR is the GCE metadata server, never reachable through the egress ipBlocks.
	MetadataServerCIDR = "169.254.169.254/32"
)

// Component kinds whose pods the policies select (octollm_component's kind).
const (
	ReflexComponent       = "reflex"
	OrchestratorComponent = "orchestrator"
	ArmComponent          = "arm"
)

// Defaults of network_policy, from the platform's ports.
var (
	DefaultGatewayPort       = 8080
	DefaultReflexPort        = 8080
	DefaultOrchestratorPort  = 8000
	DefaultArmPorts          = []int{8001, 8002, 8003, 8004, 8005, 8006}
	DefaultIngressCIDRs      = []string{"0.0.0.0/0"}
	DefaultLoadBalancerCIDRs = []string{"35.191.0.0/16", "130.211.0.0/22"} // GKE's Google Front Ends and health checks
	DefaultEgressCIDRs       = []string{"0.0.0.0/0"}
	DefaultEgressPorts       = []int{443}
)

// NetworkSpec is network_policy as the configuration wants it.
type NetworkSpec struct {
	Enabled             bool     `json:"enabled"`
	GatewayPort         int      `json:"gateway_port"`
	ReflexPort          int      `json:"reflex_port"`
	OrchestratorPort    int      `json:"orchestrator_port"`
	ArmPorts            []int    `json:"arm_ports"`
	GatewayIngressCIDRs []string `json:"gateway_ingress_cidrs"`
	LoadBalancerCIDRs   []string `json:"load_balancer_cidrs"`
	EgressCIDRs         []string `json:"egress_cidrs"`
	EgressPorts         []int    `json:"egress_ports"`
	ClusterCIDRs        []string `json:"cluster_cidrs"`
}

// DefaultNetworkSpec is network_policy when the configuration leaves it out.
func DefaultNetworkSpec() NetworkSpec {
	return NetworkSpec{
		Enabled: true, GatewayPort: DefaultGatewayPort, ReflexPort: DefaultReflexPort, OrchestratorPort: DefaultOrchestratorPort,
		ArmPorts: slices.Clone(DefaultArmPorts), GatewayIngressCIDRs: slices.Clone(DefaultIngressCIDRs),
		LoadBalancerCIDRs: slices.Clone(DefaultLoadBalancerCIDRs), EgressCIDRs: slices.Clone(DefaultEgressCIDRs),
		EgressPorts: slices.Clone(DefaultEgressPorts), ClusterCIDRs: []string{},
	}
}

// Endpoint is one address and port of the apiserver, as the default/kubernetes EndpointSlice lists it.
type Endpoint struct {
	IP   string
	Port int
}

// String is ip:port, [ip]:port for IPv6.
func (e Endpoint) String() string {
	return netip.AddrPortFrom(netip.MustParseAddr(e.IP), uint16(e.Port)).String() //nolint:gosec // an EndpointSlice's port is 1-65535
}

// EndpointsFromSlices reads the apiserver's endpoints from the default/kubernetes
// EndpointSlices: every ready address with the https port, sorted.
func EndpointsFromSlices(list []discoveryv1.EndpointSlice) []Endpoint {
	var out []Endpoint
	for _, s := range list {
		port := 0
		for _, p := range s.Ports {
			if p.Port != nil && (p.Name == nil || *p.Name == "https" || len(s.Ports) == 1) {
				port = int(*p.Port)
			}
		}
		if port == 0 {
			continue
		}
		for _, e := range s.Endpoints {
			if e.Conditions.Ready != nil && !*e.Conditions.Ready {
				continue
			}
			for _, a := range e.Addresses {
				if _, err := netip.ParseAddr(a); err == nil {
					out = append(out, Endpoint{IP: a, Port: port})
				}
			}
		}
	}
	return sortEndpoints(out)
}

func sortEndpoints(es []Endpoint) []Endpoint {
	slices.SortFunc(es, func(a, b Endpoint) int { return strings.Compare(a.String(), b.String()) })
	return slices.Compact(es)
}

// EndpointStrings renders endpoints as ip:port, the form apiserver_endpoints shows.
func EndpointStrings(es []Endpoint) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.String()
	}
	return out
}

func componentSelector(kind string) metav1.LabelSelector {
	return metav1.LabelSelector{MatchLabels: map[string]string{contract.ComponentLabel: kind, contract.PartOfLabel: contract.PartOfValue}}
}

func componentPeer(kind string) networkingv1.NetworkPolicyPeer {
	sel := componentSelector(kind)
	return networkingv1.NetworkPolicyPeer{PodSelector: &sel}
}

func tcpPorts(ports ...int) []networkingv1.NetworkPolicyPort {
	out := make([]networkingv1.NetworkPolicyPort, len(ports))
	for i, p := range ports {
		tcp, port := corev1.ProtocolTCP, intstr.FromInt32(int32(p)) //nolint:gosec // ports are validated 1-65535
		out[i] = networkingv1.NetworkPolicyPort{Protocol: &tcp, Port: &port}
	}
	return out
}

// ipBlocks turns cidrs into ipBlock peers, each excepting the given ranges it strictly
// contains (an ipBlock's except must lie inside its cidr).
func ipBlocks(cidrs []string, except []string) []networkingv1.NetworkPolicyPeer {
	var out []networkingv1.NetworkPolicyPeer
	for _, c := range cidrs {
		outer, err := netip.ParsePrefix(c)
		if err != nil {
			continue // validated at plan time
		}
		var ex []string
		for _, e := range except {
			inner, err := netip.ParsePrefix(e)
			if err == nil && strictlyInside(inner, outer) && !slices.Contains(ex, inner.String()) {
				ex = append(ex, inner.String())
			}
		}
		out = append(out, networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: outer.String(), Except: ex}})
	}
	return out
}

func strictlyInside(inner, outer netip.Prefix) bool {
	return inner.Addr().Is4() == outer.Addr().Is4() && inner.Bits() > outer.Bits() && outer.Contains(inner.Addr())
}

func (s Spec) networkPolicy(name, kind string, types []networkingv1.PolicyType, spec networkingv1.NetworkPolicySpec) *networkingv1.NetworkPolicy {
	labels := map[string]string{}
	for k, v := range commonLabels(kind) {
		labels[k] = v.(string)
	}
	labels[NetworkPolicyLabel] = NetworkPolicyValue
	spec.PolicyTypes = types
	return &networkingv1.NetworkPolicy{
		TypeMeta:   metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: s.Namespace, Labels: labels},
		Spec:       spec,
	}
}

// NetworkPolicies builds the platform's policies, in NetworkPolicyNames' order, for the
// apiserver at the given endpoints. None when network_policy is disabled.
func (s Spec) NetworkPolicies(apiserver []Endpoint) []*networkingv1.NetworkPolicy {
	n := s.Network
	if !n.Enabled {
		return nil
	}
	ingress := []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
	egress := []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}
	gateway, reflex, orchestrator, arm := componentSelector(GatewayComponent), componentSelector(ReflexComponent),
		componentSelector(OrchestratorComponent), componentSelector(ArmComponent)

	// "Outside the cluster" as an ipBlock: the configured client ranges less the cluster's own
	// (pods, Services, nodes), plus the load balancers' ranges, which GKE's L7 load balancer
	// and health checks come from when they reach pods directly (container-native load balancing).
	from := append(ipBlocks(n.GatewayIngressCIDRs, n.ClusterCIDRs), ipBlocks(n.LoadBalancerCIDRs, n.ClusterCIDRs)...)
	internet := ipBlocks(n.EgressCIDRs, append([]string{MetadataServerCIDR}, n.ClusterCIDRs...))

	var apiPeers []networkingv1.NetworkPolicyPeer
	var apiPorts []int
	for _, e := range apiserver {
		bits := 32
		if netip.MustParseAddr(e.IP).Is6() {
			bits = 128
		}
		apiPeers = append(apiPeers, networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: e.IP + "/" + strconv.Itoa(bits)}})
		if !slices.Contains(apiPorts, e.Port) {
			apiPorts = append(apiPorts, e.Port)
		}
	}
	slices.Sort(apiPorts)
	var apiRules []networkingv1.NetworkPolicyEgressRule
	if len(apiPeers) > 0 {
		apiRules = []networkingv1.NetworkPolicyEgressRule{{To: apiPeers, Ports: tcpPorts(apiPorts...)}}
	}

	udp, tcp, dnsPort := corev1.ProtocolUDP, corev1.ProtocolTCP, intstr.FromInt32(53)
	dns := networkingv1.NetworkPolicyPeer{
		NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{contract.NamespaceNameLabel: KubeDNSNamespace}},
		PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{KubeDNSLabel: KubeDNSValue}},
	}

	policies := []*networkingv1.NetworkPolicy{
		s.networkPolicy(GatewayIngressPolicy, GatewayComponent, ingress, networkingv1.NetworkPolicySpec{PodSelector: gateway,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{From: from, Ports: tcpPorts(n.GatewayPort)}}}),
		s.networkPolicy(GatewayEgressPolicy, GatewayComponent, egress, networkingv1.NetworkPolicySpec{PodSelector: gateway,
			Egress: []networkingv1.NetworkPolicyEgressRule{
				{To: internet, Ports: tcpPorts(n.EgressPorts...)},
				{To: []networkingv1.NetworkPolicyPeer{componentPeer(ReflexComponent)}, Ports: tcpPorts(n.ReflexPort)},
				{To: []networkingv1.NetworkPolicyPeer{componentPeer(OrchestratorComponent)}, Ports: tcpPorts(n.OrchestratorPort)},
			}}),
		s.networkPolicy(GatewayAPIServerPolicy, GatewayComponent, egress, networkingv1.NetworkPolicySpec{PodSelector: gateway, Egress: apiRules}),
		s.networkPolicy(ReflexIngressPolicy, ReflexComponent, ingress, networkingv1.NetworkPolicySpec{PodSelector: reflex,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{componentPeer(GatewayComponent)}, Ports: tcpPorts(n.ReflexPort)}}}),
		s.networkPolicy(ReflexEgressPolicy, ReflexComponent, egress, networkingv1.NetworkPolicySpec{PodSelector: reflex,
			Egress: []networkingv1.NetworkPolicyEgressRule{{To: []networkingv1.NetworkPolicyPeer{componentPeer(OrchestratorComponent)}, Ports: tcpPorts(n.OrchestratorPort)}}}),
		s.networkPolicy(OrchestratorIngressPolicy, OrchestratorComponent, ingress, networkingv1.NetworkPolicySpec{PodSelector: orchestrator,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{componentPeer(GatewayComponent), componentPeer(ReflexComponent)}, Ports: tcpPorts(n.OrchestratorPort)}}}),
		s.networkPolicy(OrchestratorEgressPolicy, OrchestratorComponent, egress, networkingv1.NetworkPolicySpec{PodSelector: orchestrator,
			Egress: []networkingv1.NetworkPolicyEgressRule{{To: []networkingv1.NetworkPolicyPeer{componentPeer(ArmComponent)}, Ports: tcpPorts(n.ArmPorts...)}}}),
		s.networkPolicy(ArmIngressPolicy, ArmComponent, ingress, networkingv1.NetworkPolicySpec{PodSelector: arm,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{componentPeer(OrchestratorComponent)}, Ports: tcpPorts(n.ArmPorts...)}}}),
		s.networkPolicy(DNSEgressPolicy, "", egress, networkingv1.NetworkPolicySpec{PodSelector: metav1.LabelSelector{},
			Egress: []networkingv1.NetworkPolicyEgressRule{{To: []networkingv1.NetworkPolicyPeer{dns}, Ports: []networkingv1.NetworkPolicyPort{
				{Protocol: &udp, Port: &dnsPort}, {Protocol: &tcp, Port: &dnsPort}}}}}),
	}
	settings, _ := json.Marshal(n)
	policies[0].Annotations = map[string]string{NetworkSettingsAnnotation: string(settings)}
	return policies
}

// NetworkPolicyObject is a policy as server-side apply takes it.
func NetworkPolicyObject(p *networkingv1.NetworkPolicy) (*unstructured.Unstructured, error) {
	obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(p)
	if err != nil {
		return nil, err
	}
	u := &unstructured.Unstructured{Object: obj}
	unstructured.RemoveNestedField(u.Object, "metadata", "creationTimestamp")
	return u, nil
}

// NetworkSettingsFrom reads the settings recorded on the gateway's ingress policy, for import;
// false when it has none.
func NetworkSettingsFrom(p *unstructured.Unstructured) (NetworkSpec, bool) {
	var n NetworkSpec
	raw, ok := p.GetAnnotations()[NetworkSettingsAnnotation]
	if !ok || json.Unmarshal([]byte(raw), &n) != nil {
		return n, false
	}
	if n.ClusterCIDRs == nil {
		n.ClusterCIDRs = []string{}
	}
	return n, true
}

// NetworkStatus compares the live policies (by name; absent ones missing) with the wanted
// ones: InSync, or what differs, which Read stores in network_policy_status so the plan shows
// the update that restores them. leftover names the provider's policies that are no longer wanted.
func NetworkStatus(want []*networkingv1.NetworkPolicy, live map[string]*unstructured.Unstructured, leftover []string) string {
	var drift []string
	for _, w := range want {
		l := live[w.Name]
		if l == nil {
			drift = append(drift, "NetworkPolicy "+w.Name+" is missing")
			continue
		}
		var got networkingv1.NetworkPolicy
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(l.Object, &got); err != nil {
			drift = append(drift, "NetworkPolicy "+w.Name+" is unreadable: "+err.Error())
			continue
		}
		if w.Name == GatewayAPIServerPolicy {
			if a, b := allowedEndpoints(&got), allowedEndpoints(w); a != b {
				drift = append(drift, fmt.Sprintf("NetworkPolicy %s admits the apiserver at [%s] but it is at [%s]", w.Name, a, b))
				continue
			}
		}
		if !sameSpec(got.Spec, w.Spec) {
			drift = append(drift, "NetworkPolicy "+w.Name+" was changed out of band")
		}
	}
	for _, name := range leftover {
		drift = append(drift, "NetworkPolicy "+name+" is no longer configured but still exists")
	}
	if len(drift) == 0 {
		return InSync
	}
	return "drifted: " + strings.Join(drift, "; ")
}

// allowedEndpoints renders the ip:port pairs an apiserver policy admits.
func allowedEndpoints(p *networkingv1.NetworkPolicy) string {
	return strings.Join(EndpointStrings(AllowedAPIServerEndpoints(p)), ", ")
}

// AllowedAPIServerEndpoints lists the endpoints the gateway's apiserver policy admits.
func AllowedAPIServerEndpoints(p *networkingv1.NetworkPolicy) []Endpoint {
	var out []Endpoint
	for _, r := range p.Spec.Egress {
		for _, to := range r.To {
			if to.IPBlock == nil {
				continue
			}
			pfx, err := netip.ParsePrefix(to.IPBlock.CIDR)
			if err != nil || !pfx.IsSingleIP() {
				continue
			}
			for _, port := range r.Ports {
				if port.Port != nil && port.Port.Type == intstr.Int {
					out = append(out, Endpoint{IP: pfx.Addr().String(), Port: int(port.Port.IntVal)})
				}
			}
		}
	}
	return sortEndpoints(out)
}

// sameSpec compares specs as JSON, so nil and empty lists are alike.
func sameSpec(a, b networkingv1.NetworkPolicySpec) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// OwnedNetworkPolicy reports whether a live policy is one of the platform's own.
func OwnedNetworkPolicy(p *unstructured.Unstructured) bool {
	return clients.OwnedBy(p) && p.GetLabels()[NetworkPolicyLabel] == NetworkPolicyValue
}
