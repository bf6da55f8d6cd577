output "pools" {
  description = "By pool key: the pool's id, name, machine type, workload type, spot and status."
  value = {
    for k, p in octollm_node_pool.this : k => {
      id            = p.id
      name          = p.name
      machine_type  = p.machine_type
      workload_type = p.workload_type
      spot          = p.spot
      status        = p.status
    }
  }
}

output "workload_types" {
  description = "The workload types the pools provide, for components' placement."
  value       = toset([for p in octollm_node_pool.this : p.workload_type])
}

output "ids" {
  description = "The pools' resource names, so other resources can depend on the pools."
  value       = [for p in octollm_node_pool.this : p.id]
}
