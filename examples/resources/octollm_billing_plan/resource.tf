# A usage-based plan: the gateway reports usage as meter events octollm_llm_tokens,
# octollm_api_calls and octollm_compute_seconds; amounts are in cents per unit.
resource "octollm_billing_plan" "standard" {
  name     = "standard"
  currency = "usd"

  meter {
    key                 = "llm_tokens"
    display_name        = "LLM tokens"
    unit_amount_decimal = "0.0002"
  }
  meter {
    key                 = "api_calls"
    display_name        = "API calls"
    unit_amount_decimal = "0.01"
  }
  meter {
    key                 = "compute_seconds"
    display_name        = "Compute seconds"
    unit_amount_decimal = "0.005"
  }
}
