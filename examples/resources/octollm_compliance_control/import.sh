# A control imports by <framework>/<control_id>; its scope, enforcement and parameters come
# from its evidence ConfigMap in the provider's namespace.
terraform import octollm_compliance_control.soc2_cc6_1 soc2/CC6.1
