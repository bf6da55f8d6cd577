# Against a running sandbox (scripts/tofu-test.sh): a small platform is applied, checked
# through its outputs, and destroyed by `tofu test`. Names start with "mods-" so they do not
# collide with the provider's own acceptance tests.

variables {
  environment           = "test"
  deletion_protection   = false
  node_pool_name_prefix = "mods-"
  node_pools = {
    cpu = { workload_type = "cpu-optimized", cpu = 4, memory_gb = 4, initial_node_count = 1 }
  }
  components = {
    orchestrator = {
      kind        = "orchestrator"
      image       = "ghcr.io/acme/octollm-orchestrator:1.4.2"
      port        = 8000
      requests    = { cpu = "100m", memory = "128Mi" }
      limits      = { cpu = "500m", memory = "256Mi" }
      autoscaling = { min_replicas = 1, max_replicas = 3, vpa_update_mode = "Off", min_available = "1" }
      # Kept short so destroy is quick: the namespace controller waits out pods' grace period.
      termination_grace_period_seconds = 1
      # No placement: the sandbox's fake kubelet starts pods on a new pool's nodes only after a
      # minute; placement is covered by the plan tests.
    }
  }
  billing_plan = { name = "mods-standard" }
  tenants = {
    mods-acme = { display_name = "Acme (module test)", tier = "free", billing_email = "billing@acme.example" }
  }
  routes = {
    mods-code = { tenant = "mods-acme", required_capability = "coding", min_capability_score = 7 }
  }
  compliance_controls = [{ framework = "soc2", control_id = "CC6.1", enforcement = "audit" }]
}

run "platform" {
  command = apply

  assert {
    condition     = output.namespace == var.namespace
    error_message = "the platform namespace is not var.namespace"
  }
  assert {
    condition     = output.node_pools["cpu"].name == "mods-cpu" && output.node_pools["cpu"].status == "RUNNING" && output.node_pools["cpu"].machine_type != ""
    error_message = "the node pool mods-cpu is not RUNNING with a machine type"
  }
  assert {
    condition     = output.service_urls["orchestrator"] == "http://orchestrator.${var.namespace}.svc.cluster.local:8000"
    error_message = "the orchestrator's service URL is wrong"
  }
  assert {
    condition     = output.autoscaling["orchestrator"].hpa_name != "" && output.autoscaling["orchestrator"].vpa_name != null && output.autoscaling["orchestrator"].pdb_name != null
    error_message = "the orchestrator has no HPA, VPA and PDB"
  }
  assert {
    condition     = startswith(output.billing_plan.id, "prod_") && length(output.billing_plan.meters) == 3
    error_message = "the billing plan is not a Stripe product with three meters"
  }
  assert {
    condition     = output.tenants["mods-acme"].namespace == "tenant-mods-acme" && startswith(output.tenants["mods-acme"].stripe_subscription_id, "sub_")
    error_message = "the tenant has no namespace or no Stripe subscription"
  }
  assert {
    condition     = startswith(nonsensitive(output.tenant_api_keys["mods-acme"]), "ollm_")
    error_message = "the tenant's API key is not an ollm_ key"
  }
  assert {
    condition     = output.routes["mods-code"].config_map == "octollm-route-mods-acme-mods-code" && output.routes["mods-code"].namespace == var.namespace && output.routes["mods-code"].effective_model != null
    error_message = "the route's ConfigMap is not in the platform namespace, or no model was chosen"
  }
  assert {
    condition     = output.compliance["soc2/CC6.1"].enforcement == "audit" && contains(["compliant", "non_compliant"], output.compliance["soc2/CC6.1"].status)
    error_message = "the SOC 2 CC6.1 control was not evaluated in audit mode"
  }
}

# The same platform updated in place: the tenant's key rotated and the control enforced, which
# applies restricted Pod Security and default-deny network policies to the namespaces in scope.
run "rotate_key_and_enforce" {
  command = apply
  variables {
    tenants = {
      mods-acme = { display_name = "Acme (module test)", tier = "free", billing_email = "billing@acme.example", api_key_version = 2 }
    }
    compliance_controls = [{ framework = "soc2", control_id = "CC6.1", enforcement = "enforce" }]
  }

  assert {
    condition     = startswith(nonsensitive(output.tenant_api_keys["mods-acme"]), "ollm_")
    error_message = "the rotated API key is not an ollm_ key"
  }
  assert {
    condition     = startswith(output.tenants["mods-acme"].stripe_subscription_id, "sub_")
    error_message = "the tenant lost its Stripe subscription"
  }
  assert {
    condition     = output.compliance["soc2/CC6.1"].enforcement == "enforce" && output.compliance["soc2/CC6.1"].status == "compliant"
    error_message = "SOC 2 CC6.1 is not enforced and compliant on the platform namespace and the tenant"
  }
}
