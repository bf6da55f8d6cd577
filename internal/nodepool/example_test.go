package nodepool_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

// The docs' example, examples/resources/octollm_node_pool, applied as a registry user copies it
// (only the pool names get a suffix, so tests can run side by side): three pools in one apply,
// machine types chosen from cpu and memory_gb, the sandbox pool on GKE Sandbox, an empty plan
// after, all three gone after destroy.
func TestAccNodePool_docsExample(t *testing.T) {
	acctest.PreCheck(t)
	suffix := acctest.RandomName("ex")
	cpu, spot, sandbox := "cpu-optimized-pool-"+suffix, "spot-pool-"+suffix, "sandbox-spot-pool-"+suffix
	config := acctest.Example(t, "octollm_node_pool",
		`name               = "cpu-optimized-pool"`, fmt.Sprintf("name               = %q", cpu),
		`name               = "spot-pool"`, fmt.Sprintf("name               = %q", spot),
		`name               = "sandbox-spot-pool"`, fmt.Sprintf("name               = %q", sandbox))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkPoolsGone(t, cpu, spot, sandbox),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("octollm_node_pool.cpu", tfjsonpath.New("machine_type"), knownvalue.StringRegexp(regexp.MustCompile(`^[a-z0-9]+-[a-z]+-[0-9]+$`))),
				statecheck.ExpectKnownValue("octollm_node_pool.spot", tfjsonpath.New("spot"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("octollm_node_pool.sandbox", tfjsonpath.New("image_type"), knownvalue.StringExact("COS_CONTAINERD")),
			}},
			{Config: config, ConfigPlanChecks: acctest.NoChanges},
		},
	})
}
