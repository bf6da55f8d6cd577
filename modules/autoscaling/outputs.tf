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
