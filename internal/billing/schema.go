package billing

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// InSync is stripe_status when every Stripe object of the plan matches the configuration.
const InSync = "in sync"

var meterObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"meter_id":   types.StringType,
	"price_id":   types.StringType,
	"event_name": types.StringType,
}}

func resourceSchema(context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A usage-based billing plan on Stripe: one product and, per `meter`, a billing meter " +
			"(event name `octollm_<key>`, summed) with a monthly metered price linked to it. Tenants subscribe to every price of the plan.\n\n" +
			"Stripe cannot delete meters or prices: destroy archives the prices and the product and deactivates the meters no other plan still prices; " +
			"changing an amount creates a new price and archives the old one (existing subscriptions move to the new price on the tenant's next apply). " +
			"A meter is shared by every plan that meters the same `key`, since the gateway reports usage per event name.\n\n" +
			"Every create looks for the object an interrupted earlier run may have made (by metadata `octollm_billing_plan` or by event name) and sends a " +
			"deterministic idempotency key, so re-running after a crash never duplicates a product, meter or price.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The Stripe product id (`prod_...`); the import ID.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The plan's name: the product name and the `octollm_billing_plan` metadata value. 1 to 63 lowercase letters, digits, `-` and `_`.",
			},
			"currency": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("usd"),
				MarkdownDescription: "Three-letter ISO currency code in lowercase. Changing it replaces the plan. Default `usd`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"product_id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The Stripe product id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"meters": schema.MapAttribute{
				Computed: true, ElementType: meterObjectType,
				MarkdownDescription: "By meter key: the Stripe billing meter (`meter_id`), its metered price (`price_id`) and the event name the gateway sends usage under (`event_name`).",
			},
			"stripe_status": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "`in sync` when the product, meters and prices in Stripe match the configuration; otherwise what differs " +
					"(a price archived or changed, a meter deactivated out of band), which the next apply repairs.",
			},
		},
		Blocks: map[string]schema.Block{
			"meter": schema.ListNestedBlock{
				MarkdownDescription: "A usage dimension billed per unit. At least one; keys unique.",
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), listvalidator.SizeAtMost(20)},
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"key": schema.StringAttribute{
						Required: true, MarkdownDescription: "The usage key, such as `llm_tokens`; the meter's event name is `octollm_<key>`.",
					},
					"display_name": schema.StringAttribute{
						Required: true, MarkdownDescription: "The meter's and price's name on invoices.",
					},
					"unit_amount_decimal": schema.StringAttribute{
						Required: true,
						MarkdownDescription: "Price per unit in the currency's minor unit (cents for `usd`) as a decimal string with at most 12 decimal places, such as `\"0.0002\"`. " +
							"Changing it creates a new price and archives the old one.",
					},
				}},
			},
		},
	}
}
