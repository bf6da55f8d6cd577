# A tenant imports by its name. The key itself is never stored in the cluster, so api_key is
# null after an import until the key is rotated (change api_key_version).
terraform import octollm_tenant.acme acme
