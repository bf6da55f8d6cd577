# Autoscaling imports by namespace/target-name.
terraform import octollm_autoscaling.orchestrator octollm/orchestrator
