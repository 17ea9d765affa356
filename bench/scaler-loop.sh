#!/usr/bin/env bash
# Scaler control-loop cost: one reconcile pass (Reconciler.ReconcileOnceAsync) over 100 services x 10 replicas on
# three in-memory hosts, and the pure ReconcilePlanner.Plan on the same state. Runs bench/ScalerBench (`scaler-bench
# loop`: the real Reconciler composed from the public API with a fake runtime, catalog and prober) and prints its
# table; the table and log go to artifacts/bench/scaler-loop-<run>/. Target (issue 4): a pass under 50 ms.
#
#   bench/scaler-loop.sh                 QUICK=1 bench/scaler-loop.sh (fewer passes)
#
# Environment: BENCH_SERVICES [100]  BENCH_REPLICAS [10]  BENCH_PASSES [200] (timed, per row)  BENCH_WARMUP [50]
#              BENCH_TARGET_MS [50]  BENCH_GIT_REF [none] build from this commit (git archive) instead of the working tree
# Needs only the .NET SDK: no Docker, no Consul, no network.
set -euo pipefail

BENCH_NAME=scaler-loop
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [ "${QUICK:-0}" = 1 ]; then PASSES="${BENCH_PASSES:-50}"; WARMUP="${BENCH_WARMUP:-20}"; else PASSES="${BENCH_PASSES:-200}"; WARMUP="${BENCH_WARMUP:-50}"; fi
OUT="$BENCH_ROOT/artifacts/bench/scaler-loop-$RUN_ID"
mkdir -p "$OUT"
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v dotnet >/dev/null || fail "the .NET SDK (dotnet) is not on PATH"

prepare_sources
BIN_DIR="$(publish_project bench/ScalerBench/ScalerBench.csproj)"
log "running: ${BENCH_SERVICES:-100} x ${BENCH_REPLICAS:-10}, $WARMUP warm-up + $PASSES timed passes per row (log: ${OUT#"$BENCH_ROOT"/}/scaler-bench.log)"
"$BIN_DIR/scaler-bench" loop --services "${BENCH_SERVICES:-100}" --replicas "${BENCH_REPLICAS:-10}" --passes "$PASSES" \
  --warmup "$WARMUP" --target-ms "${BENCH_TARGET_MS:-50}" >"$OUT/table.md" 2>"$OUT/scaler-bench.log" \
  || { tail -30 "$OUT/scaler-bench.log" >&2; fail "scaler-bench loop failed (log: $OUT/scaler-bench.log)"; }
echo
cat "$OUT/table.md"
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc --all) cores (a shared machine: absolute times vary run to run)." | tee -a "$OUT/table.md"
echo
echo "Table and log: ${OUT#"$BENCH_ROOT"/}"
