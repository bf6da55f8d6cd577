terraform {
  required_version = ">= 1.5.0"
  required_providers {
    octollm = {
      source  = "octollm/octollm"
      version = "~> 0.1"
    }
  }

  # Terraform Cloud (HCP Terraform): one workspace per environment, all running this root, each
  # picking its tfvars file. Uncomment, set your organization, and create the workspaces
  # octollm-dev, octollm-staging and octollm-prod tagged "octollm" (the guide "Terraform Cloud
  # workspaces" walks through it); `terraform workspace select octollm-prod` then plans prod.
  #
  # cloud {
  #   organization = "acme"
  #   workspaces {
  #     tags = ["octollm"]
  #   }
  # }
  #
  # Each workspace's variables:
  #   TF_CLI_ARGS_plan     env        -var-file=prod.tfvars (dev.tfvars, staging.tfvars): the
  #                                   environment; Terraform Cloud loads only *.auto.tfvars itself
  #   GOOGLE_PROJECT       env        the GKE project
  #   OCTOLLM_GKE_LOCATION env        the cluster's region or zone
  #   OCTOLLM_GKE_CLUSTER  env        the cluster's name
  #   GOOGLE_CREDENTIALS   env, sensitive  a service-account key (JSON, newlines removed); or
  #                                   dynamic provider credentials: TFC_GCP_PROVIDER_AUTH = true,
  #                                   TFC_GCP_RUN_SERVICE_ACCOUNT_EMAIL, TFC_GCP_WORKLOAD_PROVIDER_NAME
  #                                   (the provider then reads GOOGLE_OAUTH_ACCESS_TOKEN)
  #   STRIPE_API_KEY       env, sensitive  staging (a test-mode key) and prod (a restricted live
  #                                   key): their tenants are billed; dev has no billing
}
