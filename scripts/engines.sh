#!/usr/bin/env bash
# Extra Docker engines on this machine, each standing for another host (in another zone): its own bridge, data
# root, exec root and socket, and the sample images loaded from the default engine (`docker save | docker load`, as a
# host without a registry would get them), or none at all (start-empty).
#
#   scripts/engines.sh start NAME...    e.g. start h2 h3  -> sockets unix:///tmp/bollard-engines/NAME/docker.sock
#   scripts/engines.sh start-empty NAME...  the same with no image at all (its data root wiped first): a new host that
#                                       has to pull what it runs from a registry
#   scripts/engines.sh stop NAME...     stops it by its PID (a realistic host failure) and removes its bridge (and the
#                                       data root of an engine started empty)
#   scripts/engines.sh socket NAME      prints the engine's endpoint
#
# Engines are numbered by their position in the start list's name (h2 -> 192.168.212.0/24, h3 -> 192.168.213.0/24).
# Never started with --bridge=none: that deletes the default engine's docker0 bridge.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE=/tmp/bollard-engines
IMAGES="${BOLLARD_SAMPLE_IMAGE:-bollard-sample}"

log() { printf '[engines] %s\n' "$*" >&2; }
fail() { printf '[engines] ERROR: %s\n' "$*" >&2; exit 1; }

socket() { echo "unix://$BASE/$1/docker.sock"; }

subnet_of() { # h2 -> 212, h7 -> 217: a private /24 per engine
  local n="${1//[^0-9]/}"
  [ -n "$n" ] && [ "$n" -ge 2 ] && [ "$n" -le 40 ] || fail "engine names are h2..h40 (got '$1')"
  echo $((210 + n))
}

answers() { docker -H "$(socket "$1")" info >/dev/null 2>&1; }

start_one() { # start_one NAME [empty]
  local name="$1" dir="$BASE/$1" net bridge="br-bollard-$1" empty="${2:-}"
  if [ -n "$empty" ] && answers "$name"; then
    fail "$name already answers; an empty engine must be started afresh (scripts/engines.sh stop $name first)"
  fi
  if [ -z "$empty" ] && answers "$name"; then
    # Running already (an earlier run's, or started by hand): it may hold older builds of the images.
    log "$name already answers"
    load_images "$name"
    return 0
  fi
  net="$(subnet_of "$name")"
  if [ -n "$empty" ]; then
    rm -rf "$dir/data"
    mkdir -p "$dir"
    touch "$dir/empty"
  fi
  mkdir -p "$dir"
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge
    ip addr add "192.168.$net.1/24" dev "$bridge"
    ip link set "$bridge" up
  fi
  log "starting engine $name on $(socket "$name") (log: $dir/dockerd.log)"
  nohup dockerd -H "$(socket "$name")" --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/docker.pid" \
    -b "$bridge" --iptables=false --ip-masq=false >"$dir/dockerd.log" 2>&1 </dev/null &
  echo $! >"$dir/engine.pid"
  local deadline=$((SECONDS + 60))
  until answers "$name"; do
    [ "$SECONDS" -lt "$deadline" ] || { tail -20 "$dir/dockerd.log" >&2; fail "engine $name did not answer within 60 s"; }
    sleep 0.2
  done
  [ -n "$empty" ] || load_images "$name"
}

load_images() {
  local name="$1" tags
  tags="$(docker images --format '{{.Repository}}:{{.Tag}}' "$IMAGES" | sort)"
  [ -n "$tags" ] || fail "no $IMAGES images on the default engine: run scripts/build-images.sh first"
  local have
  have="$(docker -H "$(socket "$name")" images --format '{{.ID}}' "$IMAGES" | sort -u | tr '\n' ' ')"
  if [ "$have" = "$(docker images --format '{{.ID}}' "$IMAGES" | sort -u | tr '\n' ' ')" ]; then
    return 0
  fi
  log "loading $(echo "$tags" | tr '\n' ' ')into $name"
  # shellcheck disable=SC2086
  docker save $tags | docker -H "$(socket "$name")" load -q >/dev/null
}

stop_one() {
  local name="$1" dir="$BASE/$1" pid
  if [ -f "$dir/engine.pid" ]; then
    pid="$(cat "$dir/engine.pid")"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping engine $name (pid $pid)"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/engine.pid"
  fi
  ip link del "br-bollard-$name" 2>/dev/null || true
  if [ -f "$dir/empty" ]; then
    # What it pulled goes with it: the next empty start is empty again.
    rm -rf "$dir/data" "$dir/empty"
  fi
}

verb="${1:-}"
shift || true
case "$verb" in
  start) for n in "$@"; do start_one "$n"; done ;;
  start-empty) for n in "$@"; do start_one "$n" empty; done ;;
  stop) for n in "$@"; do stop_one "$n"; done ;;
  socket) socket "$1" ;;
  *) echo "usage: $0 start|start-empty|stop|socket NAME..." >&2; exit 2 ;;
esac
