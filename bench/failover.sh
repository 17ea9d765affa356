#!/usr/bin/env bash
# Controller failover time, end to end: two real `bollard agent` processes of one cluster (`controller: cluster`), each
# a host with its own Docker engine (host a: the default engine; host b: an extra engine of scripts/engines.sh) and its
# own Consul agent (host b's a dev server, host a's a client joined to it, both started here on free loopback ports),
# run one service of bollard-sample:v1 at 2 replicas. Each round stops the controller's process and measures, from
# that instant:
#   leads       the other agent holds the controller lock (the leader key in Consul names it, held by a session)
#   first pass  the other agent finished its first reconcile pass as controller (its /healthz: the reconcile loop's
#               lastSuccess, the agent's own timestamp)
# then starts the stopped agent again and waits until the cluster has settled (both hosts publishing, one replica on
# each) before the next round, which stops the new controller. Two shapes, one table each:
#   kill  SIGKILL: the process dies without a word; its session ends when its liveness check runs out (3 s) and the
#         lock is free after the lock delay (2 s). Targets (issue 13): leads within 10 s, first pass within 15 s.
#   term  SIGTERM, as systemd stops it: it releases the lock at once. Target: leads within 2 s.
#
#   bench/failover.sh             QUICK=1 bench/failover.sh (2 rounds)
#
# Environment (defaults in brackets): BENCH_ROUNDS [5] per shape  BENCH_SHAPES ["kill term"]  BENCH_ENGINE [h2]
# (host b's engine: started with scripts/engines.sh when it does not answer, and then stopped on exit; given the
# default engine's bollard-sample images either way)
# BENCH_GIT_REF [none] build Bollard from this commit
#
# Needs root (the extra engine), Docker with bollard-sample:v1 (scripts/build-images.sh), the Consul binary
# (scripts/deps.sh unpacks it to /opt/consul), curl, jq and the .NET SDK. Everything started here is stopped on exit,
# also on failure or Ctrl-C: the agents and the Consul agents by PID, then every container of this run's cluster on
# both engines (label io.bollard.cluster=<cluster>), and the extra engine if this script started it. All traffic stays
# on 127.0.0.1. Logs, configs and raw samples go to artifacts/bench/failover-<run>/.
set -euo pipefail

BENCH_NAME=failover
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [ "${QUICK:-0}" = 1 ]; then ROUNDS="${BENCH_ROUNDS:-2}"; else ROUNDS="${BENCH_ROUNDS:-5}"; fi
SHAPES="${BENCH_SHAPES:-kill term}"
ENGINE="${BENCH_ENGINE:-h2}"
CONSUL_BIN="${CONSUL_BIN:-/opt/consul/usr/bin/consul}"
OUT="$BENCH_ROOT/artifacts/bench/failover-$RUN_ID"
CLUSTER="fbench-$RUN_ID"
SERVICE=failover
mkdir -p "$OUT"

ENGINE_SOCKET="unix:///tmp/bollard-engines/$ENGINE/docker.sock"
DEFAULT_SOCKET="unix:///var/run/docker.sock"
STARTED_ENGINE=0
declare -A AGENT_PID=()

# The agents first (so that none starts replacements), then this cluster's containers on both engines.
remove_cluster() {
  for host in "${!AGENT_PID[@]}"; do stop_pid "${AGENT_PID[$host]}"; done
  local socket ids
  for socket in "$DEFAULT_SOCKET" "$ENGINE_SOCKET"; do
    ids="$(docker -H "$socket" ps -aq --filter "label=io.bollard.cluster=$CLUSTER" 2>/dev/null)" || continue
    [ -z "$ids" ] || docker -H "$socket" rm -f $ids >/dev/null 2>&1
  done
  [ "$STARTED_ENGINE" -eq 0 ] || "$BENCH_ROOT/scripts/engines.sh" stop "$ENGINE" >/dev/null 2>&1
}
on_cleanup remove_cluster
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- prerequisites ------------------------------------------------------------------------------------------------
for tool in curl jq dotnet docker; do command -v "$tool" >/dev/null || fail "$tool is missing"; done
[ -x "$CONSUL_BIN" ] || fail "no Consul binary at $CONSUL_BIN: run scripts/deps.sh first (or set CONSUL_BIN)"
docker info >/dev/null 2>&1 || fail "Docker does not answer: run scripts/deps.sh first"
docker image inspect bollard-sample:v1 >/dev/null 2>&1 || fail "image bollard-sample:v1 is missing: run scripts/build-images.sh"
# Started when it does not answer; either way it gets the default engine's sample images (a host creates containers
# from the image id the controller pinned on its own engine).
docker -H "$ENGINE_SOCKET" info >/dev/null 2>&1 || { log "starting the extra engine $ENGINE for host b"; STARTED_ENGINE=1; }
"$BENCH_ROOT/scripts/engines.sh" start "$ENGINE" >"$OUT/engine.log" 2>&1 || { tail -20 "$OUT/engine.log" >&2; fail "engines.sh start $ENGINE failed"; }

# --- build --------------------------------------------------------------------------------------------------------
prepare_sources
BOLLARD_DIR="$(publish_project src/Bollard/Bollard.csproj)"

# --- Consul: host b's agent is a dev server, host a's a client joined to it -----------------------------------------
free_port S_HTTP; free_port S_SERF; free_port S_SERVER
free_port C_HTTP; free_port C_SERF; free_port C_SERVER
CONSUL_DIR="$(mktemp -d "${TMPDIR:-/tmp}/bollard-failover-consul.XXXXXX")"
on_cleanup "rm -rf '$CONSUL_DIR'"
start_bg "$OUT/consul-server.log" "$CONSUL_BIN" agent -dev -node "fb-b-$RUN_ID" -client 127.0.0.1 -bind 127.0.0.1 \
  -http-port "$S_HTTP" -serf-lan-port "$S_SERF" -serf-wan-port -1 -server-port "$S_SERVER" -dns-port -1 -grpc-port -1
start_bg "$OUT/consul-client.log" "$CONSUL_BIN" agent -data-dir "$CONSUL_DIR" -node "fb-a-$RUN_ID" -client 127.0.0.1 \
  -bind 127.0.0.1 -http-port "$C_HTTP" -serf-lan-port "$C_SERF" -serf-wan-port -1 -server-port "$C_SERVER" -dns-port -1 \
  -grpc-port -1 -retry-join "127.0.0.1:$S_SERF"
SERVER="http://127.0.0.1:$S_HTTP"
joined() { curl -fsS "http://127.0.0.1:$C_HTTP/v1/health/node/fb-a-$RUN_ID" | grep -q serfHealth; }
wait_until 60 "Consul" joined || fail "the Consul client did not join the server within 60 s (logs: $OUT/consul-*.log)"

# --- the two hosts' agents ----------------------------------------------------------------------------------------
# Every agent of a cluster holds the same secrets key (an operator copies the first agent's file).
KEY_DIR="$(mktemp -d "${TMPDIR:-/tmp}/bollard-failover-key.XXXXXX")"
on_cleanup "rm -rf '$KEY_DIR'"
(umask 077 && head -c 32 /dev/urandom | base64 >"$KEY_DIR/secrets.key")
declare -A ADMIN=() STATE=() TOKEN=()
for host in a b; do
  free_port lb; free_port admin
  ADMIN[$host]="$admin"
  STATE[$host]="$(mktemp -d "${TMPDIR:-/tmp}/bollard-failover-$host.XXXXXX")"
  on_cleanup "rm -rf '${STATE[$host]}'"
  mkdir -p "$OUT/$host/services"
  if [ "$host" = a ]; then socket="$DEFAULT_SOCKET" consul="http://127.0.0.1:$C_HTTP"; else socket="$ENGINE_SOCKET" consul="$SERVER"; fi
  cat >"$OUT/$host/agent.yaml" <<YAML
cluster: $CLUSTER
host: $host
zone: zone-$host
listen: 127.0.0.1:$lb
admin: 127.0.0.1:$admin
services: services
stateDir: ${STATE[$host]}
docker: {endpoint: "$socket"}
consul: {address: "$consul"}
secrets: {keyFile: $KEY_DIR/secrets.key}
controller: cluster
balancer: {zones: spread}
YAML
  cat >"$OUT/$host/services/$SERVICE.yaml" <<YAML
name: $SERVICE
image: bollard-sample:v1
port: 8080
replicas: 2
health: {path: /health, interval: 500ms, timeout: 1s}
route: {pathPrefix: /}
drainTimeout: 1s
stopGracePeriod: 2s
YAML
done

# start_agent HOST: one line per log entry with a UTC timestamp (ms), appended to the host's log across restarts.
start_agent() {
  local host="$1"
  start_bg "$OUT/$host/agent-$(date +%s%N).log" env Logging__Console__FormatterName=simple Logging__Console__FormatterOptions__SingleLine=true \
    Logging__Console__FormatterOptions__UseUtcTimestamp=true "Logging__Console__FormatterOptions__TimestampFormat=yyyy-MM-ddTHH:mm:ss.fffZ " \
    "$BOLLARD_DIR/bollard" agent --config "$OUT/$host/agent.yaml"
  AGENT_PID[$host]="$STARTED_PID"
  token_ready() { [ -s "${STATE[$1]}/admin.token" ] && curl -fsS -m 2 "http://127.0.0.1:${ADMIN[$1]}/healthz" >/dev/null; }
  wait_until 60 "agent $host" token_ready "$host" || fail "agent $host did not answer within 60 s (logs in $OUT/$host)"
  TOKEN[$host]="$(cat "${STATE[$host]}/admin.token")"
}

now_ms() { date +%s%3N; }
holder() { curl -fsS -m 2 "$SERVER/v1/kv/bollard/$CLUSTER/leader" 2>/dev/null | jq -r '.[0] | select(.Session != null and .Session != "") | .Value | @base64d' 2>/dev/null; }
leader_host() { holder | cut -d/ -f1; }
leads() { [ "$(leader_host)" = "$1" ]; }
last_pass_ms() { # last_pass_ms HOST: the reconcile loop's lastSuccess in ms, or 0
  curl -fsS -m 2 -H 'Accept: application/json' "http://127.0.0.1:${ADMIN[$1]}/healthz" 2>/dev/null \
    | jq -r '[.loops[] | select(.name == "reconcile") | .lastSuccess // empty][0] // empty' \
    | { read -r at && date -d "$at" +%s%3N || echo 0; }
}
running_on() { docker -H "$1" ps -q --filter "label=io.bollard.cluster=$CLUSTER" --filter status=running 2>/dev/null | wc -l; }
published() { curl -fsS -m 2 "$SERVER/v1/kv/bollard/$CLUSTER/hosts/$1" >/dev/null 2>&1; }
settled() { # both hosts published, a controller, one replica on each engine
  published a && published b && [ -n "$(leader_host)" ] && [ "$(running_on "$DEFAULT_SOCKET")" -eq 1 ] && [ "$(running_on "$ENGINE_SOCKET")" -eq 1 ]
}

start_agent a
wait_until 60 "a leads" leads a || fail "agent a did not take the controller lock within 60 s"
start_agent b
wait_until 180 "settled" settled || fail "the cluster did not settle (one replica per host) within 180 s (logs in $OUT)"
log "run $RUN_ID: cluster $CLUSTER settled, controller $(holder); Consul server $SERVER"

# --- rounds -------------------------------------------------------------------------------------------------------
RESULTS="$OUT/results.tsv"
printf 'shape\tround\tstopped\tnew\tleads_ms\tfirst_pass_ms\n' >"$RESULTS"

run_round() { # run_round SHAPE ROUND
  local shape="$1" round="$2" old new signal t0 lead="nan" pass="nan" at deadline
  old="$(leader_host)"
  [ -n "$old" ] || fail "no controller before round $round"
  if [ "$old" = a ]; then new=b; else new=a; fi
  if [ "$shape" = kill ]; then signal=KILL; else signal=TERM; fi
  t0="$(now_ms)"
  kill -"$signal" "${AGENT_PID[$old]}"
  deadline=$((t0 + 60000))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if [ "$lead" = nan ] && leads "$new"; then lead=$(($(now_ms) - t0)); fi
    if [ "$lead" != nan ]; then
      at="$(last_pass_ms "$new")"
      if [ "${at:-0}" -gt "$t0" ]; then pass=$((at - t0)); break; fi
    fi
    sleep 0.05
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$shape" "$round" "$old" "$new" "$lead" "$pass" >>"$RESULTS"
  log "$shape round $round: controller $old stopped (SIG$signal), $new leads after ${lead} ms, first pass after ${pass} ms"
  [ "$lead" != nan ] && [ "$pass" != nan ] || fail "no new controller with a pass within 60 s (logs in $OUT)"

  # The stopped agent comes back; the next round starts from a settled cluster.
  wait "${AGENT_PID[$old]}" 2>/dev/null || true
  start_agent "$old"
  wait_until 180 "settled" settled || fail "the cluster did not settle again within 180 s (logs in $OUT)"
}

for shape in $SHAPES; do
  case "$shape" in kill | term) ;; *) fail "unknown shape '$shape' in BENCH_SHAPES (kill, term)" ;; esac
  for ((round = 1; round <= ROUNDS; round++)); do run_round "$shape" "$round"; done
done

# --- report -------------------------------------------------------------------------------------------------------
stat_of() { # stat_of SHAPE COLUMN median|max
  awk -F'\t' -v s="$1" -v c="$2" 'NR > 1 && $1 == s && $c != "nan" { print $c }' "$RESULTS" | case "$3" in
    median) median ;;
    max) sort -g | tail -1 ;;
  esac
}
fmt() { awk -v v="$1" 'BEGIN { if (v == "" || v == "nan") print "-"; else printf "%.2f", v / 1000 }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "" || v == "nan") print "NO"; else print (v <= t ? "yes" : "NO") }'; }
report_shape() { # report_shape SHAPE
  local shape="$1" title lead_target pass_target
  if [ "$shape" = kill ]; then
    title="SIGKILL of the controller's process"; lead_target=10000; pass_target=15000
  else
    title="SIGTERM of the controller's process (a graceful stop)"; lead_target=2000; pass_target=""
  fi
  echo "### $title; $ROUNDS rounds"
  echo
  printf '| %-44s | %6s | %6s | %-8s | %-4s |\n' "until (s from the signal)" median max target pass
  printf '|%s|\n' "----------------------------------------------|--------|--------|----------|------"
  printf '| %-44s | %6s | %6s | %-8s | %-4s |\n' "the other agent holds the controller lock" "$(fmt "$(stat_of "$shape" 5 median)")" \
    "$(fmt "$(stat_of "$shape" 5 max)")" "<= $((lead_target / 1000)) s" "$(verdict "$(stat_of "$shape" 5 max)" "$lead_target")"
  printf '| %-44s | %6s | %6s | %-8s | %-4s |\n' "its first reconcile pass is done" "$(fmt "$(stat_of "$shape" 6 median)")" \
    "$(fmt "$(stat_of "$shape" 6 max)")" "${pass_target:+<= $((pass_target / 1000)) s}" \
    "$([ -n "$pass_target" ] && verdict "$(stat_of "$shape" 6 max)" "$pass_target")"
  echo
  echo "per round (s, lock / first pass): $(awk -F'\t' -v s="$shape" 'NR > 1 && $1 == s { printf "%.2f/%.2f ", $5 / 1000, $6 / 1000 }' "$RESULTS")"
  echo
}
{
  echo
  echo "Failover benchmark, run $RUN_ID ($(date -u +%Y-%m-%dT%H:%MZ)), $(nproc --all) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "2 hosts (own engine, own Consul agent, own bollard agent), bollard-sample:v1 x 2; liveness TTL 3 s, heartbeat 1 s, lock delay 2 s"
  echo
  for shape in $SHAPES; do report_shape "$shape"; done
  echo "pass: the slowest round within the target. Per round (ms): ${OUT#"$BENCH_ROOT"/}/results.tsv"
} | tee "$OUT/table.md"
