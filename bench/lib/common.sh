# Shared helpers of the bench/ scripts (sourced, not run). Everything a script starts is recorded here and stopped
# by cleanup(), which the script installs as its EXIT trap: processes by PID, containers by this run's label,
# Consul registrations by id. Nothing is ever stopped by name.

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_ID="${RUN_ID:-$(date +%Y%m%d%H%M%S)$$}"
CONTAINER_LABEL="io.bollard.bench.run"
CONSUL_ADDR="${CONSUL_HTTP_ADDR:-http://127.0.0.1:8500}"

_started_pids=()
_consul_ids=()
_cleanup_hooks=()

log() { printf '[%s] %s\n' "${BENCH_NAME:-bench}" "$*" >&2; }
fail() { printf '[%s] ERROR: %s\n' "${BENCH_NAME:-bench}" "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# apt_install PACKAGE... : installs Debian packages without letting their maintainer scripts start services (nginx's
# postinst would otherwise start a system-wide nginx on port 80 on a machine without systemd).
apt_install() {
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  log "installing $* with apt-get"
  as_root apt-get update -qq >/dev/null
  local rc=0
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >"${OUT:-/tmp}/apt.log" 2>&1 || rc=$?
  [ "$made_policy" -eq 1 ] && as_root rm -f /usr/sbin/policy-rc.d
  [ "$rc" -eq 0 ] || { tail -20 "${OUT:-/tmp}/apt.log" >&2; fail "apt-get install $* failed"; }
}

# wait_until SECONDS DESCRIPTION COMMAND... : polls every 0.2 s; fails with the description after the deadline.
wait_until() {
  local deadline=$((SECONDS + $1)) what="$2"
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

# free_port VAR : sets VAR to a TCP port on 127.0.0.1 that nothing listens on and this run has not handed out yet.
# (It assigns instead of printing: a $(free_port) subshell would forget the ports already handed out.)
_next_port="${BENCH_PORT_BASE:-20000}"
free_port() {
  while (exec 3<>"/dev/tcp/127.0.0.1/$_next_port") 2>/dev/null; do _next_port=$((_next_port + 1)); done
  printf -v "$1" '%s' "$_next_port"
  _next_port=$((_next_port + 1))
}

# start_bg LOGFILE COMMAND... : starts a background process with its output in LOGFILE; sets STARTED_PID.
start_bg() {
  local logfile="$1"
  shift
  "$@" >"$logfile" 2>&1 </dev/null &
  STARTED_PID=$!
  _started_pids+=("$STARTED_PID")
}

stop_pid() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

consul_register() { # consul_register ID JSON
  curl -fsS -X PUT --data "$2" "$CONSUL_ADDR/v1/agent/service/register" >/dev/null || fail "could not register $1 in Consul at $CONSUL_ADDR"
  _consul_ids+=("$1")
}

consul_deregister() { curl -fsS -X PUT "$CONSUL_ADDR/v1/agent/service/deregister/$1" >/dev/null 2>&1 || true; }

consul_answers() { curl -fsS "$CONSUL_ADDR/v1/status/leader" 2>/dev/null | grep -q ':'; }

on_cleanup() { _cleanup_hooks+=("$*"); }

cleanup() {
  local rc=$?
  set +e
  for hook in "${_cleanup_hooks[@]}"; do eval "$hook"; done
  for id in "${_consul_ids[@]}"; do consul_deregister "$id"; done
  # Newest first: proxies before their backends.
  for ((i = ${#_started_pids[@]} - 1; i >= 0; i--)); do stop_pid "${_started_pids[$i]}"; done
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    local ids
    ids="$(docker ps -aq --filter "label=$CONTAINER_LABEL=$RUN_ID")"
    [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1
  fi
  exit "$rc"
}

# The tree the .NET projects are built from: this checkout as it is, or, with BENCH_GIT_REF=<commit>, that commit
# exported read-only with `git archive` (plus this bench/ folder) into artifacts/bench/src-<commit>; useful when
# the working tree is in the middle of a change that does not build.
SRC_ROOT="$BENCH_ROOT"
BUILD_DIR="$BENCH_ROOT/artifacts/bench/build"
prepare_sources() {
  [ -n "${BENCH_GIT_REF:-}" ] || return 0
  local sha
  sha="$(git -C "$BENCH_ROOT" rev-parse --short "$BENCH_GIT_REF")" || fail "BENCH_GIT_REF=$BENCH_GIT_REF is not a commit"
  SRC_ROOT="$BENCH_ROOT/artifacts/bench/src-$sha"
  BUILD_DIR="$BENCH_ROOT/artifacts/bench/build-$sha"
  rm -rf "$SRC_ROOT"
  mkdir -p "$SRC_ROOT"
  git -C "$BENCH_ROOT" archive --format=tar "$sha" | tar -x -C "$SRC_ROOT"
  tar -C "$BENCH_ROOT" --exclude=bin --exclude=obj -cf - bench | tar -x -C "$SRC_ROOT"
  log "building from commit $sha (exported to ${SRC_ROOT#"$BENCH_ROOT"/})"
}

# publish_project CSPROJ : Release publish with its own obj and bin under artifacts/bench (so a build running in the
# source tree at the same time is not disturbed); prints the publish directory.
publish_project() {
  local csproj="$1" name
  name="$(basename "$csproj" .csproj)"
  local logfile="$OUT/publish-$name.log"
  log "building $csproj (Release; log: ${logfile#"$BENCH_ROOT"/})"
  dotnet publish "$SRC_ROOT/$csproj" -c Release --artifacts-path "$BUILD_DIR" -nologo -v:q \
    >"$logfile" 2>&1 || { tail -30 "$logfile" >&2; fail "dotnet publish $csproj failed (BENCH_GIT_REF=HEAD builds the last commit instead)"; }
  echo "$BUILD_DIR/publish/$name/release"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan" } else if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'; }
