#!/usr/bin/env bash
# Builds the sample workload images bollard-sample:v1 and bollard-sample:v2 on the local Docker engine, with no
# registry: a self-contained publish of samples/SampleApp (Native AOT, or single-file ReadyToRun without a C toolchain),
# copied with the shared libraries that ldd lists into a FROM-scratch image. The two tags share one binary; only the
# baked VERSION env differs.
#
# Idempotent: the images carry a hash of everything they are built from (label io.bollard.sample.source-hash);
# when both tags exist with the current hash, nothing is published or built.
#
#   scripts/build-images.sh [--force]
#
# Environment:
#   DOCKER_HOST          the engine to build on (default: the docker CLI's default)
#   BOLLARD_SAMPLE_IMAGE image name without tag (default bollard-sample)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE="${BOLLARD_SAMPLE_IMAGE:-bollard-sample}"
VERSIONS=(v1 v2)
APP_DIR="$ROOT/samples/SampleApp"
WORK_DIR="$ROOT/artifacts/sample-image"
BINARY=sample-app

log() { printf '[build-images] %s\n' "$*" >&2; }
fail() { printf '[build-images] ERROR: %s\n' "$*" >&2; exit 1; }

force=0
[ "${1:-}" = "--force" ] && force=1

command -v docker >/dev/null || fail "the docker CLI is not installed (scripts/deps.sh installs docker.io)"
command -v dotnet >/dev/null || fail "the .NET SDK (dotnet) is not on PATH"
command -v ldd >/dev/null || fail "ldd is not installed (package libc-bin)"
docker info >/dev/null 2>&1 || fail "the Docker engine does not answer (${DOCKER_HOST:-unix:///var/run/docker.sock}); start it with scripts/deps.sh"

# Everything the image depends on: the app's sources, the shared build settings, this script, the SDK version.
source_hash() {
  (
    cd "$ROOT"
    find samples/SampleApp -type f -not -path '*/bin/*' -not -path '*/obj/*' -print0 | sort -z | xargs -0 sha256sum
    sha256sum Directory.Build.props Directory.Packages.props global.json scripts/build-images.sh 2>/dev/null || true
    dotnet --version
  ) | sha256sum | cut -c1-16
}

image_hash() {
  docker image inspect --format '{{ index .Config.Labels "io.bollard.sample.source-hash" }}' "$1" 2>/dev/null || true
}

hash="$(source_hash)"
if [ "$force" -eq 0 ]; then
  up_to_date=1
  for v in "${VERSIONS[@]}"; do
    [ "$(image_hash "$IMAGE:$v")" = "$hash" ] || up_to_date=0
  done
  if [ "$up_to_date" -eq 1 ]; then
    log "$IMAGE:${VERSIONS[*]} are up to date (source hash $hash)"
    exit 0
  fi
fi

publish_dir="$WORK_DIR/publish"
context="$WORK_DIR/context"
rm -rf "$publish_dir" "$context"
mkdir -p "$publish_dir" "$context/rootfs/app" "$context/rootfs/tmp"
chmod 1777 "$context/rootfs/tmp"

# Native AOT first: a replica then answers within milliseconds of its start, where a JIT-compiled one spends seconds
# of CPU on a busy host (that start is most of a scale-out's reaction time). It needs a C toolchain (clang or gcc);
# without one, a self-contained single-file ReadyToRun build works the same, only starts slower.
publish() { # publish DESCRIPTION MSBUILD_PROPERTY...
  local what="$1"
  shift
  log "publishing samples/SampleApp ($what, linux-x64)"
  rm -rf "$publish_dir"
  dotnet publish "$APP_DIR/SampleApp.csproj" -c Release -r linux-x64 --self-contained \
    -p:InvariantGlobalization=true -p:DebugType=none "$@" -o "$publish_dir" -nologo -v:q >"$WORK_DIR/publish.log" 2>&1
}
if ! publish "Native AOT" -p:PublishAot=true; then
  log "Native AOT publish failed (log: $WORK_DIR/publish-aot.log); falling back to ReadyToRun"
  mv "$WORK_DIR/publish.log" "$WORK_DIR/publish-aot.log"
  if ! publish "single file, ReadyToRun" -p:PublishSingleFile=true -p:PublishReadyToRun=true; then
    cat "$WORK_DIR/publish.log" >&2
    fail "dotnet publish failed (log above, also in $WORK_DIR/publish.log)"
  fi
fi
[ -x "$publish_dir/$BINARY" ] || fail "dotnet publish did not produce $publish_dir/$BINARY"
cp "$publish_dir/$BINARY" "$context/rootfs/app/"

# The binary's shared libraries and the dynamic loader, at the same absolute paths as on this machine: what ldd lists
# (globalization is invariant, so no ICU), plus OpenSSL's libcrypto and libssl, which .NET loads at run time rather
# than links: the WebSocket handshake hashes its key with SHA-1, and without them the process dies at the first upgrade.
libs="$(ldd "$publish_dir/$BINARY" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')"
[ -n "$libs" ] || fail "ldd listed no shared libraries for $BINARY; is it a dynamic linux-x64 binary?"
case "$libs" in *ld-linux*) ;; *) fail "ldd listed no dynamic loader for $BINARY" ;; esac
for so in libcrypto.so.3 libssl.so.3; do
  path="$(ldconfig -p | awk -v so="$so" '$1 == so && /x86-64/ { print $NF; exit }')"
  [ -n "$path" ] || fail "$so is not installed (package libssl3): the sample's WebSockets need it"
  libs="$libs $path"
done
for lib in $libs; do
  mkdir -p "$context/rootfs$(dirname "$lib")"
  cp -L "$lib" "$context/rootfs$lib"
done
cp "$APP_DIR/Dockerfile" "$context/Dockerfile"

for v in "${VERSIONS[@]}"; do
  log "building $IMAGE:$v"
  if ! docker build -q --build-arg "VERSION=$v" \
      --label "io.bollard.sample=true" \
      --label "io.bollard.sample.version=$v" \
      --label "io.bollard.sample.source-hash=$hash" \
      -t "$IMAGE:$v" "$context" >"$WORK_DIR/build-$v.log" 2>&1; then
    cat "$WORK_DIR/build-$v.log" >&2
    fail "docker build of $IMAGE:$v failed (log above)"
  fi
done
# Earlier builds of these tags are now untagged; drop them (only dangling images carrying the sample label).
docker image prune -f --filter label=io.bollard.sample=true >/dev/null
log "built $IMAGE:${VERSIONS[*]} (source hash $hash)"
