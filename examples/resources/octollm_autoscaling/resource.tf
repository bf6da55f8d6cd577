# The orchestrator's hybrid scaling from the platform plan: replicas on CPU, memory and task
# queue depth (aggressive up, conservative down), VPA recommendations, and a PDB that keeps
# two replicas through spot preemptions. CPU and memory need only metrics-server; the Pods
# metric task_queue_depth needs a custom.metrics.k8s.io adapter serving it (on GKE: Managed
# Service for Prometheus + the custom-metrics-stackdriver-adapter), or the HPA never scales
# down (the plan warns when the cluster does not serve it).
resource "octollm_autoscaling" "orchestrator" {
  namespace = "octollm"
  target {
    kind = "Deployment"
    name = "orchestrator"
  }
  min_replicas       = 3
  max_replicas       = 20
  cpu_utilization    = 70
  memory_utilization = 75
  metric {
    type          = "Pods"
    name          = "task_queue_depth"
    average_value = "10"
  }
  scale_up {
    stabilization_window_seconds = 30
    select_policy                = "Max"
    policy {
      type           = "Percent"
      value          = 100
      period_seconds = 30
    }
    policy {
      type           = "Pods"
      value          = 4
      period_seconds = 30
    }
  }
  scale_down {
    stabilization_window_seconds = 300
    select_policy                = "Min"
    policy {
      type           = "Percent"
      value          = 50
      period_seconds = 60
    }
    policy {
      type           = "Pods"
      value          = 2
      period_seconds = 60
    }
  }
  vertical {
    update_mode          = "Off"
    container            = "orchestrator"
    min_allowed          = { cpu = "500m", memory = "1Gi" }
    max_allowed          = { cpu = "8", memory = "16Gi" }
    controlled_resources = ["cpu", "memory"]
  }
  disruption_budget {
    min_available = 2
  }
}
