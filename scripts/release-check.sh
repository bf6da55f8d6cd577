#!/usr/bin/env bash
# Builds a snapshot of the registry release with the pinned goreleaser (bin/goreleaser, `make
# tools`) and checks the files the Terraform Registry requires (internal/release):
# terraform-provider-octollm_<version>_<os>_<arch>.zip for every OS/arch of .goreleaser.yml, each
# holding terraform-provider-octollm_v<version>; terraform-provider-octollm_<version>_SHA256SUMS
# listing every zip's hash; terraform-provider-octollm_<version>_manifest.json equal to
# terraform-registry-manifest.json.
#   scripts/release-check.sh
# What the snapshot leaves out, and why:
#   sign  signing SHA256SUMS needs the release GPG key (GPG_FINGERPRINT, imported by the release
#         workflow); the registry checks the .sig file against the key on the namespace.
#   ko    the gateway image: a snapshot would load it into a local Docker daemon; `make images`
#         builds the same image without Docker (and the release workflow pushes it).
#   (a snapshot never publishes: no GitHub release, no push.)
# The release lands in dist/release (.goreleaser.yml's dist), replaced on every run.
# Every OS/arch is a full cross-compile of the provider: 13 of them take long on a small
# machine (see README). RELEASE_CHECK_SINGLE_TARGET=1 builds only this machine's OS/arch
# (goreleaser --single-target) and checks that zip, for a quick local check; CI runs them all.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
GORELEASER=${GORELEASER:-$ROOT/bin/goreleaser}
[[ -x $GORELEASER ]] || { echo "release-check: no $GORELEASER (make tools)" >&2; exit 2; }
start=$SECONDS
args=(release --snapshot --clean --skip=sign,ko)
targets=""
if [[ ${RELEASE_CHECK_SINGLE_TARGET:-} == 1 ]]; then
	# `goreleaser release` has no --single-target: the same configuration, one goos and goarch.
	goos=$(go env GOOS) goarch=$(go env GOARCH)
	targets=$goos/$goarch
	single=$(mktemp --suffix=.yml)
	trap 'rm -f "$single"' EXIT
	sed -e "s|^    goos: \[.*\]$|    goos: [$goos]|" -e "s|^    goarch: \[.*\]$|    goarch: [$goarch]|" .goreleaser.yml >"$single"
	grep -q "^    goos: \[$goos\]$" "$single" && grep -q "^    goarch: \[$goarch\]$" "$single" ||
		{ echo "release-check: cannot narrow .goreleaser.yml's provider build to $targets" >&2; exit 2; }
	args+=(--config "$single")
fi
"$GORELEASER" "${args[@]}"
echo "release-check: goreleaser built the snapshot in $((SECONDS - start))s"
dist=$(sed -n 's/^dist: *//p' .goreleaser.yml)
OCTOLLM_RELEASE_DIST=$ROOT/${dist:-dist} OCTOLLM_RELEASE_TARGETS=$targets \
	go test -count=1 -v -run 'TestGoreleaserTargets|TestSnapshotRelease' ./internal/release/
