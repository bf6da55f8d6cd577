// Typed Pulumi resources for the OctoLLM platform on Kubernetes and GKE: node pools, tenants, model routes, billing plans, the gateway and compliance controls, bridged from terraform-provider-octollm.
package octollm
