// Package exposure owns the octollm_gateway_exposure resource: the gateway's Service reachable
// from outside the cluster over HTTPS on its hostnames, the way GKE does it with the Gateway
// API: a Gateway of a GKE GatewayClass (TLS from a Certificate Manager map, Kubernetes Secrets
// or pre-shared certificates; optionally a reserved address), an HTTPRoute to the Service, an
// optional HTTP-to-HTTPS redirect route, and a GKE HealthCheckPolicy for the load balancer's
// health check. Objects are built by pure functions (Spec in, objects out) and read back into a
// Spec for drift detection.
package exposure

import (
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// The object kinds this resource writes.
var (
	GatewayResource           = schema.GroupVersionResource{Group: "gateway.networking.k8s.io", Version: "v1", Resource: "gateways"}
	HTTPRouteResource         = schema.GroupVersionResource{Group: "gateway.networking.k8s.io", Version: "v1", Resource: "httproutes"}
	HealthCheckPolicyResource = schema.GroupVersionResource{Group: "networking.gke.io", Version: "v1", Resource: "healthcheckpolicies"}
)

// GKE's names for its Gateway API extensions.
const (
	CertMapAnnotation    = "networking.gke.io/certmap"
	PreSharedCertsOption = "networking.gke.io/pre-shared-certs"
	NamedAddressType     = "NamedAddress"
	DefaultGatewayClass  = "gke-l7-global-external-managed"
	HTTPSListener        = "https"
	HTTPListener         = "http"
	DefaultHealthPath    = "/readyz"
	DefaultCheckInterval = 5
	DefaultCheckTimeout  = 5
	redirectRouteSuffix  = "-http-redirect"
	componentLabelValue  = "gateway-exposure"
)

// GatewayClasses are GKE's single-cluster GatewayClasses.
var GatewayClasses = []string{"gke-l7-global-external-managed", "gke-l7-regional-external-managed", "gke-l7-rilb", "gke-l7-gxlb"}

// CertMapClasses are the classes whose load balancers take a Certificate Manager map: the
// global external ones.
var CertMapClasses = []string{"gke-l7-global-external-managed", "gke-l7-gxlb"}

// Spec is one exposure as the configuration wants it.
type Spec struct {
	Namespace, Name       string
	ServiceName           string
	ServicePort           int64
	Hostnames             []string
	GatewayClass          string
	CertificateMap        string   // a Certificate Manager map, via the certmap annotation
	CertificateSecrets    []string // kubernetes.io/tls Secrets in the namespace
	PreSharedCertificates []string // Compute Engine SSL certificates
	StaticAddress         string   // a reserved address's name; "" for an ephemeral one
	HTTPToHTTPSRedirect   bool
	HealthCheck           HealthCheck
}

// HealthCheck is the load balancer's health check of the Service's endpoints.
type HealthCheck struct {
	RequestPath        string
	Port               int64 // 0: each endpoint's serving port
	CheckIntervalSec   int64
	TimeoutSec         int64
	HealthyThreshold   int64 // 0: GKE's default (2)
	UnhealthyThreshold int64 // 0: GKE's default (2)
}

// DefaultHealthCheck is what an exposure without a health_check block gets.
func DefaultHealthCheck() HealthCheck {
	return HealthCheck{RequestPath: DefaultHealthPath, CheckIntervalSec: DefaultCheckInterval, TimeoutSec: DefaultCheckTimeout}
}

// GatewayName, HTTPRouteName, RedirectRouteName and HealthCheckPolicyName name the objects.
func (s Spec) GatewayName() string { return s.Name }

// HTTPRouteName is the name of the route to the Service.
func (s Spec) HTTPRouteName() string { return s.Name }

// RedirectRouteName is the name of the HTTP-to-HTTPS redirect route.
func (s Spec) RedirectRouteName() string { return RedirectRouteName(s.Name) }

// HealthCheckPolicyName is the name of the HealthCheckPolicy.
func (s Spec) HealthCheckPolicyName() string { return s.Name }

// RedirectRouteName is the redirect route's name for an exposure name.
func RedirectRouteName(name string) string { return name + redirectRouteSuffix }

// URL is where clients reach the gateway: https on the first hostname.
func (s Spec) URL() string {
	if len(s.Hostnames) == 0 {
		return ""
	}
	return "https://" + s.Hostnames[0]
}

func (s Spec) meta(name string, annotations map[string]any) map[string]any {
	m := map[string]any{
		"name":      name,
		"namespace": s.Namespace,
		"labels": map[string]any{
			contract.ManagedByLabel: contract.ManagedByValue,
			contract.PartOfLabel:    contract.PartOfValue,
			contract.ComponentLabel: componentLabelValue,
			contract.InstanceLabel:  s.Name,
		},
	}
	if len(annotations) > 0 {
		m["annotations"] = annotations
	}
	return m
}

// Gateway builds the Gateway: an HTTPS listener on 443 terminating TLS, and with the redirect an
// HTTP listener on 80 whose only route redirects to HTTPS.
func (s Spec) Gateway() *unstructured.Unstructured {
	https := map[string]any{
		"name": HTTPSListener, "protocol": "HTTPS", "port": int64(443),
		"allowedRoutes": map[string]any{"namespaces": map[string]any{"from": "Same"}},
	}
	switch {
	case len(s.CertificateSecrets) > 0:
		var refs []any
		for _, n := range s.CertificateSecrets {
			refs = append(refs, map[string]any{"group": "", "kind": "Secret", "name": n})
		}
		https["tls"] = map[string]any{"mode": "Terminate", "certificateRefs": refs}
	case len(s.PreSharedCertificates) > 0:
		https["tls"] = map[string]any{"mode": "Terminate", "options": map[string]any{PreSharedCertsOption: strings.Join(s.PreSharedCertificates, ",")}}
	}
	listeners := []any{https}
	if s.HTTPToHTTPSRedirect {
		listeners = append(listeners, map[string]any{
			"name": HTTPListener, "protocol": "HTTP", "port": int64(80),
			"allowedRoutes": map[string]any{"namespaces": map[string]any{"from": "Same"}},
		})
	}
	spec := map[string]any{"gatewayClassName": s.GatewayClass, "listeners": listeners}
	if s.StaticAddress != "" {
		spec["addresses"] = []any{map[string]any{"type": NamedAddressType, "value": s.StaticAddress}}
	}
	var annotations map[string]any
	if s.CertificateMap != "" {
		annotations = map[string]any{CertMapAnnotation: s.CertificateMap}
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1",
		"kind":       "Gateway",
		"metadata":   s.meta(s.GatewayName(), annotations),
		"spec":       spec,
	}}
}

func (s Spec) hostnames() []any {
	out := make([]any, 0, len(s.Hostnames))
	for _, h := range s.Hostnames {
		out = append(out, h)
	}
	return out
}

func (s Spec) parentRef(section string) []any {
	return []any{map[string]any{
		"group": "gateway.networking.k8s.io", "kind": "Gateway",
		"name": s.GatewayName(), "sectionName": section,
	}}
}

// HTTPRoute builds the route from the HTTPS listener to the Service, for the hostnames.
func (s Spec) HTTPRoute() *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1",
		"kind":       "HTTPRoute",
		"metadata":   s.meta(s.HTTPRouteName(), nil),
		"spec": map[string]any{
			"parentRefs": s.parentRef(HTTPSListener),
			"hostnames":  s.hostnames(),
			"rules": []any{map[string]any{
				"backendRefs": []any{map[string]any{"group": "", "kind": "Service", "name": s.ServiceName, "port": s.ServicePort}},
			}},
		},
	}}
}

// RedirectRoute builds the HTTP listener's route, a permanent redirect to https; nil without
// the redirect.
func (s Spec) RedirectRoute() *unstructured.Unstructured {
	if !s.HTTPToHTTPSRedirect {
		return nil
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1",
		"kind":       "HTTPRoute",
		"metadata":   s.meta(s.RedirectRouteName(), nil),
		"spec": map[string]any{
			"parentRefs": s.parentRef(HTTPListener),
			"hostnames":  s.hostnames(),
			"rules": []any{map[string]any{
				"filters": []any{map[string]any{
					"type":            "RequestRedirect",
					"requestRedirect": map[string]any{"scheme": "https", "statusCode": int64(301)},
				}},
			}},
		},
	}}
}

// HealthCheckPolicy builds GKE's HealthCheckPolicy for the Service: an HTTP check of
// RequestPath, on Port or else each endpoint's serving port.
func (s Spec) HealthCheckPolicy() *unstructured.Unstructured {
	h := s.HealthCheck
	probe := map[string]any{"requestPath": h.RequestPath}
	if h.Port > 0 {
		probe["portSpecification"] = "USE_FIXED_PORT"
		probe["port"] = h.Port
	} else {
		probe["portSpecification"] = "USE_SERVING_PORT"
	}
	def := map[string]any{
		"checkIntervalSec": h.CheckIntervalSec,
		"timeoutSec":       h.TimeoutSec,
		"config":           map[string]any{"type": "HTTP", "httpHealthCheck": probe},
	}
	if h.HealthyThreshold > 0 {
		def["healthyThreshold"] = h.HealthyThreshold
	}
	if h.UnhealthyThreshold > 0 {
		def["unhealthyThreshold"] = h.UnhealthyThreshold
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "networking.gke.io/v1",
		"kind":       "HealthCheckPolicy",
		"metadata":   s.meta(s.HealthCheckPolicyName(), nil),
		"spec": map[string]any{
			"default":   def,
			"targetRef": map[string]any{"group": "", "kind": "Service", "name": s.ServiceName},
		},
	}}
}

// Live is what the cluster holds for one exposure; nil pointers are absent objects.
type Live struct {
	Gateway, Route, Redirect, Policy *unstructured.Unstructured
}

// SpecFromLive reads the live objects back into a Spec. Fields of an absent route or policy
// read as empty, so the plan shows what restoring them changes. Status is never read here.
func SpecFromLive(l Live) Spec {
	g := l.Gateway
	s := Spec{Namespace: g.GetNamespace(), Name: g.GetName()}
	s.GatewayClass, _, _ = unstructured.NestedString(g.Object, "spec", "gatewayClassName")
	s.CertificateMap = g.GetAnnotations()[CertMapAnnotation]
	addresses, _, _ := unstructured.NestedSlice(g.Object, "spec", "addresses")
	for _, a := range addresses {
		if m, ok := a.(map[string]any); ok && m["type"] == NamedAddressType {
			s.StaticAddress, _ = m["value"].(string)
		}
	}
	listeners, _, _ := unstructured.NestedSlice(g.Object, "spec", "listeners")
	hasHTTP := false
	for _, item := range listeners {
		l, ok := item.(map[string]any)
		if !ok {
			continue
		}
		switch l["name"] {
		case HTTPListener:
			hasHTTP = true
		case HTTPSListener:
			refs, _, _ := unstructured.NestedSlice(l, "tls", "certificateRefs")
			for _, r := range refs {
				if m, ok := r.(map[string]any); ok {
					if n, _ := m["name"].(string); n != "" {
						s.CertificateSecrets = append(s.CertificateSecrets, n)
					}
				}
			}
			if v, ok, _ := unstructured.NestedString(l, "tls", "options", PreSharedCertsOption); ok && v != "" {
				s.PreSharedCertificates = strings.Split(v, ",")
			}
		}
	}
	if r := l.Route; r != nil {
		s.Hostnames, _, _ = unstructured.NestedStringSlice(r.Object, "spec", "hostnames")
		rules, _, _ := unstructured.NestedSlice(r.Object, "spec", "rules")
		if len(rules) > 0 {
			if rule, ok := rules[0].(map[string]any); ok {
				backends, _, _ := unstructured.NestedSlice(rule, "backendRefs")
				if len(backends) > 0 {
					if b, ok := backends[0].(map[string]any); ok {
						s.ServiceName, _ = b["name"].(string)
						s.ServicePort, _, _ = unstructured.NestedInt64(b, "port")
					}
				}
			}
		}
	}
	s.HTTPToHTTPSRedirect = hasHTTP && l.Redirect != nil
	if p := l.Policy; p != nil {
		def, _, _ := unstructured.NestedMap(p.Object, "spec", "default")
		h := HealthCheck{}
		h.CheckIntervalSec, _, _ = unstructured.NestedInt64(def, "checkIntervalSec")
		h.TimeoutSec, _, _ = unstructured.NestedInt64(def, "timeoutSec")
		h.HealthyThreshold, _, _ = unstructured.NestedInt64(def, "healthyThreshold")
		h.UnhealthyThreshold, _, _ = unstructured.NestedInt64(def, "unhealthyThreshold")
		h.RequestPath, _, _ = unstructured.NestedString(def, "config", "httpHealthCheck", "requestPath")
		h.Port, _, _ = unstructured.NestedInt64(def, "config", "httpHealthCheck", "port")
		s.HealthCheck = h
		if s.ServiceName == "" {
			s.ServiceName, _, _ = unstructured.NestedString(p.Object, "spec", "targetRef", "name")
		}
	}
	return s
}

// Status is what GKE's controller reports on the Gateway.
type Status struct {
	Programmed bool
	Reason     string // the Programmed condition's reason and message, when not programmed
	Address    string // the first address, "" before one is assigned
}

// GatewayStatus reads the Gateway's Programmed condition (for its current generation) and address.
func GatewayStatus(g *unstructured.Unstructured) Status {
	var st Status
	addresses, _, _ := unstructured.NestedSlice(g.Object, "status", "addresses")
	for _, a := range addresses {
		if m, ok := a.(map[string]any); ok {
			if v, _ := m["value"].(string); v != "" {
				st.Address = v
				break
			}
		}
	}
	conditions, _, _ := unstructured.NestedSlice(g.Object, "status", "conditions")
	st.Reason = "no Programmed condition yet"
	for _, c := range conditions {
		m, ok := c.(map[string]any)
		if !ok || m["type"] != "Programmed" {
			continue
		}
		observed, _, _ := unstructured.NestedInt64(m, "observedGeneration")
		reason, _ := m["reason"].(string)
		msg, _ := m["message"].(string)
		switch {
		case observed < g.GetGeneration():
			st.Reason = "the controller has not yet observed the current spec"
		case m["status"] == "True":
			st.Programmed, st.Reason = true, ""
		default:
			st.Reason = strings.TrimSpace("Programmed is " + toString(m["status"]) + " (" + reason + "): " + msg)
		}
	}
	return st
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}

var (
	dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
	// gceName is a Compute Engine or Certificate Manager resource name (RFC 1035 label).
	gceName = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`)
	// requestPath is what HealthCheckPolicy's requestPath accepts.
	requestPath = regexp.MustCompile(`^/[A-Za-z0-9/\-._~%!?$&'()*+,;=:]*$`)
	// secretName is a DNS-1123 subdomain.
	secretName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
)

// HostnameProblem says what is wrong with a hostname, or "" when it is a fully qualified DNS
// name a listener and an HTTPRoute accept (no wildcard, no IP address, no trailing dot).
func HostnameProblem(h string) string {
	switch {
	case h == "":
		return "is empty"
	case len(h) > 253:
		return "is longer than 253 characters"
	case strings.HasPrefix(h, "*"):
		return "is a wildcard; the exposure's certificate and URL need a concrete name"
	case h != strings.ToLower(h):
		return "has upper-case letters; DNS names here are lower-case"
	case !strings.Contains(h, "."):
		return "is not fully qualified; use a name such as api.example.com"
	}
	labels := strings.Split(h, ".")
	for _, l := range labels {
		if !dnsLabel.MatchString(l) {
			return "is not a DNS name: each dot-separated label is 1-63 lower-case letters, digits and hyphens, not starting or ending with a hyphen"
		}
	}
	if allDigits(labels[len(labels)-1]) {
		return "is an IP address, not a hostname"
	}
	return ""
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
