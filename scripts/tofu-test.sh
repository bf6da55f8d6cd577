#!/usr/bin/env bash
# Runs `tofu test` in the modules under modules/, with the provider from a directory through
# dev_overrides (no registry, no `tofu init`). Two kinds of test files:
#   - plan tests (a file declaring `mock_provider "octollm"`): need no sandbox; run when
#     OCTOLLM_SANDBOX_DIR is unset (examples/environments' once per environment's tfvars file,
#     with -var-file);
#   - apply tests (every other file): create a small platform in a running sandbox; run, with
#     `tofu validate` and `tofu plan -var-file=<env>.tfvars` of the examples/environments root
#     for every environment's tfvars file, when OCTOLLM_SANDBOX_DIR is set.
#   scripts/tofu-test.sh [dir...]                           # plan tests, no sandbox
#   OCTOLLM_SANDBOX_DIR=$PWD/.sandbox scripts/tofu-test.sh [dir...]   # apply tests
# A dir is relative to the repository, such as modules/platform or
# examples/environments/dev.tfvars (a tfvars file: its directory planned with it); a bare name
# means modules/<name>. Default: every module with tests/ and every examples/environments/*.tfvars.
# Environment:
#   OCTOLLM_SANDBOX_DIR    the sandbox (its env file points the provider at it)
#   OCTOLLM_PROVIDER_DIR   holds terraform-provider-octollm; default bin/ (`make build`)
#   TF_ACC_TERRAFORM_PATH  the CLI; default bin/tofu
#   OCTOLLM_MODULES_NAMESPACE  the platform namespace the tests use, also the provider's
#                          namespace (routes and evidence live there); default octollm-modules
#   OCTOLLM_MODULES_STRIPE_API_KEY  a Stripe test key of the tests' own (the sandbox keeps an
#                          account per key); default the sandbox env's
# With dev_overrides, `tofu init` would try to resolve the overridden provider from the
# registry and fail offline; `tofu test` does not need it: `tofu get` installs the local
# module calls and the provider comes from the override. A mock provider still reads the
# provider's schema from the binary, but never configures it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SANDBOX=${OCTOLLM_SANDBOX_DIR:-}
if [[ -n $SANDBOX ]]; then
	# shellcheck disable=SC1091
	source "$SANDBOX/env"
	export STRIPE_API_KEY=${OCTOLLM_MODULES_STRIPE_API_KEY:-$STRIPE_API_KEY}
fi
PROVIDER_DIR=${OCTOLLM_PROVIDER_DIR:-$ROOT/bin}
TOFU=${TF_ACC_TERRAFORM_PATH:-$ROOT/bin/tofu}
[[ -x $PROVIDER_DIR/terraform-provider-octollm ]] || { echo "tofu-test: no provider in $PROVIDER_DIR (make build)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash "$ROOT/scripts/dev-overrides.sh" "$PROVIDER_DIR" >"$work/cli.tfrc"
export TF_CLI_CONFIG_FILE=$work/cli.tfrc TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
# A provider block in a .tftest.hcl file would be taken for hashicorp/octollm, so the tests
# get the namespace from here: the provider's and var.namespace are the same.
export OCTOLLM_NAMESPACE=${OCTOLLM_MODULES_NAMESPACE:-octollm-modules}
export TF_VAR_namespace=$OCTOLLM_NAMESPACE

dirs=()
for a in "$@"; do [[ $a == */* ]] && dirs+=("$a") || dirs+=("modules/$a"); done
if ((${#dirs[@]} == 0)); then
	for d in "$ROOT"/modules/*/tests; do dirs+=("modules/$(basename "$(dirname "$d")")"); done
	# The environments root: its plan tests with each tfvars file, or each planned in the sandbox.
	for f in "$ROOT"/examples/environments/*.tfvars; do dirs+=("examples/environments/$(basename "$f")"); done
fi
status=0
for rel in "${dirs[@]}"; do
	dir=$ROOT/$rel
	varfile=()
	if [[ $rel == *.tfvars ]]; then
		varfile=("-var-file=$(basename "$rel")")
		dir=$(dirname "$dir")
	fi
	echo "tofu-test: $rel"
	start=$SECONDS
	# A root's committed .terraform.lock.hcl stays (dev_overrides does not check it).
	had_lock=0
	[[ -f $dir/.terraform.lock.hcl ]] && had_lock=1
	# A tfvars target runs its root's plan tests with that file (no sandbox), or plans the root
	# against the sandbox (below).
	if [[ -d $dir/tests && (-z $SANDBOX || ${#varfile[@]} -eq 0) ]]; then
		# The files of this pass: mock_provider files without a sandbox, the others with one.
		files=()
		for f in "$dir"/tests/*.tftest.hcl; do
			if grep -q '^mock_provider "octollm"' "$f"; then mocked=1; else mocked=""; fi
			if [[ -n $mocked && -z $SANDBOX ]] || [[ -z $mocked && -n $SANDBOX ]]; then
				files+=("-filter=tests/$(basename "$f")")
			fi
		done
		if ((${#files[@]} == 0)); then
			echo "tofu-test: $rel has no $([[ -n $SANDBOX ]] && echo apply || echo plan) tests"
			continue
		fi
		run=("$TOFU" test -no-color "${varfile[@]}" "${files[@]}")
	elif [[ -z $SANDBOX ]]; then
		echo "tofu-test: $rel needs a sandbox (OCTOLLM_SANDBOX_DIR)" >&2
		status=1
		continue
	else
		# A root configuration: it must be valid and plan against the sandbox; nothing is applied.
		# A tfvars value for a variable the root does not declare is only a warning to the
		# CLI; here it fails, as the environment would silently lose that setting.
		run=(bash -c 'rc=1; out=$(mktemp); trap "rm -f \"$out\"" EXIT
			"$0" validate -no-color && { "$0" plan -no-color -input=false -lock=false -refresh=false "$@" >"$out" 2>&1; rc=$?; cat "$out"; }
			((rc == 0)) && ! grep -q "undeclared variable" "$out"' "$TOFU" "${varfile[@]}")
	fi
	# `tofu get` copies the local module calls into .terraform/, removed after.
	if ! (cd "$dir" && "$TOFU" get -no-color >/dev/null && "${run[@]}"); then
		status=1
		echo "tofu-test: $rel FAILED after $((SECONDS - start))s" >&2
	else
		echo "tofu-test: $rel passed in $((SECONDS - start))s"
	fi
	rm -rf "$dir/.terraform"
	((had_lock)) || rm -f "$dir/.terraform.lock.hcl"
done
exit $status
