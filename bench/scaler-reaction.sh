#!/usr/bin/env bash
# Scaler reaction time, end to end with real containers: the real `bollard agent` (scaler + embedded catalog +
# balancer, on the local Docker engine) runs one autoscaled service of bollard-sample:v1 at 1 replica; a bounded load
# step on 127.0.0.1 starts, and the time is measured until the replicas the autoscaler added answer requests through
# the balancer. Several rounds, scaling back down to 1 in between. Logs, raw samples and the agent's config go to
# artifacts/bench/scaler-reaction-<run>/. Target (issue 4): under 5 s.
#
# Two load shapes, one table each, in one run:
#   rate  an open-loop step to BENCH_STEP_RPS requests/s (the probe sends request n at t0 + n/rate, as a real
#         service's clients arrive): the service needs MAX replicas and the machine keeps CPU to start them.
#   wrk   wrk -c32, closed loop: as fast as the machine answers. On a 2-core machine wrk, the balancer and the first
#         replica take every core, so this measures how fast new replicas start on a saturated host.
#
#   bench/scaler-reaction.sh             QUICK=1 bench/scaler-reaction.sh (2 rounds)
#
# Environment (defaults in brackets):
#   BENCH_ROUNDS [3] per shape  BENCH_SHAPES ["rate wrk"]  BENCH_RPS_TARGET [5] (rps per replica the autoscaler
#   keeps)  BENCH_MAX [6]  BENCH_STEP_RPS [MAX x RPS_TARGET x 1.2] (the rate step)  BENCH_CONNECTIONS [32] (wrk)
#   BENCH_DURATION [30s] (wrk's bound; every step is stopped early once every added replica answered)
#   BENCH_GIT_REF [none] build Bollard from this commit (git archive) instead of the working tree
#
# Needs Docker with the image bollard-sample:v1 (scripts/build-images.sh), wrk (installed with apt-get when missing),
# curl, jq and the .NET SDK. No Consul (the agent uses its embedded catalog). Everything started here is stopped on
# exit, also on failure or Ctrl-C: the agent, wrk, the probe and the samplers by PID, then every container of this
# run's cluster (label io.bollard.cluster=<cluster>). All traffic stays on 127.0.0.1.
set -euo pipefail

BENCH_NAME=scaler-reaction
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [ "${QUICK:-0}" = 1 ]; then ROUNDS="${BENCH_ROUNDS:-2}"; else ROUNDS="${BENCH_ROUNDS:-3}"; fi
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
DURATION="${BENCH_DURATION:-30s}"
RPS_TARGET="${BENCH_RPS_TARGET:-5}"
MAX="${BENCH_MAX:-6}"
SHAPES="${BENCH_SHAPES:-rate wrk}"
STEP_RPS="${BENCH_STEP_RPS:-$(awk -v m="$MAX" -v t="$RPS_TARGET" 'BEGIN { printf "%d", m * t * 1.2 + 0.5 }')}"
ADDED=$((MAX - 1))
TARGET_MS=5000
OUT="$BENCH_ROOT/artifacts/bench/scaler-reaction-$RUN_ID"
CLUSTER="sbench-$RUN_ID"
SERVICE=react
mkdir -p "$OUT"

# The agent first (so it cannot start replacements), then whatever containers of this cluster are left.
AGENT_PID=""
remove_cluster() {
  [ -z "$AGENT_PID" ] || stop_pid "$AGENT_PID"
  local ids
  ids="$(docker ps -aq --filter "label=io.bollard.cluster=$CLUSTER" 2>/dev/null)" || return 0
  [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1
}
on_cleanup remove_cluster
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- prerequisites ------------------------------------------------------------------------------------------------
command -v wrk >/dev/null || apt_install wrk
for tool in curl jq dotnet docker; do command -v "$tool" >/dev/null || fail "$tool is missing"; done
docker info >/dev/null 2>&1 || fail "Docker does not answer: run scripts/deps.sh first"
docker image inspect bollard-sample:v1 >/dev/null 2>&1 || fail "image bollard-sample:v1 is missing: run scripts/build-images.sh"
[ "$MAX" -ge 2 ] || fail "BENCH_MAX must be at least 2"

# --- build --------------------------------------------------------------------------------------------------------
prepare_sources
BOLLARD_DIR="$(publish_project src/Bollard/Bollard.csproj)"
PROBE_DIR="$(publish_project bench/ScalerBench/ScalerBench.csproj)"

# --- the agent ----------------------------------------------------------------------------------------------------
free_port LB
free_port ADMIN
STATE="$(mktemp -d "${TMPDIR:-/tmp}/bollard-scaler-reaction.XXXXXX")"
on_cleanup "rm -rf '$STATE'"
mkdir -p "$OUT/services"
cat >"$OUT/agent.yaml" <<YAML
cluster: $CLUSTER
zone: zone-a
listen: 127.0.0.1:$LB
admin: 127.0.0.1:$ADMIN
services: services
stateDir: $STATE
YAML
# scaleUp: one decision may go from 1 to max (the default step limit is +4 per 15 s, which would split the step in
# two). maxReplicas is max, not max - 1, so that commits from before the fix of the step budget (it counted from 0
# in the first 15 s after the agent started) still take the whole step at once and compare with later ones.
# scaleDown: short window and period, only so that rounds do not wait minutes for the scale-in.
cat >"$OUT/services/$SERVICE.yaml" <<YAML
name: $SERVICE
image: bollard-sample:v1
port: 8080
replicas: {min: 1, max: $MAX}
autoscaling:
  metrics:
    - type: rps
      target: $RPS_TARGET
  scaleUp: {stabilization: 0s, maxReplicas: $MAX, maxPercent: 1000, period: 15s}
  scaleDown: {stabilization: 3s, maxReplicas: $ADDED, maxPercent: 1000, period: 1s}
health:
  path: /health
  interval: 500ms
  timeout: 1s
route:
  pathPrefix: /
drainTimeout: 1s
stopGracePeriod: 2s
YAML
# One line per log entry with a UTC timestamp (ms), so the breakdown below can place the agent's steps on the same
# clock as t0, Docker's timestamps and the probe.
start_bg "$OUT/agent.log" env Logging__Console__FormatterName=simple Logging__Console__FormatterOptions__SingleLine=true \
  Logging__Console__FormatterOptions__UseUtcTimestamp=true "Logging__Console__FormatterOptions__TimestampFormat=yyyy-MM-ddTHH:mm:ss.fffZ " \
  "$BOLLARD_DIR/bollard" agent --config "$OUT/agent.yaml"
AGENT_PID="$STARTED_PID"
log "run $RUN_ID: agent pid $AGENT_PID, cluster $CLUSTER, balancer 127.0.0.1:$LB, admin 127.0.0.1:$ADMIN (logs in ${OUT#"$BENCH_ROOT"/})"

agent_alive() { kill -0 "$AGENT_PID" 2>/dev/null || { tail -20 "$OUT/agent.log" >&2; fail "the agent exited (log: $OUT/agent.log)"; }; }
token_ready() { [ -s "$STATE/admin.token" ]; }
wait_until 60 "admin token" token_ready || { agent_alive; fail "no admin token in $STATE after 60 s"; }
TOKEN="$(cat "$STATE/admin.token")"
admin() { curl -fsS -m 2 -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$ADMIN$1"; }
healthy() { admin "/v1/services/$SERVICE" | jq -r '.healthyReplicas // 0'; }
running() { docker ps -q --filter "label=io.bollard.cluster=$CLUSTER" --filter status=running | wc -l; }
running_ids() { docker ps -q --filter "label=io.bollard.cluster=$CLUSTER" --filter status=running | paste -sd, -; }
serves() { curl -fsS -m 2 "http://127.0.0.1:$LB/" | grep -q '"replica"'; }
at_one() { [ "$(running)" -eq 1 ] && [ "$(healthy)" = 1 ] && serves; }
now_ms() { date +%s%3N; }

wait_until 120 "one replica" at_one || { agent_alive; fail "the service did not reach 1 serving replica in 120 s (log: $OUT/agent.log)"; }
log "1 replica serves: $(curl -fsS "http://127.0.0.1:$LB/")"

# --- rounds -------------------------------------------------------------------------------------------------------
# Per round, all in ms from t0 (the instant before the load step starts):
#   decided   the autoscaler's scale-up decision (its timestamp in the decision log, GET /v1/services/NAME/decisions)
#   running   docker ps shows all MAX containers of the cluster running (sampled every ~0.2 s)
#   healthy   the admin API reports MAX healthy replicas in the catalog (sampled with docker ps)
#   first     the first added replica answered a request through the balancer (the probe: the rate itself, or 2
#             request loops next to wrk)
#   served    every added replica answered a request through the balancer: the reaction time
RESULTS="$OUT/results.tsv"
printf 'shape\tround\tdecided\tfirst_running\trunning\thealthy\tfirst\tserved\tload_rps\terrors\n' >"$RESULTS"
errors_of() { awk '/Non-2xx/ { e += $NF } /Socket errors/ { gsub(/[a-z,]/, ""); for (i = 1; i <= NF; i++) e += $i } END { print e + 0 }' "$1"; }

sampler() { # sampler T0 FILE: "ms running healthy" every ~0.2 s until killed
  while :; do
    printf '%s %s %s\n' "$(($(now_ms) - $1))" "$(running)" "$(healthy 2>/dev/null || echo -1)" >>"$2"
    sleep 0.2
  done
}
first_at() { # first_at FILE COLUMN MIN: first ms whose column >= MIN
  awk -v c="$2" -v m="$3" '$c >= m { print $1; found = 1; exit } END { if (!found) print "nan" }' "$1"
}

# Where the time goes, per added replica (ms from t0): Docker's created and started times, the app's own "Now
# listening" line (docker logs -t), the agent's log lines (first health check passed, registered, in the balancer's
# routing) and the probe's first answer. Appends "shape round replica created started listening passed registered
# routed answered" rows to breakdown.tsv; "nan" where a step left no trace (e.g. an agent without that log line).
BREAKDOWN="$OUT/breakdown.tsv"
printf 'shape\tround\treplica\tcreated\tstarted\tlistening\tpassed\tregistered\trouted\tanswered\n' >"$BREAKDOWN"
ms_of() { [ -n "$1" ] && date -d "$1" +%s%3N 2>/dev/null || echo nan; }
since() { [ "$1" = nan ] && echo nan || echo $(($1 - $2)); }
agent_ms() { ms_of "$({ grep -F -- "$1" "$OUT/agent.log" | grep -F -- "$2" | head -1 | cut -d' ' -f1; } || true)"; }
breakdown() { # breakdown SHAPE ROUND T0 PROBE_FILE KNOWN_IDS
  local shape="$1" id created started listening
  shift
  for id in $(docker ps -q --filter "label=io.bollard.cluster=$CLUSTER" || true); do
    case ",$4," in *",$id,"*) continue ;; esac
    # A container may be gone by now (scale-in of an earlier round): every lookup tolerates that.
    read -r created started < <(docker inspect -f '{{.Created}} {{.State.StartedAt}}' "$id" 2>/dev/null || echo "- -") || true
    listening="$({ docker logs -t "$id" 2>&1 | grep -m1 'Now listening' | cut -d' ' -f1; } || true)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$shape" "$1" "$id" "$(since "$(ms_of "$created")" "$2")" \
      "$(since "$(ms_of "$started")" "$2")" "$(since "$(ms_of "$listening")" "$2")" \
      "$(since "$(agent_ms "replica $id passed its first health check" "")" "$2")" \
      "$(since "$(agent_ms "register $id" "-> ok")" "$2")" \
      "$(since "$(agent_ms "Routing $SERVICE: +[" "$SERVICE-$id")" "$2")" \
      "$(awk -v id="$id" '$2 == id { print $1; found = 1; exit } END { if (!found) print "nan" }' "$3")" >>"$BREAKDOWN"
  done
}

run_round() { # run_round SHAPE ROUND
  local shape="$1" round="$2" known base t0 load_pid="" sampler_pid decided first served rps errors probe_load=()
  agent_alive
  known="$(running_ids)"
  base="$OUT/$shape-r$round"
  t0="$(now_ms)"
  if [ "$shape" = wrk ]; then
    start_bg "$base-wrk.txt" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --timeout 5s "http://127.0.0.1:$LB/"
    load_pid="$STARTED_PID"
  else
    probe_load=(--rps "$STEP_RPS")
  fi
  start_bg "$base-sampler.log" sampler "$t0" "$base-samples.txt"
  sampler_pid="$STARTED_PID"
  "$PROBE_DIR/scaler-bench" probe --url "http://127.0.0.1:$LB/" --t0-ms "$t0" --known "$known" --expect "$ADDED" \
    --timeout-s 60 "${probe_load[@]}" >"$base-probe.txt" 2>"$base-probe.log" || fail "the probe failed (log: $base-probe.log)"
  sleep 0.5
  stop_pid "$sampler_pid"
  if [ -n "$load_pid" ]; then
    kill -INT "$load_pid" 2>/dev/null || true # wrk prints its summary on SIGINT
    wait "$load_pid" 2>/dev/null || true
    rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$base-wrk.txt")"
    errors="$(errors_of "$base-wrk.txt")"
  else
    rps="$(sed -n 's/.*(\([0-9]*\)\/s).*/\1/p' "$base-probe.log" | tail -1)"
    errors="$(sed -n 's/.*), \([0-9]*\) failed.*/\1/p' "$base-probe.log" | tail -1)"
  fi
  decided="$(admin "/v1/services/$SERVICE/decisions?limit=200" | jq -r --argjson t0 "$t0" '
    [ .[] | select(.action == "scale") | (.at | sub("\\.[0-9]+"; "") | sub("\\+00:00$"; "Z") | fromdateiso8601) as $s
      | { ms: ((.at | capture("\\.(?<f>[0-9]{1,3})") .f // "0") as $f | $s * 1000 + ($f + "00" | .[0:3] | tonumber) - $t0), outcome } ]
    | map(select(.ms >= -1000 and (.outcome | test("desired [2-9]")))) | sort_by(.ms) | (.[0].ms // "nan")')" || decided=nan
  first="$(awk 'NR == 1 { print $1 }' "$base-probe.txt")"
  served="$(awk -v n="$ADDED" 'NR == n { print $1 }' "$base-probe.txt")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$shape" "$round" "$decided" "$(first_at "$base-samples.txt" 2 2)" \
    "$(first_at "$base-samples.txt" 2 "$MAX")" "$(first_at "$base-samples.txt" 3 "$MAX")" "${first:-nan}" "${served:-nan}" \
    "${rps:-nan}" "${errors:-nan}" >>"$RESULTS"
  log "$shape round $round: $(tail -1 "$RESULTS" | cut -f3-)  ($(tail -1 "$base-probe.log"))"
  breakdown "$shape" "$round" "$t0" "$base-probe.txt" "$known"
  log "scaling back to 1 (load stopped; scale-down window 3 s after the 5 s load window drains)"
  wait_until 120 "scale-in" at_one || fail "did not scale back to 1 replica within 120 s (log: $OUT/agent.log)"
}

for shape in $SHAPES; do
  case "$shape" in rate | wrk) ;; *) fail "unknown load shape '$shape' in BENCH_SHAPES (rate, wrk)" ;; esac
  for ((round = 1; round <= ROUNDS; round++)); do run_round "$shape" "$round"; done
done

# --- report -------------------------------------------------------------------------------------------------------
stat_of() { # stat_of FILE SHAPE COLUMN median|min|max
  awk -F'\t' -v s="$2" -v c="$3" 'NR > 1 && $1 == s && $c != "nan" { print $c }' "$1" | case "$4" in
    median) median ;;
    min) sort -g | head -1 ;;
    max) sort -g | tail -1 ;;
  esac
}
fmt() { awk -v v="$1" 'BEGIN { if (v == "" || v == "nan") print "-"; else printf "%.2f", v / 1000 }'; }
shape_title() {
  case "$1" in
    rate) echo "load step: open loop to $STEP_RPS req/s (the probe, $RPS_TARGET/replica x $MAX replicas x 1.2)" ;;
    wrk) echo "load step: wrk -t1 -c$CONNECTIONS, closed loop (saturates the machine; the probe adds 2 request loops)" ;;
  esac
}
report_shape() { # report_shape SHAPE
  local shape="$1"
  echo "### $(shape_title "$shape"); $ROUNDS rounds"
  echo
  printf '| %-62s | %6s | %6s | %6s | %-7s | %-4s |\n' "until (s from the start of the load step)" median min max target pass
  printf '|%s|\n' "----------------------------------------------------------------|--------|--------|--------|---------|------"
  row() { # row LABEL COLUMN [TARGET]
    local verdict="" tgt=""
    if [ -n "${3:-}" ]; then
      tgt="< $(($3 / 1000)) s"
      verdict="$(awk -v v="$(stat_of "$RESULTS" "$shape" "$2" max)" -v t="$3" 'BEGIN { if (v == "" || v == "nan") print "NO"; else print (v < t ? "yes" : "NO") }')"
    fi
    printf '| %-62s | %6s | %6s | %6s | %-7s | %-4s |\n' "$1" "$(fmt "$(stat_of "$RESULTS" "$shape" "$2" median)")" \
      "$(fmt "$(stat_of "$RESULTS" "$shape" "$2" min)")" "$(fmt "$(stat_of "$RESULTS" "$shape" "$2" max)")" "$tgt" "$verdict"
  }
  row "scale-up decision (decision log)" 3
  row "first added container running (docker ps)" 4
  row "all $MAX containers running (docker ps)" 5
  row "all $MAX healthy in the catalog (admin API)" 6
  row "first added replica answered through the balancer" 7
  row "all $ADDED added replicas answered through the balancer (reaction)" 8 "$TARGET_MS"
  echo
  echo "Where the time goes: each added replica (n = $(awk -F'\t' -v s="$shape" 'NR > 1 && $1 == s' "$BREAKDOWN" | wc -l)), s from the start of the load step"
  echo
  printf '| %-62s | %6s | %6s | %6s |\n' "step" median min max
  printf '|%s|\n' "----------------------------------------------------------------|--------|--------|--------"
  brow() { # brow LABEL COLUMN
    local values; values="$(awk -F'\t' -v s="$shape" -v c="$2" 'NR > 1 && $1 == s && $c != "nan" { print $c }' "$BREAKDOWN")"
    printf '| %-62s | %6s | %6s | %6s |\n' "$1" "$(fmt "$(median <<<"$values")")" "$(fmt "$(sort -g <<<"$values" | head -1)")" "$(fmt "$(sort -g <<<"$values" | tail -1)")"
  }
  brow "container created (docker inspect .Created)" 4
  brow "container started (docker inspect .State.StartedAt)" 5
  brow "app listening (its 'Now listening' log line, docker logs -t)" 6
  brow "first health check passed (agent log)" 7
  brow "registered in the catalog (agent log)" 8
  brow "in the balancer's routing (agent log)" 9
  brow "answered through the balancer (probe)" 10
  echo
  echo "load req/s per round: $(awk -F'\t' -v s="$shape" 'NR > 1 && $1 == s { printf "%s ", $9 }' "$RESULTS"); failed requests: $(awk -F'\t' -v s="$shape" 'NR > 1 && $1 == s { e += $10 } END { print e + 0 }' "$RESULTS")"
  echo
}
{
  echo
  echo "Scaler reaction benchmark, run $RUN_ID ($(date -u +%Y-%m-%dT%H:%MZ)), $(nproc --all) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "1 -> $MAX replicas of bollard-sample:v1 (rps target $RPS_TARGET/replica, health every 500ms)"
  echo
  for shape in $SHAPES; do report_shape "$shape"; done
  echo "pass: the slowest round under the target. Per round (ms): ${OUT#"$BENCH_ROOT"/}/results.tsv, per replica: breakdown.tsv"
} | tee "$OUT/table.md"
