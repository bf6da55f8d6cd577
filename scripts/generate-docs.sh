#!/usr/bin/env bash
# Regenerates docs/ from the provider schema, templates/ (guides: templates/guides/ into
# docs/guides/) and examples/ with tfplugindocs, then checks the result against the Terraform
# Registry's rules with `tfplugindocs validate` (directories, file extensions and sizes, front
# matter, one page per resource and data source of the schema).
# The schema is read through Terraform 1.5.7 with dev_overrides, so nothing is downloaded.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash scripts/dev-overrides.sh "$ROOT/bin" >"$tmp/dev.tfrc"
cat >"$tmp/main.tf" <<'TF'
terraform {
  required_providers {
    octollm = { source = "octollm/octollm" }
  }
}
TF
TF_CLI_CONFIG_FILE=$tmp/dev.tfrc "$ROOT/bin/terraform" -chdir="$tmp" providers schema -json >"$tmp/schema.json" 2>"$tmp/stderr" || {
	cat "$tmp/stderr" >&2
	exit 1
}
# tfplugindocs looks the schema up by the provider's short name.
sed -i 's#"registry.terraform.io/octollm/octollm"#"octollm"#' "$tmp/schema.json"
"$ROOT/bin/tfplugindocs" generate --provider-name octollm --rendered-provider-name octollm \
	--providers-schema "$tmp/schema.json"
"$ROOT/bin/tfplugindocs" validate --provider-name octollm --providers-schema "$tmp/schema.json" >"$tmp/validate.log" 2>&1 || {
	cat "$tmp/validate.log" >&2
	echo "generate-docs: docs/ breaks the Terraform Registry's rules (tfplugindocs validate, above)" >&2
	exit 1
}
