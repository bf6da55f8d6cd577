#!/usr/bin/env bash
# Runs the acceptance tests against one sandbox that it starts on its own ports and always
# stops, even when tests fail, so `make test` never touches the `make demo` sandbox.
#   scripts/testacc.sh [packages...]   (default ./...)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
DIR=${OCTOLLM_TEST_SANDBOX_DIR:-$ROOT/.sandbox-test}
export OCTOLLM_SANDBOX_PORT_BASE=${OCTOLLM_TEST_PORT_BASE:-17400}
SANDBOX=$ROOT/bin/octollm-sandbox

METRICS_DIR=$DIR-metrics
stop() {
	"$SANDBOX" down --dir "$DIR" >/dev/null || true
	"$SANDBOX" down --dir "$METRICS_DIR" >/dev/null 2>&1 || true
}
trap stop EXIT
trap 'exit 130' INT TERM
"$SANDBOX" down --dir "$DIR" >/dev/null 2>&1 || true
# The Stripe emulator logs every request here; the contract check below replays them.
rm -f "$DIR/stripe-requests.jsonl"
"$SANDBOX" up --dir "$DIR" --bin "$ROOT/bin"

export TF_ACC=1
export OCTOLLM_SANDBOX_DIR=$DIR
export TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH:-$ROOT/bin/tofu}
echo "testacc: running acceptance tests through $("$TF_ACC_TERRAFORM_PATH" version | head -1)"
status=0
# One package at a time: tests in a package share the cluster with care (unique names, and
# ordered where they depend on which node pools exist); packages do not know of each other.
go test -count=1 -p 1 -timeout 60m "${@:-./...}" || status=$?
if (($# == 0)) || [[ "$*" == "./..." ]]; then
	# The Pulumi bridge (pulumi/, a module of its own): pulumi-resource-octollm driven over gRPC
	# against the same sandbox.
	(cd pulumi && go test -count=1 -p 1 -timeout 20m ./...) || status=1
fi
if (($# == 0)) || [[ "$*" == "./..." ]]; then
	# An HPA really scaling on CPU needs metrics-server, which runs only in a sandbox of its own
	# (OCTOLLM_SANDBOX_METRICS=1: with it, kwok v0.7.0 can crash when pods are deleted while its
	# watch reconnects, so the shared sandbox leaves it off; see internal/sandbox/metrics.go).
	"$SANDBOX" down --dir "$METRICS_DIR" >/dev/null 2>&1 || true
	if OCTOLLM_SANDBOX_METRICS=1 OCTOLLM_SANDBOX_PORT_BASE=$((OCTOLLM_SANDBOX_PORT_BASE + 100)) \
		"$SANDBOX" up --dir "$METRICS_DIR" --bin "$ROOT/bin"; then
		OCTOLLM_SANDBOX_DIR=$METRICS_DIR OCTOLLM_SANDBOX_METRICS=1 \
			go test -count=1 -timeout 15m -run 'TestAccAutoscaling_scalesOnSimulatedCPU' ./internal/autoscaling/ || status=1
	else
		echo "testacc: the metrics sandbox did not start" >&2
		status=1
	fi
	"$SANDBOX" down --dir "$METRICS_DIR" >/dev/null 2>&1 || true
fi
if (($# == 0)) || [[ "$*" == "./..." ]]; then
	# The Stripe contract: every request the provider (and the tests' own checks) made to the
	# Stripe emulator is replayed against stripe-mock, Stripe's OpenAPI-driven mock; any 4xx,
	# or no request at all, fails the run.
	"$SANDBOX" stripe-contract --dir "$DIR" || status=1
fi
if (($# == 0)) || [[ "$*" == "./..." ]] && [[ -x $ROOT/bin/pulumi ]]; then
	# The Pulumi example's dev stack (make pulumi-test) on the same sandbox, when `make tools`
	# has built the Pulumi CLI.
	OCTOLLM_SANDBOX_DIR=$DIR bash scripts/pulumi-test.sh || status=1
fi
if ((status != 0)); then
	echo "testacc: FAILED; sandbox logs:" >&2
	for f in "$DIR"/logs/*.log; do echo "--- $f (last 15 lines)" >&2; tail -n 15 "$f" >&2 || true; done
fi
exit $status
