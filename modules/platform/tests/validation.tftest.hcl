# Plan only: the platform's defaults and its variables' validation. Nothing is created.

# scripts/tofu-test.sh sets the provider's namespace and var.namespace to the same value
# (OCTOLLM_NAMESPACE and TF_VAR_namespace): a provider block here would be taken for
# hashicorp/octollm.

# A mock provider: nothing reaches a cluster. Computed values the provider validates when
# another resource takes them get well-formed mock values.
mock_provider "octollm" {
  mock_resource "octollm_component" {
    defaults = { deployment_name = "mocked-deployment", service_name = "mocked-service" }
  }
  mock_data "octollm_image" {
    defaults = { image = "ghcr.io/octollm/octollm-gateway@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" }
  }
}

run "defaults_are_the_seed_platform" {
  command = plan

  assert {
    condition     = octollm_platform.this.deletion_protection && octollm_platform.this.pod_security == "restricted"
    error_message = "the platform is not protected and restricted by default"
  }
  assert {
    condition     = length(module.node_pools.pools) == 3
    error_message = "the default node pools are not the seed's three"
  }
  assert {
    condition     = toset(keys(module.runtime.components)) == toset(["orchestrator", "executor-arm"])
    error_message = "the default components are not the orchestrator and the executor arm"
  }
  assert {
    condition     = alltrue([for a in values(module.runtime.autoscaling) : length(setsubtract(a.scales_on, ["cpu", "memory"])) == 0])
    error_message = "a default HPA scales on a custom metric, which needs a custom.metrics.k8s.io adapter the platform does not install"
  }
  assert {
    condition     = length(octollm_billing_plan.this) == 0 && length(module.tenant) == 0
    error_message = "no billing plan and no tenant are expected by default"
  }
}

run "environment_label" {
  command = plan
  variables {
    environment = "dev"
    labels      = { team = "platform" }
  }
  assert {
    condition     = octollm_platform.this.labels == tomap({ "octollm.dev/environment" = "dev", team = "platform" })
    error_message = "the namespace labels do not carry the environment"
  }
}

run "namespace_must_be_a_label" {
  command = plan
  variables {
    namespace = "Not_A_Label"
  }
  expect_failures = [var.namespace]
}

run "pod_security_is_restricted_or_baseline" {
  command = plan
  variables {
    pod_security = "privileged"
  }
  expect_failures = [var.pod_security]
}

run "node_pool_min_above_max" {
  command = plan
  variables {
    node_pools = { cpu = { workload_type = "cpu-optimized", cpu = 4, memory_gb = 4, min_node_count = 3, max_node_count = 1 } }
  }
  expect_failures = [var.node_pools]
}

run "gvisor_node_pool_for_the_sandboxed_executor" {
  command = plan
  variables {
    node_pools = {
      general = { cpu = 4, memory_gb = 16 }
      sandbox = { workload_type = "spot", spot = true, gvisor = true, cpu = 8, memory_gb = 32 }
    }
  }
  assert {
    condition     = module.node_pools.gvisor_workload_types == toset(["spot"])
    error_message = "the gvisor spot pool is not a GKE Sandbox pool"
  }
}

run "gvisor_node_pool_on_ubuntu_is_refused" {
  command = plan
  variables {
    node_pools = { sandbox = { gvisor = true, image_type = "UBUNTU_CONTAINERD", cpu = 4, memory_gb = 16 } }
  }
  expect_failures = [var.node_pools]
}

run "latest_image_is_refused" {
  command = plan
  variables {
    components = { orchestrator = { kind = "orchestrator", image = "ghcr.io/acme/octollm-orchestrator:latest", port = 8000 } }
  }
  expect_failures = [var.components]
}

run "tenant_name_must_be_a_label" {
  command = plan
  variables {
    tenants = { "Acme Corp" = {} }
  }
  expect_failures = [var.tenants]
}

run "billed_tenant_needs_a_plan" {
  command = plan
  variables {
    tenants = { acme = { billing_email = "billing@acme.example" } }
  }
  expect_failures = [octollm_platform.this]
}

run "compliance_enforcement" {
  command = plan
  variables {
    compliance_controls = [{ framework = "soc2", control_id = "CC6.1", enforcement = "block" }]
  }
  expect_failures = [var.compliance_controls]
}

run "gateway_name_must_be_a_label" {
  command = plan
  variables {
    gateway = { name = "Gateway_1", image_tag = "v1.0.0" }
  }
  expect_failures = [var.gateway]
}

run "gateway_image_tag_is_never_latest" {
  command = plan
  variables {
    gateway = { image_tag = "latest" }
  }
  expect_failures = [var.gateway]
}

run "gateway_port_in_range" {
  command = plan
  variables {
    gateway = { image_tag = "v1.0.0", port = 70000 }
  }
  expect_failures = [var.gateway]
}

run "gateway_hostnames_need_tls" {
  command = plan
  variables {
    gateway = { image_tag = "v1.0.0", hostnames = ["api.example.com"] }
  }
  expect_failures = [var.gateway]
}

run "gateway_name_taken_by_a_component" {
  command = plan
  variables {
    gateway = { image_tag = "v1.0.0" }
    components = {
      gateway = { kind = "gateway", image = "ghcr.io/acme/octollm-gateway:1.0.0", port = 8080 }
    }
  }
  expect_failures = [data.octollm_image.gateway]
}

# Typed inputs: an attribute left unset takes the child module's default, and the inputs that
# matter on GKE (secret_env and args of components, node pool management and upgrade settings,
# custom models of routes) are accepted; the child modules' own tests check they reach the
# resources.
run "typed_inputs_take_the_modules_defaults_and_pass_through" {
  command = plan
  variables {
    node_pools = {
      general = { cpu = 4, memory_gb = 16, management = { auto_upgrade = false }, upgrade_settings = { max_surge = 2 } }
    }
    components = {
      planner = {
        kind       = "arm"
        image      = "ghcr.io/acme/octollm-planner:1.4.2"
        port       = 8001
        args       = ["--workers", "4"]
        secret_env = { OPENAI_API_KEY = { secret = "llm-keys", key = "openai" } }
      }
    }
    routes = {
      summaries = {
        required_capability  = "knowledge"
        min_capability_score = 5
        custom_models        = [{ name = "mistral-7b-ft", capabilities = { knowledge = 6 }, input_cost_per_million = 0.2, output_cost_per_million = 0.2 }]
      }
    }
    compliance_controls = [{ framework = "soc2", control_id = "CC6.1" }]
    network_policy      = { cluster_cidrs = ["10.0.0.0/14"] }
  }
  assert {
    condition     = module.node_pools.pools["general"].workload_type == "general" && !module.node_pools.pools["general"].spot && !module.node_pools.pools["general"].gvisor
    error_message = "a pool with only cpu and memory_gb did not take node-pools' defaults (general, not spot, no GKE Sandbox)"
  }
  assert {
    condition     = module.runtime.components["planner"].service_name != null && output.compliance["soc2/CC6.1"].enforcement == "audit"
    error_message = "the component was not planned, or the control did not take compliance-baseline's default enforcement (audit)"
  }
  assert {
    condition     = octollm_platform.this.network_policy.enabled && octollm_platform.this.network_policy.gateway_port == 8080 && octollm_platform.this.network_policy.egress_ports == tolist([443]) && octollm_platform.this.network_policy.cluster_cidrs == tolist(["10.0.0.0/14"])
    error_message = "the network policy is not enabled with the gateway on 8080, egress on 443 and the cluster's ranges"
  }
}
