# Plan only, with a mock provider: no cluster is needed (scripts/tofu-test.sh without a sandbox).

mock_provider "octollm" {}

variables {
  namespace = "octollm"
  target    = { name = "orchestrator" }
}

# The defaults are the seed's HPA behavior, the one docs/resources/autoscaling.md shows
# (examples/resources/octollm_autoscaling): up by 100% or 4 pods per 30 s (Max), down by 50% or
# 2 pods per 60 s (Min) after 300 s.
run "defaults_are_the_seed_behavior" {
  command = plan

  assert {
    condition = octollm_autoscaling.this.scale_up.stabilization_window_seconds == 30 && octollm_autoscaling.this.scale_up.select_policy == "Max" && jsonencode(octollm_autoscaling.this.scale_up.policy) == jsonencode([
      { type = "Percent", value = 100, period_seconds = 30 },
      { type = "Pods", value = 4, period_seconds = 30 },
    ])
    error_message = "the default scale-up is not the seed's: 100% or 4 pods per 30 s, Max, after 30 s"
  }
  assert {
    condition = octollm_autoscaling.this.scale_down.stabilization_window_seconds == 300 && octollm_autoscaling.this.scale_down.select_policy == "Min" && jsonencode(octollm_autoscaling.this.scale_down.policy) == jsonencode([
      { type = "Percent", value = 50, period_seconds = 60 },
      { type = "Pods", value = 2, period_seconds = 60 },
    ])
    error_message = "the default scale-down is not the seed's: 50% or 2 pods per 60 s, Min, after 300 s"
  }
  assert {
    condition     = octollm_autoscaling.this.min_replicas == 2 && octollm_autoscaling.this.max_replicas == 10 && octollm_autoscaling.this.cpu_utilization == 70
    error_message = "the default range is not 2-10 replicas on 70% CPU"
  }
  assert {
    condition     = join(",", output.scales_on) == "cpu" && octollm_autoscaling.this.vertical == null && octollm_autoscaling.this.disruption_budget == null
    error_message = "by default the HPA should scale on CPU only, with no VPA and no PDB"
  }
}

run "kubernetes_defaults_when_null" {
  command = plan
  variables {
    scale_up   = null
    scale_down = null
  }
  assert {
    condition     = octollm_autoscaling.this.scale_up == null && octollm_autoscaling.this.scale_down == null
    error_message = "null scale_up and scale_down should leave the HPA's behavior to Kubernetes"
  }
}

run "pod_metrics_vpa_and_pdb" {
  command = plan
  variables {
    memory_utilization = 75
    pod_metrics        = { task_queue_depth = "10" }
    vertical           = { container = "orchestrator" }
    min_available      = "2"
  }
  assert {
    condition     = join(",", output.scales_on) == "cpu,memory,task_queue_depth"
    error_message = "scales_on is not cpu, memory and the pod metric"
  }
  assert {
    condition     = octollm_autoscaling.this.metric[0].type == "Pods" && octollm_autoscaling.this.metric[0].average_value == "10"
    error_message = "the pod metric is not a Pods metric averaging 10"
  }
  assert {
    condition     = octollm_autoscaling.this.vertical.update_mode == "Off" && octollm_autoscaling.this.disruption_budget.min_available == "2"
    error_message = "the VPA is not recommendations only, or the PDB does not keep 2 pods"
  }
}

# A precondition (not a validation naming another variable, which Terraform 1.5 refuses).
run "max_below_min_is_refused" {
  command = plan
  variables {
    min_replicas = 5
    max_replicas = 3
  }
  expect_failures = [octollm_autoscaling.this]
}

run "min_zero_is_refused" {
  command = plan
  variables {
    min_replicas = 0
  }
  expect_failures = [var.min_replicas]
}

run "statefulset_or_deployment_only" {
  command = plan
  variables {
    target = { name = "orchestrator", kind = "DaemonSet" }
  }
  expect_failures = [var.target]
}

run "cpu_utilization_is_a_percentage" {
  command = plan
  variables {
    cpu_utilization = 150
  }
  expect_failures = [var.cpu_utilization]
}

run "unknown_vpa_mode_is_refused" {
  command = plan
  variables {
    vertical = { update_mode = "Sometimes" }
  }
  expect_failures = [var.vertical]
}
