#!/usr/bin/env bash
# The reliability suite (issue 16) against a sandbox of its own, started with the apiserver fault
# proxy in the provider's path (OCTOLLM_SANDBOX_KUBE_FAULT_ERROR_RATE=0: no faults until a test
# turns them up on /faults/kube), and always stopped, even when tests fail.
#   scripts/reliability.sh [go test flags...]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
DIR=${OCTOLLM_RELIABILITY_SANDBOX_DIR:-$ROOT/.sandbox-reliability}
export OCTOLLM_SANDBOX_PORT_BASE=${OCTOLLM_RELIABILITY_PORT_BASE:-17700}
export OCTOLLM_SANDBOX_KUBE_FAULT_ERROR_RATE=${OCTOLLM_SANDBOX_KUBE_FAULT_ERROR_RATE:-0}
export OCTOLLM_SANDBOX_KUBE_FAULT_SEED=${OCTOLLM_SANDBOX_KUBE_FAULT_SEED:-16}
SANDBOX=$ROOT/bin/octollm-sandbox
REPORT=${OCTOLLM_RELIABILITY_REPORT:-$ROOT/dist/reliability-report.txt}
mkdir -p "$(dirname "$REPORT")"

stop() { "$SANDBOX" down --dir "$DIR" >/dev/null || true; }
trap stop EXIT
trap 'exit 130' INT TERM
"$SANDBOX" down --dir "$DIR" >/dev/null 2>&1 || true
"$SANDBOX" up --dir "$DIR" --bin "$ROOT/bin"

export TF_ACC=1
export OCTOLLM_RELIABILITY_FULL=1
export OCTOLLM_SANDBOX_DIR=$DIR
export TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH:-$ROOT/bin/tofu}
LOG=$REPORT.log
status=0
go test -count=1 -p 1 -timeout 100m -v "$@" ./internal/reliability/ >"$LOG" 2>&1 || status=$?
grep -E '^(=== RUN|--- |PASS|FAIL|ok|\s+\S+_test\.go:)' "$LOG" || true
{
	echo "# Reliability report ($(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
	echo "# Command: make reliability; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo)"
	echo
	grep -oE 'REPORT R[0-9][^:]*: .*' "$LOG" | sed 's/^REPORT //' | sort -s -k1,1 || echo "(no REPORT lines: see the log below)"
	echo
	grep -E '^(--- |ok|FAIL)' "$LOG" || true
	echo
	echo "# Full go test -v output"
	cat "$LOG"
} >"$REPORT"
rm -f "$LOG"
echo "reliability: report in $REPORT"
exit "$status"
