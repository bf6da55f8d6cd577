output "pools" {
  description = "By pool key: the pool's id, name, machine type, image type, workload type, spot, gvisor (GKE Sandbox) and status."
  value = {
    for k, p in octollm_node_pool.this : k => {
      id            = p.id
      name          = p.name
      machine_type  = p.machine_type
      workload_type = p.workload_type
      spot          = p.spot
      gvisor        = p.sandbox_config != null
      image_type    = p.image_type
      status        = p.status
    }
  }
}

output "workload_types" {
  description = "The workload types the pools provide, for components' placement."
  value       = toset([for p in octollm_node_pool.this : p.workload_type])
}

output "gvisor_workload_types" {
  description = "The workload types that have a GKE Sandbox (gVisor) pool, for sandboxed components' placement."
  value       = toset([for p in octollm_node_pool.this : p.workload_type if p.sandbox_config != null])
}

output "ids" {
  description = "The pools' resource names, so other resources can depend on the pools."
  value       = [for p in octollm_node_pool.this : p.id]
}
