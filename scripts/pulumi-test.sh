#!/usr/bin/env bash
# make pulumi-test: the Pulumi example (pulumi/examples/platform) brought up, updated,
# refreshed and destroyed as its dev stack through the Automation API, against a sandbox.
#   OCTOLLM_SANDBOX_DIR=DIR  use that running sandbox (scripts/testacc.sh passes its own);
#                            unset, one is started on OCTOLLM_PULUMI_PORT_BASE (default 17700)
#                            in .sandbox-pulumi and always stopped.
# Builds bin/pulumi (tools/install.sh pulumi: cached by its stamp) and the provider plugin
# bin/pulumi-resource-octollm (make pulumi-build) first; the test finds both on PATH.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SANDBOX=$ROOT/bin/octollm-sandbox

bash tools/install.sh pulumi
make --no-print-directory pulumi-build

if [[ -z ${OCTOLLM_SANDBOX_DIR:-} ]]; then
	DIR=$ROOT/.sandbox-pulumi
	stop() { "$SANDBOX" down --dir "$DIR" >/dev/null || true; }
	trap stop EXIT
	trap 'exit 130' INT TERM
	"$SANDBOX" down --dir "$DIR" >/dev/null 2>&1 || true
	OCTOLLM_SANDBOX_PORT_BASE=${OCTOLLM_PULUMI_PORT_BASE:-17700} "$SANDBOX" up --dir "$DIR" --bin "$ROOT/bin"
	export OCTOLLM_SANDBOX_DIR=$DIR
fi

echo "pulumi-test: $("$ROOT/bin/pulumi" version) against the sandbox in $OCTOLLM_SANDBOX_DIR"
cd pulumi
OCTOLLM_PULUMI_TEST=1 go test -count=1 -timeout 30m -run 'TestDevStack' ./examples/platform/
