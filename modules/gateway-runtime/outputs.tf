output "components" {
  description = "By component name: its id, Deployment, Service and in-cluster URL."
  value = {
    for name, c in octollm_component.this : name => {
      id              = c.id
      deployment_name = c.deployment_name
      service_name    = c.service_name
      service_url     = c.service_url
      image_digest    = c.image_digest
    }
  }
}

output "service_urls" {
  description = "By component name: http://<name>.<namespace>.svc.cluster.local:<port>."
  value       = { for name, c in octollm_component.this : name => c.service_url }
}

output "autoscaling" {
  description = "By component name (those with autoscaling): the HPA, VPA and PDB names, and the metrics the HPA scales on."
  value = {
    for name, a in module.autoscaling : name => {
      hpa_name  = a.hpa_name
      vpa_name  = a.vpa_name
      pdb_name  = a.pdb_name
      scales_on = a.scales_on
    }
  }
}
