package provider_test

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// No gke or kubernetes configuration anywhere: the error names both blocks and their variables.
func TestAccProvider_noClusterConfiguration(t *testing.T) {
	for _, v := range []string{"GOOGLE_PROJECT", "OCTOLLM_GKE_LOCATION", "OCTOLLM_GKE_CLUSTER", "OCTOLLM_GKE_ENDPOINT", "OCTOLLM_GKE_INSECURE", "KUBE_HOST", "KUBE_CONFIG_PATH"} {
		t.Setenv(v, "")
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      `data "octollm_cluster" "this" {}`,
			ExpectError: acctest.ErrorText("no GKE or Kubernetes configuration: set the provider's gke block (project, location, cluster; or GOOGLE_PROJECT, OCTOLLM_GKE_LOCATION, OCTOLLM_GKE_CLUSTER) or its kubernetes block (host and token, or config_path; or KUBE_HOST and KUBE_TOKEN, or KUBE_CONFIG_PATH)"),
		}},
	})
}

// A wrong token is surfaced as "kubernetes: unauthorized" with what to check.
func TestAccProvider_wrongKubernetesToken(t *testing.T) {
	acctest.PreCheck(t)
	s := acctest.Sandbox()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "octollm" {
  kubernetes {
    host                   = %q
    token                  = "not-the-token"
    cluster_ca_certificate = file(%q)
  }
}
data "octollm_cluster" "this" {}
`, s.APIServerURL(), s.CACert),
			ExpectError: acctest.ErrorText("kubernetes: unauthorized (401) at...check kubernetes.token (KUBE_TOKEN)"),
		}},
	})
}

// hangingListener accepts connections and never answers, like a firewalled endpoint.
func hangingListener(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				close(done)
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		<-done
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return l.Addr().String()
}

// An apiserver that never answers fails within request_timeout instead of hanging.
func TestAccProvider_unreachableKubernetesTimesOut(t *testing.T) {
	addr := hangingListener(t)
	start := time.Now()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "octollm" {
  request_timeout = "2s"
  kubernetes {
    host  = "https://%s"
    token = "irrelevant"
  }
}
data "octollm_cluster" "this" {}
`, addr),
			ExpectError: acctest.ErrorText("kubernetes: read server version at https://127.0.0.1:...timed out...raise request_timeout"),
		}},
	})
	if d := time.Since(start); d > 2*time.Minute {
		t.Errorf("the unreachable endpoint took %s to fail; request_timeout is 2s", d)
	}
}

// A GKE endpoint that never answers fails within request_timeout too.
func TestAccProvider_unreachableGKETimesOut(t *testing.T) {
	addr := hangingListener(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "octollm" {
  request_timeout = "2s"
  gke {
    endpoint = %q
    insecure = true
  }
}
data "octollm_cluster" "this" {}
`, addr),
			ExpectError: acctest.ErrorText("gke: get cluster ...could not be reached in time...raise request_timeout"),
		}},
	})
}

// insecure transport to a non-loopback endpoint is refused before anything is dialled.
func TestAccProvider_insecureNonLoopbackRefused(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
provider "octollm" {
  gke {
    endpoint = "gke.example.internal:443"
    insecure = true
  }
}
data "octollm_cluster" "this" {}
`,
				ExpectError: acctest.ErrorText(`gke.insecure is allowed only for loopback endpoints, and gke.endpoint "gke.example.internal:443" is not one`),
			},
			{
				Config: `
provider "octollm" {
  kubernetes {
    host     = "https://k8s.example.internal"
    insecure = true
  }
}
data "octollm_cluster" "this" {}
`,
				ExpectError: acctest.ErrorText(`kubernetes.insecure is allowed only for loopback hosts, and kubernetes.host "https://k8s.example.internal" is not one`),
			},
		},
	})
}
