# Shell helpers the deployment checks (scripts/test-systemd.sh, scripts/test-daemon-image.sh) share. Sourced; each
# script defines log() first.

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: polls until COMMAND succeeds
  local limit="$1" what="$2"
  local deadline=$((SECONDS + limit))
  shift 2
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "timed out after $limit s waiting for $what"
      return 1
    fi
    sleep 0.2
  done
}

free_port() { # a TCP port on which nothing listens now
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    [ -z "$(ss -Hltn "sport = :$port")" ] && echo "$port" && return
  done
}
