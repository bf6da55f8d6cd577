package platform

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// networkModel is the network_policy attribute.
type networkModel struct {
	Enabled             types.Bool  `tfsdk:"enabled"`
	GatewayPort         types.Int64 `tfsdk:"gateway_port"`
	ReflexPort          types.Int64 `tfsdk:"reflex_port"`
	OrchestratorPort    types.Int64 `tfsdk:"orchestrator_port"`
	ArmPorts            types.List  `tfsdk:"arm_ports"`
	GatewayIngressCIDRs types.List  `tfsdk:"gateway_ingress_cidrs"`
	LoadBalancerCIDRs   types.List  `tfsdk:"load_balancer_cidrs"`
	EgressCIDRs         types.List  `tfsdk:"egress_cidrs"`
	EgressPorts         types.List  `tfsdk:"egress_ports"`
	ClusterCIDRs        types.List  `tfsdk:"cluster_cidrs"`
}

var networkAttrTypes = map[string]attr.Type{
	"enabled": types.BoolType, "gateway_port": types.Int64Type, "reflex_port": types.Int64Type, "orchestrator_port": types.Int64Type,
	"arm_ports": types.ListType{ElemType: types.Int64Type}, "gateway_ingress_cidrs": types.ListType{ElemType: types.StringType},
	"load_balancer_cidrs": types.ListType{ElemType: types.StringType}, "egress_cidrs": types.ListType{ElemType: types.StringType},
	"egress_ports": types.ListType{ElemType: types.Int64Type}, "cluster_cidrs": types.ListType{ElemType: types.StringType},
}

func intList(v []int) types.List {
	elems := make([]attr.Value, len(v))
	for i, p := range v {
		elems[i] = types.Int64Value(int64(p))
	}
	return types.ListValueMust(types.Int64Type, elems)
}

func stringList(v []string) types.List {
	elems := make([]attr.Value, len(v))
	for i, s := range v {
		elems[i] = types.StringValue(s)
	}
	return types.ListValueMust(types.StringType, elems)
}

// networkObject renders a NetworkSpec as the network_policy value.
func networkObject(n NetworkSpec) types.Object {
	return types.ObjectValueMust(networkAttrTypes, map[string]attr.Value{
		"enabled": types.BoolValue(n.Enabled), "gateway_port": types.Int64Value(int64(n.GatewayPort)),
		"reflex_port": types.Int64Value(int64(n.ReflexPort)), "orchestrator_port": types.Int64Value(int64(n.OrchestratorPort)),
		"arm_ports": intList(n.ArmPorts), "gateway_ingress_cidrs": stringList(n.GatewayIngressCIDRs),
		"load_balancer_cidrs": stringList(n.LoadBalancerCIDRs), "egress_cidrs": stringList(n.EgressCIDRs),
		"egress_ports": intList(n.EgressPorts), "cluster_cidrs": stringList(n.ClusterCIDRs),
	})
}

// networkSpecOf reads network_policy; a null or unknown value is the default.
func networkSpecOf(ctx context.Context, v types.Object, d *diag.Diagnostics) NetworkSpec {
	n := DefaultNetworkSpec()
	if v.IsNull() || v.IsUnknown() {
		return n
	}
	var m networkModel
	d.Append(v.As(ctx, &m, basetypes.ObjectAsOptions{})...)
	if d.HasError() {
		return n
	}
	n.Enabled = m.Enabled.ValueBool()
	n.GatewayPort, n.ReflexPort, n.OrchestratorPort = int(m.GatewayPort.ValueInt64()), int(m.ReflexPort.ValueInt64()), int(m.OrchestratorPort.ValueInt64())
	ints := func(l types.List) []int {
		var v []int64
		d.Append(l.ElementsAs(ctx, &v, false)...)
		out := make([]int, len(v))
		for i, p := range v {
			out[i] = int(p)
		}
		return out
	}
	strs := func(l types.List) []string {
		v := []string{}
		d.Append(l.ElementsAs(ctx, &v, false)...)
		return v
	}
	n.ArmPorts, n.EgressPorts = ints(m.ArmPorts), ints(m.EgressPorts)
	n.GatewayIngressCIDRs, n.LoadBalancerCIDRs, n.EgressCIDRs, n.ClusterCIDRs = strs(m.GatewayIngressCIDRs), strs(m.LoadBalancerCIDRs), strs(m.EgressCIDRs), strs(m.ClusterCIDRs)
	return n
}

func portAttr(def int, desc string) schema.Int64Attribute {
	return schema.Int64Attribute{
		Optional: true, Computed: true, Default: int64default.StaticInt64(int64(def)),
		MarkdownDescription: fmt.Sprintf("%s Default `%d`.", desc, def),
		Validators:          []validator.Int64{int64validator.Between(1, 65535)},
	}
}

func portsAttr(def []int, desc string) schema.ListAttribute {
	return schema.ListAttribute{
		Optional: true, Computed: true, ElementType: types.Int64Type, Default: listdefault.StaticValue(intList(def)),
		MarkdownDescription: desc, Validators: []validator.List{portListValidator{}},
	}
}

func cidrsAttr(def []string, desc string) schema.ListAttribute {
	return schema.ListAttribute{
		Optional: true, Computed: true, ElementType: types.StringType, Default: listdefault.StaticValue(stringList(def)),
		MarkdownDescription: desc, Validators: []validator.List{cidrListValidator{}},
	}
}

func networkPolicyAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true, Computed: true, Default: objectdefault.StaticValue(networkObject(DefaultNetworkSpec())),
		// Indented so the list and paragraphs stay inside the attribute's item in the generated docs.
		MarkdownDescription: strings.ReplaceAll("The platform's NetworkPolicies, written into the namespace so the platform works under a default deny "+
			"(such as `octollm_compliance_control`'s, or GKE Dataplane V2's enforcement of one) and nothing else reaches it:\n\n"+
			"- `"+GatewayIngressPolicy+"`: pods with `app.kubernetes.io/component=gateway` admit TCP `gateway_port` from `gateway_ingress_cidrs` "+
			"(less `cluster_cidrs`) and from `load_balancer_cidrs`;\n"+
			"- `"+GatewayEgressPolicy+"`: the gateway may reach `egress_cidrs` on `egress_ports` (the LLM providers and Stripe; always less "+
			"`169.254.169.254/32`, the metadata server, and `cluster_cidrs`), the reflex layer on `reflex_port` and the orchestrator on `orchestrator_port`;\n"+
			"- `"+GatewayAPIServerPolicy+"`: the gateway may reach the apiserver, at the addresses and port the `default/kubernetes` EndpointSlice "+
			"lists at apply, as `/32` ipBlocks (`apiserver_endpoints`); when they change, the plan shows it and apply follows;\n"+
			"- `"+ReflexIngressPolicy+"`, `"+ReflexEgressPolicy+"`: the reflex layer admits the gateway and may reach the orchestrator;\n"+
			"- `"+OrchestratorIngressPolicy+"`, `"+OrchestratorEgressPolicy+"`: the orchestrator admits the gateway and the reflex layer, and may reach the arms on `arm_ports`;\n"+
			"- `"+ArmIngressPolicy+"`: the arms admit only the orchestrator, on `arm_ports`;\n"+
			"- `"+DNSEgressPolicy+"`: every pod of the namespace may reach kube-dns (`k8s-app=kube-dns` in `kube-system`) on UDP and TCP 53.\n\n"+
			"Each policy that selects a component also isolates it: its pods send or accept only what these policies allow. "+
			"The policies are written with server-side apply, labelled `"+NetworkPolicyLabel+"="+NetworkPolicyValue+"`; a policy of the same name "+
			"the provider does not own is not taken over. Changed or deleted out of band, `network_policy_status` reads `drifted: ...` and apply restores them. "+
			"`enabled = false` deletes them.\n\n"+
			"**What \"outside the cluster\" means.** An ipBlock matches addresses, not identities: whether a pod's own address matches one is "+
			"up to the network plugin, and traffic that crosses a NodePort or a load balancer without container-native load balancing "+
			"arrives from a node's address. List the cluster's pod, Service and node ranges in `cluster_cidrs`, so that every ipBlock "+
			"excepts them and only addresses outside the cluster match; with GKE's container-native load balancing (NEGs, the default "+
			"for Ingress and Gateway), clients arrive from the Google Front End ranges in `load_balancer_cidrs`.", "\n", "\n  "),
		Attributes: map[string]schema.Attribute{
			"enabled": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Write the policies. Default true; false deletes them.",
			},
			"gateway_port":      portAttr(DefaultGatewayPort, "The gateway's container port (its `octollm_component`'s `port`)."),
			"reflex_port":       portAttr(DefaultReflexPort, "The reflex layer's container port."),
			"orchestrator_port": portAttr(DefaultOrchestratorPort, "The orchestrator's container port."),
			"arm_ports":         portsAttr(DefaultArmPorts, "The arms' container ports, which the orchestrator may reach and the arms admit. Default `[8001, 8002, 8003, 8004, 8005, 8006]` (planner, retriever, coder, judge, safety guardian, executor)."),
			"egress_ports":      portsAttr(DefaultEgressPorts, "TCP ports the gateway may reach in `egress_cidrs`. Default `[443]`."),
			"gateway_ingress_cidrs": cidrsAttr(DefaultIngressCIDRs, "Client ranges that may reach the gateway port, each less the `cluster_cidrs` "+
				"inside it. Default `[\"0.0.0.0/0\"]`: anyone outside the cluster."),
			"load_balancer_cidrs": cidrsAttr(DefaultLoadBalancerCIDRs, "Ranges of GKE's L7 load balancers (Google Front Ends) and health checks, "+
				"which always reach the gateway port. Default `[\"35.191.0.0/16\", \"130.211.0.0/22\"]`."),
			"egress_cidrs": cidrsAttr(DefaultEgressCIDRs, "Ranges of the LLM providers and Stripe the gateway may reach on `egress_ports`, each less "+
				"`169.254.169.254/32` and the `cluster_cidrs` inside it. Default `[\"0.0.0.0/0\"]`."),
			"cluster_cidrs": cidrsAttr([]string{}, "The cluster's own ranges (pods, Services, nodes; `gcloud container clusters describe` shows "+
				"`clusterIpv4Cidr`, `servicesIpv4Cidr` and the subnet's range), excepted from every ipBlock so that they mean \"outside the cluster\". Default none."),
		},
	}
}

// portListValidator checks a list of ports: each 1-65535, none twice, at least one.
type portListValidator struct{}

func (portListValidator) Description(context.Context) string {
	return "one or more distinct ports between 1 and 65535"
}
func (v portListValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (portListValidator) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := req.ConfigValue.Elements()
	if len(elems) == 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), req.Path.String()+" is empty: list at least one port.")
		return
	}
	seen := map[int64]bool{}
	for i, e := range elems {
		p, ok := e.(types.Int64)
		if !ok || p.IsUnknown() || p.IsNull() {
			continue
		}
		if msg := PortProblem(p.ValueInt64(), seen); msg != "" {
			resp.Diagnostics.AddAttributeError(req.Path.AtListIndex(i), "Invalid "+req.Path.String(), fmt.Sprintf("%s[%d] %s", req.Path, i, msg))
		}
	}
}

// PortProblem explains why p is not a valid port of a list (seen holds those before it), or returns "".
func PortProblem(p int64, seen map[int64]bool) string {
	if p < 1 || p > 65535 {
		return fmt.Sprintf("is %d: a port is between 1 and 65535.", p)
	}
	if seen[p] {
		return fmt.Sprintf("repeats port %d: list each port once.", p)
	}
	seen[p] = true
	return ""
}

// cidrListValidator checks a list of CIDRs.
type cidrListValidator struct{}

func (cidrListValidator) Description(context.Context) string {
	return "CIDRs in canonical form, such as 10.4.0.0/14"
}
func (v cidrListValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (cidrListValidator) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var seen []string
	for i, e := range req.ConfigValue.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsUnknown() || s.IsNull() {
			continue
		}
		msg := CIDRProblem(s.ValueString())
		if msg == "" && slices.Contains(seen, s.ValueString()) {
			msg = fmt.Sprintf("repeats %s: list each range once.", s.ValueString())
		}
		seen = append(seen, s.ValueString())
		if msg != "" {
			resp.Diagnostics.AddAttributeError(req.Path.AtListIndex(i), "Invalid "+req.Path.String(), fmt.Sprintf("%s[%d] %s", req.Path, i, msg))
		}
	}
}

// CIDRProblem explains why s is not a CIDR the policies can use, or returns "".
func CIDRProblem(s string) string {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return fmt.Sprintf("%q is not a CIDR: write an address and a prefix length, such as \"10.4.0.0/14\" or \"2001:db8::/32\".", s)
	}
	if p.Masked() != p {
		return fmt.Sprintf("%q has host bits set: write the network's address, %q.", s, p.Masked().String())
	}
	return ""
}

// ClusterCIDRProblems checks that no client or egress range lies wholly inside cluster_cidrs,
// where it would mean nothing outside the cluster. Each problem comes with its attribute path.
func ClusterCIDRProblems(n NetworkSpec) map[string]string {
	out := map[string]string{}
	var cluster []netip.Prefix
	for _, c := range n.ClusterCIDRs {
		if p, err := netip.ParsePrefix(c); err == nil {
			cluster = append(cluster, p)
		}
	}
	check := func(attr string, cidrs []string) {
		for i, c := range cidrs {
			p, err := netip.ParsePrefix(c)
			if err != nil {
				continue
			}
			for j, cp := range cluster {
				if cp.Addr().Is4() == p.Addr().Is4() && cp.Bits() <= p.Bits() && cp.Contains(p.Addr()) {
					out[fmt.Sprintf("%s[%d]", attr, i)] = fmt.Sprintf("network_policy.%s[%d] %s lies inside network_policy.cluster_cidrs[%d] %s, so it would match nothing "+
						"outside the cluster: remove it, or remove %s from cluster_cidrs if it is not the cluster's.", attr, i, c, j, n.ClusterCIDRs[j], n.ClusterCIDRs[j])
					break
				}
			}
		}
	}
	check("gateway_ingress_cidrs", n.GatewayIngressCIDRs)
	check("egress_cidrs", n.EgressCIDRs)
	return out
}

// validateNetwork runs the cross-field rules of network_policy at plan time.
func validateNetwork(ctx context.Context, v types.Object, d *diag.Diagnostics) {
	if v.IsNull() || v.IsUnknown() {
		return
	}
	var m networkModel
	if dd := v.As(ctx, &m, basetypes.ObjectAsOptions{UnhandledNullAsEmpty: true, UnhandledUnknownAsEmpty: true}); dd.HasError() {
		return
	}
	for _, l := range []types.List{m.ClusterCIDRs, m.GatewayIngressCIDRs, m.EgressCIDRs} {
		if l.IsUnknown() {
			return
		}
	}
	var dd diag.Diagnostics
	n := networkSpecOf(ctx, v, &dd)
	problems := ClusterCIDRProblems(n)
	keys := make([]string, 0, len(problems))
	for k := range problems {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		attr, idx, _ := strings.Cut(strings.TrimSuffix(k, "]"), "[")
		var i int
		_, _ = fmt.Sscan(idx, &i)
		d.AddAttributeError(path.Root("network_policy").AtName(attr).AtListIndex(i), "Invalid network_policy."+attr, problems[k])
	}
}
