#!/usr/bin/env bash
# Benchmark: N tenants (default 10) applied by `tofu apply` through the provider, against
# `kubectl apply --server-side` of the same Kubernetes objects (rendered by the provider's own
# pure functions, bench/tenants/tool) as the baseline, run side by side on one sandbox. After
# each apply, the SubjectAccessReview isolation matrix must show no violation: every tenant's
# admins and workload ServiceAccount manage their own namespace and cannot get or list
# secrets, pods or configmaps in any other tenant's namespace or the platform namespace.
# Writes bench/tenants/REPORT.md, or REPORT-<tenants>.md for another tenant count.
#   bash bench/tenants/run.sh [runs=5] [tenants=10]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-5}
N=${2:-10}
cd "$ROOT"
make -s build >/dev/null
go build -o bin/bench-tenants ./bench/tenants/tool
DIR=$ROOT/.sandbox-bench-tenants
export OCTOLLM_SANDBOX_PORT_BASE=${OCTOLLM_BENCH_PORT_BASE:-18600}
WORK=$(mktemp -d)
bin/octollm-sandbox down --dir "$DIR" >/dev/null 2>&1 || true
trap 'bin/octollm-sandbox down --dir "$DIR" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
bin/octollm-sandbox up --dir "$DIR" --bin bin >/dev/null
# shellcheck disable=SC1091
source "$DIR/env"
export KUBECONFIG=$OCTOLLM_SANDBOX_KUBECONFIG
PLATFORM=bench-platform
export OCTOLLM_NAMESPACE=$PLATFORM
KUBECTL="$ROOT/bin/kubectl"
$KUBECTL create namespace "$PLATFORM" >/dev/null
bash scripts/dev-overrides.sh "$ROOT/bin" >"$WORK/dev.tfrc"
export TF_CLI_CONFIG_FILE=$WORK/dev.tfrc
{
	printf 'terraform {\n  required_providers {\n    octollm = { source = "octollm/octollm" }\n  }\n}\nprovider "octollm" {}\n'
	bin/bench-tenants hcl "$N" "$PLATFORM"
} >"$WORK/main.tf"
bin/bench-tenants render "$N" "$PLATFORM" >"$WORK/objects.yaml"
TOFU="$ROOT/bin/tofu -chdir=$WORK"

seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }
delete_tenants() {
	for i in $(seq 0 $((N - 1))); do printf 'tenant-bench-%02d ' "$i"; done | xargs "$KUBECTL" delete namespace --wait=true >/dev/null
	"$KUBECTL" -n "$PLATFORM" delete secret -l octollm.dev/kind=api-key >/dev/null
}

declare -a provider=() baseline=() ratios=()
checks=""
for i in $(seq 1 "$RUNS"); do
	start=$(date +%s.%N)
	$TOFU apply -auto-approve -input=false -no-color -parallelism=10 >"$WORK/apply-$i.log" 2>&1 || { cat "$WORK/apply-$i.log"; exit 1; }
	end=$(date +%s.%N)
	p=$(seconds "$start" "$end")
	checks=$(bin/bench-tenants check "$N" "$PLATFORM")
	$TOFU destroy -auto-approve -input=false -no-color -parallelism=10 >"$WORK/destroy-$i.log" 2>&1 || { cat "$WORK/destroy-$i.log"; exit 1; }

	start=$(date +%s.%N)
	$KUBECTL apply --server-side --field-manager=bench -f "$WORK/objects.yaml" >"$WORK/kubectl-$i.log" 2>&1 || { cat "$WORK/kubectl-$i.log"; exit 1; }
	end=$(date +%s.%N)
	b=$(seconds "$start" "$end")
	bin/bench-tenants check "$N" "$PLATFORM" >/dev/null
	delete_tenants

	r=$(awk -v p="$p" -v b="$b" 'BEGIN { printf "%.2f", p / b }')
	provider+=("$p") baseline+=("$b") ratios+=("$r")
	echo "run $i: provider ${p}s, kubectl ${b}s, ratio $r; isolation: $checks"
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

REPORT_FILE=bench/tenants/REPORT.md
((N == 10)) || REPORT_FILE=bench/tenants/REPORT-$N.md
cat >"$REPORT_FILE" <<REPORT
# Benchmark: $N tenants, provider against \`kubectl apply --server-side\`

Command: \`bash bench/tenants/run.sh $RUNS $N\` on $(nproc) cores, $(date -u +%Y-%m-%d).

Each run applies $N tenants (namespace with restricted Pod Security, ResourceQuota, LimitRange,
four NetworkPolicies, workload ServiceAccount/Role/RoleBinding, admins' RoleBinding, key Secret
in the platform namespace: $(grep -c '^kind:' "$WORK/objects.yaml") objects) twice on one sandbox:
with \`tofu apply -parallelism=10\` through the provider (plan, refresh, key generation, state),
then with \`kubectl apply --server-side -f\` of the same objects rendered by the provider's pure
functions (\`bench/tenants/tool render\`). After each, the SubjectAccessReview isolation matrix runs
(\`tenant.IsolationMatrix\`).

| run | provider (s) | kubectl (s) | ratio |
|---|---|---|---|
$(for i in $(seq 0 $((RUNS - 1))); do echo "| $((i + 1)) | ${provider[$i]} | ${baseline[$i]} | ${ratios[$i]} |"; done)

Median: provider $(median "${provider[@]}") s, kubectl $(median "${baseline[@]}") s, ratio **$(median "${ratios[@]}")x**.

Isolation after every provider apply and every kubectl apply: $checks.
REPORT
echo "wrote $REPORT_FILE: median ratio $(median "${ratios[@]}")x"
