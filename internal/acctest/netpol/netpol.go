// Package netpol tells acceptance tests whether the live NetworkPolicies of the sandbox allow
// a flow. The sandbox enforces no NetworkPolicy, so it evaluates them with cyclonus, SIG
// Network's policy engine: Load lists the policies of the namespaces under test and the
// labels of every namespace, peers describe the two ends of a flow (a pod by namespace and
// labels, an external address, kube-dns, the apiserver), and Allowed or Check answer.
// Test-support code: import it from tests only.
package netpol

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/mattfenwick/cyclonus/pkg/matcher"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// PodRange is where pod peers get their stand-in addresses: the sandbox cluster's pod range
// (its GKE emulator's clusterIpv4Cidr). Policies only see a pod's address through ipBlocks,
// so list this range in octollm_platform's network_policy.cluster_cidrs for pods to count as
// inside the cluster.
const PodRange = "10.4.0.0/14"

// Protocols, for Allowed and Flow.
const (
	TCP = corev1.ProtocolTCP
	UDP = corev1.ProtocolUDP
)

// Peer is one end of a flow.
type Peer struct {
	name     string
	ip       string
	internal *matcher.InternalPeer
}

// String names the peer in failure messages.
func (p Peer) String() string { return p.name }

// As renames the peer for failure messages ("gateway" instead of its labels).
func (p Peer) As(name string) Peer {
	p.name = name
	return p
}

// External is an address outside the cluster: a client, an LLM provider, Stripe.
func External(ip string) Peer { return Peer{name: ip, ip: ip} }

// Cluster is the policies of the namespaces under test and the labels of every namespace.
type Cluster struct {
	policy    *matcher.Policy
	nsLabels  map[string]map[string]string
	apiserver []netip.AddrPort
}

// Load lists the live NetworkPolicies of namespaces, the labels of every namespace, and the
// apiserver's endpoints from the default/kubernetes EndpointSlice.
func Load(ctx context.Context, kube kubernetes.Interface, namespaces ...string) (*Cluster, error) {
	var pols []*networkingv1.NetworkPolicy
	for _, ns := range namespaces {
		list, err := kube.NetworkingV1().NetworkPolicies(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, fmt.Errorf("list the NetworkPolicies of %s: %w", ns, err)
		}
		for i := range list.Items {
			pols = append(pols, &list.Items[i])
		}
	}
	nss, err := kube.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("list namespaces: %w", err)
	}
	c := &Cluster{policy: matcher.BuildNetworkPolicies(false, pols), nsLabels: map[string]map[string]string{}}
	for _, ns := range nss.Items {
		c.nsLabels[ns.Name] = ns.Labels
	}
	eps, err := kube.DiscoveryV1().EndpointSlices(metav1.NamespaceDefault).List(ctx, metav1.ListOptions{LabelSelector: discoveryv1.LabelServiceName + "=kubernetes"})
	if err != nil {
		return nil, fmt.Errorf("list the default/kubernetes EndpointSlices: %w", err)
	}
	for _, s := range eps.Items {
		for _, p := range s.Ports {
			for _, e := range s.Endpoints {
				for _, a := range e.Addresses {
					if addr, err := netip.ParseAddr(a); err == nil && p.Port != nil {
						c.apiserver = append(c.apiserver, netip.AddrPortFrom(addr, uint16(*p.Port))) //nolint:gosec // a port
					}
				}
			}
		}
	}
	if len(c.apiserver) == 0 {
		return nil, errors.New("the default/kubernetes EndpointSlice lists no apiserver endpoint")
	}
	return c, nil
}

// Pod is any pod with labels in namespace (whose labels are read live), at a stand-in
// address in PodRange derived from both.
func (c *Cluster) Pod(namespace string, labels map[string]string) Peer {
	keys := slices.Sorted(maps.Keys(labels))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + labels[k]
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(namespace + "/" + strings.Join(parts, ",")))
	base := netip.MustParsePrefix(PodRange).Addr().As4()
	off := h.Sum32()%(1<<18-2) + 1 // inside the /14, never its network address
	ip := netip.AddrFrom4([4]byte{base[0], base[1] + byte(off>>16&0x3), byte(off >> 8 & 0xff), byte(off & 0xff)})
	return Peer{
		name:     fmt.Sprintf("pod{%s} in %s", strings.Join(parts, ","), namespace),
		ip:       ip.String(),
		internal: &matcher.InternalPeer{PodLabels: labels, NamespaceLabels: c.nsLabels[namespace], Namespace: namespace},
	}
}

// KubeDNS is a kube-dns pod (k8s-app=kube-dns in kube-system), as on GKE.
func (c *Cluster) KubeDNS() Peer {
	return c.Pod("kube-system", map[string]string{"k8s-app": "kube-dns"}).As("kube-dns")
}

// APIServer is the apiserver's first endpoint and its port, as pods reach it once the
// kubernetes Service's address is translated.
func (c *Cluster) APIServer() (Peer, int) {
	e := c.apiserver[0]
	return External(e.Addr().String()).As("apiserver " + e.String()), int(e.Port())
}

// Allowed reports whether the policies let from open a connection to to on port.
func (c *Cluster) Allowed(from, to Peer, port int, protocol corev1.Protocol) bool {
	return c.policy.IsTrafficAllowed(traffic(from, to, port, protocol)).IsAllowed()
}

// Explain is cyclonus' account of a flow: which policies select each end, and which allow it.
func (c *Cluster) Explain(from, to Peer, port int, protocol corev1.Protocol) string {
	t := traffic(from, to, port, protocol)
	return t.Table() + c.policy.IsTrafficAllowed(t).Table()
}

func traffic(from, to Peer, port int, protocol corev1.Protocol) *matcher.Traffic {
	return &matcher.Traffic{
		Source:       &matcher.TrafficPeer{Internal: from.internal, IP: from.ip},
		Destination:  &matcher.TrafficPeer{Internal: to.internal, IP: to.ip},
		ResolvedPort: port, Protocol: protocol,
	}
}

// Flow is one row of a flow table: whether From may reach To on Port.
type Flow struct {
	From, To Peer
	Port     int
	Protocol corev1.Protocol // TCP when empty
	Allowed  bool
}

func (f Flow) String() string {
	verdict := "DENIED"
	if f.Allowed {
		verdict = "ALLOWED"
	}
	return fmt.Sprintf("%s -> %s %d/%s %s", f.From, f.To, f.Port, f.protocol(), verdict)
}

func (f Flow) protocol() corev1.Protocol {
	if f.Protocol == "" {
		return TCP
	}
	return f.Protocol
}

// Check evaluates every flow and returns an error listing those whose verdict differs from
// the table, each with cyclonus' explanation; nil when all hold.
func (c *Cluster) Check(flows ...Flow) error {
	var wrong []string
	for _, f := range flows {
		if c.Allowed(f.From, f.To, f.Port, f.protocol()) != f.Allowed {
			wrong = append(wrong, "want "+f.String()+", got the opposite:\n"+c.Explain(f.From, f.To, f.Port, f.protocol()))
		}
	}
	if len(wrong) > 0 {
		return fmt.Errorf("%d of %d flows differ from the table:\n%s", len(wrong), len(flows), strings.Join(wrong, "\n"))
	}
	return nil
}
