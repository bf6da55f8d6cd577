#!/usr/bin/env bash
# Prints a CLI configuration whose dev_overrides use the provider built in $1 (default bin/).
# `octollm/octollm` means registry.opentofu.org/... to tofu and registry.terraform.io/... to
# terraform, so both are listed.
set -euo pipefail
dir=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bin}
cat <<CFG
provider_installation {
  dev_overrides {
    "registry.opentofu.org/octollm/octollm"  = "$dir"
    "registry.terraform.io/octollm/octollm"  = "$dir"
  }
  direct {}
}
CFG
