# Plan only, with a mock provider: no cluster and no Stripe are needed (scripts/tofu-test.sh
# without a sandbox).

mock_provider "octollm" {}

variables {
  name = "acme"
}

run "defaults" {
  command = plan

  assert {
    condition     = octollm_tenant.this.name == "acme" && octollm_tenant.this.tier == "standard" && octollm_tenant.this.deletion_protection
    error_message = "the tenant is not a protected standard tenant named acme"
  }
  assert {
    condition     = octollm_tenant.this.network_isolation && octollm_tenant.this.data_retention_days == 30 && octollm_tenant.this.api_key_version == 1
    error_message = "the tenant is not isolated with 30 days' retention and key version 1"
  }
  assert {
    condition     = octollm_tenant.this.allowed_models == toset(["gpt-4o-mini", "claude-haiku-4-5"]) && octollm_tenant.this.admins == null
    error_message = "the default models or admins are wrong"
  }
  assert {
    condition     = length(octollm_tenant.this.billing) == 0 && length(octollm_tenant.this.quota) == 0
    error_message = "an unbilled tenant on its tier's quota should have no billing and no quota block"
  }
}

run "billed_with_a_quota" {
  command = plan
  variables {
    tier    = "enterprise"
    quota   = { llm_tokens_per_month = 5000000 }
    admins  = ["alice@acme.example"]
    billing = { plan_id = "prod_ABC123", email = "billing@acme.example" }
  }
  assert {
    condition     = octollm_tenant.this.billing[0].plan_id == "prod_ABC123" && !octollm_tenant.this.billing[0].delete_customer
    error_message = "the billing block did not pass through, or deletes the Stripe customer by default"
  }
  assert {
    condition     = octollm_tenant.this.quota[0].llm_tokens_per_month == 5000000 && octollm_tenant.this.admins == toset(["alice@acme.example"])
    error_message = "the quota override or the admins did not pass through"
  }
}

run "name_must_be_a_short_label" {
  command = plan
  variables {
    name = "a-tenant-name-that-is-far-longer-than-forty-characters"
  }
  expect_failures = [var.name]
}

run "unknown_tier_is_refused" {
  command = plan
  variables {
    tier = "gold"
  }
  expect_failures = [var.tier]
}

run "admins_are_emails" {
  command = plan
  variables {
    admins = ["alice"]
  }
  expect_failures = [var.admins]
}

run "retention_in_range" {
  command = plan
  variables {
    data_retention_days = 0
  }
  expect_failures = [var.data_retention_days]
}

run "billing_needs_a_plan_id" {
  command = plan
  variables {
    billing = { plan_id = "standard", email = "billing@acme.example" }
  }
  expect_failures = [var.billing]
}
