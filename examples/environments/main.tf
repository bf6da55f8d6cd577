# One root configuration for every environment, the Terraform Cloud way: the same code, one
# workspace (and state) per environment, and the differences in dev.tfvars, staging.tfvars and
# prod.tfvars:
#
#   tofu plan -var-file=dev.tfvars        # locally: one state per environment, e.g. with
#                                         # `tofu workspace select -or-create dev`
#
# The provider's settings (GKE project, location, cluster, credentials, Stripe key) come from the
# environment, so nothing here names a project: `source .sandbox/env` for the local sandbox, or
# the workspace variables listed in versions.tf for Terraform Cloud.

# The platform namespace, set once: the provider keeps routes and compliance evidence there and
# modules/platform creates it.
provider "octollm" {
  namespace = var.namespace
}

module "platform" {
  source = "../../modules/platform"

  namespace             = var.namespace
  environment           = var.environment
  deletion_protection   = var.deletion_protection
  node_pool_name_prefix = var.node_pool_name_prefix
  node_pools            = var.node_pools
  components            = var.components
  billing_plan          = var.billing_plan
  tenants               = var.tenants
  routes                = var.routes
  compliance_enforce    = var.compliance_enforce
}
