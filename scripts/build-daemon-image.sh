#!/usr/bin/env bash
# Builds the daemon's image (tag bollard:latest, or the first argument) from the repository's Dockerfile: the .NET SDK
# image compiles `bollard`, the runtime-deps image runs it (see the Dockerfile).
#
# With a registry, that is `docker build .` with the official base images. Without one (no `docker pull`), local
# stand-ins are made under the project's own names and given to the same Dockerfile as build arguments; nothing is
# ever tagged with an official image's name (that would shadow the real image for every other build on the host):
#   bollard-local/runtime-deps:10.0   a Debian bookworm root (mmdebstrap) with what .NET needs at run time
#   bollard-local/sdk:10.0            the same root with this machine's .NET SDK and trusted certificates
# They are kept and made again only when the machine's SDK changes.
#
#   scripts/build-daemon-image.sh [TAG]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TAG="${1:-bollard:latest}"
SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0
LOCAL_SDK=bollard-local/sdk:10.0
LOCAL_RUNTIME=bollard-local/runtime-deps:10.0
RUNTIME_PACKAGES="ca-certificates,libssl3,zlib1g,tzdata"

log() { printf '[build-daemon-image] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

docker info >/dev/null 2>&1 || die "the Docker engine does not answer; start it with scripts/deps.sh"

available() { docker image inspect "$1" >/dev/null 2>&1 || docker pull -q "$1" >/dev/null 2>&1; }

# What the stand-ins are made from: the package list and the machine's SDK and runtime.
stand_in_source() {
  printf '%s %s %s %s' "$RUNTIME_PACKAGES" "$(dotnet --version)" "$(ls /usr/share/dotnet/shared/Microsoft.NETCore.App 2>/dev/null | tr '\n' ' ')" \
    "$(sha256sum /etc/ssl/certs/ca-certificates.crt 2>/dev/null)" | sha256sum | cut -c1-16
}
stand_in_label() { docker image inspect --format '{{ index .Config.Labels "io.bollard.stand-in.source" }}' "$1" 2>/dev/null || true; }

make_stand_ins() {
  local source="$1"
  command -v mmdebstrap >/dev/null || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null; }
  local dotnet_root
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  local work
  work="$(mktemp -d "$ROOT/artifacts/stand-in.XXXXXX")"
  trap 'rm -rf "$work"' RETURN
  log "making $LOCAL_RUNTIME (Debian bookworm with $RUNTIME_PACKAGES)"
  mmdebstrap --quiet --variant=minbase --include="$RUNTIME_PACKAGES" bookworm "$work/root" >/dev/null
  tar -C "$work/root" -c . | docker import --change "LABEL io.bollard.stand-in.source=$source" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$LOCAL_RUNTIME" >/dev/null
  log "making $LOCAL_SDK (the same with the .NET SDK of this machine, $(dotnet --version))"
  mkdir -p "$work/root/usr/share/dotnet"
  # The certificates this machine trusts: the SDK restores packages from wherever, and however, this machine reaches them.
  [ ! -f /etc/ssl/certs/ca-certificates.crt ] || cp /etc/ssl/certs/ca-certificates.crt "$work/root/etc/ssl/certs/ca-certificates.crt"
  cp -a "$dotnet_root/." "$work/root/usr/share/dotnet/"
  ln -sf /usr/share/dotnet/dotnet "$work/root/usr/bin/dotnet"
  tar -C "$work/root" -c . | docker import --change "LABEL io.bollard.stand-in.source=$source" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV DOTNET_ROOT=/usr/share/dotnet' \
    --change 'ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1' - "$LOCAL_SDK" >/dev/null
}

build_args=()
if available "$SDK_IMAGE" && available "$RUNTIME_IMAGE"; then
  log "building on $SDK_IMAGE and $RUNTIME_IMAGE"
else
  source="$(stand_in_source)"
  if [ "$(stand_in_label "$LOCAL_SDK")" != "$source" ] || [ "$(stand_in_label "$LOCAL_RUNTIME")" != "$source" ]; then
    mkdir -p "$ROOT/artifacts"
    make_stand_ins "$source"
  fi
  log "no registry: building on the local stand-ins $LOCAL_SDK and $LOCAL_RUNTIME"
  build_args+=(--build-arg "SDK_IMAGE=$LOCAL_SDK" --build-arg "RUNTIME_IMAGE=$LOCAL_RUNTIME")
fi

revision="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
log "building $TAG (commit $revision)"
# The host's network for the build: the SDK restores the NuGet packages from wherever this machine reaches them.
docker build -q --network host "${build_args[@]}" \
  --build-arg "VERSION=$revision" --build-arg "REVISION=$revision" --build-arg "CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  -t "$TAG" . >/dev/null
docker run --rm "$TAG" version
