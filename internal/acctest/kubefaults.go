package acctest

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"os"
	"testing"

	"k8s.io/client-go/rest"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/faults"
)

// KubeFaultProxy serves the apiserver fault proxy (faults.ServeKubeProxy) in front of the
// sandbox's apiserver, with the apiserver's own serving certificate and inj's faults, until the
// test ends. It returns the provider's kubernetes block that reaches the apiserver through the
// proxy, and a client configuration for the same route.
func KubeFaultProxy(t testing.TB, inj *faults.KubeInjector) (block string, cfg *rest.Config) {
	t.Helper()
	s := Sandbox()
	certFile, keyFile := s.KubeServingCertPaths()
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	caPEM, err := os.ReadFile(s.CACert)
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	upstream, err := url.Parse(s.APIServerURL())
	if err != nil {
		t.Fatal(err)
	}
	srv, serve, err := faults.ServeKubeProxy(lis, cert, upstream, caPEM, inj)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = serve() }()
	t.Cleanup(func() { _ = srv.Close() })
	cfg = &rest.Config{Host: "https://" + lis.Addr().String(), BearerToken: s.Token, TLSClientConfig: rest.TLSClientConfig{CAData: caPEM}}
	block = fmt.Sprintf("  kubernetes {\n    host                   = %q\n    token                  = %q\n    cluster_ca_certificate = %q\n  }\n", cfg.Host, s.Token, string(caPEM))
	return block, cfg
}
