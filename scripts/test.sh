#!/usr/bin/env bash
# Runs every test against the real services: installs and starts the Docker engine, a Consul dev agent and an image
# registry on loopback (scripts/deps.sh), builds the sample images (scripts/build-images.sh) and pushes them to the
# registry under its name (scripts/registry-images.sh), then runs the unit and integration tests, and the deployment
# checks: the shipped systemd unit under a real systemd (scripts/test-systemd.sh) and the daemon's image
# (scripts/test-daemon-image.sh).
# On exit it removes the containers this run created (by their cluster label) and stops what it started.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export BOLLARD_TEST_RUN_ID="${BOLLARD_TEST_RUN_ID:-t$(date +%s)$$}"
# deps.sh records (and later stops) only what it starts itself: a Docker engine or Consul agent that was already
# running before this run is used and left alone.
export BOLLARD_STATE_DIR="$ROOT/artifacts/deps-$BOLLARD_TEST_RUN_ID"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
RESULTS="$ROOT/artifacts/test-results"

log() { printf '[test] %s\n' "$*" >&2; }

# Extra engines standing for hosts in zones b and c (the default engine is zone a).
ZONE_ENGINES=(h2 h3)
STARTED_ENGINES=()
# An engine the image tests start empty (scripts/engines.sh start-empty) and stop; stopped here too if a test could not.
export BOLLARD_TEST_EMPTY_ENGINE="${BOLLARD_TEST_EMPTY_ENGINE:-h33}"
export BOLLARD_REGISTRY="${BOLLARD_REGISTRY:-127.0.0.1:5055}"
export BOLLARD_TEST_REGISTRY="$BOLLARD_REGISTRY"

remove_run_containers() { # remove_run_containers [DOCKER_ARGS...]
  docker "$@" info >/dev/null 2>&1 || return 0
  # Only this run's containers: every test cluster name starts with the run id.
  local ids
  ids="$(docker "$@" ps -a --filter label=io.bollard.managed-by=bollard --format '{{.ID}} {{.Label "io.bollard.cluster"}}' \
    | awk -v run="$BOLLARD_TEST_RUN_ID" 'index($2, run) == 1 { print $1 }')"
  if [ -n "$ids" ]; then
    log "removing $(echo "$ids" | wc -l) container(s) left by run $BOLLARD_TEST_RUN_ID ${*:-}"
    echo "$ids" | xargs docker "$@" rm -f >/dev/null 2>&1 || true
  fi
}

cleanup() {
  local code=$?
  remove_run_containers
  for engine in "${ZONE_ENGINES[@]}"; do
    remove_run_containers -H "$("$ROOT/scripts/engines.sh" socket "$engine")"
  done
  if [ "${#STARTED_ENGINES[@]}" -gt 0 ]; then
    "$ROOT/scripts/engines.sh" stop "${STARTED_ENGINES[@]}" || true
  fi
  "$ROOT/scripts/engines.sh" stop "$BOLLARD_TEST_EMPTY_ENGINE" || true
  "$ROOT/scripts/deps.sh" stop || true
  exit "$code"
}
trap cleanup EXIT

"$ROOT/scripts/deps.sh"
"$ROOT/scripts/deps.sh" registry
"$ROOT/scripts/build-images.sh"
"$ROOT/scripts/registry-images.sh"
for engine in "${ZONE_ENGINES[@]}"; do
  docker -H "$("$ROOT/scripts/engines.sh" socket "$engine")" info >/dev/null 2>&1 || STARTED_ENGINES+=("$engine")
done
"$ROOT/scripts/engines.sh" start "${ZONE_ENGINES[@]}"
export BOLLARD_TEST_ENGINES="$(IFS=,; echo "${ZONE_ENGINES[*]}")"

log "building"
dotnet build Bollard.slnx -c Release -nologo -v:q

log "running the tests (run id $BOLLARD_TEST_RUN_ID)"
rm -rf "$RESULTS" "$RESULTS.deploy.log" && mkdir -p "$RESULTS"
status=0
dotnet test Bollard.slnx -c Release --no-build -nologo \
  --blame-hang-timeout 10m \
  --logger "console;verbosity=minimal" \
  --logger "trx" --results-directory "$RESULTS" \
  2>&1 | tee "$RESULTS.log" || status=$?

# The daemon as it is deployed: the shipped unit under a real systemd, and the image. Each prints one "N passed,
# M failed" line; both count in the closing line.
deploy_status=0
log "running the deployment checks (scripts/test-systemd.sh, scripts/test-daemon-image.sh)"
for check in test-systemd.sh test-daemon-image.sh; do
  "$ROOT/scripts/$check" 2>&1 | tee -a "$RESULTS.deploy.log" || deploy_status=1
done

# One closing line over all test projects and the deployment checks.
count() { { grep -E '^(Passed|Failed)!' "$RESULTS.log" || true; } | { grep -oE "$1: +[0-9]+" || true; } | awk '{ s += $2 } END { print s + 0 }'; }
deploy_count() { { grep -oE "\] [0-9]+ passed, [0-9]+ failed$" "$RESULTS.deploy.log" || true; } | awk -v field="$1" '{ s += $field } END { print s + 0 }'; }
passed=$(( $(count Passed) + $(deploy_count 2) ))
failed=$(( $(count Failed) + $(deploy_count 4) ))
skipped=$(count Skipped)
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$deploy_status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
