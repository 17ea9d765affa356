#!/usr/bin/env bash
# Puts the sample images into the test registry under the registry's own name, as a fleet gets its images:
# $BOLLARD_REGISTRY/bollard-sample:v1 and :v2, each built FROM the local bollard-sample:vN with one label more, so
# that they are images of their own. (Pushing the local tags themselves would give them a registry digest, and every
# pin of bollard-sample:vN would then name the registry: the tests of locally built images rely on there being none.)
# Idempotent: the derived image is rebuilt only when its local image changed, and a push of what the registry already
# holds uploads nothing.
#
#   scripts/registry-images.sh
#
# Environment:
#   BOLLARD_REGISTRY      the registry (default 127.0.0.1:5055; scripts/deps.sh registry starts it)
#   BOLLARD_SAMPLE_IMAGE  image name without tag (default bollard-sample)
set -euo pipefail

REGISTRY="${BOLLARD_REGISTRY:-127.0.0.1:5055}"
IMAGE="${BOLLARD_SAMPLE_IMAGE:-bollard-sample}"
VERSIONS=(v1 v2)

log() { printf '[registry-images] %s\n' "$*" >&2; }
fail() { printf '[registry-images] ERROR: %s\n' "$*" >&2; exit 1; }

curl -fsS "http://$REGISTRY/v2/" >/dev/null 2>&1 || fail "no registry answers on $REGISTRY (start one with scripts/deps.sh registry)"
for v in "${VERSIONS[@]}"; do
  source_id="$(docker image inspect --format '{{.Id}}' "$IMAGE:$v" 2>/dev/null)" || fail "no $IMAGE:$v on the local engine (run scripts/build-images.sh first)"
  target="$REGISTRY/$IMAGE:$v"
  if [ "$(docker image inspect --format '{{ index .Config.Labels "io.bollard.sample.from" }}' "$target" 2>/dev/null || true)" != "$source_id" ]; then
    log "building $target from $IMAGE:$v"
    out="$(printf 'FROM %s\nLABEL io.bollard.sample.registry=%s io.bollard.sample.from=%s\n' "$source_id" "$REGISTRY" "$source_id" \
      | docker build -q -t "$target" - 2>&1)" || { printf '%s\n' "$out" >&2; fail "docker build of $target failed"; }
  fi
  docker push -q "$target" >/dev/null || fail "docker push $target failed"
  log "pushed $target ($(docker image inspect --format '{{index .RepoDigests 0}}' "$target"))"
done
