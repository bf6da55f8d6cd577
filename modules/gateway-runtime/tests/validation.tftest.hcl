# Plan only: the default components are the seed's orchestrator and executor arm, placed by
# workload type with hybrid autoscaling on CPU and memory; bad components are refused by
# var.components.

# A mock provider: nothing reaches a cluster. Computed values the provider validates when
# another resource takes them get well-formed mock values.
mock_provider "octollm" {
  mock_resource "octollm_component" {
    defaults = { deployment_name = "mocked-deployment", service_name = "mocked-service" }
  }
  mock_resource "octollm_platform" {
    defaults = { gateway_service_account = "octollm-gateway" }
  }
  mock_data "octollm_image" {
    defaults = { image = "ghcr.io/octollm/octollm-gateway@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" }
  }
}

run "defaults_are_the_seed_runtime" {
  command = plan

  assert {
    condition     = octollm_component.this["orchestrator"].placement.workload_type == "cpu-optimized" && octollm_component.this["orchestrator"].replicas == null
    error_message = "the orchestrator is not placed on cpu-optimized nodes with replicas left to the HPA"
  }
  assert {
    condition     = octollm_component.this["executor-arm"].placement.workload_type == "spot" && octollm_component.this["executor-arm"].sandboxed
    error_message = "the executor arm is not sandboxed on spot nodes"
  }
  assert {
    condition     = length(module.autoscaling) == 2
    error_message = "both default components should have autoscaling"
  }
  # service_url is the provider's (mocked here); modules/platform's apply test checks it.
  assert {
    condition     = octollm_component.this["orchestrator"].port == 8000 && octollm_component.this["orchestrator"].namespace == var.namespace
    error_message = "the orchestrator does not listen on 8000 in var.namespace"
  }
  # Every default HPA scales on metrics any GKE cluster serves (metrics-server's CPU and
  # memory), never on a custom metric that needs an adapter the platform does not install.
  assert {
    condition     = join(",", output.autoscaling["orchestrator"].scales_on) == "cpu,memory" && join(",", output.autoscaling["executor-arm"].scales_on) == "cpu,memory"
    error_message = "a default component's HPA scales on something other than CPU and memory"
  }
  assert {
    condition     = alltrue([for c in values(var.components) : c.requests.cpu != null && c.requests.memory != null])
    error_message = "a default component has no CPU or memory requests, so its utilization is undefined"
  }
}

run "pod_metrics_still_possible" {
  command = plan
  variables {
    components = {
      planner = {
        kind        = "arm"
        image       = "ghcr.io/acme/octollm-planner:1.4.2"
        port        = 8001
        requests    = { cpu = "250m" }
        autoscaling = { min_replicas = 1, max_replicas = 4, pod_metrics = { task_queue_depth = "10" } }
      }
    }
  }
  assert {
    condition     = join(",", output.autoscaling["planner"].scales_on) == "cpu,task_queue_depth"
    error_message = "pod_metrics did not reach the planner's HPA"
  }
}

run "utilization_without_requests_is_refused" {
  command = plan
  variables {
    components = {
      planner = { kind = "arm", image = "ghcr.io/acme/octollm-planner:1.4.2", port = 8001, autoscaling = { min_replicas = 1, max_replicas = 4 } }
    }
  }
  expect_failures = [var.components]
}

run "memory_utilization_without_memory_request_is_refused" {
  command = plan
  variables {
    components = {
      planner = { kind = "arm", image = "ghcr.io/acme/octollm-planner:1.4.2", port = 8001, requests = { cpu = "250m" }, autoscaling = { min_replicas = 1, max_replicas = 4, memory_utilization = 80 } }
    }
  }
  expect_failures = [var.components]
}

run "replicas_and_autoscaling_conflict" {
  command = plan
  variables {
    components = {
      planner = { kind = "arm", image = "ghcr.io/acme/octollm-planner:1.4.2", port = 8001, replicas = 2, autoscaling = { min_replicas = 2, max_replicas = 10 } }
    }
  }
  expect_failures = [var.components]
}

run "untagged_image_is_refused" {
  command = plan
  variables {
    components = { planner = { kind = "arm", image = "ghcr.io/acme/octollm-planner", port = 8001 } }
  }
  expect_failures = [var.components]
}

run "unknown_kind_is_refused" {
  command = plan
  variables {
    components = { planner = { kind = "worker", image = "ghcr.io/acme/octollm-planner:1.4.2", port = 8001 } }
  }
  expect_failures = [var.components]
}
