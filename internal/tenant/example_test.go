package tenant_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/tenant"
)

// The docs' examples as a registry user copies them: examples/resources/octollm_billing_plan
// and octollm_tenant applied together (the tenant renamed so tests can run side by side, and its
// deletion protection off so the test can destroy it). The tenant ends in sync, billed on the
// example's plan, and a second plan is empty.
func TestAccTenant_docsExample(t *testing.T) {
	e := newEnv(t)
	name := acctest.RandomName("acme")
	e.cleanupTenants(name)
	config := acctest.StripeProvider(e.key, e.platform) +
		acctest.Example(t, "octollm_billing_plan") +
		acctest.Example(t, "octollm_tenant",
			`name         = "acme"`, fmt.Sprintf("name         = %q", name),
			"deletion_protection = true", "deletion_protection = false")
	const addr = "octollm_tenant.acme"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("sync_status"), knownvalue.StringExact(tenant.InSync)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("namespace"), knownvalue.StringExact(tenant.Namespace(name))),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("stripe_subscription_id"), knownvalue.StringRegexp(regexp.MustCompile(`^sub_`))),
			}},
			{Config: config, ConfigPlanChecks: acctest.NoChanges},
		},
	})
}
