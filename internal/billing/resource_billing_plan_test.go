package billing_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/stripe/stripe-go/v76"
	stripeclient "github.com/stripe/stripe-go/v76/client"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }

const address = "octollm_billing_plan.standard"

type meter struct{ key, name, amount string }

var seedMeters = []meter{
	{"llm_tokens", "LLM tokens", "0.0002"},
	{"api_calls", "API calls", "0.01"},
	{"compute_seconds", "Compute seconds", "0.005"},
}

func config(key, name string, meters []meter) string {
	var b strings.Builder
	b.WriteString(acctest.StripeProvider(key, "octollm"))
	fmt.Fprintf(&b, "resource \"octollm_billing_plan\" \"standard\" {\n  name = %q\n  currency = \"usd\"\n", name)
	for _, m := range meters {
		fmt.Fprintf(&b, "  meter {\n    key = %q\n    display_name = %q\n    unit_amount_decimal = %q\n  }\n", m.key, m.name, m.amount)
	}
	b.WriteString("}\n")
	return b.String()
}

// stripeState is everything the plan made in the test's Stripe account.
type stripeState struct {
	products []*stripe.Product
	prices   []*stripe.Price
	meters   []*stripe.BillingMeter
}

func read(api *stripeclient.API) (stripeState, error) {
	var s stripeState
	pi := api.Products.List(&stripe.ProductListParams{})
	for pi.Next() {
		s.products = append(s.products, pi.Product())
	}
	ri := api.Prices.List(&stripe.PriceListParams{})
	for ri.Next() {
		s.prices = append(s.prices, ri.Price())
	}
	mi := api.BillingMeters.List(&stripe.BillingMeterListParams{})
	for mi.Next() {
		s.meters = append(s.meters, mi.BillingMeter())
	}
	for _, err := range []error{pi.Err(), ri.Err(), mi.Err()} {
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

// checkStripe checks the account holds one active product for the plan and, per meter, an
// active summed meter octollm_<key> and one active monthly metered price linked to it.
func checkStripe(api *stripeclient.API, name string, want []meter) resource.TestCheckFunc {
	return func(st *terraform.State) error {
		s, err := read(api)
		if err != nil {
			return err
		}
		var active []*stripe.Product
		for _, p := range s.products {
			if p.Active {
				active = append(active, p)
			}
		}
		if len(active) != 1 || active[0].Name != name || active[0].Metadata["octollm_billing_plan"] != name {
			return fmt.Errorf("active products = %d, want 1 named %s with metadata", len(active), name)
		}
		product := active[0].ID
		if id := st.RootModule().Resources[address].Primary.ID; id != product {
			return fmt.Errorf("state id %s, Stripe product %s", id, product)
		}
		meters := map[string]*stripe.BillingMeter{}
		for _, m := range s.meters {
			meters[m.ID] = m
		}
		activePrices := 0
		for _, p := range s.prices {
			if p.Active && p.Product != nil && p.Product.ID == product {
				activePrices++
			}
		}
		if activePrices != len(want) {
			return fmt.Errorf("active prices = %d, want %d", activePrices, len(want))
		}
		for _, w := range want {
			var found *stripe.Price
			for _, p := range s.prices {
				if p.Active && p.Metadata["octollm_meter_key"] == w.key {
					found = p
				}
			}
			if found == nil {
				return fmt.Errorf("no active price for meter %s", w.key)
			}
			if found.Recurring == nil || found.Recurring.Interval != "month" || found.Recurring.UsageType != "metered" || found.Currency != "usd" {
				return fmt.Errorf("price %s is not monthly metered usd: %+v", found.ID, found.Recurring)
			}
			if got := strings.TrimRight(fmt.Sprintf("%.12f", found.UnitAmountDecimal), "0"); got != w.amount {
				return fmt.Errorf("price %s amount %s, want %s", found.ID, got, w.amount)
			}
			m := meters[found.Recurring.Meter]
			if m == nil || m.EventName != "octollm_"+w.key || m.Status != "active" || m.DefaultAggregation.Formula != "sum" || m.DisplayName != w.name {
				return fmt.Errorf("price %s: meter %+v, want active sum meter octollm_%s named %q", found.ID, m, w.key, w.name)
			}
		}
		return nil
	}
}

// Create the seed's plan from the docs' example, two empty plans (the example again, then the
// same plan as this test writes it), change an amount (new price, old archived), drop a meter
// (its price archived, its meter deactivated), repair an archived price, destroy.
func TestAccBillingPlan_lifecycle(t *testing.T) {
	acctest.PreCheck(t)
	key := acctest.StripeKey(t)
	api := acctest.Stripe(t, key)
	example := acctest.StripeProvider(key, "octollm") + acctest.Example(t, "octollm_billing_plan")
	changed := append([]meter{}, seedMeters...)
	changed[0].amount = "0.0003"
	var firstPrice, secondPrice string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			s, err := read(api)
			if err != nil {
				return err
			}
			for _, p := range s.products {
				if p.Active {
					return fmt.Errorf("product %s still active after destroy", p.ID)
				}
			}
			for _, p := range s.prices {
				if p.Active {
					return fmt.Errorf("price %s still active after destroy", p.ID)
				}
			}
			for _, m := range s.meters {
				if m.Status != "inactive" {
					return fmt.Errorf("meter %s still %s after destroy", m.ID, m.Status)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				// The docs' example, as written, is the seed's plan: seedMeters.
				Config: example,
				Check: resource.ComposeTestCheckFunc(checkStripe(api, "standard", seedMeters),
					func(s *terraform.State) error {
						firstPrice = s.RootModule().Resources[address].Primary.Attributes["meters.llm_tokens.price_id"]
						return nil
					}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("stripe_status"), knownvalue.StringExact("in sync")),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("meters").AtMapKey("api_calls").AtMapKey("event_name"), knownvalue.StringExact("octollm_api_calls")),
				},
			},
			{Config: example, ConfigPlanChecks: acctest.NoChanges},
			{Config: config(key, "standard", seedMeters), ConfigPlanChecks: acctest.NoChanges},
			{
				Config:           config(key, "standard", changed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeTestCheckFunc(checkStripe(api, "standard", changed), func(s *terraform.State) error {
					secondPrice = s.RootModule().Resources[address].Primary.Attributes["meters.llm_tokens.price_id"]
					if secondPrice == firstPrice || secondPrice == "" {
						return fmt.Errorf("changed amount kept price %s", firstPrice)
					}
					p, err := api.Prices.Get(firstPrice, nil)
					if err != nil {
						return err
					}
					if p.Active {
						return fmt.Errorf("old price %s not archived", firstPrice)
					}
					return nil
				}),
			},
			{
				Config: config(key, "standard", changed[:2]),
				Check: resource.ComposeTestCheckFunc(checkStripe(api, "standard", changed[:2]), func(*terraform.State) error {
					s, err := read(api)
					if err != nil {
						return err
					}
					for _, m := range s.meters {
						if m.EventName == "octollm_compute_seconds" && m.Status != "inactive" {
							return fmt.Errorf("meter of the removed key is %s, want inactive", m.Status)
						}
					}
					return nil
				}),
			},
			{
				// A price archived out of band shows in the plan and is replaced by apply.
				PreConfig: func() {
					if _, err := api.Prices.Update(secondPrice, &stripe.PriceParams{Active: stripe.Bool(false)}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(key, "standard", changed[:2]),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
				}},
				Check: checkStripe(api, "standard", changed[:2]),
			},
			{Config: config(key, "standard", changed[:2]), ConfigPlanChecks: acctest.NoChanges},
			{
				// Import by product id; import lists the meters by key.
				Config: config(key, "standard", changed[:2]), ResourceName: address, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"meter."},
			},
			{
				// The meter dropped earlier comes back: its meter is reactivated, not duplicated.
				Config: config(key, "standard", changed),
				Check: resource.ComposeTestCheckFunc(checkStripe(api, "standard", changed), func(*terraform.State) error {
					s, err := read(api)
					if err != nil {
						return err
					}
					if len(s.meters) != 3 {
						return fmt.Errorf("%d meters, want 3 (a dropped meter is reactivated, not created again)", len(s.meters))
					}
					return nil
				}),
			},
		},
	})
}

// Plans that re-run after a lost response adopt what exists: the product a crashed create made
// is found by its metadata instead of being created twice.
func TestAccBillingPlan_adoptsInterruptedCreate(t *testing.T) {
	acctest.PreCheck(t)
	key := acctest.StripeKey(t)
	api := acctest.Stripe(t, key)
	params := &stripe.ProductParams{Name: stripe.String("standard")}
	params.AddMetadata("octollm_billing_plan", "standard")
	prior, err := api.Products.New(params)
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config(key, "standard", seedMeters),
			Check: resource.ComposeTestCheckFunc(checkStripe(api, "standard", seedMeters),
				resource.TestCheckResourceAttr(address, "id", prior.ID)),
		}},
	})
}

func TestAccBillingPlan_badInput(t *testing.T) {
	acctest.PreCheck(t)
	key := acctest.StripeKey(t)
	dup := []meter{{"api_calls", "API calls", "0.01"}, {"api_calls", "Calls", "0.02"}}
	cases := []struct {
		name, config, want string
	}{
		{"duplicate meter keys", config(key, "standard", dup), `meter[1].key: "api_calls" is also the key of meter[0]`},
		{"non-decimal amount", config(key, "standard", []meter{{"api_calls", "API calls", "1e-3"}}), `meter[0].unit_amount_decimal: "1e-3" is not a decimal amount`},
		{"negative amount", config(key, "standard", []meter{{"api_calls", "API calls", "-0.01"}}), `"-0.01" is not a decimal amount`},
		{"too precise", config(key, "standard", []meter{{"api_calls", "API calls", "0.0000000000001"}}), "has more than 12 decimal places"},
		{"meter key", config(key, "standard", []meter{{"API-calls", "API calls", "0.01"}}), `meter[0].key: "API-calls" is not a valid meter key`},
		{"plan name", config(key, "Standard Plan", seedMeters), `name: "Standard Plan" is not a valid plan name`},
		{"currency", strings.Replace(config(key, "standard", seedMeters), `currency = "usd"`, `currency = "USD"`, 1), `currency: "USD" is not a currency`},
		{"no meters", config(key, "standard", nil), "meter: a billing plan needs at least one meter block"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: tc.config, PlanOnly: true, ExpectError: acctest.ErrorText(tc.want)}},
			})
		})
	}
}

// Without a Stripe key anywhere, the plan fails at plan time naming STRIPE_API_KEY.
func TestAccBillingPlan_noStripeConfiguration(t *testing.T) {
	acctest.PreCheck(t)
	t.Setenv("STRIPE_API_KEY", "")
	os.Unsetenv("STRIPE_API_KEY")
	cfg := strings.Replace(config("x", "standard", seedMeters), "  stripe {\n    api_key = \"x\"\n  }\n", "", 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{Config: cfg, PlanOnly: true,
			ExpectError: acctest.ErrorText("octollm_billing_plan needs Stripe: set stripe.api_key in the provider block or the STRIPE_API_KEY environment variable")}},
	})
}
