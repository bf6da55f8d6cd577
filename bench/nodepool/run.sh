#!/usr/bin/env bash
# Benchmark: wall time of `tofu apply` creating the seed's three node pools in one apply,
# against the sum of their emulated GKE operation times (GKE runs one operation per cluster
# at a time, so that sum is the floor). Target: at most 1.3x. Writes bench/nodepool/REPORT.md.
#   bash bench/nodepool/run.sh [runs=5] [operation-duration=2s]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-5}
OPDUR=${2:-2s}
cd "$ROOT"
make -s build >/dev/null
go build -o bin/opsum ./bench/nodepool/opsum
DIR=$ROOT/.sandbox-bench
export OCTOLLM_SANDBOX_PORT_BASE=${OCTOLLM_BENCH_PORT_BASE:-18400}
bin/octollm-sandbox down --dir "$DIR" >/dev/null 2>&1 || true
trap 'bin/octollm-sandbox down --dir "$DIR" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
bin/octollm-sandbox up --dir "$DIR" --bin bin --operation-duration "$OPDUR" >/dev/null
# shellcheck disable=SC1091
source "$DIR/env"
WORK=$(mktemp -d)
cp bench/nodepool/main.tf "$WORK/"
bash scripts/dev-overrides.sh "$ROOT/bin" >"$WORK/dev.tfrc"
export TF_CLI_CONFIG_FILE=$WORK/dev.tfrc
TOFU="$ROOT/bin/tofu -chdir=$WORK"

declare -a walls=() floors=() ratios=()
for i in $(seq 1 "$RUNS"); do
	since=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
	start=$(date +%s.%N)
	$TOFU apply -auto-approve -input=false -no-color >"$WORK/apply-$i.log" 2>&1 || { cat "$WORK/apply-$i.log"; exit 1; }
	end=$(date +%s.%N)
	wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
	# The floor: the three create operations' own durations, as the emulator recorded them.
	floor=$(bin/opsum -type CREATE_NODE_POOL -since "$since" bench-cpu-optimized bench-memory-optimized bench-spot)
	ratio=$(awk -v w="$wall" -v f="$floor" 'BEGIN { printf "%.2f", w / f }')
	walls+=("$wall") floors+=("$floor") ratios+=("$ratio")
	echo "run $i: apply ${wall}s, operations ${floor}s, ratio $ratio"
	$TOFU destroy -auto-approve -input=false -no-color >"$WORK/destroy-$i.log" 2>&1 || { cat "$WORK/destroy-$i.log"; exit 1; }
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio=$(median "${ratios[@]}")
verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.3) ? "meets" : "misses" }')
cat >bench/nodepool/REPORT.md <<REPORT
# Three node pools in one apply

Command: \`bash bench/nodepool/run.sh $RUNS $OPDUR\` (on $(nproc) cores, $(date -u +%Y-%m-%d)).

\`tofu apply\` of [main.tf](main.tf) (the seed's cpu-optimized, memory-optimized and spot pools)
against the sandbox's GKE emulator, whose operations take $OPDUR each and run one per cluster at
a time, as on GKE. The baseline, run side by side, is the sum of the three create operations'
own durations as the emulator recorded them (start to DONE: the configured duration plus
registering the pool's nodes in the apiserver). Each run is a fresh apply followed by a
destroy; wall time covers the whole \`tofu apply\`, plan and provider start included.

| run | apply wall time (s) | sum of create operations (s) | ratio |
|---|---|---|---|
$(for i in "${!walls[@]}"; do echo "| $((i + 1)) | ${walls[$i]} | ${floors[$i]} | ${ratios[$i]} |"; done)

Median ratio: **${ratio}x** (median wall time $(median "${walls[@]}")s; target at most 1.3x: $verdict it).
REPORT
echo "median ratio ${ratio}x; wrote bench/nodepool/REPORT.md"
