# Plan only, with a mock provider (no GKE): the defaults are the seed's pools, and bad pools are
# refused by var.pools' validation or the pools' preconditions before anything reaches GKE.

mock_provider "octollm" {}

run "defaults_are_the_seed_pools" {
  command = plan

  assert {
    condition     = toset(keys(octollm_node_pool.this)) == toset(["cpu-optimized-pool", "memory-optimized-pool", "spot-pool"])
    error_message = "the default pools are not cpu-optimized-pool, memory-optimized-pool and spot-pool"
  }
  assert {
    condition     = octollm_node_pool.this["spot-pool"].spot && octollm_node_pool.this["spot-pool"].autoscaling.max_node_count == 50
    error_message = "the spot pool is not spot with 3 to 50 nodes"
  }
  assert {
    condition     = octollm_node_pool.this["spot-pool"].sandbox_config.sandbox_type == "gvisor" && octollm_node_pool.this["cpu-optimized-pool"].sandbox_config == null
    error_message = "the default spot pool is not GKE Sandbox (for the sandboxed executor arm), or another pool is"
  }
  assert {
    condition     = octollm_node_pool.this["memory-optimized-pool"].memory_gb == 64
    error_message = "the memory-optimized pool does not have 64 GB nodes"
  }
}

run "name_prefix_applies" {
  command = plan
  variables {
    name_prefix = "dev-"
    pools       = { general = { cpu = 2, memory_gb = 8 } }
  }
  assert {
    condition     = octollm_node_pool.this["general"].name == "dev-general" && octollm_node_pool.this["general"].autoscaling == null
    error_message = "the pool is not named dev-general with a fixed size"
  }
}

run "min_above_max_is_refused" {
  command = plan
  variables {
    pools = { bad = { workload_type = "cpu-optimized", cpu = 4, memory_gb = 4, initial_node_count = 5, min_node_count = 5, max_node_count = 2 } }
  }
  expect_failures = [var.pools]
}

run "spot_type_needs_spot" {
  command = plan
  variables {
    pools = { cheap = { workload_type = "spot", cpu = 4, memory_gb = 16 } }
  }
  expect_failures = [var.pools]
}

run "cpu_without_memory_is_refused" {
  command = plan
  variables {
    pools = { half = { cpu = 4 } }
  }
  expect_failures = [var.pools]
}

run "gvisor_pool_is_a_gke_sandbox_pool" {
  command = plan
  variables {
    pools = {
      general = { cpu = 2, memory_gb = 8 }
      sandbox = { workload_type = "spot", spot = true, gvisor = true, cpu = 4, memory_gb = 16 }
    }
  }
  assert {
    condition     = octollm_node_pool.this["sandbox"].sandbox_config.sandbox_type == "gvisor" && octollm_node_pool.this["sandbox"].image_type == "COS_CONTAINERD"
    error_message = "the gvisor pool is not a GKE Sandbox pool on COS_CONTAINERD"
  }
  assert {
    condition     = octollm_node_pool.this["general"].sandbox_config == null
    error_message = "a pool without gvisor got a sandbox_config"
  }
  assert {
    condition     = output.gvisor_workload_types == toset(["spot"])
    error_message = "gvisor_workload_types is not the gvisor pool's workload type"
  }
}

run "gvisor_on_ubuntu_is_refused" {
  command = plan
  variables {
    pools = { sandbox = { gvisor = true, image_type = "UBUNTU_CONTAINERD", cpu = 4, memory_gb = 16 } }
  }
  expect_failures = [var.pools]
}

run "unknown_image_type_is_refused" {
  command = plan
  variables {
    pools = { general = { image_type = "WINDOWS", cpu = 4, memory_gb = 16 } }
  }
  expect_failures = [var.pools]
}

run "zero_initial_nodes_is_refused" {
  command = plan
  variables {
    pools = { general = { cpu = 2, memory_gb = 8, initial_node_count = 0 } }
  }
  expect_failures = [var.pools]
}

run "scale_to_zero_starts_with_a_node" {
  command = plan
  variables {
    pools = { batch = { cpu = 2, memory_gb = 8, initial_node_count = 1, min_node_count = 0, max_node_count = 5 } }
  }
  assert {
    condition     = octollm_node_pool.this["batch"].initial_node_count == 1 && octollm_node_pool.this["batch"].autoscaling.min_node_count == 0
    error_message = "a pool scaling from zero is not created with one node and min_node_count 0"
  }
}

run "name_of_40_characters_is_accepted" {
  command = plan
  variables {
    name_prefix = "staging-eu-"
    pools       = { "memory-optimized-pool-abcdefg" = { cpu = 2, memory_gb = 8 } }
  }
  assert {
    condition     = length(octollm_node_pool.this["memory-optimized-pool-abcdefg"].name) == 40
    error_message = "the 40-character pool name was not kept"
  }
}

run "prefix_and_key_over_40_characters_are_refused" {
  command = plan
  variables {
    name_prefix = "staging-eu-west-"
    pools       = { "memory-optimized-pool-abcdefg" = { cpu = 2, memory_gb = 8 } }
  }
  expect_failures = [octollm_node_pool.this]
}

run "management_and_upgrade_settings_pass_through" {
  command = plan
  variables {
    pools = {
      general = { cpu = 2, memory_gb = 8 }
      pinned  = { cpu = 2, memory_gb = 8, management = { auto_upgrade = false }, upgrade_settings = { max_surge = 0, max_unavailable = 1 } }
    }
  }
  assert {
    condition     = octollm_node_pool.this["pinned"].management.auto_upgrade == false && octollm_node_pool.this["pinned"].upgrade_settings.max_surge == 0 && octollm_node_pool.this["pinned"].upgrade_settings.max_unavailable == 1
    error_message = "management and upgrade_settings did not reach the pool"
  }
  assert {
    condition     = octollm_node_pool.this["general"].management == null && octollm_node_pool.this["general"].upgrade_settings == null
    error_message = "a pool without management or upgrade_settings should leave them to the provider"
  }
}

run "upgrade_without_progress_is_refused" {
  command = plan
  variables {
    pools = { general = { cpu = 2, memory_gb = 8, upgrade_settings = { max_surge = 0, max_unavailable = 0 } } }
  }
  expect_failures = [var.pools]
}
