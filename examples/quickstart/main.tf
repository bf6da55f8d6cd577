# The whole OctoLLM platform through modules/platform: node pools (with a GKE Sandbox pool for
# the executor arm), the runtime with this project's gateway image by digest running as its
# ServiceAccount, autoscaling, the platform's network policies, a billing plan, two tenants,
# routes and the SOC 2 baseline enforced. `make demo` applies it to the local sandbox (pushing
# the gateway image to the sandbox's registry first); on GKE, configure the provider from the
# environment (see the README) and set the variables below.
terraform {
  required_providers {
    octollm = {
      source = "octollm/octollm"
    }
  }
}

# Everything comes from the environment: `source .sandbox/env` for the sandbox.
provider "octollm" {
  namespace = var.namespace
}

variable "namespace" {
  description = "The platform namespace."
  type        = string
  default     = "octollm"
}

variable "gateway_image_repository" {
  description = "Where the gateway image is pushed: `make demo` sets the sandbox's registry (OCTOLLM_REGISTRY/octollm/gateway)."
  type        = string
  default     = "ghcr.io/octollm/octollm-gateway"
}

variable "gateway_image_tag" {
  description = "The gateway image's tag, resolved to its digest at plan: `make demo` sets what `make images` pushed."
  type        = string
}

variable "gateway_env" {
  description = "Where the gateway reaches its LLM providers, Redis and Stripe: `make demo` points them at the sandbox's emulators and redis-server; on GKE, the providers' defaults and Memorystore."
  type        = map(string)
  default     = {}
}

variable "gateway_credentials_secret" {
  description = "The Secret in the platform namespace holding the providers' API keys and the Stripe key (keys openai, anthropic, stripe), created outside Terraform (`make demo` creates it; on GKE, sync it from Secret Manager)."
  type        = string
  default     = "octollm-gateway-credentials"
}

variable "node_subnet_cidr" {
  description = "The nodes' subnet (the default VPC's us-central1 range here): with the cluster's pod and Service ranges, what the network policies treat as inside the cluster."
  type        = string
  default     = "10.128.0.0/20"
}

# The GKE cluster: its pod and Service ranges, so "outside" in the network policies excludes them.
data "octollm_cluster" "this" {}

module "platform" {
  source = "../../modules/platform"

  namespace   = var.namespace
  environment = "dev"
  # The sandbox is thrown away with `make sandbox-down`; keep the default (true) on GKE.
  deletion_protection = false

  # The Phase 6 pools, and GKE Sandbox (gVisor) spot capacity for the executor arm.
  node_pools = {
    "cpu-optimized-pool"    = { workload_type = "cpu-optimized", cpu = 16, memory_gb = 16, initial_node_count = 2, min_node_count = 2, max_node_count = 20 }
    "memory-optimized-pool" = { workload_type = "memory-optimized", cpu = 8, memory_gb = 64, initial_node_count = 2, min_node_count = 2, max_node_count = 10 }
    "spot-pool"             = { workload_type = "spot", spot = true, cpu = 8, memory_gb = 32, initial_node_count = 2, min_node_count = 2, max_node_count = 50 }
    "sandbox-spot-pool"     = { workload_type = "spot", spot = true, gvisor = true, cpu = 8, memory_gb = 32, initial_node_count = 2, min_node_count = 2, max_node_count = 20 }
  }
  # components: the default orchestrator (cpu-optimized, HPA on CPU and memory) and executor arm
  # (sandboxed, on spot), with the OctoLLM images they are released as.

  gateway = {
    image_repository = var.gateway_image_repository
    image_tag        = var.gateway_image_tag
    env              = var.gateway_env
    secret_env = {
      OPENAI_API_KEY    = { secret = var.gateway_credentials_secret, key = "openai" }
      ANTHROPIC_API_KEY = { secret = var.gateway_credentials_secret, key = "anthropic" }
      STRIPE_API_KEY    = { secret = var.gateway_credentials_secret, key = "stripe" }
    }
    # Served at https://api.octollm.example through a GKE global external Application Load
    # Balancer, with the certificate of a Certificate Manager map.
    hostnames = ["api.octollm.example"]
    tls       = { certificate_map = "octollm-api" }
  }

  # On top of the SOC 2 default deny: the gateway's port from outside (and GKE's load
  # balancers), its egress to DNS, the apiserver, LLM providers, Stripe and Redis; orchestrator
  # to arms. Tenants' pods are inside the cluster, so they are not "outside".
  network_policy = {
    cluster_cidrs = [data.octollm_cluster.this.pod_ipv4_cidr, data.octollm_cluster.this.services_ipv4_cidr, var.node_subnet_cidr]
  }

  # Usage billing: one Stripe product with a metered price per meter the gateway reports.
  billing_plan = { name = "usage" }

  tenants = {
    demo = {
      display_name   = "Demo Corp"
      allowed_models = ["gpt-4o-mini", "gpt-4o", "claude-haiku-4-5"]
      billing_email  = "billing@demo.example"
    }
    acme = {
      display_name   = "Acme Inc"
      tier           = "free"
      allowed_models = ["gpt-4o-mini", "claude-haiku-4-5"]
    }
  }

  # Chat goes to the cheapest target good enough at reasoning, and to Claude when it fails.
  routes = {
    chat = {
      strategy             = "cheapest_capable"
      required_capability  = "reasoning"
      min_capability_score = 5
      targets              = [{ model = "gpt-4o-mini" }, { model = "gpt-4o" }]
      fallback             = { on = ["rate_limit", "server_error", "timeout"], models = ["claude-haiku-4-5"], max_attempts = 1 }
    }
  }

  # SOC 2: least privilege, restricted pods and a default-deny network (CC6.1), boundary
  # protection (CC6.6), enforced on the platform namespace and every tenant.
  compliance_controls = [
    { framework = "soc2", control_id = "CC6.1", enforcement = "enforce" },
    { framework = "soc2", control_id = "CC6.6", enforcement = "enforce" },
  ]
}

output "node_pools" {
  value = { for k, p in module.platform.node_pools : k => p.machine_type }
}

output "gateway" {
  description = "The gateway's image (by digest), ServiceAccount and public URL."
  value       = module.platform.gateway
}

output "service_urls" {
  value = module.platform.service_urls
}

output "tenants" {
  value = module.platform.tenants
}

output "demo_api_key" {
  value     = module.platform.tenant_api_keys["demo"]
  sensitive = true
}

output "acme_api_key" {
  value     = module.platform.tenant_api_keys["acme"]
  sensitive = true
}

output "routes" {
  value = { for k, r in module.platform.routes : k => r.effective_model }
}

output "compliance" {
  value = { for k, c in module.platform.compliance : k => c.status }
}
