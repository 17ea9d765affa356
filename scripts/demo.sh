#!/usr/bin/env bash
# The demo, on one machine with only Docker (and the .NET 10 SDK, which it checks for first): sets everything up,
# starts two more Docker engines standing for hosts in zones b and c, runs `bollard agent` on examples/demo, and shows
#   1. three replicas of the sample app, one per zone, answering through the balancer,
#   2. a replica killed with `docker kill` leaving routing at once and being replaced,
#   3. the daemon restarted: the same containers keep serving, none added,
#   4. a load step scaling the service out over the three zones, and back in when it stops, with the decisions,
#   5. `bollard rollout start web --image bollard-sample:v2`: a canary moving traffic in steps under load, no errors,
#   6. a bad version (half its answers 500) rolled back by itself.
# Every wait and every load is bounded. The demo uses the embedded catalog: no Consul is started. At the end the agent
# stops, the demo's containers are removed, and the engines it started are stopped, the default Docker engine too when
# this demo started it (KEEP=1 keeps all of it running).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=require-dotnet.sh
. "$ROOT/scripts/require-dotnet.sh"
require_dotnet_sdk
OUT="$ROOT/artifacts/demo"
# deps.sh records here what it starts (by PID), so that the end of the demo stops exactly that.
export BOLLARD_STATE_DIR="$OUT/deps"
BALANCER=http://127.0.0.1:8080
AGENT_PID=""
ENGINES=(h2 h3)
STARTED_ENGINES=()
mkdir -p "$OUT"
export BOLLARD_TOKEN_FILE="$OUT/state/admin.token"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { printf 'demo: %s (agent log: %s)\n' "$*" "$OUT/agent.log" >&2; exit 1; }

engine_args() { # engine_args NAME: the docker CLI flags that reach engine NAME (h1 is the default engine)
  [ "$1" = h1 ] || echo "-H unix:///tmp/bollard-engines/$1/docker.sock"
}

# The demo's running containers on every engine, as "engine id" lines.
demo_containers() {
  local engine
  for engine in h1 "${ENGINES[@]}"; do
    docker $(engine_args "$engine") ps --filter label=io.bollard.cluster=demo --filter status=running --format "$engine {{.ID}}" 2>/dev/null || true
  done | sort
}

bollard() { "$OUT/bin/bollard" "$@"; }

start_agent() {
  "$OUT/bin/bollard" agent --config examples/demo/agent.yaml >>"$OUT/agent.log" 2>&1 &
  AGENT_PID=$!
}

stop_agent() {
  [ -n "$AGENT_PID" ] || return 0
  kill "$AGENT_PID" 2>/dev/null || true
  wait "$AGENT_PID" 2>/dev/null || true
  AGENT_PID=""
}

cleanup() {
  stop_agent
  [ -z "${LOAD_PID:-}" ] || kill "$LOAD_PID" 2>/dev/null || true
  if [ "${KEEP:-0}" != 1 ]; then
    for engine in h1 "${ENGINES[@]}"; do
      ids="$(docker $(engine_args "$engine") ps -aq --filter label=io.bollard.cluster=demo 2>/dev/null || true)"
      [ -z "$ids" ] || docker $(engine_args "$engine") rm -f $ids >/dev/null || true
    done
    [ "${#STARTED_ENGINES[@]}" -eq 0 ] || scripts/engines.sh stop "${STARTED_ENGINES[@]}" || true
    # The Docker engine, if this demo started it (an engine that was already running is left alone).
    scripts/deps.sh stop || true
  fi
}
trap cleanup EXIT

# replicas_answering N: the distinct replica ids seen in N requests through the balancer.
replicas_answering() {
  for _ in $(seq 1 "$1"); do
    # The reply has no trailing newline: add one so that each id is a line.
    { curl -fsS --max-time 2 "$BALANCER/" 2>/dev/null || true; echo; } | sed -n 's/.*"replica":"\([^"]*\)".*/\1/p'
  done | sort -u
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls until the command succeeds.
wait_for() {
  local deadline=$((SECONDS + $1)) what="$2"
  shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "timed out waiting for $what"
    sleep 0.5
  done
}

three_replicas_serving() { [ "$(replicas_answering 30 | wc -l)" -eq 3 ]; }

# Running replicas per zone, e.g. "zone-a=1 zone-b=1 zone-c=1".
per_zone() {
  local engine
  for engine in h1 "${ENGINES[@]}"; do
    docker $(engine_args "$engine") ps --filter label=io.bollard.cluster=demo --filter status=running \
      --format '{{.Label "io.bollard.zone"}}' 2>/dev/null || true
  done | sort | uniq -c | awk '{ printf "%s%s=%s", sep, $2, $1; sep=" " }'
}
running() { demo_containers | wc -l; }

# start_load SECONDS CONNECTIONS FILE: wrk on the balancer in the background, bounded by its duration.
start_load() {
  wrk -t1 -c"$2" -d"$1"s --timeout 5s "$BALANCER/" >"$3" 2>&1 &
  LOAD_PID=$!
}
stop_load() { # stop_load FILE: ends the load (wrk prints its summary on SIGINT) and prints that summary
  kill -INT "$LOAD_PID" 2>/dev/null || true
  wait "$LOAD_PID" 2>/dev/null || true
  LOAD_PID=""
  requests="$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$1")"
  non2xx="$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$1")"
  socket="$(sed -n 's/^ *Socket errors: *//p' "$1")"
  echo "load: ${requests:-0} requests, ${non2xx:-0} answered with an error${socket:+, socket errors: $socket}"
}

say "Setting up: Docker engine, sample images, bollard (the demo's catalog is embedded: no Consul)"
scripts/deps.sh docker
scripts/build-images.sh
for engine in "${ENGINES[@]}"; do
  docker $(engine_args "$engine") info >/dev/null 2>&1 || STARTED_ENGINES+=("$engine")
done
scripts/engines.sh start "${ENGINES[@]}"
dotnet publish src/Bollard -c Release -o "$OUT/bin" -nologo -v:q >"$OUT/publish.log" || { cat "$OUT/publish.log"; exit 1; }
: >"$OUT/agent.log"
rm -rf "$OUT/state"

say "Starting bollard agent (examples/demo: 3 to 9 replicas of bollard-sample:v1 over 3 zones behind $BALANCER)"
start_agent
wait_for 120 "3 replicas answering through the balancer" three_replicas_serving
echo "running per zone: $(per_zone)"
echo "Dashboard: http://127.0.0.1:9901/ui/ (sign in with the token in $BOLLARD_TOKEN_FILE)"
echo "Requests through the balancer:"
for _ in $(seq 1 9); do curl -fsS "$BALANCER/"; echo; done

say "docker kill of one replica"
victim="$(demo_containers | awk '$1 == "h1" { print $2; exit }')"
docker kill "$victim" >/dev/null
echo "killed $victim"
gone() { ! replicas_answering 20 | grep -q "^$victim"; }
wait_for 30 "the killed replica to leave routing" gone
echo "out of routing: 20 requests, none reached $victim"
replaced() { [ "$(running)" -eq 3 ] && three_replicas_serving; }
wait_for 60 "a replacement replica" replaced
echo "replaced; serving replicas now:"
replicas_answering 30

say "Restarting the daemon: the replicas keep serving and are re-adopted"
before="$(demo_containers)"
stop_agent
echo "agent stopped; containers still running: $(demo_containers | wc -l)"
start_agent
wait_for 60 "the restarted agent to serve" three_replicas_serving
after="$(demo_containers)"
[ "$before" = "$after" ] || fail "the container set changed across the restart: before [$before] after [$after]"
echo "same $(echo "$after" | wc -l) containers before and after the restart, none added:"
echo "$after"
echo "Metrics: $(curl -fsS http://127.0.0.1:9901/metrics | grep -c '^bollard_') bollard_* series at http://127.0.0.1:9901/metrics"

say "A load step: 8 connections, each request 20 ms (up to 400 requests/s against a target of 15 per replica), until it has scaled out (at most 50 s)"
start_load 50 8 "$OUT/load-step.txt"
scaled_out() { [ "$(running)" -ge 6 ]; }
wait_for 55 "the scale-out to at least 6 replicas" scaled_out
echo "running per zone: $(per_zone)"
bollard status web
stop_load "$OUT/load-step.txt"

say "Load stopped: after the 15 s scale-down window the extra replicas drain and go"
back_to_three() { [ "$(running)" -eq 3 ]; }
wait_for 90 "the scale-in back to 3 replicas" back_to_three
echo "running per zone: $(per_zone)"
echo "The scaler's last decisions (bollard decisions web):"
bollard decisions web | tail -n 6

say "bollard rollout start web --image bollard-sample:v2, under load (2 connections)"
start_load 120 2 "$OUT/load-rollout.txt"
bollard rollout start web --image bollard-sample:v2
timeout 150 "$OUT/bin/bollard" rollout status web --watch || fail "the rollout of v2 did not succeed"
stop_load "$OUT/load-rollout.txt"
[ "${non2xx:-0}" -eq 0 ] && [ -z "$socket" ] || fail "requests failed during the rollout"
echo "Replies now come from v2:"
for _ in $(seq 1 3); do curl -fsS "$BALANCER/"; echo; done

say "A bad version (examples/demo/bad-version: half of its answers are 500) rolls itself back"
start_load 120 2 "$OUT/load-bad.txt"
bollard apply -f examples/demo/bad-version/web.yaml
timeout 150 "$OUT/bin/bollard" rollout status web --watch && fail "the bad version was not rolled back" || true
stop_load "$OUT/load-bad.txt"
echo "(the errors are the requests that reached the bad version before it was rolled back: its analysis allows 2 failed checks)"
echo "Why: its failed analysis checks and the rollback (bollard decisions web):"
bollard decisions web | awk 'NR == 1 || / rollout analysis .* Fail / || /rolling back after|rolled back:/' | cut -c1-220
echo
echo "bollard status web: the rolled-back version is desired but serves nothing"
bollard status web

say "Demo complete"
