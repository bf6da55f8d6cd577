# Plan only, once per environment: `tofu test -var-file=<env>.tfvars` (scripts/tofu-test.sh
# examples/environments/<env>.tfvars). Each environment's tfvars file must give what the
# README and the guides promise of it. Nothing is created.

mock_provider "octollm" {
  mock_resource "octollm_component" {
    defaults = { deployment_name = "mocked-deployment", service_name = "mocked-service" }
  }
  mock_resource "octollm_billing_plan" {
    defaults = { id = "prod_mocked" }
  }
}

# The seed's Phase 6 pools (modules/node-pools' defaults), the production shape: their keys and
# maximum node counts are written { cpu = 20, memory = 10, spot = 50 } below.
run "environment_is_what_the_readme_says" {
  command = plan

  assert {
    condition     = contains(["dev", "staging", "prod"], var.environment) && var.namespace == (var.environment == "prod" ? "octollm" : "octollm-${var.environment}")
    error_message = "run with -var-file=<env>.tfvars: environment must be dev, staging or prod, in namespace octollm (prod) or octollm-<env>; got ${var.environment} in ${var.namespace}"
  }

  # dev.tfvars: small, deletion protection off, no billing, compliance controls only audit.
  assert {
    condition     = var.environment != "dev" || (!var.deletion_protection && var.billing_plan == null && !var.compliance_enforce)
    error_message = "dev.tfvars: the README promises deletion protection off, no billing plan and audit-only compliance"
  }
  assert {
    condition     = var.environment != "dev" || alltrue([for k, p in var.node_pools : try(p.max_node_count, 1000) < lookup({ cpu = 20, memory = 10, spot = 50 }, k, 0)])
    error_message = "dev.tfvars: the README promises small pools, under the seed's maximum node counts"
  }
  assert {
    condition     = var.environment != "dev" || alltrue([for t in values(var.tenants) : try(t.billing_email, null) == null])
    error_message = "dev.tfvars: the README promises no billing, yet a tenant sets billing_email"
  }

  # staging.tfvars: the production shape (the seed's pools) at a fraction of its size, billed.
  assert {
    condition     = var.environment != "staging" || (var.node_pools != null && toset(keys(var.node_pools)) == toset(["cpu", "memory", "spot"]))
    error_message = "staging.tfvars: the README promises the production shape, the seed's cpu, memory and spot pools"
  }
  assert {
    condition     = var.environment != "staging" || alltrue([for k, p in coalesce(var.node_pools, {}) : try(p.max_node_count, 1000) < lookup({ cpu = 20, memory = 10, spot = 50 }, k, 0)])
    error_message = "staging.tfvars: the README promises a fraction of production's size: each pool's max_node_count under the seed's"
  }
  assert {
    condition     = var.environment != "staging" || (var.billing_plan != null && length(var.tenants) > 0 && alltrue([for t in values(var.tenants) : try(t.billing_email, null) != null]))
    error_message = "staging.tfvars: the README promises billed tenants (a billing plan, a billing_email per tenant)"
  }

  # prod.tfvars: the module's defaults for pools and components, billed tenants, enforced
  # compliance, deletion protection on.
  assert {
    condition     = var.environment != "prod" || (var.node_pools == null && var.components == null)
    error_message = "prod.tfvars: the README promises the module's defaults; it sets node_pools or components"
  }
  assert {
    condition     = var.environment != "prod" || (var.deletion_protection && var.compliance_enforce)
    error_message = "prod.tfvars: deletion protection and compliance enforcement must stay on in production"
  }
  assert {
    condition     = var.environment != "prod" || (var.billing_plan != null && length(var.tenants) > 0 && alltrue([for t in values(var.tenants) : try(t.billing_email, null) != null]))
    error_message = "prod.tfvars: the README promises billed tenants (a billing plan, a billing_email per tenant)"
  }
}
