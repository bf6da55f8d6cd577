#!/usr/bin/env bash
# `make demo`: start (or reuse) the sandbox, build the gateway's image and push it to the
# sandbox's registry, apply examples/quickstart (the whole platform through modules/platform)
# with the local build of the provider through OpenTofu, start the gateway as its pod would run
# (the binary out of that image, the Deployment's env, its ServiceAccount's token), send one
# request through it with a tenant key, and show what now exists. The sandbox stays up; a second
# run applies no changes.
#
# The acceptance test of the quickstart (internal/quickstart) runs this same script against a
# sandbox of its own: OCTOLLM_DEMO_DIR (default .sandbox) is the sandbox's directory and
# OCTOLLM_DEMO_STATE (default examples/quickstart/terraform.tfstate) the state file.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BIN=$ROOT/bin
DIR=${OCTOLLM_DEMO_DIR:-$ROOT/.sandbox}
STATE=${OCTOLLM_DEMO_STATE:-$ROOT/examples/quickstart/terraform.tfstate}
NS=${TF_VAR_namespace:-octollm}

if "$BIN/octollm-sandbox" status --dir "$DIR" >/dev/null 2>&1; then
	echo "demo: reusing the running sandbox ($DIR)"
else
	"$BIN/octollm-sandbox" up --dir "$DIR" --bin "$BIN"
fi

# dev_overrides point both registries' spelling of octollm/octollm at the local build.
CLI_CONFIG=$DIR/dev.tfrc
bash scripts/dev-overrides.sh "$BIN" >"$CLI_CONFIG"
export TF_CLI_CONFIG_FILE=$CLI_CONFIG
# shellcheck disable=SC1091
source "$DIR/env"

# The gateway's image, built from this checkout without a Docker daemon and pushed to the
# sandbox's registry; the same commit gives the same digest, so a second run changes nothing.
TAG=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
REPOSITORY=$OCTOLLM_REGISTRY/octollm/gateway
echo "demo: building the gateway image and pushing $REPOSITORY:$TAG"
IMAGE=$("$BIN/octollm-image" --dir "$ROOT" --repository "$REPOSITORY" --tag "$TAG" --version "$TAG")
echo "demo: pushed $IMAGE"

export TF_VAR_gateway_image_repository=$REPOSITORY
export TF_VAR_gateway_image_tag=$TAG
# The gateway's upstreams, Redis and Stripe are the sandbox's emulators and redis-server; on
# GKE they are the providers' APIs, Memorystore and Stripe.
TF_VAR_gateway_env=$(env | grep -E '^OCTOLLM_UPSTREAM_[A-Z_]+_URL=|^OCTOLLM_REDIS_URL=|^OCTOLLM_STRIPE_API_BASE=' | sort |
	python3 -c 'import json,sys; print(json.dumps(dict(l.rstrip("\n").split("=",1) for l in sys.stdin)))')
export TF_VAR_gateway_env

TOFU="$BIN/tofu"
QUICKSTART=$ROOT/examples/quickstart
# With dev_overrides, OpenTofu says to skip `init` for the overridden provider (it would ask
# the registry for it); `tofu get` installs the configuration's modules, which is all init
# would add here.
echo "demo: tofu get + apply in examples/quickstart (provider from $BIN via dev_overrides)"
"$TOFU" -chdir="$QUICKSTART" get -no-color >/dev/null
"$TOFU" -chdir="$QUICKSTART" apply -state="$STATE" -auto-approve -input=false -no-color
echo
echo "demo: outputs"
"$TOFU" -chdir="$QUICKSTART" output -state="$STATE" -no-color
KEY=$("$TOFU" -chdir="$QUICKSTART" output -state="$STATE" -raw demo_api_key)

KUBECTL="$BIN/kubectl --kubeconfig $DIR/kubeconfig"
# The providers' API keys and the Stripe key live in a Secret created outside Terraform (on GKE,
# synced from Secret Manager); the gateway's Deployment reads them with secretKeyRef.
$KUBECTL -n "$NS" create secret generic octollm-gateway-credentials \
	--from-literal=openai="$OPENAI_API_KEY" --from-literal=anthropic="$ANTHROPIC_API_KEY" --from-literal=stripe="$STRIPE_API_KEY" \
	--dry-run=client -o yaml | $KUBECTL apply -f - >/dev/null

# The sandbox's nodes run no containers: the gateway runs as a local process exactly as its pod
# would (octollm-sandbox run-pod), with only the listen address and spool directory local.
GW_PID=$DIR/gateway.pid
if [[ -f $GW_PID ]] && kill -0 "$(cat "$GW_PID")" 2>/dev/null; then
	kill "$(cat "$GW_PID")" && sleep 1
fi
mkdir -p "$DIR/logs"
nohup "$BIN/octollm-sandbox" run-pod --dir "$DIR" --namespace "$NS" --deployment gateway \
	--env OCTOLLM_GATEWAY_LISTEN="$OCTOLLM_GATEWAY_LISTEN" --env OCTOLLM_GATEWAY_SPOOL_DIR="$DIR/gateway-spool" \
	>"$DIR/logs/gateway.log" 2>&1 &
echo $! >"$GW_PID"
GATEWAY=http://$OCTOLLM_GATEWAY_LISTEN
for _ in $(seq 1 150); do
	curl -sf "$GATEWAY/readyz" >/dev/null 2>&1 && break
	kill -0 "$(cat "$GW_PID")" 2>/dev/null || break
	sleep 0.2
done
curl -sf "$GATEWAY/readyz" >/dev/null || {
	echo "demo: the gateway did not become ready; $DIR/logs/gateway.log:" >&2
	tail -n 20 "$DIR/logs/gateway.log" >&2
	exit 1
}
echo
head -n 1 "$DIR/logs/gateway.log"
echo "demo: octollm-gateway serves on $GATEWAY (log: $DIR/logs/gateway.log); one request with the demo tenant's key:"
echo "  curl $GATEWAY/v1/chat/completions -H \"Authorization: Bearer \$KEY\" -d '{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'"
curl -sS -D - "$GATEWAY/v1/chat/completions" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
	-d '{"model":"auto","messages":[{"role":"user","content":"Hello"}]}' | grep -iE '^(HTTP|x-octollm-model|x-octollm-route)|^\{'
echo

echo
echo "demo: what exists in the sandbox now"
# kwok reports new nodes Ready within seconds; wait so the listing shows them settled.
$KUBECTL wait --for=condition=Ready nodes --all --timeout=60s >/dev/null || true
$KUBECTL get nodes \
	-o custom-columns='NAME:.metadata.name,POOL:.metadata.labels.cloud\.google\.com/gke-nodepool,TYPE:.metadata.labels.node\.kubernetes\.io/instance-type,WORKLOAD:.metadata.labels.workload-type,RUNTIME:.metadata.labels.sandbox\.gke\.io/runtime'
$KUBECTL get namespaces -l app.kubernetes.io/managed-by=terraform-provider-octollm -L pod-security.kubernetes.io/enforce
$KUBECTL -n "$NS" get deployments,services,hpa,pdb,networkpolicies 2>/dev/null || true
$KUBECTL -n "$NS" get gateways.gateway.networking.k8s.io,httproutes.gateway.networking.k8s.io 2>/dev/null || true
$KUBECTL -n "$NS" get pods -o custom-columns='POD:.metadata.name,NODE:.spec.nodeName,RUNTIME:.spec.runtimeClassName,SA:.spec.serviceAccountName,PHASE:.status.phase' 2>/dev/null || true
cat <<MSG

Inspect it:
  kubectl --kubeconfig $DIR/kubeconfig get nodes -L workload-type,sandbox.gke.io/runtime
  kubectl --kubeconfig $DIR/kubeconfig -n $NS get deployments,pods,hpa,networkpolicies -o wide
  source $DIR/env && TF_CLI_CONFIG_FILE=$CLI_CONFIG $TOFU -chdir=examples/quickstart state list -state=$STATE
  KEY=\$(TF_CLI_CONFIG_FILE=$CLI_CONFIG $TOFU -chdir=examples/quickstart output -state=$STATE -raw demo_api_key)
  curl $GATEWAY/v1/chat/completions -H "Authorization: Bearer \$KEY" -d '{"model":"auto","messages":[{"role":"user","content":"Hi"}]}'
  curl -s $GATEWAY/metrics | grep octollm_gateway_requests_total
Run \`make demo\` again: the plan is empty. Tear everything down with \`make sandbox-down\`.
MSG
