#!/usr/bin/env bash
# Routing benchmark: how long the balancer takes to rebuild and publish a 100 services x 10 replicas routing table,
# and how long a change in the real Consul agent takes to reach requests through the balancer. Runs
# bench/RoutingBench (Bollard's balancer composed as AgentHost does: AddBalancer + MapBalancer, on 127.0.0.1) and
# prints its table; the table and logs go to artifacts/bench/routing-<run>/.
#
#   bench/routing.sh                     QUICK=1 bench/routing.sh (fewer runs)
#
# Environment: BENCH_SERVICES [100]  BENCH_REPLICAS [10]  BENCH_RUNS [200] (rebuilds timed)
#              BENCH_TRIALS [20] (Consul changes timed)  CONSUL_HTTP_ADDR [http://127.0.0.1:8500]
#              BENCH_GIT_REF [none] build Bollard from this commit (git archive) instead of the working tree
# Needs the Consul agent (scripts/deps.sh starts it) and the .NET SDK. Its Consul registrations (service
# rbench-<run>) are removed on exit, also when the run fails.
set -euo pipefail

BENCH_NAME=routing
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [ "${QUICK:-0}" = 1 ]; then RUNS="${BENCH_RUNS:-60}"; TRIALS="${BENCH_TRIALS:-8}"; else RUNS="${BENCH_RUNS:-200}"; TRIALS="${BENCH_TRIALS:-20}"; fi
OUT="$BENCH_ROOT/artifacts/bench/routing-$RUN_ID"
mkdir -p "$OUT"
SERVICE="rbench-$RUN_ID"

# Whatever the benchmark registered is removed even if it crashed: every instance of its service, by id.
deregister_service() {
  local ids
  ids="$(curl -fsS "$CONSUL_ADDR/v1/agent/services" 2>/dev/null \
    | grep -o "\"ID\": *\"$SERVICE-[^\"]*\"" | sed 's/.*"\([^"]*\)"$/\1/')" || return 0
  for id in $ids; do consul_deregister "$id"; done
}
on_cleanup deregister_service
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v dotnet >/dev/null || fail "the .NET SDK (dotnet) is not on PATH"
command -v curl >/dev/null || fail "curl is missing"
consul_answers || fail "no Consul agent answers at $CONSUL_ADDR: run scripts/deps.sh first"

prepare_sources
BIN_DIR="$(publish_project bench/RoutingBench/RoutingBench.csproj)"
log "running: ${BENCH_SERVICES:-100} x ${BENCH_REPLICAS:-10}, $RUNS rebuilds, $TRIALS Consul trials (log: ${OUT#"$BENCH_ROOT"/}/routing-bench.log)"
"$BIN_DIR/routing-bench" --services "${BENCH_SERVICES:-100}" --replicas "${BENCH_REPLICAS:-10}" --runs "$RUNS" \
  --trials "$TRIALS" --consul "$CONSUL_ADDR" --service-name "$SERVICE" >"$OUT/table.md" 2>"$OUT/routing-bench.log" \
  || { tail -30 "$OUT/routing-bench.log" >&2; fail "routing-bench failed (log: $OUT/routing-bench.log)"; }
echo
cat "$OUT/table.md"
echo
echo "Table and log: ${OUT#"$BENCH_ROOT"/}"
