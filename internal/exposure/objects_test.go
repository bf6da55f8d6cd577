package exposure_test

import (
	"reflect"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/exposure"
)

// What the objects say reads back as the same Spec, for each TLS source, so drift detection
// sees no change where there is none.
func TestSpecFromLive_roundTrip(t *testing.T) {
	base := exposure.Spec{
		Namespace: "octollm", Name: "public", ServiceName: "gateway", ServicePort: 8080,
		Hostnames: []string{"api.octollm.example.com", "llm.example.com"}, GatewayClass: exposure.DefaultGatewayClass,
		HTTPToHTTPSRedirect: true, HealthCheck: exposure.DefaultHealthCheck(),
	}
	certMap, secrets, preShared := base, base, base
	certMap.CertificateMap, certMap.StaticAddress = "octollm-certs", "octollm-ip"
	secrets.CertificateSecrets, secrets.HTTPToHTTPSRedirect = []string{"api-tls", "llm-tls"}, false
	secrets.HealthCheck = exposure.HealthCheck{RequestPath: "/healthz", Port: 9090, CheckIntervalSec: 10, TimeoutSec: 3, HealthyThreshold: 1, UnhealthyThreshold: 4}
	preShared.PreSharedCertificates = []string{"api-cert", "llm-cert"}
	for name, s := range map[string]exposure.Spec{"certificate map": certMap, "secrets": secrets, "pre-shared": preShared} {
		t.Run(name, func(t *testing.T) {
			got := exposure.SpecFromLive(exposure.Live{Gateway: s.Gateway(), Route: s.HTTPRoute(), Redirect: s.RedirectRoute(), Policy: s.HealthCheckPolicy()})
			if !reflect.DeepEqual(got, s) {
				t.Fatalf("read back\n %+v\nwant\n %+v", got, s)
			}
		})
	}
}

func TestHostnameProblem(t *testing.T) {
	for h, bad := range map[string]bool{
		"api.octollm.example.com": false, "a-1.example.io": false,
		"": true, "localhost": true, "*.example.com": true, "API.example.com": true, "api_x.example.com": true,
		"-api.example.com": true, "api..example.com": true, "10.0.0.1": true, "api.example.com.": true,
	} {
		if got := exposure.HostnameProblem(h); (got != "") != bad {
			t.Errorf("HostnameProblem(%q) = %q, want a problem: %v", h, got, bad)
		}
	}
}
