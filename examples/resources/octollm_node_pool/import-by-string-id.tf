# Adopt a node pool GKE already runs: its id is the pool's resource name. Write a matching
# octollm_node_pool "cpu" block, then `terraform plan` shows what would change (nothing, when the
# block matches); apply records it in the state.
import {
  to = octollm_node_pool.cpu
  id = "projects/acme-prod/locations/us-central1/clusters/octollm/nodePools/cpu-optimized-pool"
}
