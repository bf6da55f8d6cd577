#!/usr/bin/env bash
# Benchmark: N tenants through the provider (`tofu apply`, a no-op `tofu plan`, `tofu destroy`,
# all -parallelism=10) against kubectl doing the same work on the same Kubernetes objects
# (rendered by the provider's own pure functions, bench/tenants/tool): `kubectl apply
# --server-side`, `kubectl get` and `kubectl delete` of objects.yaml, interleaved on one sandbox:
#   provider apply, isolation matrix, provider plan (must show no changes), kubectl get (of the
#   provider's objects), provider destroy, kubectl apply, isolation matrix, kubectl delete.
# The provider's peak memory is the largest VmHWM (peak resident set) of this checkout's
# bin/terraform-provider-octollm processes, read from /proc every 0.1 s during each operation.
# After each apply, the SubjectAccessReview isolation matrix must show no violation.
# Sizes are N or N:RUNS (default runs: the first argument); from 1,000 tenants on, one run without
# destroy, kubectl applying its own tenants first (see NO_DESTROY_FROM below). Writes bench/tenants/REPORT.md with
# the tables and the curve; with one size other than 10, REPORT-<tenants>.md.
#   bash bench/tenants/run.sh [runs=3] [tenants=10 ...]      e.g. run.sh 3 10 100 1000:1
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-3}
shift || true
SIZES=("$@")
((${#SIZES[@]})) || SIZES=(10)
cd "$ROOT"
make -s build >/dev/null
go build -o bin/bench-tenants ./bench/tenants/tool
export OCTOLLM_SANDBOX_PORT_BASE=${OCTOLLM_BENCH_PORT_BASE:-18600}
# One directory per port base: two runs on different ports must not stop each other's sandbox.
DIR=$ROOT/.sandbox-bench-tenants-$OCTOLLM_SANDBOX_PORT_BASE
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
PROVIDER_BIN=$ROOT/bin/terraform-provider-octollm
RESULTS=$WORK/results

seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }
# sample_peak FILE: until FILE.stop exists, keep in FILE the largest VmHWM (KiB) of this
# checkout's provider processes (OpenTofu starts one per operation phase).
# It also keeps in FILE.cpu the CPU seconds (user + system) those processes used, as last seen.
sample_peak() {
	local out=$1 peak=0 pid hwm ticks total
	declare -A cpu=()
	while [ ! -e "$out.stop" ]; do
		for pid in $(pgrep -f "$PROVIDER_BIN" || true); do
			[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$PROVIDER_BIN" ] || continue
			hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
			if [ -n "$hwm" ] && ((hwm > peak)); then peak=$hwm; fi
			ticks=$(cpu_ticks "$pid")
			[ -n "$ticks" ] && cpu[$pid]=$ticks
		done
		echo "$peak" >"$out"
		total=0
		for pid in "${!cpu[@]}"; do total=$((total + cpu[$pid])); done
		echo "$total" >"$out.cpu"
		sleep 0.1
	done
}
# cpu_ticks PID...: user + system clock ticks the processes used so far.
cpu_ticks() {
	local pid t=0 f
	for pid in "$@"; do
		f=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
		# shellcheck disable=SC2086
		set -- $f
		t=$((t + ${12} + ${13}))
	done
	echo "$t"
}
HZ=$(getconf CLK_TCK)
# The sandbox's kube-apiserver and etcd, whose CPU each operation also costs.
SERVER_PIDS=$(pgrep -f "^$ROOT/bin/(kube-apiserver|etcd) .*$DIR/" | tr '\n' ' ')
# timed NAME CMD...: runs CMD with its output in $WORK/NAME.log; sets T (seconds) and PEAK (KiB).
timed() {
	local name=$1 start end sampler
	shift
	rm -f "$WORK/peak" "$WORK/peak.stop"
	sample_peak "$WORK/peak" &
	sampler=$!
	local s0 timer=()
	# shellcheck disable=SC2086
	s0=$(cpu_ticks $SERVER_PIDS)
	rm -f "$WORK/time"
	[ -x /usr/bin/time ] && timer=(/usr/bin/time -f '%U %S' -o "$WORK/time")
	start=$(date +%s.%N)
	"${timer[@]}" "$@" >"$WORK/$name.log" 2>&1 || { touch "$WORK/peak.stop"; wait "$sampler"; cat "$WORK/$name.log"; exit 1; }
	end=$(date +%s.%N)
	touch "$WORK/peak.stop"
	wait "$sampler"
	T=$(seconds "$start" "$end")
	PEAK=$(cat "$WORK/peak")
	# shellcheck disable=SC2086
	echo "$name wall $T client_cpu $(awk '{ printf "%.1f", $1 + $2 }' "$WORK/time" 2>/dev/null || echo -) server_cpu $(awk -v a="$s0" -v b="$(cpu_ticks $SERVER_PIDS)" -v hz="$HZ" 'BEGIN { printf "%.1f", (b - a) / hz }') provider_cpu $(awk -v t="$(cat "$WORK/peak.cpu" 2>/dev/null || echo 0)" -v hz="$HZ" 'BEGIN { printf "%.1f", t / hz }')" >>"$WORK/cpu"
}
# A no-op plan must find nothing to change (exit 0 with -detailed-exitcode).
NOOP_PLAN=(plan -detailed-exitcode -input=false -no-color -parallelism=10)

# Sizes from NO_DESTROY_FROM tenants on (OCTOLLM_BENCH_NO_DESTROY_FROM, default 1000) run once,
# without destroy (see below): run them last.
NO_DESTROY_FROM=${OCTOLLM_BENCH_NO_DESTROY_FROM:-1000}
# The fixed cost of one OpenTofu invocation through the provider: a plan of no resources.
mkdir -p "$WORK/0"
printf 'terraform {\n  required_providers {\n    octollm = { source = "octollm/octollm" }\n  }\n}\nprovider "octollm" {}\n' >"$WORK/0/main.tf"
empty=()
for i in 1 2 3; do
	TOFU="$ROOT/bin/tofu -chdir=$WORK/0"
	timed "0-plan-$i" $TOFU "${NOOP_PLAN[@]}"
	empty+=("$T")
done
echo "plan of no resources: ${empty[*]} s"
checks=""
objects=""
for size in "${SIZES[@]}"; do
	N=${size%%:*}
	R=$RUNS
	[[ $size == *:* ]] && R=${size#*:}
	mkdir -p "$WORK/$N"
	{
		printf 'terraform {\n  required_providers {\n    octollm = { source = "octollm/octollm" }\n  }\n}\nprovider "octollm" {}\n'
		bin/bench-tenants hcl "$N" "$PLATFORM"
	} >"$WORK/$N/main.tf"
	bin/bench-tenants render "$N" "$PLATFORM" >"$WORK/$N/objects.yaml"
	objects+="$N tenants: $(grep -c '^kind:' "$WORK/$N/objects.yaml") objects; "
	TOFU="$ROOT/bin/tofu -chdir=$WORK/$N"
	if ((N >= NO_DESTROY_FROM)); then
		# Destroying N tenants waits for the namespace controller to empty N namespaces on both
		# sides (about 1.7 s per tenant at 100 on 2 shared cores: most of an hour at 1,000), so
		# here kubectl applies its own N tenants (the same objects under other names) first,
		# then the provider applies, plans and kubectl gets the provider's objects; nothing is
		# deleted (the sandbox goes), and there is one run.
		bin/bench-tenants render "$N" "$PLATFORM" kubectl- >"$WORK/$N/kubectl-objects.yaml"
		timed "$N-kapply-1" "$KUBECTL" apply --server-side --field-manager=bench -f "$WORK/$N/kubectl-objects.yaml"
		ka=$T
		bin/bench-tenants check "$N" "$PLATFORM" kubectl- >/dev/null
		timed "$N-apply-1" $TOFU apply -auto-approve -input=false -no-color -parallelism=10
		pa=$T pa_m=$PEAK
		checks=$(bin/bench-tenants check "$N" "$PLATFORM")
		timed "$N-plan-1" $TOFU "${NOOP_PLAN[@]}"
		pp=$T pp_m=$PEAK
		timed "$N-get-1" "$KUBECTL" get -f "$WORK/$N/objects.yaml" -o name
		kg=$T
		printf '%s\n' "$N 1 apply $pa $ka $pa_m" "$N 1 plan $pp $kg $pp_m" >>"$RESULTS"
		echo "$N tenants, run 1: kubectl apply ${ka}s (its own tenants), apply ${pa}s, plan ${pp}s vs get ${kg}s; provider peak RSS $((pa_m / 1024))/$((pp_m / 1024)) MB; isolation: $checks"
		continue
	fi
	for i in $(seq 1 "$R"); do
		timed "$N-apply-$i" $TOFU apply -auto-approve -input=false -no-color -parallelism=10
		pa=$T pa_m=$PEAK
		checks=$(bin/bench-tenants check "$N" "$PLATFORM")
		timed "$N-plan-$i" $TOFU "${NOOP_PLAN[@]}"
		pp=$T pp_m=$PEAK
		timed "$N-get-$i" "$KUBECTL" get -f "$WORK/$N/objects.yaml" -o name
		kg=$T
		timed "$N-destroy-$i" $TOFU destroy -auto-approve -input=false -no-color -parallelism=10
		pd=$T pd_m=$PEAK

		timed "$N-kapply-$i" "$KUBECTL" apply --server-side --field-manager=bench -f "$WORK/$N/objects.yaml"
		ka=$T
		bin/bench-tenants check "$N" "$PLATFORM" >/dev/null
		timed "$N-kdelete-$i" "$KUBECTL" delete --wait=true --ignore-not-found -f "$WORK/$N/objects.yaml"
		kd=$T
		{
			echo "$N $i apply $pa $ka $pa_m"
			echo "$N $i plan $pp $kg $pp_m"
			echo "$N $i destroy $pd $kd $pd_m"
		} >>"$RESULTS"
		echo "$N tenants, run $i: apply ${pa}s vs ${ka}s, plan ${pp}s vs get ${kg}s, destroy ${pd}s vs delete ${kd}s; provider peak RSS $((pa_m / 1024))/$((pp_m / 1024))/$((pd_m / 1024)) MB; isolation: $checks"
	done
done

REPORT_FILE=bench/tenants/REPORT.md
if ((${#SIZES[@]} == 1)) && [ "${SIZES[0]%%:*}" != 10 ]; then REPORT_FILE=bench/tenants/REPORT-${SIZES[0]%%:*}.md; fi
cat >"$REPORT_FILE" <<REPORT
# Benchmark: tenants through the provider against kubectl, at ${SIZES[*]}

Command: \`bash bench/tenants/run.sh $RUNS ${SIZES[*]}\` (sizes N:RUNS ran RUNS times) on $(nproc) cores
($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/^Mem:/ { print $2 }') GiB), $(date -u +%Y-%m-%d),
provider at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- internal/ || echo ' with uncommitted changes').

Each tenant is a namespace with restricted Pod Security, ResourceQuota, LimitRange, four
NetworkPolicies, workload ServiceAccount/Role/RoleBinding, admins' RoleBinding and a key Secret
in the platform namespace (${objects% }). Per run, on one sandbox, interleaved: \`tofu apply
-parallelism=10\` through the provider (plan, refresh, key generation, state); the isolation
matrix (\`tenant.IsolationMatrix\`); a no-op \`tofu plan\` (must exit 0 with -detailed-exitcode);
\`kubectl get -f objects.yaml\` of the same objects; \`tofu destroy\` (waits until each namespace
is gone); then \`kubectl apply --server-side -f objects.yaml\` of the same objects rendered by the
provider's pure functions (\`bench/tenants/tool render\`); the isolation matrix; and \`kubectl
delete --wait=true -f objects.yaml\`. Ratios are provider time / kubectl time of the same run.
Peak memory is the largest VmHWM (peak resident set size, from /proc/PID/status, sampled every
0.1 s) of the provider processes OpenTofu started during the operation.

$(bin/bench-tenants report "$RESULTS")

Where the CPU went, per operation (seconds of user + system time: \`tofu\` or \`kubectl\` from
\`/usr/bin/time\`; the provider processes OpenTofu started, from /proc/PID/stat as last sampled;
the sandbox's kube-apiserver and etcd, from /proc before and after):

| operation | wall (s) | tofu or kubectl CPU (s) | provider CPU (s) | apiserver + etcd CPU (s) |
|---|---|---|---|---|
$(awk '{ split($1, a, "-"); op = a[2]; n = a[1]; k = (op ~ /^k|get/) ? "kubectl" : "provider"; printf "| %s tenants, run %s: %s %s | %s | %s | %s | %s |\n", n, a[3], k, op, $3, $5, (k == "kubectl" ? "-" : $9), $7 }' "$WORK/cpu")

The fixed cost of one \`tofu plan\` through the provider (a configuration with the provider and no
resources), three times before the runs: ${empty[*]} s; kubectl starts in about 0.1 s.

Isolation after every provider apply and every kubectl apply; last check: $checks.
REPORT
cp "$RESULTS" "${REPORT_FILE%.md}.results"
echo "wrote $REPORT_FILE"
