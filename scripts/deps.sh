#!/usr/bin/env bash
# Installs and starts what Bollard's development, demo and tests need on a fresh Debian machine:
# the Docker engine (Debian's docker.io), a Consul 1.8.7 dev agent on loopback (unpacked from Debian
# bullseye), wrk, and promtool (unpacked from Debian's prometheus package, to check the alerting rules);
# and, for the tests that pull images, an image registry on loopback (Debian's docker-registry, unpacked:
# installing the package would start a system service on :5000).
# Idempotent: what is installed is not installed again, what answers is not started again. Only what
# this script started is recorded (by PID) and stopped by `deps.sh stop`.
#
#   scripts/deps.sh [install|start|stop|status]     (default: install + start Docker and Consul, unpack promtool)
#   scripts/deps.sh registry                        install + start the registry (the tests need it; the demo does not)
#   scripts/deps.sh docker                          install + start the Docker engine and wrk only (the demo)
#   scripts/deps.sh browser                         install Debian's chromium for the dashboard's browser tests (driven
#                                                   by Microsoft.Playwright through its executable path; no browser download)
#
# Environment:
#   BOLLARD_STATE_DIR   where PIDs and logs go (default /tmp/bollard-dev)
#   CONSUL_HTTP_PORT    the dev agent's HTTP port (default 8500)
#   BOLLARD_REGISTRY    the registry's address (default 127.0.0.1:5055; loopback, which Docker trusts without TLS)
set -euo pipefail

STATE_DIR="${BOLLARD_STATE_DIR:-/tmp/bollard-dev}"
PROMETHEUS_DIR=/opt/prometheus
CONSUL_DIR=/opt/consul
CONSUL_BIN="$CONSUL_DIR/usr/bin/consul"
CONSUL_HTTP_PORT="${CONSUL_HTTP_PORT:-8500}"
REGISTRY_DIR=/opt/docker-registry
REGISTRY_BIN="$REGISTRY_DIR/usr/bin/docker-registry"
REGISTRY_ADDR="${BOLLARD_REGISTRY:-127.0.0.1:5055}"
mkdir -p "$STATE_DIR"

log() { printf '[deps] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get update -qq >/dev/null
    apt_updated=1
  fi
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v curl >/dev/null || missing+=(curl)
  command -v ip >/dev/null || missing+=(iproute2)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    apt_update_once
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

install_browser() {
  command -v chromium >/dev/null && return 0
  log "installing chromium (the dashboard's browser tests)"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
}

install_consul() {
  [ -x "$CONSUL_BIN" ] && return 0
  log "installing the Consul agent from Debian bullseye into $CONSUL_DIR"
  local sources=/etc/apt/sources.list.d/bullseye.sources
  if [ ! -f "$sources" ]; then
    printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bullseye\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      | as_root tee "$sources" >/dev/null
    # Keep bullseye from ever being preferred over the running release.
    printf 'Package: *\nPin: release n=bullseye\nPin-Priority: 100\n' | as_root tee /etc/apt/preferences.d/bullseye-low >/dev/null
    apt_updated=0
  fi
  apt_update_once
  local tmp
  tmp="$(mktemp -d)"
  chmod 755 "$tmp" # apt downloads as the _apt user
  (cd "$tmp" && apt-get download -qq consul >/dev/null)
  as_root mkdir -p "$CONSUL_DIR"
  as_root dpkg-deb -x "$tmp"/consul_*.deb "$CONSUL_DIR"
  rm -rf "$tmp"
  "$CONSUL_BIN" version | head -1 >&2
}

install_promtool() {
  [ -x "$PROMETHEUS_DIR/usr/bin/promtool" ] && return 0
  log "installing promtool from Debian's prometheus package into $PROMETHEUS_DIR (the server is not installed)"
  apt_update_once
  local tmp
  tmp="$(mktemp -d)"
  chmod 755 "$tmp" # apt downloads as the _apt user
  (cd "$tmp" && apt-get download -qq prometheus >/dev/null)
  as_root mkdir -p "$PROMETHEUS_DIR"
  as_root dpkg-deb -x "$tmp"/prometheus_*.deb "$PROMETHEUS_DIR"
  rm -rf "$tmp"
}

install_registry() {
  [ -x "$REGISTRY_BIN" ] && return 0
  log "installing the image registry (Debian's docker-registry) into $REGISTRY_DIR"
  apt_update_once
  local tmp
  tmp="$(mktemp -d)"
  chmod 755 "$tmp" # apt downloads as the _apt user
  (cd "$tmp" && apt-get download -qq docker-registry >/dev/null)
  as_root mkdir -p "$REGISTRY_DIR"
  as_root dpkg-deb -x "$tmp"/docker-registry_*.deb "$REGISTRY_DIR"
  rm -rf "$tmp"
  "$REGISTRY_BIN" --version >&2
}

wait_until() { # wait_until SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what="$2"
  shift 2
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "timed out waiting for $what"
      return 1
    fi
    sleep 0.2
  done
}

docker_answers() { docker info >/dev/null 2>&1; }
consul_answers() { curl -fsS "http://127.0.0.1:$CONSUL_HTTP_PORT/v1/status/leader" 2>/dev/null | grep -q ':'; }
registry_answers() { curl -fsS "http://$REGISTRY_ADDR/v2/" >/dev/null 2>&1; }

start_docker() {
  if docker_answers; then log "docker engine already answers"; return 0; fi
  log "starting dockerd (log: $STATE_DIR/dockerd.log)"
  # Output to a file, never the terminal: a child holding CI's pipe open would hang the run.
  nohup dockerd >"$STATE_DIR/dockerd.log" 2>&1 </dev/null &
  echo $! >"$STATE_DIR/dockerd.pid"
  wait_until 60 "the docker engine" docker_answers || { tail -20 "$STATE_DIR/dockerd.log" >&2; exit 1; }
}

start_consul() {
  if consul_answers; then log "consul agent already answers on 127.0.0.1:$CONSUL_HTTP_PORT"; return 0; fi
  log "starting consul dev agent on 127.0.0.1:$CONSUL_HTTP_PORT (log: $STATE_DIR/consul.log)"
  nohup "$CONSUL_BIN" agent -dev -client 127.0.0.1 -bind 127.0.0.1 -http-port "$CONSUL_HTTP_PORT" \
    -data-dir "$STATE_DIR/consul-data" >"$STATE_DIR/consul.log" 2>&1 </dev/null &
  echo $! >"$STATE_DIR/consul.pid"
  wait_until 60 "the consul agent" consul_answers || { tail -20 "$STATE_DIR/consul.log" >&2; exit 1; }
}

start_registry() {
  if registry_answers; then log "image registry already answers on $REGISTRY_ADDR"; return 0; fi
  case "$REGISTRY_ADDR" in
    127.*) ;;
    *) log "BOLLARD_REGISTRY must be a loopback address (Docker trusts only those without TLS); got $REGISTRY_ADDR"; exit 2 ;;
  esac
  local dir="$STATE_DIR/registry"
  mkdir -p "$dir/data"
  # Its storage is scratch: each run pushes its images again (scripts/registry-images.sh); removed on stop.
  printf 'version: 0.1\nlog: {level: warn}\nstorage:\n  filesystem: {rootdirectory: %s}\n  delete: {enabled: true}\nhttp: {addr: %s}\n' \
    "$dir/data" "$REGISTRY_ADDR" >"$dir/config.yml"
  log "starting the image registry on $REGISTRY_ADDR (log: $dir/registry.log)"
  REGISTRY_HTTP_SECRET="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" \
    nohup "$REGISTRY_BIN" serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
  echo $! >"$STATE_DIR/registry.pid"
  wait_until 30 "the image registry" registry_answers || { tail -20 "$dir/registry.log" >&2; exit 1; }
}

stop_one() { # stop_one NAME
  local pidfile="$STATE_DIR/$1.pid"
  [ -f "$pidfile" ] || return 0
  local pid
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $1 (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

case "${1:-all}" in
  install) install_packages; install_consul; install_promtool ;;
  docker) install_packages; start_docker ;;
  start) start_docker; start_consul ;;
  stop)
    if [ -f "$STATE_DIR/registry.pid" ]; then stop_one registry; rm -rf "$STATE_DIR/registry"; fi
    stop_one consul; stop_one dockerd ;;
  status)
    docker_answers && echo "docker: up" || echo "docker: down"
    consul_answers && echo "consul: up" || echo "consul: down"
    registry_answers && echo "registry: up ($REGISTRY_ADDR)" || echo "registry: down ($REGISTRY_ADDR)" ;;
  registry) install_packages; install_registry; start_registry ;;
  browser) install_browser ;;
  all) install_packages; install_consul; install_promtool; start_docker; start_consul ;;
  *) echo "usage: $0 [install|start|stop|status|registry|docker|browser]" >&2; exit 2 ;;
esac
