#!/usr/bin/env bash
# Benchmark: the latency the gateway adds under load. One sandbox (its own port base), 1,000
# tenants' key Secrets and 100 route ConfigMaps written with client-go as the provider writes
# them, the gateway binary against the sandbox's apiserver, Redis and LLM emulator (latency 0),
# and the same vegeta load (github.com/tsenart/vegeta/v12, as a library) against the emulator
# directly and through the gateway, side by side, at 500, 1,000 and 2,000 requests/s (plus
# model "auto" at 1,000), then a bounded search for the highest rate held with 0 errors, and the
# gateway's memory. Loopback only; the tool stops the gateway and the sandbox it started.
# Writes bench/gateway/REPORT.md.
#   bash bench/gateway/run.sh [runs=3] [extra tool flags, e.g. --duration 5s]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-3}
shift || true
cd "$ROOT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
go build -o bin/octollm-sandbox ./internal/sandbox/cmd/octollm-sandbox
go build -o "$WORK/octollm-gateway" ./internal/gateway/cmd/octollm-gateway
go build -o "$WORK/bench-gateway" ./bench/gateway/tool

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date +%s)
"$WORK/bench-gateway" --runs "$RUNS" --gateway-bin "$WORK/octollm-gateway" --bin "$ROOT/bin" \
	--sandbox-dir "$ROOT/.sandbox-bench-gateway" --port-base "${OCTOLLM_BENCH_PORT_BASE:-18400}" "$@" >"$WORK/results.md"
ELAPSED=$(($(date +%s) - START))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
TARGET=$(grep '^TARGET:' "$WORK/results.md" | sed 's/^TARGET: //')
ADDED=$(grep '^SUMMARY1000:' "$WORK/results.md" | sed 's/^SUMMARY1000: //')

REPORT_FILE=bench/gateway/REPORT.md
cat >"$REPORT_FILE" <<REPORT
# Benchmark: the gateway's added latency under load

Command: \`bash bench/gateway/run.sh $RUNS${*:+ $*}\` ($((ELAPSED / 60)) min $((ELAPSED % 60)) s), $(date -u +%Y-%m-%d).

Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory, $(go version | cut -d' ' -f3-4), Linux $(uname -r).
Load average (1, 5, 15 min) before the run: $LOAD_BEFORE; after: $LOAD_AFTER. The load generator (vegeta), the LLM
emulator, Redis, the sandbox's control plane and the gateway all run on these cores.

What is measured: the same vegeta load, \`POST /v1/chat/completions\` (non-streaming, temperature
0.7), spread round-robin over the 1,000 tenants' keys, sent once to the LLM emulator directly
(\`<emulator>/v1/chat/completions\`) and once through the gateway, which authenticates the key
(SHA-256 lookup in the snapshot its informers build), checks the tenant's requests-per-minute and
monthly-token quotas in Redis (set high enough never to refuse), selects the route (50 tenant and
50 global routes loaded; the request names gpt-4o-mini, or "auto" in the last case), calls the
emulator and counts usage and cost in its metrics. The tenants have **no billing**, so Stripe and
the usage spool are not in the measured path; the routes have no cache, so every request reaches
the emulator. The emulator answers with zero latency, so the difference between the two runs is
the gateway's own cost plus the extra hop. The key Secrets and route ConfigMaps are the provider's
own objects (\`tenant.Spec.KeySecret\`, \`modelroute.Route.ConfigMap\`, checked with the contract's
\`ParseKeySecret\` and \`ParseRouteDocument\`), applied with client-go, not through Terraform.

## Results

$(grep -v '^TARGET:\|^SUMMARY1000:' "$WORK/results.md")

## Against the published anchors and the target

| | added latency p50 | added latency p99 | rate | hardware |
|---|---|---|---|---|
| LiteLLM proxy (its own docs) | 12 ms | 43 ms | about 1,000 req/s | two 4-CPU instances, load generator elsewhere |
| TensorZero gateway (its own report) | | under 1 ms | 10,000 QPS | 4 vCPUs |
| OctoLLM gateway (this run) | ${ADDED:-n/a | n/a} | 1,000 req/s | $(nproc) cores shared with the load generator, emulator, Redis and sandbox |

Target: p99 added latency at most 1 ms at 1,000 requests/s on this machine, load generator included.
Result: $TARGET
REPORT
echo "wrote $REPORT_FILE"
grep '^TARGET:' "$WORK/results.md" || true
