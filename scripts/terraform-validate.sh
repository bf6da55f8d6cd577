#!/usr/bin/env bash
# Runs `init -backend=false` and `validate` with HashiCorp Terraform (default bin/terraform,
# 1.5.7: the lowest version every versions.tf declares) on every module under modules/ and every
# example root: examples/quickstart, examples/environments (and each examples/environments/*
# with .tf files), and the docs' examples (examples/provider, resources/* and data-sources/*)
# together as one root. Terraform 1.5 has no `terraform test`, so
# this is what proves the modules load on it: a variable validation that refers to another
# variable ("Invalid reference in variable validation" before 1.9), a function or syntax newer
# than 1.5 all fail here while OpenTofu accepts them. No sandbox is needed.
#   scripts/terraform-validate.sh [dir...]   (dirs relative to the repository; default all)
# Environment:
#   OCTOLLM_PROVIDER_DIR   holds terraform-provider-octollm; default bin/ (`make build`)
#   OCTOLLM_VALIDATE_CLI   the CLI; default bin/terraform (bin/tofu works too)
#   OCTOLLM_VALIDATE_PROVIDER_VERSION  the version the local provider is offered as; default 0.1.0
# The provider comes from OCTOLLM_PROVIDER_DIR through a filesystem mirror, so neither init nor
# validate reaches a registry; the .tf files are copied to a scratch directory first, so nothing
# (.terraform/, lock files) is left in the checkout, and a committed .terraform.lock.hcl (whose
# checksums are the released provider's) is not consulted.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROVIDER_DIR=${OCTOLLM_PROVIDER_DIR:-$ROOT/bin}
CLI=${OCTOLLM_VALIDATE_CLI:-$ROOT/bin/terraform}
[[ -x $PROVIDER_DIR/terraform-provider-octollm ]] || { echo "terraform-validate: no provider in $PROVIDER_DIR (make build)" >&2; exit 2; }
[[ -x $CLI ]] || { echo "terraform-validate: no CLI at $CLI (make tools)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Terraform 1.5's init still asks the registry for a provider under dev_overrides, so the
# provider is served from a filesystem mirror instead, as version $VERSION (which every
# versions.tf constraint must admit), for both registry hostnames (terraform's and tofu's).
VERSION=${OCTOLLM_VALIDATE_PROVIDER_VERSION:-0.1.0}
platform=$(go env GOOS 2>/dev/null || uname -s | tr '[:upper:]' '[:lower:]')_$(go env GOARCH 2>/dev/null || echo amd64)
for host in registry.terraform.io registry.opentofu.org; do
	mkdir -p "$work/mirror/$host/octollm/octollm/$VERSION/$platform"
	cp "$PROVIDER_DIR/terraform-provider-octollm" "$work/mirror/$host/octollm/octollm/$VERSION/$platform/terraform-provider-octollm_v$VERSION"
done
cat >"$work/cli.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/octollm/octollm", "registry.opentofu.org/octollm/octollm"]
  }
}
CFG
export TF_CLI_CONFIG_FILE=$work/cli.tfrc TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 TF_INPUT=0

# The docs' examples are parts of one configuration (the tenant's billing refers to the billing
# plan's example): examples/provider, examples/resources/* and examples/data-sources/* are
# validated together as this one root.
DOCS_EXAMPLES=examples/resources+data-sources
dirs=("$@")
if ((${#dirs[@]} == 0)); then
	cd "$ROOT"
	for d in modules/*/ examples/quickstart/ examples/environments/ examples/environments/*/; do
		compgen -G "$d*.tf" >/dev/null && dirs+=("${d%/}")
	done
	dirs+=("$DOCS_EXAMPLES")
fi
echo "terraform-validate: $("$CLI" version | head -1) on ${#dirs[@]} directories"
status=0
for rel in "${dirs[@]}"; do
	# The copy keeps the path below the repository so relative module sources (../../modules/x)
	# still resolve: the whole tree of .tf files is copied once, then each root is used in place.
	if [[ ! -d $work/tree ]]; then
		mkdir -p "$work/tree"
		(cd "$ROOT" && find modules examples \( -name '*.tf' -o -name '*.tfvars' -o -name '*.tftest.hcl' \) -print0 |
			xargs -0 cp --parents -t "$work/tree")
		mkdir -p "$work/tree/$DOCS_EXAMPLES"
		for f in "$ROOT"/examples/provider/*.tf "$ROOT"/examples/resources/*/*.tf "$ROOT"/examples/data-sources/*/*.tf; do
			cp "$f" "$work/tree/$DOCS_EXAMPLES/$(basename "$(dirname "$f")")-$(basename "$f")"
		done
	fi
	dir=$work/tree/$rel
	# The docs' examples (examples/resources/*, examples/data-sources/*) leave out the terraform
	# block, which a user's root has once; without it `octollm` would mean hashicorp/octollm.
	if ! grep -qs required_providers "$dir"/*.tf; then
		printf 'terraform {\n  required_providers {\n    octollm = { source = "octollm/octollm" }\n  }\n}\n' >"$dir/zz_validate_providers.tf"
	fi
	if out=$(cd "$dir" && "$CLI" init -backend=false -input=false -no-color 2>&1 && "$CLI" validate -no-color 2>&1); then
		echo "terraform-validate: $rel ok"
	else
		status=1
		echo "terraform-validate: $rel FAILED:" >&2
		printf '%s\n' "$out" | sed 's/^/    /' >&2
	fi
done
exit $status
