# A component imports by namespace/name.
terraform import octollm_component.orchestrator octollm/orchestrator
