package platform_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

// The docs' example, examples/resources/octollm_platform, applied as a registry user copies it
// (in a namespace of the test's own, and without deletion protection so the test can destroy
// it): the namespace, its labels, the gateway's RBAC and NetworkPolicies in sync; an empty plan
// after.
func TestAccPlatform_docsExample(t *testing.T) {
	acctest.PreCheck(t)
	ns := acctest.RandomName("example")
	config := acctest.Example(t, "octollm_platform",
		`namespace               = "octollm"`, fmt.Sprintf("namespace               = %q", ns),
		"deletion_protection = true", "deletion_protection = false")
	const addr = "octollm_platform.this"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(ns)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("gateway_rbac"), knownvalue.StringExact("in sync")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("network_policy_status"), knownvalue.StringExact("in sync")),
			}},
			{Config: config, ConfigPlanChecks: acctest.NoChanges},
		},
	})
}
