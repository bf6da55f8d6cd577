#!/usr/bin/env bash
# Builds (or links) every pinned third-party tool the project needs into bin/.
#
#   bash tools/install.sh                  # all tools (what `make tools` runs)
#   bash tools/install.sh tofu kwok        # a subset, by name
#   TOOLS=tofu,terraform make tools        # the same, via the environment
#   bash tools/install.sh --force tofu     # rebuild even if up to date
#   bash tools/install.sh --list           # list tool names
#
# Versions are pinned in tools/versions.env (and tools/*/go.mod). Each built tool
# gets a stamp, bin/.stamps/<tool>, holding its pinned version and a hash of its
# build recipe (Go version, flags, go.mod/go.sum, ...); a tool whose binary exists
# and whose stamp matches is skipped, so a run with nothing to do takes seconds.
#
# Environment: TOOLS (subset), TOOLS_GO_P (go build -p, default 2), FORCE=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS_DIR=$ROOT/tools
BIN=$ROOT/bin
STAMPS=$BIN/.stamps

# shellcheck source=versions.env
source "$TOOLS_DIR/versions.env"

# Every tool, in build order (system packages and the CRD first: they are quick).
ALL_TOOLS=(
	etcd redis-server system-kubectl vpa-crd gateway-api-crds kwok-crds
	kube-apiserver kube-controller-manager kube-scheduler kubectl
	tofu terraform kwok stripe-mock tfplugindocs golangci-lint registry metrics-server pulumi
	goreleaser
)
KUBE_TOOLS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)

log() { printf 'tools: %s\n' "$*"; }
warn() { printf 'tools: warning: %s\n' "$*" >&2; }
die() {
	printf 'tools: error: %s\n' "$*" >&2
	exit 1
}

usage() {
	sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
	printf '\nTools: %s\nAliases: all, kubernetes (= %s)\n' "${ALL_TOOLS[*]}" "${KUBE_TOOLS[*]}"
}

# elapsed SECONDS -> "7s" / "4m12s"
elapsed() {
	local s=$1
	if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

# ---------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------
FORCE=${FORCE:-0}
[[ $FORCE == 1 || $FORCE == true ]] && FORCE=1 || FORCE=0
requested=()
while (($#)); do
	case $1 in
	-h | --help)
		usage
		exit 0
		;;
	-l | --list)
		printf '%s\n' "${ALL_TOOLS[@]}"
		exit 0
		;;
	-f | --force) FORCE=1 ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) requested+=("$1") ;;
	esac
	shift
done
if ((${#requested[@]} == 0)) && [[ -n ${TOOLS:-} ]]; then
	read -r -a requested <<<"${TOOLS//,/ }"
fi
((${#requested[@]})) || requested=(all)

declare -A want=()
for name in "${requested[@]}"; do
	for n in ${name//,/ }; do
		case $n in
		all) for t in "${ALL_TOOLS[@]}"; do want[$t]=1; done ;;
		kubernetes | kube) for t in "${KUBE_TOOLS[@]}"; do want[$t]=1; done ;;
		*)
			[[ " ${ALL_TOOLS[*]} " == *" $n "* ]] || die "unknown tool '$n'; known tools: ${ALL_TOOLS[*]} (aliases: all, kubernetes)"
			want[$n]=1
			;;
		esac
	done
done
selected=()
for t in "${ALL_TOOLS[@]}"; do
	if [[ -n ${want[$t]:-} ]]; then selected+=("$t"); fi
done

# ---------------------------------------------------------------------------
# Environment
# ---------------------------------------------------------------------------
command -v go >/dev/null 2>&1 || die "go not found on PATH (Go >= 1.26 is required to build the tools)"
command -v sha256sum >/dev/null 2>&1 || die "sha256sum not found (install coreutils)"

# Static, machine-independent binaries, like the upstream release builds. Never
# let a go.mod silently download a different Go toolchain; ignore any go.work.
export CGO_ENABLED=0
export GOTOOLCHAIN=${GOTOOLCHAIN:-local}
export GOWORK=off
# Keep terraform from phoning home when we ask for its version.
export CHECKPOINT_DISABLE=1
# ... and pulumi from looking for a newer release.
export PULUMI_SKIP_UPDATE_CHECK=1
GO_P=${TOOLS_GO_P:-2}
GO_BUILD_FLAGS=(-trimpath -p "$GO_P")

GO_ENV=$(go env GOVERSION GOOS GOARCH) || die "'go env' failed"
{ read -r GO_VERSION && read -r GO_OS && read -r GO_ARCH; } <<<"$GO_ENV"
go_minor=${GO_VERSION#go1.}
go_minor=${go_minor%%[!0-9]*}
[[ $go_minor =~ ^[0-9]+$ ]] && ((go_minor >= 26)) ||
	die "$GO_VERSION is too old: golangci-lint $GOLANGCI_LINT_VERSION needs Go >= 1.26"
# Part of every build recipe: a change of Go or of these settings rebuilds.
GO_RECIPE="go=$GO_VERSION $GO_OS/$GO_ARCH cgo=$CGO_ENABLED flags=${GO_BUILD_FLAGS[*]} goflags=${GOFLAGS:-} goexperiment=${GOEXPERIMENT:-}"

SUDO=()
if ((EUID != 0)) && command -v sudo >/dev/null 2>&1; then
	SUDO=(sudo)
fi

mkdir -p "$BIN" "$STAMPS"
WORK=$(mktemp -d "$BIN/.tmp.XXXXXX")
POLICY_RC_BACKUP=""
POLICY_RC_INSTALLED=0
cleanup() {
	restore_policy_rc || true
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One install at a time (concurrent `make tools` would race on bin/ and apt).
if command -v flock >/dev/null 2>&1; then
	exec 9>"$STAMPS/.lock"
	if ! flock -n 9; then
		log "waiting for another tools/install.sh to finish ..."
		flock 9
	fi
fi

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
sha256() { sha256sum | cut -d' ' -f1; }

# stamp_content TOOL VERSION RECIPE
stamp_content() {
	printf 'tool=%s\nversion=%s\nrecipe=%s\n' "$1" "$2" "$(printf '%s' "$3" | sha256)"
}

# up_to_date TOOL OUTPUT VERSION RECIPE
up_to_date() {
	((FORCE == 0)) || return 1
	[[ -f $2 && -f $STAMPS/$1 ]] || return 1
	[[ "$(cat "$STAMPS/$1")" == "$(stamp_content "$1" "$3" "$4")" ]]
}

write_stamp() { stamp_content "$1" "$2" "$3" >"$STAMPS/$1"; }

# check_output TOOL REGEX CMD... : run the installed binary, require REGEX in its output.
check_output() {
	local tool=$1 regex=$2 out
	shift 2
	if ! out=$(timeout 60 "$@" 2>&1); then
		printf '%s\n' "$out" >&2
		die "$tool: '$*' failed"
	fi
	if ! grep -Eq -- "$regex" <<<"$out"; then
		printf '%s\n' "$out" >&2
		die "$tool: '$*' does not report the pinned version (expected /$regex/)"
	fi
	VERSION_LINE=$(grep -E -m1 -- "$regex" <<<"$out")
}

# Find NAME on PATH, skipping our own bin/ (which may be on PATH and hold a
# symlink or a build of the same name).
find_system() {
	local dir cand
	local IFS=:
	for dir in $PATH; do
		[[ -n $dir ]] || dir=.
		cand=$dir/$1
		[[ -x $cand && ! -d $cand ]] || continue
		[[ "$(cd "$dir" 2>/dev/null && pwd -P)" == "$(cd "$BIN" && pwd -P)" ]] && continue
		printf '%s\n' "$cand"
		return 0
	done
	return 1
}

APT_UPDATED=$WORK/.apt-updated
apt_install() {
	command -v apt-get >/dev/null 2>&1 ||
		die "apt-get not available: install $* with your package manager and re-run"
	if ((EUID != 0)) && ((${#SUDO[@]} == 0)); then
		die "installing $* needs root: re-run as root, install sudo, or install $* yourself"
	fi
	if [[ ! -e $APT_UPDATED ]]; then
		log "apt-get update ..."
		"${SUDO[@]}" apt-get update -qq || die "apt-get update failed"
		: >"$APT_UPDATED"
	fi
	log "apt-get install $* ..."
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" ||
		die "apt-get install $* failed"
}

# While installing etcd-server or redis-server, deny service starts
# (policy-rc.d exit 101 is honoured by invoke-rc.d and deb-systemd-invoke), so
# neither sysvinit nor systemd starts a daemon on 2379/2380 or 6379. The
# previous policy is restored.
block_service_starts() {
	local p=/usr/sbin/policy-rc.d
	if [[ -e $p ]]; then
		POLICY_RC_BACKUP=$WORK/policy-rc.d.orig
		cp -p "$p" "$POLICY_RC_BACKUP"
	fi
	printf '#!/bin/sh\n# Temporary, from tools/install.sh: do not start services.\nexit 101\n' |
		"${SUDO[@]}" tee "$p" >/dev/null
	"${SUDO[@]}" chmod 755 "$p"
	POLICY_RC_INSTALLED=1
}
restore_policy_rc() {
	((POLICY_RC_INSTALLED)) || return 0
	local p=/usr/sbin/policy-rc.d
	if [[ -n $POLICY_RC_BACKUP ]]; then
		"${SUDO[@]}" cp -p "$POLICY_RC_BACKUP" "$p"
	else
		"${SUDO[@]}" rm -f "$p"
	fi
	POLICY_RC_INSTALLED=0
}

# go_install TOOL OUTPUT_NAME MODULE_DIR|"" PACKAGE[@VERSION] LDFLAGS
# Builds into a scratch GOBIN, then renames into bin/ (atomic, and safe while
# an old copy of the binary is running).
go_install() {
	local tool=$1 out=$2 dir=$3 pkg=$4 ldflags=$5
	local gobin=$WORK/gobin-$tool
	mkdir -p "$gobin"
	if [[ -n $dir ]]; then
		(cd "$dir" && GOBIN=$gobin go install -mod=readonly "${GO_BUILD_FLAGS[@]}" -ldflags "$ldflags" "$pkg") ||
			die "$tool: go install $pkg (in ${dir#"$ROOT"/}) failed"
	else
		(cd "$WORK" && GOBIN=$gobin go install "${GO_BUILD_FLAGS[@]}" -ldflags "$ldflags" "$pkg") ||
			die "$tool: go install $pkg failed"
	fi
	[[ -x $gobin/$out ]] || die "$tool: go install produced no $out"
	mv -f "$gobin/$out" "$BIN/$out"
}

# module_require_check TOOL DIR MODULE VERSION: the pin in versions.env must
# be what tools/<dir>/go.mod actually builds.
module_require_check() {
	local have
	have=$(cd "$2" && go list -mod=readonly -m -f '{{.Version}}' "$3") ||
		die "$1: cannot resolve $3 in ${2#"$ROOT"/}/go.mod"
	[[ $have == "$4" ]] ||
		die "$1: ${2#"$ROOT"/}/go.mod has $3 $have but tools/versions.env pins $4 (update one of them, then run go mod tidy there)"
}

# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------
# Each go tool defines: T_VERSION, T_OUT (file in bin/), T_DIR (module dir or
# empty for `go install pkg@version`), T_PKG, T_LDFLAGS, T_CHECK (command
# arguments for the binary) and T_EXPECT (regex its output must match).
define_go_tool() {
	T_DIR="" T_PKG="" T_LDFLAGS="-s -w" T_OUT=$1
	case $1 in
	kube-apiserver | kube-controller-manager | kube-scheduler | kubectl)
		local v=$KUBERNETES_VERSION major minor x
		major=${v#v}
		major=${major%%.*}
		minor=${v#v*.}
		minor=${minor%%.*}
		T_VERSION=$v
		T_DIR=$TOOLS_DIR/kubernetes
		T_PKG=k8s.io/kubernetes/cmd/$1
		# Same variables as kubernetes' hack/lib/version.sh sets.
		for x in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
			T_LDFLAGS+=" -X $x.gitVersion=$v -X $x.gitMajor=$major -X $x.gitMinor=$minor"
			T_LDFLAGS+=" -X $x.gitCommit=$KUBERNETES_GIT_COMMIT -X $x.gitTreeState=clean"
			T_LDFLAGS+=" -X $x.buildDate=$KUBERNETES_BUILD_DATE"
		done
		if [[ $1 == kubectl ]]; then
			T_CHECK=(version --client)
			T_EXPECT="^Client Version: ${v//./\\.}\$"
		else
			T_CHECK=(--version)
			T_EXPECT="^Kubernetes ${v//./\\.}\$"
		fi
		;;
	tofu)
		T_VERSION=$OPENTOFU_VERSION
		T_DIR=$TOOLS_DIR/opentofu
		T_PKG=github.com/opentofu/opentofu/cmd/tofu
		# As in OpenTofu's .goreleaser.yaml: without dev=no it reports "-dev".
		T_LDFLAGS+=" -X github.com/opentofu/opentofu/version.dev=no"
		T_CHECK=(version)
		T_EXPECT="^OpenTofu ${OPENTOFU_VERSION//./\\.}\$"
		;;
	pulumi)
		# The Pulumi CLI, for the Pulumi examples' Automation API runs (make pulumi-test).
		T_VERSION=$PULUMI_VERSION
		T_DIR=$TOOLS_DIR/pulumi
		T_PKG=github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
		# What its release build sets (unset, `pulumi version` prints an empty line).
		T_LDFLAGS+=" -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
		T_CHECK=(version)
		T_EXPECT="^${PULUMI_VERSION//./\\.}\$"
		;;
	terraform)
		T_VERSION=$TERRAFORM_VERSION
		T_PKG=github.com/hashicorp/terraform@$TERRAFORM_VERSION
		T_CHECK=(version)
		T_EXPECT="^Terraform ${TERRAFORM_VERSION//./\\.}\$"
		;;
	kwok)
		T_VERSION=$KWOK_VERSION
		T_PKG=sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION
		T_LDFLAGS+=" -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}"
		T_CHECK=(--version)
		T_EXPECT="(^| |v)${KWOK_VERSION#v}( |\$)"
		;;
	metrics-server)
		T_VERSION=$METRICS_SERVER_VERSION
		T_PKG=sigs.k8s.io/metrics-server/cmd/metrics-server@$METRICS_SERVER_VERSION
		# What its Makefile sets (VERSION_LDFLAGS); --version prints gitVersion.
		T_LDFLAGS+=" -X k8s.io/client-go/pkg/version.gitVersion=$METRICS_SERVER_VERSION"
		T_CHECK=(--version)
		T_EXPECT="^${METRICS_SERVER_VERSION//./\\.}\$"
		;;
	stripe-mock)
		T_VERSION=$STRIPE_MOCK_VERSION
		T_PKG=github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION
		# What its goreleaser sets (default: "master").
		T_LDFLAGS+=" -X main.version=${STRIPE_MOCK_VERSION#v}"
		T_CHECK=(-version)
		T_EXPECT="^stripe-mock ${STRIPE_MOCK_VERSION#v}\$"
		;;
	tfplugindocs)
		T_VERSION=$TFPLUGINDOCS_VERSION
		T_PKG=github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@$TFPLUGINDOCS_VERSION
		# What its goreleaser sets (default: "dev").
		T_LDFLAGS+=" -X github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs/build.version=${TFPLUGINDOCS_VERSION#v}"
		T_CHECK=(--version)
		T_EXPECT="Version ${TFPLUGINDOCS_VERSION#v}( |\$)"
		;;
	registry)
		# CNCF distribution: the sandbox's OCI registry (`make images` pushes the gateway there).
		T_VERSION=$REGISTRY_VERSION
		T_PKG=github.com/distribution/distribution/v3/cmd/registry@$REGISTRY_VERSION
		# What its Makefile sets (default: "v3.1.2+unknown").
		T_LDFLAGS+=" -X github.com/distribution/distribution/v3/version.version=$REGISTRY_VERSION"
		T_CHECK=(--version)
		T_EXPECT=" github.com/distribution/distribution/v3 ${REGISTRY_VERSION//./\\.}\$"
		;;
	golangci-lint)
		T_VERSION=$GOLANGCI_LINT_VERSION
		T_PKG=github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GOLANGCI_LINT_VERSION
		# Its version comes from the module's build info when not set by ldflags.
		T_CHECK=(version)
		T_EXPECT="has version ${GOLANGCI_LINT_VERSION#v} "
		;;
	goreleaser)
		# `make release-check` runs a snapshot release with it (.goreleaser.yml).
		T_VERSION=$GORELEASER_VERSION
		T_PKG=github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION
		# What its own .goreleaser.yaml sets (default: the module version from the build info).
		T_LDFLAGS+=" -X main.version=${GORELEASER_VERSION#v} -X main.builtBy=tools/install.sh"
		T_CHECK=(--version)
		T_EXPECT="^GitVersion: +${GORELEASER_VERSION#v}\$"
		;;
	*) die "internal: no recipe for $1" ;;
	esac
}

build_go_tool() {
	local tool=$1 recipe start
	define_go_tool "$tool"
	recipe="$GO_RECIPE pkg=$T_PKG ldflags=$T_LDFLAGS"
	if [[ -n $T_DIR ]]; then
		recipe+=" mod=$(cat "$T_DIR/go.mod" "$T_DIR/go.sum" | sha256)"
	fi
	if up_to_date "$tool" "$BIN/$T_OUT" "$T_VERSION" "$recipe"; then
		log "ok $tool $T_VERSION (cached)"
		return 0
	fi
	start=$SECONDS
	log "building $tool $T_VERSION ..."
	rm -f "$STAMPS/$tool"
	if [[ -n $T_DIR ]]; then
		case $tool in
		tofu) module_require_check "$tool" "$T_DIR" github.com/opentofu/opentofu "$T_VERSION" ;;
		pulumi) module_require_check "$tool" "$T_DIR" github.com/pulumi/pulumi/pkg/v3 "$T_VERSION" ;;
		*) module_require_check "$tool" "$T_DIR" k8s.io/kubernetes "$T_VERSION" ;;
		esac
	fi
	go_install "$tool" "$T_OUT" "$T_DIR" "$T_PKG" "$T_LDFLAGS"
	check_output "$tool" "$T_EXPECT" "$BIN/$T_OUT" "${T_CHECK[@]}"
	write_stamp "$tool" "$T_VERSION" "$recipe"
	log "ok $tool $T_VERSION (built in $(elapsed $((SECONDS - start)))): $VERSION_LINE"
}

install_vpa_crd() {
	local tool=vpa-crd out=$BIN/crds/vpa-v1-crd-gen.yaml
	local mod=k8s.io/autoscaler/vertical-pod-autoscaler
	local recipe="mod=$mod@$VPA_VERSION file=deploy/vpa-v1-crd-gen.yaml" json dir start=$SECONDS
	if up_to_date "$tool" "$out" "$VPA_VERSION" "$recipe"; then
		log "ok $tool $VPA_VERSION (cached)"
		return 0
	fi
	log "fetching $tool $VPA_VERSION ..."
	rm -f "$STAMPS/$tool"
	json=$(cd "$WORK" && go mod download -json "$mod@$VPA_VERSION") || {
		printf '%s\n' "$json" >&2
		die "$tool: go mod download $mod@$VPA_VERSION failed"
	}
	dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
	[[ -n $dir && -f $dir/deploy/vpa-v1-crd-gen.yaml ]] ||
		die "$tool: $mod@$VPA_VERSION has no deploy/vpa-v1-crd-gen.yaml"
	grep -q 'group: autoscaling.k8s.io' "$dir/deploy/vpa-v1-crd-gen.yaml" &&
		grep -Eq '^[[:space:]]*-? *name: v1$' "$dir/deploy/vpa-v1-crd-gen.yaml" ||
		die "$tool: $dir/deploy/vpa-v1-crd-gen.yaml does not define autoscaling.k8s.io/v1"
	mkdir -p "$BIN/crds"
	install -m 0644 "$dir/deploy/vpa-v1-crd-gen.yaml" "$WORK/vpa-v1-crd-gen.yaml"
	mv -f "$WORK/vpa-v1-crd-gen.yaml" "$out"
	write_stamp "$tool" "$VPA_VERSION" "$recipe"
	log "ok $tool $VPA_VERSION (fetched in $(elapsed $((SECONDS - start)))): ${out#"$ROOT"/}"
}

# The Gateway API standard-channel CRDs, as a GKE cluster with the Gateway API enabled has
# them. The module needs a newer Go than the project's, so it is not a go.mod dependency:
# its zip comes from the Go module proxy with curl, is checked against the go.sum hash
# pinned in versions.env (the same h1: dirhash `go mod download` verifies), and only
# config/crd/standard/*.yaml is kept, in bin/crds/gateway-api/.
install_gateway_api_crds() {
	local tool=gateway-api-crds out=$BIN/crds/gateway-api
	local mod=sigs.k8s.io/gateway-api v=$GATEWAY_API_VERSION
	local recipe="mod=$mod@$v sum=$GATEWAY_API_SUM dir=config/crd/standard" proxy url hex sum start=$SECONDS
	if up_to_date "$tool" "$out/gateway.networking.k8s.io_gateways.yaml" "$v" "$recipe"; then
		log "ok $tool $v (cached)"
		return 0
	fi
	command -v curl >/dev/null 2>&1 || die "$tool: curl not found (install curl)"
	command -v unzip >/dev/null 2>&1 || die "$tool: unzip not found (install unzip)"
	log "fetching $tool $v ..."
	rm -f "$STAMPS/$tool"
	# The first entry of GOPROXY (a list separated by , or |); "direct" is no proxy, so the
	# public one stands in for it.
	proxy=$(go env GOPROXY)
	proxy=${proxy%%[,|]*}
	case $proxy in
	direct | "") proxy=https://proxy.golang.org ;;
	off) die "$tool: GOPROXY is off; set it to a module proxy to fetch $mod@$v" ;;
	esac
	url=${proxy%/}/$mod/@v/$v.zip
	curl -fsSL --retry 3 -o "$WORK/gateway-api.zip" "$url" || die "$tool: download $url failed"
	mkdir -p "$WORK/gateway-api"
	(cd "$WORK/gateway-api" && unzip -q "$WORK/gateway-api.zip") || die "$tool: unzip $url failed"
	# dirhash Hash1: sha256 over "<sha256>  <path>" lines of every file, sorted by path.
	hex=$(cd "$WORK/gateway-api" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum |
		sed 's|  \./|  |' | sha256)
	# shellcheck disable=SC2059 # the format is the \xHH escapes of the digest
	sum=h1:$(printf "$(sed 's/../\\x&/g' <<<"$hex")" | base64)
	[[ $sum == "$GATEWAY_API_SUM" ]] ||
		die "$tool: $mod@$v from $proxy has hash $sum, but tools/versions.env pins $GATEWAY_API_SUM"
	local src=$WORK/gateway-api/$mod@$v/config/crd/standard
	[[ -f $src/gateway.networking.k8s.io_gateways.yaml && -f $src/gateway.networking.k8s.io_httproutes.yaml ]] ||
		die "$tool: $mod@$v has no config/crd/standard/gateway.networking.k8s.io_{gateways,httproutes}.yaml"
	rm -rf "$WORK/gateway-api-out"
	mkdir -p "$WORK/gateway-api-out" "$BIN/crds"
	install -m 0644 "$src"/*.yaml "$WORK/gateway-api-out/"
	rm -rf "$out"
	mv -f "$WORK/gateway-api-out" "$out"
	write_stamp "$tool" "$v" "$recipe"
	log "ok $tool $v (fetched in $(elapsed $((SECONDS - start)))): ${out#"$ROOT"/}/ ($(ls "$out" | wc -l) files)"
}

# kwok's resource-usage CRDs (Metric, ClusterResourceUsage, ResourceUsage), which
# the sandbox installs and kwok watches (--enable-crds) to simulate the kubelet's
# /metrics/resource for metrics-server. kwok does not install CRDs itself.
KWOK_CRDS=(kwok.x-k8s.io_metrics.yaml kwok.x-k8s.io_clusterresourceusages.yaml kwok.x-k8s.io_resourceusages.yaml)
install_kwok_crds() {
	local tool=kwok-crds out=$BIN/crds/kwok mod=sigs.k8s.io/kwok
	local recipe="mod=$mod@$KWOK_VERSION files=${KWOK_CRDS[*]}" json dir f start=$SECONDS
	if up_to_date "$tool" "$out/${KWOK_CRDS[0]}" "$KWOK_VERSION" "$recipe"; then
		log "ok $tool $KWOK_VERSION (cached)"
		return 0
	fi
	log "fetching $tool $KWOK_VERSION ..."
	rm -f "$STAMPS/$tool"
	json=$(cd "$WORK" && go mod download -json "$mod@$KWOK_VERSION") || {
		printf '%s\n' "$json" >&2
		die "$tool: go mod download $mod@$KWOK_VERSION failed"
	}
	dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
	mkdir -p "$out"
	for f in "${KWOK_CRDS[@]}"; do
		[[ -n $dir && -f $dir/kustomize/crd/bases/$f ]] || die "$tool: $mod@$KWOK_VERSION has no kustomize/crd/bases/$f"
		grep -q 'group: kwok.x-k8s.io' "$dir/kustomize/crd/bases/$f" ||
			die "$tool: kustomize/crd/bases/$f does not define a kwok.x-k8s.io CRD"
		install -m 0644 "$dir/kustomize/crd/bases/$f" "$WORK/$f"
		mv -f "$WORK/$f" "$out/$f"
	done
	write_stamp "$tool" "$KWOK_VERSION" "$recipe"
	log "ok $tool $KWOK_VERSION (fetched in $(elapsed $((SECONDS - start)))): ${out#"$ROOT"/}/"
}

# disable_system_service NAME: stop the system service NAME a package install
# enabled (and may have started) and keep a reboot from starting it.
disable_system_service() {
	local name=$1
	if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
		"${SUDO[@]}" systemctl disable --now "$name.service" >/dev/null 2>&1 ||
			warn "could not disable $name.service; stop it with: systemctl disable --now $name"
	elif [[ -x /etc/init.d/$name ]]; then
		# No systemd running: drop the boot-time links (sysvinit and the
		# unit's wants link) and stop the init script's daemon if it runs.
		"${SUDO[@]}" update-rc.d "$name" disable >/dev/null 2>&1 || true
		if command -v deb-systemd-helper >/dev/null 2>&1; then
			"${SUDO[@]}" deb-systemd-helper disable "$name.service" >/dev/null 2>&1 || true
		fi
		if "${SUDO[@]}" "/etc/init.d/$name" status >/dev/null 2>&1; then
			"${SUDO[@]}" "/etc/init.d/$name" stop >/dev/null || warn "could not stop the $name init service"
		fi
	fi
}

# etcd comes from Debian's etcd-server (3.4.x); bin/etcd links to it.
install_etcd() {
	local etcd start=$SECONDS installed=0 v
	if ! etcd=$(find_system etcd); then
		block_service_starts
		apt_install etcd-server
		restore_policy_rc
		installed=1
		etcd=$(find_system etcd) || etcd=/usr/bin/etcd
		[[ -x $etcd ]] || die "etcd: etcd-server installed but no etcd binary found"
	fi
	if ((installed)); then
		# Don't leave (or let a reboot start) a system etcd on 2379/2380: the
		# sandbox runs its own.
		disable_system_service etcd
		log "etcd-server installed; its system service is disabled and not running"
	fi
	ln -sfn "$etcd" "$BIN/etcd"
	v=$("$BIN/etcd" --version 2>/dev/null | sed -n 's/^etcd Version: //p') || true
	[[ -n $v ]] || die "etcd: '$BIN/etcd --version' failed"
	if ((installed)); then
		log "ok etcd $v (installed in $(elapsed $((SECONDS - start)))): bin/etcd -> $etcd"
	else
		log "ok etcd $v (system): bin/etcd -> $etcd"
	fi
}

# redis-server comes from Debian's redis-server (7.0.x): the sandbox's stand-in
# for Memorystore, which gateway replicas share rate limits and their response
# cache through. bin/redis-server links to it. The link keeps its name: Debian's
# /usr/bin/redis-server is itself a link to redis-check-rdb, and the binary picks
# its mode from argv[0].
install_redis() {
	local redis start=$SECONDS installed=0 v
	if ! redis=$(find_system redis-server); then
		block_service_starts
		if [[ "$(dpkg-query -W -f='${Status}' redis-server 2>/dev/null)" == "install ok installed" ]]; then
			# Installed, but its binary was removed: apt-get install alone would
			# say "already the newest version" and put nothing back.
			apt_install --reinstall redis-server
		else
			apt_install redis-server
		fi
		restore_policy_rc
		installed=1
		redis=$(find_system redis-server) || redis=/usr/bin/redis-server
		[[ -x $redis ]] || die "redis-server: redis-server installed but no redis-server binary found"
	fi
	if ((installed)); then
		# No system redis on 6379: the sandbox runs its own, on its own port.
		disable_system_service redis-server
		log "redis-server installed; its system service is disabled and not running"
	fi
	ln -sfn "$redis" "$BIN/redis-server"
	v=$("$BIN/redis-server" --version 2>/dev/null | sed -n 's/^Redis server v=\([^ ]*\).*/\1/p') || true
	[[ -n $v ]] || die "redis-server: '$BIN/redis-server --version' failed"
	if ((installed)); then
		log "ok redis-server $v (installed in $(elapsed $((SECONDS - start)))): bin/redis-server -> $redis"
	else
		log "ok redis-server $v (system): bin/redis-server -> $redis"
	fi
}

# A kubectl on PATH for humans and scripts; the project itself uses bin/kubectl.
install_system_kubectl() {
	local k start=$SECONDS
	if k=$(find_system kubectl); then
		log "ok system-kubectl (system): $k"
		return 0
	fi
	apt_install kubernetes-client
	k=$(find_system kubectl) || die "system-kubectl: kubernetes-client installed but kubectl is not on PATH"
	log "ok system-kubectl (installed in $(elapsed $((SECONDS - start)))): $k"
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
run_tool() {
	case $1 in
	etcd) install_etcd ;;
	redis-server) install_redis ;;
	system-kubectl) install_system_kubectl ;;
	vpa-crd) install_vpa_crd ;;
	gateway-api-crds) install_gateway_api_crds ;;
	kwok-crds) install_kwok_crds ;;
	*) build_go_tool "$1" ;;
	esac
}

log "${#selected[@]} tool(s): ${selected[*]} ($GO_VERSION, -p $GO_P)"
run_start=$SECONDS
failed=()
for t in "${selected[@]}"; do
	# A subshell per tool: a failure (die/set -e) stops that tool, the others
	# still get built, and the run fails at the end.
	set +e
	(
		set -e
		trap restore_policy_rc EXIT
		trap 'exit 130' INT TERM
		run_tool "$t"
	)
	rc=$?
	set -e
	if ((rc == 130)); then exit 130; fi
	((rc == 0)) || failed+=("$t")
done

total=$(elapsed $((SECONDS - run_start)))
if ((${#failed[@]})); then
	die "FAILED: ${failed[*]} (see the messages above); the other tools are in bin/ (${total})"
fi
log "all ${#selected[@]} tool(s) up to date in bin/ (${total})"
