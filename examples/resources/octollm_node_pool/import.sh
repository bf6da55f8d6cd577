# A node pool imports by its resource name.
terraform import octollm_node_pool.cpu projects/acme-prod/locations/us-central1/clusters/octollm/nodePools/cpu-optimized-pool
