# Every model a route may name, with its price, context window and capability scores.
data "octollm_model_catalog" "all" {}

# Only Anthropic's models.
data "octollm_model_catalog" "anthropic" {
  vendor = "anthropic"
}

# The models scoring 9 or more for coding, cheapest first.
output "strong_coders" {
  value = [
    for m in sort([
      for m in data.octollm_model_catalog.all.models :
      format("%09.3f %s", m.input_cost_per_million + m.output_cost_per_million, m.name)
      if m.capabilities["coding"] >= 9
    ]) : split(" ", m)[1]
  ]
}
