# Plan only: the default components are the seed's orchestrator and executor arm, placed by
# workload type with hybrid autoscaling; bad components are refused by var.components.

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
  assert {
    condition     = output.service_urls["orchestrator"] == "http://orchestrator.${var.namespace}.svc.cluster.local:8000"
    error_message = "the orchestrator's service URL is wrong"
  }
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
