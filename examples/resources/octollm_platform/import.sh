# The platform imports by namespace name; deletion_protection is true after an import.
terraform import octollm_platform.this octollm
