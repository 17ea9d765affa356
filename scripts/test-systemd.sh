#!/usr/bin/env bash
# Runs the shipped unit (deploy/systemd/bollard.service, unchanged) under a real systemd and checks that the daemon
# works in its sandbox: a Debian rootfs booted with systemd-nspawn, sharing the host's network (its 127.0.0.1 is the
# host's) and, through a bind mount, the host's Docker engine. scripts/test.sh runs it; it needs root.
#
# Checks: the unit's exposure score (systemd-analyze security), start (Type=notify reaches active), the agent's user
# and sandbox, a replica served through the balancer on the host's 127.0.0.1, a state directory that already existed
# with wider permissions made private, the watchdog (heartbeats keep it running; a frozen agent is killed and
# restarted), reload under load (a spec change and a balancer setting applied with no failed request; invalid files
# change nothing), a clean stop (exit 0), and a config error (exit code 78, not restarted).
#
# Only the timings are shortened, in a drop-in the script prints (WatchdogSec=, TimeoutAbortSec=, RestartSec=), so
# that the watchdog and restart checks take seconds instead of minutes.
#
# The Debian rootfs (mmdebstrap, about 20 s on a quiet machine) is kept in artifacts/systemd-rootfs for the next run;
# each run boots a copy of it. Containers are labelled with cluster $BOLLARD_TEST_RUN_ID-systemd and removed at the end.
#
#   scripts/test-systemd.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUN_ID="${BOLLARD_TEST_RUN_ID:-s$(date +%s)$$}"
CLUSTER="$RUN_ID-systemd"
ROOTFS="$ROOT/artifacts/systemd-rootfs"
ROOTFS_PACKAGES="systemd,systemd-sysv,dbus,ca-certificates,procps"
WORK="$ROOT/artifacts/systemd-test-$RUN_ID"
MACHINE="bollard-$(printf '%s' "$RUN_ID" | tr -c 'a-zA-Z0-9-' '-' | cut -c1-40)"
UNIT="$ROOT/deploy/systemd/bollard.service"
MAX_EXPOSURE=2.0

passed=0
failed=0
log() { printf '[test-systemd] %s\n' "$*" >&2; }
pass() { passed=$((passed + 1)); log "PASS: $*"; }
fail() { failed=$((failed + 1)); log "FAIL: $*"; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (systemd-nspawn, the Docker socket)"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer; start it with scripts/deps.sh"
docker image inspect bollard-sample:v1 >/dev/null 2>&1 || die "bollard-sample:v1 is missing; build it with scripts/build-images.sh"

missing=()
command -v systemd-nspawn >/dev/null || missing+=(systemd-container)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
command -v systemd-analyze >/dev/null || missing+=(systemd)
command -v wrk >/dev/null || missing+=(wrk)
command -v ss >/dev/null || missing+=(iproute2)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

nspawn_pid=""
CPID=""
cleanup() {
  local code=$?
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    if [ "$code" -ne 0 ] || [ "$failed" -ne 0 ]; then
      nsenter -t "$CPID" -a journalctl --no-pager >"$WORK/journal.txt" 2>&1 || true
      log "the container's journal is in $WORK/journal.txt"
    fi
    kill -TERM "$nspawn_pid" 2>/dev/null || true # the container's systemd shuts down in order
    for _ in $(seq 1 100); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$nspawn_pid" 2>/dev/null || true
  fi
  local ids
  ids="$(docker ps -aq --filter "label=io.bollard.cluster=$CLUSTER")"
  [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1 || true
  # Keep the logs of a failed run; the container's root is a copy and always goes.
  rm -rf "$WORK/root"
  [ "$code" -ne 0 ] || [ "$failed" -ne 0 ] || rm -rf "$WORK"
  exit "$code"
}
trap cleanup EXIT

# shellcheck source=lib/checks.sh
. "$ROOT/scripts/lib/checks.sh"

# --- 1. The unit's exposure score --------------------------------------------------------------------------------
score="$(systemd-analyze security --offline=true "$UNIT" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')"
if [ -n "$score" ] && awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s <= m) }'; then
  pass "systemd-analyze security rates the unit $score (at most $MAX_EXPOSURE)"
else
  fail "systemd-analyze security rates the unit '${score:-no score}', above $MAX_EXPOSURE"
fi

# --- The rootfs (cached) and the daemon -----------------------------------------------------------------------------
if [ "$(cat "$ROOTFS/.bollard-packages" 2>/dev/null)" != "$ROOTFS_PACKAGES" ]; then
  log "building a Debian bookworm rootfs with systemd into $ROOTFS (kept for the next runs)"
  rm -rf "$ROOTFS" "$ROOTFS.tmp"
  mmdebstrap --quiet --variant=minbase --include="$ROOTFS_PACKAGES" bookworm "$ROOTFS.tmp" >/dev/null
  echo "$ROOTFS_PACKAGES" >"$ROOTFS.tmp/.bollard-packages"
  mv "$ROOTFS.tmp" "$ROOTFS"
fi

log "publishing a self-contained bollard"
dotnet publish src/Bollard -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true \
  -p:InvariantGlobalization=true -p:DebugType=none -o "$ROOT/artifacts/systemd-bollard" -nologo -v:q >/dev/null

mkdir -p "$WORK"
R="$WORK/root"
cp -a "$ROOTFS" "$R"
LISTEN_PORT="$(free_port)"
ADMIN_PORT="$(free_port)"
DOCKER_GID="$(stat -c %g /var/run/docker.sock)"
# The docker group inside has the gid of the host socket's group (-o: the gid may already be taken in the rootfs).
chroot "$R" groupadd -o -g "$DOCKER_GID" docker
chroot "$R" useradd --system --no-create-home --groups docker bollard
install -m 0755 "$ROOT/artifacts/systemd-bollard/bollard" "$R/usr/local/bin/bollard"
install -m 0644 "$UNIT" "$R/etc/systemd/system/bollard.service"
mkdir -p "$R/etc/systemd/system/bollard.service.d"
cat >"$R/etc/systemd/system/bollard.service.d/test-timings.conf" <<'EOF'
[Service]
WatchdogSec=4s
TimeoutAbortSec=5s
RestartSec=1s
EOF
log "test drop-in (timings only): $(tr '\n' ' ' <"$R/etc/systemd/system/bollard.service.d/test-timings.conf")"
mkdir -p "$R/etc/bollard/services"
write_config() { # write_config [EXTRA YAML LINES]
  cat >"$R/etc/bollard/agent.yaml" <<EOF
cluster: $CLUSTER
zone: zone-a
listen: 127.0.0.1:$LISTEN_PORT
admin: 127.0.0.1:$ADMIN_PORT
services: /etc/bollard/services
${1:-}
EOF
}
write_spec() { # write_spec REPLICAS
  cat >"$R/etc/bollard/services/web.yaml" <<EOF
name: web
image: bollard-sample:v1
port: 8080
replicas: $1
health: { path: /health, interval: 1s }
route: { pathPrefix: / }
EOF
}
write_config
write_spec 1
# A state directory left by an earlier install with wider permissions, and a file in it anyone could read.
mkdir -p "$R/var/lib/bollard"
chmod 0755 "$R/var/lib/bollard"
echo '{}' >"$R/var/lib/bollard/left-behind.json"
chmod 0644 "$R/var/lib/bollard/left-behind.json"

# --- Boot ------------------------------------------------------------------------------------------------------------
log "booting $MACHINE (systemd-nspawn, host network, the host's Docker socket)"
systemd-nspawn -q -D "$R" -b --register=no --keep-unit --console=passive -M "$MACHINE" \
  --bind=/var/run/docker.sock >"$WORK/nspawn.log" 2>&1 &
nspawn_pid=$!
container_init() { ps -o pid=,comm= --ppid "$nspawn_pid" | awk '$2 == "systemd" { print $1; exit }'; }
booted() { [ -n "$(container_init)" ]; }
wait_for 30 "the container's systemd" booted || die "the container did not start: $(tail -5 "$WORK/nspawn.log")"
CPID="$(container_init)"
inside() { nsenter -t "$CPID" -a "$@"; }
system_up() { inside systemctl is-system-running 2>/dev/null | grep -qE '^(running|degraded)$'; }
wait_for 90 "the container's boot to finish" system_up || die "the container did not boot: $(inside systemctl is-system-running 2>&1)"
prop() { inside systemctl show -p "$1" --value bollard; }
journal() { inside journalctl -u bollard --no-pager -o cat; }
# Not `journal | grep -q`: grep -q leaves at the first match, journalctl then dies of SIGPIPE and pipefail turns the
# match into a failure.
journal_has() { local text; text="$(journal)"; grep -qE -- "$1" <<<"$text"; }
balancer_serves() { curl -fsS -m 2 "http://127.0.0.1:$LISTEN_PORT/" | grep -q '"replica"'; }

# --- 2. Start ----------------------------------------------------------------------------------------------------------
if timeout 120 nsenter -t "$CPID" -a systemctl start bollard && [ "$(prop ActiveState)/$(prop SubState)" = "active/running" ]; then
  pass "Type=notify start: systemctl start returned once the agent said READY=1; active (running)"
else
  fail "the unit did not start: $(prop ActiveState)/$(prop SubState), result $(prop Result); $(journal | tail -5 | tr '\n' ' ')"
  exit 1
fi

main="$(prop MainPID)"
user="$(inside ps -o user= -p "$main" | tr -d ' ')"
status="$(inside cat "/proc/$main/status")"
if [ "$user" = "bollard" ] && grep -q '^NoNewPrivs:[[:space:]]*1' <<<"$status" && grep -q '^CapEff:[[:space:]]*0000000000000400' <<<"$status" \
   && grep -q '^Seccomp:[[:space:]]*2' <<<"$status"; then
  pass "the agent runs as bollard, no new privileges, only CAP_NET_BIND_SERVICE, a system call filter"
else
  fail "the agent's identity or sandbox: user '$user'; $(grep -E 'NoNewPrivs|CapEff|Seccomp:' <<<"$status" | tr '\n' ' ')"
fi

# --- 3. A replica through the balancer, on the host's loopback ---------------------------------------------------
if wait_for 90 "a replica answering through the balancer on 127.0.0.1:$LISTEN_PORT" balancer_serves; then
  pass "a replica created on the host's engine answers through the balancer on the host's 127.0.0.1:$LISTEN_PORT"
else
  fail "no replica answered through the balancer; $(journal | tail -10 | tr '\n' ' ')"
fi

# --- 4. The state directory is private -----------------------------------------------------------------------------
wide="$(inside find /var/lib/bollard -perm /077 -printf '%m %p\n')"
owner="$(inside stat -c '%a %U' /var/lib/bollard)"
if [ "$owner" = "700 bollard" ] && [ -z "$wide" ] && [ "$(inside stat -c %a /var/lib/bollard/left-behind.json)" = "600" ]; then
  pass "the state directory and everything in it are private (0700/0600), also the file it held before with 0644"
else
  fail "the state directory is $owner; readable by others: ${wide:-none}"
fi

# --- 5. The watchdog ---------------------------------------------------------------------------------------------------
watchdog_usec="$(prop WatchdogUSec)"
sleep_until=$((SECONDS + 12)) # three watchdog timeouts of the drop-in's 4 s
while [ "$SECONDS" -lt "$sleep_until" ]; do balancer_serves || true; sleep 1; done
if [ "$(prop MainPID)" = "$main" ] && [ "$(prop NRestarts)" = "0" ] && ! journal_has 'Watchdog timeout'; then
  pass "watchdog: heartbeats keep the agent running past three WatchdogSec=$watchdog_usec"
else
  fail "watchdog: the agent was killed or restarted while alive (pid $main -> $(prop MainPID), restarts $(prop NRestarts))"
fi

inside kill -STOP "$main"
restarted() { [ "$(prop NRestarts)" = "1" ] && [ "$(prop ActiveState)" = "active" ] && [ "$(prop MainPID)" != "$main" ]; }
if wait_for 60 "the watchdog to restart the frozen agent" restarted && journal_has 'Watchdog timeout' \
   && wait_for 60 "the balancer after the restart" balancer_serves; then
  pass "watchdog: a frozen agent (SIGSTOP) was killed after WatchdogSec and restarted; the balancer serves again"
else
  fail "watchdog: the frozen agent was not restarted (restarts $(prop NRestarts), state $(prop ActiveState))"
fi
main="$(prop MainPID)"
# The embedded catalog starts empty: the restarted agent routes from its saved snapshot, then from what it registers
# again. Load starts once it has.
registered_again() { inside journalctl --no-pager -o cat "_PID=$main" | grep -q 'Registered web-'; }
wait_for 60 "the restarted agent to register its replica again" registered_again || fail "the restarted agent did not register its replica again"

# --- 6. Reload under load ---------------------------------------------------------------------------------------------
running_replicas() { docker ps -q --filter "label=io.bollard.cluster=$CLUSTER" --filter status=running | wc -l; }
two_replicas() { [ "$(running_replicas)" -ge 2 ]; }
# Counts the answers by status code, so that a failure says which.
cat >"$WORK/status-codes.lua" <<'EOF'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) codes = {} end
function response(status, headers, body) codes[status] = (codes[status] or 0) + 1 end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("codes")) do io.write(string.format("status %d: %d\n", status, count)) end
  end
end
EOF
wrk -t2 -c8 -d12s -s "$WORK/status-codes.lua" "http://127.0.0.1:$LISTEN_PORT/" >"$WORK/wrk-reload.txt" 2>&1 &
wrk_pid=$!
sleep 2
write_config "balancer: {retries: {max: 1}}"
write_spec 2
if inside systemctl reload bollard && [ "$(prop MainPID)" = "$main" ] \
   && wait_for 30 "the reload to be logged" sh -c "nsenter -t $CPID -a journalctl -u bollard --no-pager -o cat | grep -q 'Reloaded: balancer settings changed (retries.max)'" \
   && wait_for 90 "a second replica after the reload" two_replicas; then
  pass "reload: SIGHUP applied the spec change (2 replicas) and the balancer's retries.max, same process"
else
  fail "reload: $(journal | grep -i reload | tail -3 | tr '\n' ' ')"
fi

sleep 1
write_spec 'nope' # invalid: the running specs stay
if inside systemctl reload bollard && wait_for 30 "the refused reload to be logged" sh -c "nsenter -t $CPID -a journalctl -u bollard --no-pager -o cat | grep -q 'Reload refused'" \
   && [ "$(prop ActiveState)" = "active" ] && [ "$(prop MainPID)" = "$main" ]; then
  pass "reload: an invalid spec file is refused with its error, the agent keeps running what it ran"
else
  fail "reload of an invalid spec: $(prop ActiveState), $(journal | tail -3 | tr '\n' ' ')"
fi
write_spec 2

wait "$wrk_pid" || true
requests="$(awk '/requests in/ { print $1 }' "$WORK/wrk-reload.txt")"
if [ "${requests:-0}" -gt 0 ] && ! grep -qE 'Non-2xx|Socket errors' "$WORK/wrk-reload.txt"; then
  pass "reload under load: $requests requests, none failed ($(awk '/Requests\/sec/ { print $2 }' "$WORK/wrk-reload.txt") per second)"
else
  fail "reload under load: $(grep -E 'requests in|Non-2xx|Socket errors|^status' "$WORK/wrk-reload.txt" | tr '\n' ' ')"
fi

# --- 7. A clean stop -----------------------------------------------------------------------------------------------
inside systemctl stop bollard
if [ "$(prop Result)" = "success" ] && [ "$(prop ExecMainStatus)" = "0" ]; then
  pass "stop: the agent exits 0 on SIGTERM (result success)"
else
  fail "stop: result $(prop Result), exit status $(prop ExecMainStatus)"
fi

# --- 8. A config error: exit code 78, no restart -----------------------------------------------------------------
write_config "zoneAvailability: 7"
restarts_before="$(prop NRestarts)"
inside systemctl start bollard >/dev/null 2>&1 || true
sleep 3 # three times the drop-in's RestartSec: a restart would have happened
if [ "$(prop ExecMainStatus)" = "78" ] && [ "$(prop ActiveState)" = "failed" ] && [ "$(prop NRestarts)" = "$restarts_before" ] \
   && journal_has "agent.yaml:.*zoneAvailability"; then
  pass "config error: exit code 78 with the file, line and field in the journal; not restarted (RestartPreventExitStatus=78)"
else
  fail "config error: exit status $(prop ExecMainStatus), state $(prop ActiveState), restarts $restarts_before -> $(prop NRestarts)"
fi

log "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
