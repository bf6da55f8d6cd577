output "id" {
  description = "namespace/target-name."
  value       = octollm_autoscaling.this.id
}

output "hpa_name" {
  description = "The HorizontalPodAutoscaler's name."
  value       = octollm_autoscaling.this.hpa_name
}

output "vpa_name" {
  description = "The VerticalPodAutoscaler's name, when var.vertical is set."
  value       = octollm_autoscaling.this.vpa_name
}

output "pdb_name" {
  description = "The PodDisruptionBudget's name, when var.min_available is set."
  value       = octollm_autoscaling.this.pdb_name
}

output "scales_on" {
  description = "The metrics the HPA scales on: cpu and memory when their utilization is set, then the pod metrics' names."
  value = concat(
    var.cpu_utilization == null ? [] : ["cpu"],
    var.memory_utilization == null ? [] : ["memory"],
    sort(keys(var.pod_metrics)),
  )
}
