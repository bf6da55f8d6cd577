data "octollm_cluster" "this" {}

output "kubernetes_version" {
  value = data.octollm_cluster.this.kubernetes_version
}
