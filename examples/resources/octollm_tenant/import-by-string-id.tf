# Adopt a tenant by its name (its namespace is tenant-<name>). The API key is never stored in
# the cluster, so api_key stays null after the import until api_key_version changes.
import {
  to = octollm_tenant.acme
  id = "acme"
}
