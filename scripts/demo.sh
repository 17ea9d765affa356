#!/usr/bin/env bash
# The demo, on one host with only Docker: sets everything up, runs `bollard agent` on examples/demo, and shows
#   1. three replicas of the sample app answering through the balancer,
#   2. a replica killed with `docker kill` leaving routing at once and being replaced,
#   3. the daemon restarted: the same containers keep serving, none added.
# Every wait is bounded. At the end the agent stops and the demo's containers are removed (KEEP=1 keeps both).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/artifacts/demo"
BALANCER=http://127.0.0.1:8080
AGENT_PID=""
mkdir -p "$OUT"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { printf 'demo: %s (agent log: %s)\n' "$*" "$OUT/agent.log" >&2; exit 1; }

demo_containers() {
  docker ps --filter label=io.bollard.cluster=demo --filter status=running --format '{{.ID}}' | sort
}

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
  if [ "${KEEP:-0}" != 1 ]; then
    ids="$(docker ps -aq --filter label=io.bollard.cluster=demo)"
    [ -z "$ids" ] || docker rm -f $ids >/dev/null
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

say "Setting up: Docker engine, Consul agent, sample images, bollard"
scripts/deps.sh
scripts/build-images.sh
dotnet publish src/Bollard -c Release -o "$OUT/bin" -nologo -v:q >"$OUT/publish.log" || { cat "$OUT/publish.log"; exit 1; }
: >"$OUT/agent.log"

say "Starting bollard agent (examples/demo/agent.yaml: 3 replicas of bollard-sample:v1 behind $BALANCER)"
start_agent
wait_for 120 "3 replicas answering through the balancer" three_replicas_serving
docker ps --filter label=io.bollard.cluster=demo --format 'table {{.ID}}\t{{.Names}}\t{{.Status}}\t{{.Ports}}'
echo "Requests through the balancer:"
for _ in $(seq 1 9); do curl -fsS "$BALANCER/"; echo; done

say "docker kill of one replica"
victim="$(demo_containers | head -1)"
docker kill "$victim" >/dev/null
echo "killed $victim"
gone() { ! replicas_answering 20 | grep -q "^$victim"; }
wait_for 30 "the killed replica to leave routing" gone
echo "out of routing: 20 requests, none reached $victim"
replaced() { [ "$(demo_containers | wc -l)" -eq 3 ] && three_replicas_serving; }
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

say "Demo complete"
