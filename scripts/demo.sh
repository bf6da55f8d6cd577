#!/usr/bin/env bash
# `make demo`: start (or reuse) the sandbox, apply examples/quickstart with the local build
# of the provider through OpenTofu, and show what now exists. The sandbox stays up.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BIN=$ROOT/bin

if "$BIN/octollm-sandbox" status --dir .sandbox >/dev/null 2>&1; then
	echo "demo: reusing the running sandbox (.sandbox)"
else
	"$BIN/octollm-sandbox" up --dir .sandbox --bin "$BIN"
fi

# dev_overrides point both registries' spelling of octollm/octollm at the local build.
CLI_CONFIG=$ROOT/.sandbox/dev.tfrc
bash scripts/dev-overrides.sh "$BIN" >"$CLI_CONFIG"
export TF_CLI_CONFIG_FILE=$CLI_CONFIG
# shellcheck disable=SC1091
source .sandbox/env

TOFU="$BIN/tofu"
cd examples/quickstart
# With dev_overrides, OpenTofu says to skip `init` for the overridden provider (it would ask
# the registry for it); `tofu get` installs the configuration's modules, which is all init
# would add here.
echo "demo: tofu get + apply in examples/quickstart (provider from $BIN via dev_overrides)"
"$TOFU" get -no-color >/dev/null
"$TOFU" apply -auto-approve -input=false -no-color
echo
echo "demo: outputs"
"$TOFU" output -no-color
KEY=$("$TOFU" output -raw demo_api_key)
cd "$ROOT"

# The gateway runs as a local process: the sandbox's nodes run no containers. It reads the
# routes and key hashes just applied, and bills usage to the Stripe emulator.
GW_PID=.sandbox/gateway.pid
if [[ -f $GW_PID ]] && kill -0 "$(cat "$GW_PID")" 2>/dev/null; then
	kill "$(cat "$GW_PID")" && sleep 1
fi
mkdir -p .sandbox/logs
KUBE_CONFIG_PATH=$ROOT/.sandbox/kubeconfig OCTOLLM_GATEWAY_SPOOL_DIR=$ROOT/.sandbox/gateway-spool \
	nohup "$BIN/octollm-gateway" >.sandbox/logs/gateway.log 2>&1 &
echo $! >"$GW_PID"
GATEWAY=http://$OCTOLLM_GATEWAY_LISTEN
for _ in $(seq 1 100); do
	curl -sf "$GATEWAY/readyz" >/dev/null 2>&1 && break
	sleep 0.2
done
curl -sf "$GATEWAY/readyz" >/dev/null || { echo "demo: the gateway did not become ready; see .sandbox/logs/gateway.log" >&2; exit 1; }
echo
echo "demo: octollm-gateway serves on $GATEWAY (log: .sandbox/logs/gateway.log); one request with the demo tenant's key:"
echo "  curl $GATEWAY/v1/chat/completions -H \"Authorization: Bearer \$KEY\" -d '{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'"
curl -sS -D - "$GATEWAY/v1/chat/completions" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
	-d '{"model":"auto","messages":[{"role":"user","content":"Hello"}]}' | grep -iE '^(HTTP|x-octollm-model|x-octollm-route)|^\{'
echo

KUBECTL="$BIN/kubectl --kubeconfig .sandbox/kubeconfig"
echo
echo "demo: what exists in the sandbox now"
# kwok reports new nodes Ready within seconds; wait so the listing shows them settled.
$KUBECTL wait --for=condition=Ready nodes --all --timeout=60s >/dev/null || true
$KUBECTL get nodes \
	-o custom-columns='NAME:.metadata.name,READY:.status.conditions[?(@.type=="Ready")].status,POOL:.metadata.labels.cloud\.google\.com/gke-nodepool,TYPE:.metadata.labels.node\.kubernetes\.io/instance-type,WORKLOAD:.metadata.labels.workload-type,TAINTS:.spec.taints[*].key,EFFECT:.spec.taints[*].effect'

$KUBECTL get namespaces -l app.kubernetes.io/managed-by=terraform-provider-octollm -L pod-security.kubernetes.io/enforce
$KUBECTL -n octollm get deployments,services,hpa,pdb 2>/dev/null || true
$KUBECTL -n octollm get pods -o custom-columns='POD:.metadata.name,NODE:.spec.nodeName,PHASE:.status.phase' 2>/dev/null || true
cat <<MSG

Inspect it:
  kubectl --kubeconfig .sandbox/kubeconfig get nodes -L workload-type
  kubectl --kubeconfig .sandbox/kubeconfig -n octollm get deployments,pods,hpa -o wide
  source .sandbox/env && cd examples/quickstart && TF_CLI_CONFIG_FILE=$CLI_CONFIG $TOFU state list
  KEY=\$(cd examples/quickstart && TF_CLI_CONFIG_FILE=$CLI_CONFIG $TOFU output -raw demo_api_key)
  curl $GATEWAY/v1/chat/completions -H "Authorization: Bearer \$KEY" -d '{"model":"auto","messages":[{"role":"user","content":"Hi"}]}'
  curl -s $GATEWAY/metrics | grep octollm_gateway_requests_total
Run \`make demo\` again: the plan is empty. Tear everything down with \`make sandbox-down\`.
MSG
