#!/usr/bin/env bash
# Benchmark: the quickstart platform (examples/quickstart: node pools, runtime, autoscaling,
# network policies, billing plan, two tenants, routes, SOC 2 baseline) through the provider:
# `tofu apply`, a no-op `tofu plan` (must exit 0 with -detailed-exitcode) and `tofu destroy`,
# timed, with the provider's peak memory (largest VmHWM of this checkout's provider processes,
# read from /proc every 0.1 s). Set up as `make demo` does (gateway image pushed to the
# sandbox's registry, variables from the sandbox's env). Writes bench/quickstart/REPORT.md.
#   bash bench/quickstart/run.sh [runs=3]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-3}
cd "$ROOT"
make -s build >/dev/null
BIN=$ROOT/bin
DIR=$ROOT/.sandbox-bench-quickstart
export OCTOLLM_SANDBOX_PORT_BASE=${OCTOLLM_BENCH_PORT_BASE:-18600}
WORK=$(mktemp -d)
"$BIN/octollm-sandbox" down --dir "$DIR" >/dev/null 2>&1 || true
trap '"$BIN/octollm-sandbox" down --dir "$DIR" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
"$BIN/octollm-sandbox" up --dir "$DIR" --bin "$BIN" >/dev/null
# shellcheck disable=SC1091
source "$DIR/env"
bash scripts/dev-overrides.sh "$BIN" >"$WORK/dev.tfrc"
export TF_CLI_CONFIG_FILE=$WORK/dev.tfrc
TAG=bench
REPOSITORY=$OCTOLLM_REGISTRY/octollm/gateway
"$BIN/octollm-image" --dir "$ROOT" --repository "$REPOSITORY" --tag "$TAG" --version "$TAG" >/dev/null
export TF_VAR_gateway_image_repository=$REPOSITORY TF_VAR_gateway_image_tag=$TAG
TF_VAR_gateway_env=$(env | grep -E '^OCTOLLM_UPSTREAM_[A-Z_]+_URL=|^OCTOLLM_REDIS_URL=|^OCTOLLM_STRIPE_API_BASE=' | sort |
	awk -F= 'BEGIN { printf "{" } { v = substr($0, length($1) + 2); printf "%s\"%s\":\"%s\"", (NR > 1 ? "," : ""), $1, v } END { print "}" }')
export TF_VAR_gateway_env
QUICKSTART=$ROOT/examples/quickstart
TOFU="$BIN/tofu -chdir=$QUICKSTART"
$TOFU get -no-color >/dev/null
PROVIDER_BIN=$BIN/terraform-provider-octollm

seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }
sample_peak() {
	local out=$1 peak=0 pid hwm
	while [ ! -e "$out.stop" ]; do
		for pid in $(pgrep -f "$PROVIDER_BIN" || true); do
			[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$PROVIDER_BIN" ] || continue
			hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
			if [ -n "$hwm" ] && ((hwm > peak)); then peak=$hwm; fi
		done
		echo "$peak" >"$out"
		sleep 0.1
	done
}
timed() {
	local name=$1 start end sampler
	shift
	rm -f "$WORK/peak" "$WORK/peak.stop"
	sample_peak "$WORK/peak" &
	sampler=$!
	start=$(date +%s.%N)
	"$@" >"$WORK/$name.log" 2>&1 || { touch "$WORK/peak.stop"; wait "$sampler"; cat "$WORK/$name.log"; exit 1; }
	end=$(date +%s.%N)
	touch "$WORK/peak.stop"
	wait "$sampler"
	T=$(seconds "$start" "$end")
	PEAK=$(($(cat "$WORK/peak") / 1024))
}
STATE=$WORK/terraform.tfstate
noop_plan() { $TOFU plan -state="$STATE" -detailed-exitcode -input=false -no-color; }

declare -a applies=() plans=() destroys=() rows=()
for i in $(seq 1 "$RUNS"); do
	timed "apply-$i" $TOFU apply -state="$STATE" -auto-approve -input=false -no-color
	a=$T am=$PEAK
	resources=$($TOFU state list -state="$STATE" | wc -l)
	timed "plan-$i" noop_plan
	p=$T pm=$PEAK
	timed "destroy-$i" $TOFU destroy -state="$STATE" -auto-approve -input=false -no-color
	d=$T dm=$PEAK
	applies+=("$a") plans+=("$p") destroys+=("$d")
	rows+=("| $i | $a | $p | $d | $am / $pm / $dm |")
	echo "run $i: apply ${a}s, no-op plan ${p}s, destroy ${d}s; provider peak RSS $am/$pm/$dm MB ($resources resources)"
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
range() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s to %s", lo, hi }'; }

cat >bench/quickstart/REPORT.md <<REPORT
# Benchmark: the quickstart platform through the provider

Command: \`bash bench/quickstart/run.sh $RUNS\` on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/^Mem:/ { print $2 }') GiB), $(date -u +%Y-%m-%d),
provider at $(git rev-parse --short HEAD).

examples/quickstart ($resources resources in the state after apply: node pools, the runtime with the
gateway image by digest, autoscaling, network policies, a billing plan, two tenants, routes, the SOC 2
baseline) applied to a fresh sandbox with \`tofu apply\`, then a no-op \`tofu plan\` (must exit 0
with -detailed-exitcode), then \`tofu destroy\`, $RUNS times. Default parallelism (10). The GKE
emulator's node pool operations take their default time; they set most of apply and destroy.
Peak memory is the largest VmHWM (peak resident set size, /proc/PID/status, sampled every 0.1 s)
of the provider processes OpenTofu started during the operation.

| run | apply (s) | no-op plan (s) | destroy (s) | provider peak RSS, apply / plan / destroy (MB) |
|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

Median (min to max): apply **$(median "${applies[@]}") s** ($(range "${applies[@]}")), no-op plan
**$(median "${plans[@]}") s** ($(range "${plans[@]}")), destroy **$(median "${destroys[@]}") s** ($(range "${destroys[@]}")).
REPORT
echo "wrote bench/quickstart/REPORT.md"
