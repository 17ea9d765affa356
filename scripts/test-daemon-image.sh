#!/usr/bin/env bash
# Builds the daemon's image from the Dockerfile (scripts/build-daemon-image.sh: the official base images, or local
# stand-ins passed as build arguments when no registry answers) and runs it against the host's Docker engine the way
# the Dockerfile's header says: host network, the Docker socket's group, the config mounted read-only, a state volume.
# scripts/test.sh runs it; it needs root (the Docker socket).
#
# Checks: the image's user, health check, OCI labels, exposed ports and volume; no local image under an official name;
# the container becomes healthy, runs as its user, creates a replica on the host's engine and serves it through its
# balancer on the host's 127.0.0.1, keeps its state private, and exits 0 on `docker stop`.
#
#   scripts/test-daemon-image.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUN_ID="${BOLLARD_TEST_RUN_ID:-i$(date +%s)$$}"
CLUSTER="$RUN_ID-image"
TAG=bollard:test
NAME="bollard-$RUN_ID"
VOLUME="bollard-state-$RUN_ID"
WORK="$ROOT/artifacts/image-test-$RUN_ID"
CONFIG="$WORK/etc"

passed=0
failed=0
log() { printf '[test-daemon-image] %s\n' "$*" >&2; }
pass() { passed=$((passed + 1)); log "PASS: $*"; }
fail() { failed=$((failed + 1)); log "FAIL: $*"; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (the Docker socket)"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer; start it with scripts/deps.sh"
docker image inspect bollard-sample:v1 >/dev/null 2>&1 || die "bollard-sample:v1 is missing; build it with scripts/build-images.sh"

cleanup() {
  local code=$?
  if [ "$failed" -ne 0 ] && docker container inspect "$NAME" >/dev/null 2>&1; then
    docker logs "$NAME" >"$WORK/container.log" 2>&1 || true
    log "the container's output is in $WORK/container.log"
  fi
  docker rm -f "$NAME" >/dev/null 2>&1 || true
  local ids
  ids="$(docker ps -aq --filter "label=io.bollard.cluster=$CLUSTER")"
  [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1 || true
  docker volume rm "$VOLUME" >/dev/null 2>&1 || true
  [ "$code" -ne 0 ] || [ "$failed" -ne 0 ] || rm -rf "$WORK"
  exit "$code"
}
trap cleanup EXIT

# shellcheck source=lib/checks.sh
. "$ROOT/scripts/lib/checks.sh"

# --- 1. The build and the image --------------------------------------------------------------------------------------
if "$ROOT/scripts/build-daemon-image.sh" "$TAG" >&2; then
  pass "the Dockerfile builds ($TAG)"
else
  fail "the Dockerfile does not build"
  exit 1
fi

official="$(grep -cE '^ARG (SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0|RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0)$' Dockerfile || true)"
stand_in_tags="$(docker image inspect --format '{{ join .RepoTags " " }}' bollard-local/sdk:10.0 bollard-local/runtime-deps:10.0 2>/dev/null | tr '\n' ' ' || true)"
if [ "$official" = "2" ] && ! grep -q 'mcr.microsoft.com' <<<"$stand_in_tags"; then
  pass "the Dockerfile names the official base images; the local stand-ins carry only names of their own (${stand_in_tags:-none: the official images were there})"
else
  fail "base images: $official official defaults in the Dockerfile; stand-in tags: $stand_in_tags"
fi

inspect() { docker image inspect --format "$1" "$TAG"; }
user="$(inspect '{{.Config.User}}')"
health="$(inspect '{{if .Config.Healthcheck}}{{join .Config.Healthcheck.Test " "}}{{end}}')"
ports="$(inspect '{{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}')"
volumes="$(inspect '{{range $v, $_ := .Config.Volumes}}{{$v}} {{end}}')"
labels="$(inspect '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}} {{end}}')"
if [ "$user" = "10001:10001" ] && grep -q '/healthz' <<<"$health" && [ "$ports" = "8080/tcp 9901/tcp " ] && [ "$volumes" = "/var/lib/bollard " ] \
   && grep -q 'org.opencontainers.image.title=bollard' <<<"$labels" && grep -q 'org.opencontainers.image.revision=' <<<"$labels" \
   && grep -q 'org.opencontainers.image.created=' <<<"$labels" && grep -q 'org.opencontainers.image.version=' <<<"$labels"; then
  pass "the image: user $user, a HEALTHCHECK of /healthz, EXPOSE $ports, VOLUME $volumes, OCI labels"
else
  fail "the image: user '$user', health '$health', ports '$ports', volumes '$volumes', labels '$labels'"
fi

# --- 2. Run against the host's engine --------------------------------------------------------------------------------
LISTEN_PORT="$(free_port)"
ADMIN_PORT="$(free_port)"
mkdir -p "$CONFIG/services"
printf '%s\n' "cluster: $CLUSTER" "zone: zone-a" "listen: 127.0.0.1:$LISTEN_PORT" "admin: 127.0.0.1:$ADMIN_PORT" \
  "services: /etc/bollard/services" >"$CONFIG/agent.yaml"
printf '%s\n' "name: web" "image: bollard-sample:v1" "port: 8080" "replicas: 1" "health: { path: /health, interval: 1s }" \
  "route: { pathPrefix: / }" >"$CONFIG/services/web.yaml"
# Readable by the image's user (the files only: the mount point is the directory itself).
chmod 0755 "$CONFIG" "$CONFIG/services"
chmod 0644 "$CONFIG/agent.yaml" "$CONFIG/services/web.yaml"
docker run -d --name "$NAME" --network host \
  --group-add "$(stat -c %g /var/run/docker.sock)" \
  -v /var/run/docker.sock:/var/run/docker.sock \
  -v "$CONFIG:/etc/bollard:ro" \
  -v "$VOLUME:/var/lib/bollard" \
  -e "BOLLARD_HEALTH_ADDRESS=127.0.0.1:$ADMIN_PORT" \
  "$TAG" >/dev/null

healthy() { [ "$(docker inspect --format '{{.State.Health.Status}}' "$NAME")" = "healthy" ]; }
if wait_for 90 "the container to be healthy" healthy; then
  pass "the container's HEALTHCHECK reports it healthy"
else
  fail "the container is not healthy: $(docker inspect --format '{{.State.Status}} {{.State.Health.Status}}' "$NAME" 2>&1)"
fi

balancer_serves() { curl -fsS -m 2 "http://127.0.0.1:$LISTEN_PORT/" | grep -q '"replica"'; }
if wait_for 90 "a replica answering through the balancer" balancer_serves; then
  pass "a replica created on the host's engine answers through the container's balancer on 127.0.0.1:$LISTEN_PORT"
else
  fail "no replica answered through the container's balancer"
fi

uid="$(docker exec "$NAME" id -u)"
open="$(docker exec "$NAME" find /var/lib/bollard -perm /077)"
mode="$(docker exec "$NAME" stat -c '%a %u' /var/lib/bollard)"
if [ "$uid" = "10001" ] && [ "$mode" = "700 10001" ] && [ -z "$open" ]; then
  pass "the agent runs as uid 10001; its state volume is private (0700, nothing open to others)"
else
  fail "uid '$uid', state directory '$mode', open to others: ${open:-none}"
fi

docker stop -t 30 "$NAME" >/dev/null
code="$(docker inspect --format '{{.State.ExitCode}}' "$NAME")"
if [ "$code" = "0" ]; then
  pass "docker stop: the agent exits 0"
else
  fail "docker stop: exit code $code"
fi

log "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
