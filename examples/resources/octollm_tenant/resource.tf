# An isolated, billed tenant. The API key is output once; only its hash is in the cluster.
resource "octollm_tenant" "acme" {
  name         = "acme"
  display_name = "Acme Corp"
  tier         = "standard"

  quota {
    cpu                  = "8"
    memory               = "16Gi"
    pods                 = 50
    llm_tokens_per_month = 10000000
    requests_per_minute  = 600
  }

  allowed_models      = ["gpt-4o-mini", "claude-haiku-4-5"]
  admins              = ["alice@acme.example"]
  network_isolation   = true
  data_retention_days = 30
  api_key_version     = 1 # change it to rotate the key

  billing {
    plan_id = octollm_billing_plan.standard.id
    email   = "billing@acme.example"
  }

  deletion_protection = true
}

output "acme_api_key" {
  value     = octollm_tenant.acme.api_key
  sensitive = true
}
