package cluster_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox"
)

func TestMain(m *testing.M) { acctest.Main(m) }

func TestAccClusterDataSource_readsGKEAndKubernetes(t *testing.T) {
	acctest.PreCheck(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// The docs' example, examples/data-sources/octollm_cluster.
			Config: acctest.DataSourceExample(t, "octollm_cluster"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("kubernetes_version", knownvalue.StringExact(sandbox.KubernetesVersion)),
				statecheck.ExpectKnownValue("data.octollm_cluster.this", tfjsonpath.New("id"),
					knownvalue.StringExact(fmt.Sprintf("projects/%s/locations/%s/clusters/%s", sandbox.Project, sandbox.Location, sandbox.Cluster))),
				statecheck.ExpectKnownValue("data.octollm_cluster.this", tfjsonpath.New("name"), knownvalue.StringExact(sandbox.Cluster)),
				statecheck.ExpectKnownValue("data.octollm_cluster.this", tfjsonpath.New("location"), knownvalue.StringExact(sandbox.Location)),
				statecheck.ExpectKnownValue("data.octollm_cluster.this", tfjsonpath.New("status"), knownvalue.StringExact("RUNNING")),
				statecheck.ExpectKnownValue("data.octollm_cluster.this", tfjsonpath.New("endpoint"),
					knownvalue.StringExact(fmt.Sprintf("127.0.0.1:%d", acctest.Sandbox().Ports.APIServer))),
				statecheck.ExpectKnownValue("data.octollm_cluster.this", tfjsonpath.New("master_version"), knownvalue.StringRegexp(regexp.MustCompile(`^1\.34\.3-gke\.`))),
				statecheck.ExpectKnownValue("data.octollm_cluster.this", tfjsonpath.New("node_pools"), knownvalue.ListPartial(map[int]knownvalue.Check{0: knownvalue.StringExact("default-pool")})),
				// Read from the apiserver itself, reached with access derived from GKE.
				statecheck.ExpectKnownValue("data.octollm_cluster.this", tfjsonpath.New("kubernetes_version"), knownvalue.StringExact(sandbox.KubernetesVersion)),
				statecheck.ExpectKnownValue("data.octollm_cluster.this", tfjsonpath.New("pod_ipv4_cidr"), knownvalue.StringExact("10.4.0.0/14")),
				statecheck.ExpectKnownValue("data.octollm_cluster.this", tfjsonpath.New("services_ipv4_cidr"), knownvalue.StringExact("34.118.224.0/20")),
			},
		}},
	})
}

func TestAccClusterDataSource_unknownClusterNamesIt(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      `data "octollm_cluster" "this" { name = "no-such-cluster" }`,
			ExpectError: acctest.ErrorText("not found...no-such-cluster...check gke.project, gke.location and gke.cluster"),
		}},
	})
}

func TestAccClusterDataSource_invalidNameRejectedAtPlan(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      `data "octollm_cluster" "this" { name = "Bad_Name" }`,
			ExpectError: acctest.ErrorText("Attribute name must be a GKE cluster name: 1-40 lowercase letters"),
		}},
	})
}
