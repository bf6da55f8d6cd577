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

op_seconds=$(awk -v d="$OPDUR" 'BEGIN { sub(/s$/, "", d); print d }')
floor=$(awk -v d="$op_seconds" 'BEGIN { printf "%.2f", 3 * d }')
declare -a walls=()
for i in $(seq 1 "$RUNS"); do
	start=$(date +%s.%N)
	$TOFU apply -auto-approve -input=false -no-color >"$WORK/apply-$i.log" 2>&1 || { cat "$WORK/apply-$i.log"; exit 1; }
	end=$(date +%s.%N)
	wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
	walls+=("$wall")
	echo "run $i: apply ${wall}s (floor ${floor}s, ratio $(awk -v w="$wall" -v f="$floor" 'BEGIN { printf "%.2f", w / f }'))"
	$TOFU destroy -auto-approve -input=false -no-color >"$WORK/destroy-$i.log" 2>&1 || { cat "$WORK/destroy-$i.log"; exit 1; }
done
median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f", (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
ratio=$(awk -v w="$median" -v f="$floor" 'BEGIN { printf "%.2f", w / f }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.3) ? "meets" : "misses" }')
cat >bench/nodepool/REPORT.md <<REPORT
# Three node pools in one apply

Command: \`bash bench/nodepool/run.sh $RUNS $OPDUR\` (on $(nproc) cores, $(date -u +%Y-%m-%d)).

\`tofu apply\` of [main.tf](main.tf) (the seed's cpu-optimized, memory-optimized and spot pools)
against the sandbox's GKE emulator, whose operations take $OPDUR each and run one per cluster at
a time, as on GKE. The floor is the sum of the three create operations: ${floor}s. Each run is
a fresh apply followed by a destroy; wall time covers the whole \`tofu apply\` (plan included).

| run | apply wall time (s) | ratio to floor |
|---|---|---|
$(for i in "${!walls[@]}"; do echo "| $((i + 1)) | ${walls[$i]} | $(awk -v w="${walls[$i]}" -v f="$floor" 'BEGIN { printf "%.2f", w / f }') |"; done)

Median: **${median}s = ${ratio}x the floor** (target at most 1.3x: $verdict it).
REPORT
echo "median ${median}s = ${ratio}x floor ${floor}s; wrote bench/nodepool/REPORT.md"
