variable "pools" {
  description = "Node pools by name. The default is the platform's Phase 6 plan: cpu-optimized, memory-optimized and spot pools. management (auto_repair, auto_upgrade) and upgrade_settings (max_surge, max_unavailable) are GKE's, as octollm_node_pool's blocks; unset, the provider's defaults. Each pool's nodes carry the label and NoSchedule taint workload-type=<workload_type> (except general). gvisor = true makes a GKE Sandbox pool (nodes labelled and tainted sandbox.gke.io/runtime=gvisor), where components with sandboxed = true run; it needs image_type COS_CONTAINERD (the default), and the cluster must keep a pool without GKE Sandbox."
  type = map(object({
    workload_type      = optional(string, "general")
    cpu                = optional(number)
    memory_gb          = optional(number)
    machine_type       = optional(string)
    machine_family     = optional(string)
    spot               = optional(bool, false)
    gvisor             = optional(bool, false)
    image_type         = optional(string)
    initial_node_count = optional(number, 1)
    min_node_count     = optional(number)
    max_node_count     = optional(number)
    location_policy    = optional(string)
    disk_size_gb       = optional(number)
    disk_type          = optional(string)
    node_locations     = optional(list(string))
    labels             = optional(map(string), {})
    taints = optional(list(object({
      key    = string
      value  = optional(string)
      effect = string
    })), [])
    # GKE's node management and surge upgrades; null: the provider's defaults (auto-repair and
    # auto-upgrade on, one surge node and none unavailable).
    management = optional(object({
      auto_repair  = optional(bool)
      auto_upgrade = optional(bool)
    }))
    upgrade_settings = optional(object({
      max_surge       = optional(number)
      max_unavailable = optional(number)
    }))
  }))
  nullable = false
  default = {
    "cpu-optimized-pool" = {
      workload_type      = "cpu-optimized"
      cpu                = 16
      memory_gb          = 16
      initial_node_count = 2
      min_node_count     = 2
      max_node_count     = 20
    }
    "memory-optimized-pool" = {
      workload_type      = "memory-optimized"
      cpu                = 8
      memory_gb          = 64
      initial_node_count = 2
      min_node_count     = 2
      max_node_count     = 10
    }
    # GKE Sandbox (gVisor): the default components' executor arm is sandboxed on spot.
    "spot-pool" = {
      workload_type      = "spot"
      spot               = true
      gvisor             = true
      cpu                = 8
      memory_gb          = 32
      initial_node_count = 3
      min_node_count     = 3
      max_node_count     = 50
    }
  }

  validation {
    condition     = alltrue([for name, _ in var.pools : can(regex("^[a-z][a-z0-9-]{0,39}$", name))])
    error_message = "var.pools: every key (the pool name) must be 1-40 lowercase letters, digits and hyphens, starting with a letter."
  }
  validation {
    condition     = alltrue([for p in values(var.pools) : contains(["cpu-optimized", "memory-optimized", "spot", "general"], p.workload_type)])
    error_message = "var.pools: workload_type must be one of cpu-optimized, memory-optimized, spot or general."
  }
  validation {
    condition     = alltrue([for p in values(var.pools) : (p.machine_type == null) != (p.cpu == null && p.memory_gb == null) && ((p.cpu == null) == (p.memory_gb == null))])
    error_message = "var.pools: set either cpu and memory_gb together, or machine_type, for every pool."
  }
  validation {
    condition     = alltrue([for p in values(var.pools) : (p.min_node_count == null) == (p.max_node_count == null)])
    error_message = "var.pools: min_node_count and max_node_count are set together (autoscaling) or both left out (a fixed size)."
  }
  validation {
    condition = alltrue([for p in values(var.pools) : p.min_node_count == null ? true : (
      p.min_node_count >= 0 && p.max_node_count >= 1 && p.min_node_count <= p.max_node_count &&
      p.initial_node_count >= p.min_node_count && p.initial_node_count <= p.max_node_count
    )])
    error_message = "var.pools: autoscaling needs 0 <= min_node_count <= initial_node_count <= max_node_count and max_node_count >= 1."
  }
  validation {
    condition     = alltrue([for p in values(var.pools) : p.initial_node_count >= 1 && p.initial_node_count <= 1000])
    error_message = "var.pools: initial_node_count must be between 1 and 1000 (nodes per zone at creation; for a pool that scales to zero, set min_node_count = 0)."
  }
  validation {
    condition     = alltrue([for p in values(var.pools) : p.image_type == null || contains(["COS_CONTAINERD", "UBUNTU_CONTAINERD"], coalesce(p.image_type, "-"))])
    error_message = "var.pools: image_type must be COS_CONTAINERD or UBUNTU_CONTAINERD."
  }
  validation {
    condition     = alltrue([for p in values(var.pools) : !p.gvisor || p.image_type == null || p.image_type == "COS_CONTAINERD"])
    error_message = "var.pools: a pool with gvisor = true (GKE Sandbox) runs only on image_type COS_CONTAINERD: leave image_type unset or set it to COS_CONTAINERD, or set gvisor = false."
  }
  validation {
    condition = alltrue([for p in values(var.pools) : p.upgrade_settings == null ? true : (
      coalesce(p.upgrade_settings.max_surge, 1) >= 0 && coalesce(p.upgrade_settings.max_unavailable, 0) >= 0 &&
      coalesce(p.upgrade_settings.max_surge, 1) + coalesce(p.upgrade_settings.max_unavailable, 0) >= 1
    )])
    error_message = "var.pools: upgrade_settings needs max_surge and max_unavailable of 0 or more, not both 0 (an upgrade could then make no progress)."
  }
  validation {
    condition     = alltrue([for p in values(var.pools) : p.workload_type != "spot" || p.spot])
    error_message = "var.pools: a pool of workload_type spot must set spot = true."
  }
}

variable "name_prefix" {
  description = "Prefix of every pool name, such as \"dev-\"; with the key it must stay within 40 characters."
  type        = string
  default     = ""
  nullable    = false
  validation {
    condition     = can(regex("^([a-z][a-z0-9-]{0,20})?$", var.name_prefix))
    error_message = "var.name_prefix must be empty or up to 21 lowercase letters, digits and hyphens starting with a letter."
  }
}

variable "cluster" {
  description = "The GKE cluster name; null: the provider's gke.cluster."
  type        = string
  default     = null
}
