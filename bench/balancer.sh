#!/usr/bin/env bash
# Data-plane benchmark: the same two backends reached directly, through Bollard's balancer (the real `bollard agent`),
# a plain YARP proxy with static config (bench/PlainYarp), nginx and HAProxy, measured with wrk on 127.0.0.1 in
# interleaved rounds. Prints one table of medians and ratios; raw wrk output and every service's log go to
# artifacts/bench/balancer-<run>/.
#
#   bench/balancer.sh                          # default: 3 rounds of 10 s per measurement, about 8 minutes
#   QUICK=1 bench/balancer.sh                  # 2 rounds of 4 s, about 2-3 minutes
#
# Environment (defaults in brackets):
#   BENCH_DURATION [10s]  length of each measured wrk run        BENCH_ROUNDS [3]   interleaved rounds
#   BENCH_WARMUP [20s]    load on each .NET proxy before round 1  BENCH_CONNECTIONS [64]  for the throughput run
#   BENCH_BACKEND [nginx] nginx: two nginx processes on loopback answering a small fixed JSON body (cheap, so the
#                         proxies are measured, not the backend); sample: two bollard-sample:v1 containers
#   BENCH_LOAD_CPU [0]  BENCH_PROXY_CPU [1]  BENCH_BACKEND_CPU [0]   cores for wrk, the proxy under test, backends
#   BENCH_DOTNET_GC [server]  server or workstation, for both .NET proxies (see dotnet_env below)
#   BENCH_TARGETS [direct bollard yarp nginx haproxy]
#   BENCH_GIT_REF [none]  build Bollard from this commit (git archive) instead of the working tree
#   BENCH_BOLLARD_ENV [none]  extra NAME=VALUE settings for the bollard process only (to try runtime settings)
#   BENCH_VARIANTS [none] more bollard agents, each a target of its own measured in the same rounds, with extra
#                         settings: "NAME:VAR=VALUE[,VAR=VALUE...] ..." adds target bollard-NAME, e.g.
#                         "noinline:DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 nospin:DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0"
#
# Needs: Docker and Consul (scripts/deps.sh starts them), the .NET SDK; wrk, nginx and haproxy are installed with
# apt-get when missing. Everything started here is stopped on exit (processes by PID, containers by label, the
# Consul registrations by id, the agents' state in Consul KV). All traffic stays on 127.0.0.1.
set -euo pipefail

BENCH_NAME=balancer
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [ "${QUICK:-0}" = 1 ]; then
  DURATION="${BENCH_DURATION:-4s}"; ROUNDS="${BENCH_ROUNDS:-2}"; WARMUP="${BENCH_WARMUP:-10s}"
else
  DURATION="${BENCH_DURATION:-10s}"; ROUNDS="${BENCH_ROUNDS:-3}"; WARMUP="${BENCH_WARMUP:-20s}"
fi
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
BACKEND_KIND="${BENCH_BACKEND:-nginx}"
LOAD_CPU="${BENCH_LOAD_CPU:-0}"
PROXY_CPU="${BENCH_PROXY_CPU:-1}"
BACKEND_CPU="${BENCH_BACKEND_CPU:-0}"
DOTNET_GC="${BENCH_DOTNET_GC:-server}"
case "$DOTNET_GC" in server | workstation) ;; *) fail "BENCH_DOTNET_GC must be server or workstation, got '$DOTNET_GC'" ;; esac
read -r -a TARGETS <<<"${BENCH_TARGETS:-direct bollard yarp nginx haproxy}"
# Each variant is one more bollard agent (target bollard-NAME) with its own settings on top of BENCH_BOLLARD_ENV.
declare -A VARIANT_ENV
read -r -a variants <<<"${BENCH_VARIANTS:-}"
for variant in ${variants[@]+"${variants[@]}"}; do
  name="${variant%%:*}" settings="${variant#*:}"
  [[ "$variant" == *:*=* && "$name" =~ ^[a-z0-9]+$ ]] \
    || fail "BENCH_VARIANTS entry '$variant' is not NAME:VAR=VALUE[,VAR=VALUE...] with a lower-case NAME"
  [ -z "${VARIANT_ENV[bollard-$name]:-}" ] || fail "BENCH_VARIANTS names '$name' twice"
  VARIANT_ENV[bollard-$name]="${settings//,/ }"
  TARGETS+=("bollard-$name")
done
OUT="$BENCH_ROOT/artifacts/bench/balancer-$RUN_ID"
mkdir -p "$OUT/tmp"
SERVICE="bench-$RUN_ID"

trap cleanup EXIT
trap 'exit 130' INT TERM

# --- prerequisites ------------------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx)
command -v haproxy >/dev/null || missing+=(haproxy)
command -v curl >/dev/null || missing+=(curl)
[ "${#missing[@]}" -eq 0 ] || apt_install "${missing[@]}"
command -v dotnet >/dev/null || fail "the .NET SDK (dotnet) is not on PATH"
command -v taskset >/dev/null || fail "taskset is missing (package util-linux)"
cores="$(nproc --all)"
for cpu in "$LOAD_CPU" "$PROXY_CPU" "$BACKEND_CPU"; do
  [ "$cpu" -lt "$cores" ] || fail "core $cpu does not exist on this ${cores}-core machine (BENCH_*_CPU)"
done
if ! docker info >/dev/null 2>&1 || ! consul_answers; then
  fail "Docker and Consul must be up for the Bollard agent: run scripts/deps.sh first"
fi
[ "$BACKEND_KIND" != sample ] || docker image inspect bollard-sample:v1 >/dev/null 2>&1 \
  || fail "image bollard-sample:v1 is missing: run scripts/build-images.sh"

# .NET and pinning: a process whose affinity allows a single core silently falls back to workstation GC even with
# DOTNET_gcServer=1 (runtime rule since .NET Core 3.0: "server GC on one CPU fares worse"). DOTNET_GCHeapCount does
# NOT override that rule (checked on .NET 10 with bench/PlainYarp, which prints the GC it got): only
# DOTNET_PROCESSOR_COUNT=2 does, by making the runtime believe it has two processors. The GC then still has one
# heap (heaps are capped by the affinity mask), but the thread pool and Kestrel size themselves for 2 processors.
# Bollard ships with <ServerGarbageCollection>true</ServerGarbageCollection>, which is what it gets on any real
# multi-core host, so "server" is the default here; both .NET proxies always run with the same settings.
dotnet_env() {
  case "$DOTNET_GC" in
    server) echo "DOTNET_gcServer=1 DOTNET_GCHeapCount=1 DOTNET_PROCESSOR_COUNT=2" ;;
    workstation) echo "DOTNET_gcServer=0" ;;
    *) fail "BENCH_DOTNET_GC must be server or workstation, got '$DOTNET_GC'" ;;
  esac
}
read -r -a DOTNET_ENV <<<"$(dotnet_env)"
read -r -a BOLLARD_ENV <<<"${BENCH_BOLLARD_ENV:-}"

log "run $RUN_ID: ${ROUNDS} rounds x ${DURATION}, ${CONNECTIONS} connections, backend: $BACKEND_KIND; wrk on core $LOAD_CPU, proxy on core $PROXY_CPU, backends on core $BACKEND_CPU; logs in ${OUT#"$BENCH_ROOT"/}"

# --- build --------------------------------------------------------------------------------------------------------
prepare_sources
BOLLARD_DIR="$(publish_project src/Bollard/Bollard.csproj)"
YARP_DIR="$(publish_project bench/PlainYarp/PlainYarp.csproj)"

# --- backends -----------------------------------------------------------------------------------------------------
BACKENDS=()
start_nginx_backend() { # start_nginx_backend INDEX
  local port conf="$OUT/backend-$1.conf"
  free_port port
  # keepalive_requests: nginx closes a client connection after 1000 requests by default, which would make every
  # proxy reconnect to its backends all the time; the backends should cost as little as possible.
  cat >"$conf" <<CONF
worker_processes 1;
daemon off;
pid $OUT/backend-$1.pid;
error_log $OUT/backend-$1.error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  client_body_temp_path $OUT/tmp/b$1-body;
  proxy_temp_path $OUT/tmp/b$1-proxy;
  server {
    listen 127.0.0.1:$port;
    location = /health { return 200 "ok\n"; }
    location / {
      default_type application/json;
      return 200 '{"replica":"backend-$1","version":"v1","zone":"bench","path":"/"}\n';
    }
  }
}
CONF
  start_bg "$OUT/backend-$1.log" taskset -c "$BACKEND_CPU" nginx -c "$conf" -p "$OUT/tmp"
  BACKENDS+=("$port")
}

start_sample_backend() { # start_sample_backend INDEX
  local id port
  id="$(docker run -d --label "$CONTAINER_LABEL=$RUN_ID" --cpuset-cpus "$BACKEND_CPU" -e REPLICA="backend-$1" \
    -p 127.0.0.1::8080 bollard-sample:v1)" || fail "docker run bollard-sample:v1 failed"
  port="$(docker inspect --format '{{ (index (index .NetworkSettings.Ports "8080/tcp") 0).HostPort }}' "$id")"
  BACKENDS+=("$port")
}

backend_up() { curl -fsS "http://127.0.0.1:$1/health" >/dev/null; }
for i in 1 2; do
  case "$BACKEND_KIND" in
    nginx) start_nginx_backend "$i" ;;
    sample) start_sample_backend "$i" ;;
    *) fail "BENCH_BACKEND must be nginx or sample, got '$BACKEND_KIND'" ;;
  esac
done
for port in "${BACKENDS[@]}"; do
  wait_until 30 "backend" backend_up "$port" || fail "backend on 127.0.0.1:$port did not answer /health (logs in $OUT)"
done
log "backends ($BACKEND_KIND): ${BACKENDS[*]/#/127.0.0.1:}"

# --- proxies ------------------------------------------------------------------------------------------------------
declare -A PORT PID
PORT[direct]="${BACKENDS[0]}"

register_backends() {
  # The two backends as the instances of service $SERVICE in Consul, with the meta Bollard's scaler writes; once for
  # every bollard agent of the run.
  [ -z "${BACKENDS_REGISTERED:-}" ] || return 0
  local i=0
  for port in "${BACKENDS[@]}"; do
    i=$((i + 1))
    consul_register "$SERVICE-$i" "{\"ID\":\"$SERVICE-$i\",\"Name\":\"$SERVICE\",\"Address\":\"127.0.0.1\",\"Port\":$port,
      \"Tags\":[\"bollard-bench\"],\"Meta\":{\"zone\":\"bench\",\"version\":\"v1\"},
      \"Check\":{\"HTTP\":\"http://127.0.0.1:$port/health\",\"Interval\":\"10s\",\"Timeout\":\"2s\",
                 \"DeregisterCriticalServiceAfter\":\"1m\",\"Status\":\"passing\"}}"
  done
  BACKENDS_REGISTERED=1
}

# Every bench agent keeps its cluster's state in Consul KV (bollard/<cluster>/, one cluster per agent, all starting
# with $SERVICE): removed on exit, once the agents are stopped and can no longer write it (the hooks run before the
# general clean-up stops the processes).
remove_agent_state() {
  local target
  for target in "${!PID[@]}"; do
    [[ "$target" != bollard* ]] || stop_pid "${PID[$target]}"
  done
  curl -fsS -X DELETE "$CONSUL_ADDR/v1/kv/bollard/$SERVICE?recurse" >/dev/null 2>&1 || true
}
on_cleanup remove_agent_state

start_bollard() { # start_bollard TARGET (bollard, or bollard-NAME of BENCH_VARIANTS)
  # The real daemon as `bollard agent` composes it (AgentHost): scaler, catalog and balancer with every feature it
  # has. Its catalog is Consul, where the two backends are registered as the instances of service $SERVICE; the
  # spec routes / to that service and asks for 0 replicas, so the scaler runs (and watches Docker) but starts nothing.
  # Each agent has a cluster of its own (its state in Consul KV), all route the same service.
  local target="$1" dir="$OUT/$1" admin extra=()
  read -r -a extra <<<"${VARIANT_ENV[$target]:-}"
  mkdir -p "$dir/services"
  free_port "PORT[$target]"
  free_port admin
  cat >"$dir/agent.yaml" <<YAML
cluster: $SERVICE${target#bollard}
zone: bench
listen: 127.0.0.1:${PORT[$target]}
admin: 127.0.0.1:$admin
stateDir: $dir/state
services: services
consul:
  address: $CONSUL_ADDR
YAML
  cat >"$dir/services/bench.yaml" <<YAML
name: $SERVICE
image: bollard-sample:v1
port: 8080
replicas: 0
route:
  pathPrefix: /
YAML
  register_backends
  start_bg "$OUT/$target.log" taskset -c "$PROXY_CPU" env "${DOTNET_ENV[@]}" ${BOLLARD_ENV[@]+"${BOLLARD_ENV[@]}"} \
    ${extra[@]+"${extra[@]}"} "$BOLLARD_DIR/bollard" agent --config "$dir/agent.yaml"
  PID[$target]="$STARTED_PID"
}

start_yarp() {
  free_port "PORT[yarp]"
  start_bg "$OUT/plain-yarp.log" taskset -c "$PROXY_CPU" env "${DOTNET_ENV[@]}" "$YARP_DIR/plain-yarp" \
    "127.0.0.1:${PORT[yarp]}" "${BACKENDS[@]/#/http://127.0.0.1:}"
  PID[yarp]="$STARTED_PID"
}

start_nginx() {
  # The usual reverse-proxy setup: HTTP/1.1 upstream keepalive pool, "Connection" cleared, one worker (one core).
  local conf="$OUT/nginx-proxy.conf" servers=""
  free_port "PORT[nginx]"
  for port in "${BACKENDS[@]}"; do servers+="    server 127.0.0.1:$port;"$'\n'; done
  cat >"$conf" <<CONF
worker_processes 1;
daemon off;
pid $OUT/nginx-proxy.pid;
error_log $OUT/nginx-proxy.error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  client_body_temp_path $OUT/tmp/p-body;
  proxy_temp_path $OUT/tmp/p-proxy;
  upstream backends {
$servers    keepalive 64;
    keepalive_requests 10000000;
  }
  server {
    listen 127.0.0.1:${PORT[nginx]};
    location / {
      proxy_pass http://backends;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
CONF
  start_bg "$OUT/nginx-proxy.log" taskset -c "$PROXY_CPU" nginx -c "$conf" -p "$OUT/tmp"
  PID[nginx]="$STARTED_PID"
}

start_haproxy() {
  # HAProxy's defaults are already a keepalive proxy (http-keep-alive, idle server connections pooled and reused
  # with http-reuse safe); one thread for one core.
  local conf="$OUT/haproxy.cfg" i=0
  free_port "PORT[haproxy]"
  {
    printf 'global\n  nbthread 1\n  maxconn 4096\n\n'
    printf 'defaults\n  mode http\n  option http-keep-alive\n  http-reuse safe\n'
    printf '  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n\n'
    printf 'frontend bench\n  bind 127.0.0.1:%s\n  default_backend backends\n\n' "${PORT[haproxy]}"
    printf 'backend backends\n  balance roundrobin\n'
    for port in "${BACKENDS[@]}"; do i=$((i + 1)); printf '  server b%s 127.0.0.1:%s\n' "$i" "$port"; done
  } >"$conf"
  haproxy -c -f "$conf" >"$OUT/haproxy-check.log" 2>&1 || { cat "$OUT/haproxy-check.log" >&2; fail "haproxy rejected $conf"; }
  start_bg "$OUT/haproxy.log" taskset -c "$PROXY_CPU" haproxy -db -f "$conf"
  PID[haproxy]="$STARTED_PID"
}

serves() { curl -fsS -o /dev/null "http://127.0.0.1:$1/"; }
for target in "${TARGETS[@]}"; do
  case "$target" in
    direct) ;;
    bollard | bollard-*) start_bollard "$target" ;;
    yarp) start_yarp ;;
    nginx) start_nginx ;;
    haproxy) start_haproxy ;;
    *) fail "unknown target '$target' in BENCH_TARGETS" ;;
  esac
done
for target in "${TARGETS[@]}"; do
  wait_until 60 "$target" serves "${PORT[$target]}" \
    || fail "$target on 127.0.0.1:${PORT[$target]} does not serve / (log in ${OUT#"$BENCH_ROOT"/})"
done
[ -z "${PID[yarp]:-}" ] || log "$(grep -m1 'plain-yarp:' "$OUT/plain-yarp.log" || true)"

# --- measuring ----------------------------------------------------------------------------------------------------
# The process and its children (nginx's worker), for CPU time and memory.
tree_pids() { echo "$1"; cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | sed '/^$/d'; }
cpu_ticks() { # user + system clock ticks of the tree
  local total=0 pid stat
  for pid in $(tree_pids "$1"); do
    stat="$(cat /proc/"$pid"/stat 2>/dev/null)" || continue
    stat="${stat##*) }" # fields after "(comm)": utime and stime are fields 12 and 13 from here
    total=$((total + $(echo "$stat" | awk '{ print $12 + $13 }')))
  done
  echo "$total"
}
rss_kib() {
  local total=0 pid kib
  for pid in $(tree_pids "$1"); do
    kib="$(awk '/^VmRSS:/ { print $2 }' /proc/"$pid"/status 2>/dev/null)" || continue
    total=$((total + ${kib:-0}))
  done
  echo "$total"
}

to_us() { # wrk's "85.12us" / "1.20ms" / "2.00s" in microseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000; else if (v ~ /s$/) print n * 1000000; else print "nan" }'
}

wrk_load() { # wrk_load TARGET CONNECTIONS DURATION OUTFILE
  taskset -c "$LOAD_CPU" wrk -t1 -c"$2" -d"$3" --timeout 5s --latency "http://127.0.0.1:${PORT[$1]}/" >"$4" 2>&1 \
    || fail "wrk against $1 failed: $(tail -3 "$4")"
}

errors_of() { # non-2xx responses plus socket errors in a wrk output
  awk '/Non-2xx/ { e += $NF } /Socket errors/ { gsub(/[a-z,]/, ""); for (i = 1; i <= NF; i++) e += $i } END { print e + 0 }' "$1"
}

RESULTS="$OUT/results.tsv"
printf 'round\ttarget\trps\tcpu\tp50_us\tp99_us\trss_kib\terrors\n' >"$RESULTS"
ticks_per_s="$(getconf CLK_TCK)"
seconds_of() { awk -v d="$1" 'BEGIN { n = d + 0; if (d ~ /m$/) n *= 60; else if (d ~ /h$/) n *= 3600; print n }'; }

measure() { # measure ROUND TARGET
  local round="$1" target="$2" base="$OUT/r$1-$2" pid="${PID[$2]:-}" t0 t1 rps cpu="" rss="" p50 p99 errors
  wrk_load "$target" "$CONNECTIONS" 2s "$base-settle.txt" # refill connection pools after the other targets ran
  [ -z "$pid" ] || t0="$(cpu_ticks "$pid")"
  wrk_load "$target" "$CONNECTIONS" "$DURATION" "$base-c$CONNECTIONS.txt"
  if [ -n "$pid" ]; then
    t1="$(cpu_ticks "$pid")"
    rss="$(rss_kib "$pid")"
    cpu="$(awk -v a="$t0" -v b="$t1" -v hz="$ticks_per_s" -v d="$(seconds_of "$DURATION")" 'BEGIN { printf "%.3f", (b - a) / hz / d }')"
  fi
  rps="$(awk '/^Requests\/sec:/ { print $2 }' "$base-c$CONNECTIONS.txt")"
  wrk_load "$target" 1 "$DURATION" "$base-c1.txt"
  p50="$(to_us "$(awk '$1 == "50%" { print $2 }' "$base-c1.txt")")"
  p99="$(to_us "$(awk '$1 == "99%" { print $2 }' "$base-c1.txt")")"
  errors=$(($(errors_of "$base-c$CONNECTIONS.txt") + $(errors_of "$base-c1.txt")))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$rps" "${cpu:-nan}" "$p50" "$p99" "${rss:-nan}" "$errors" >>"$RESULTS"
  log "round $round  $(printf '%-8s' "$target") $(printf '%8.0f' "$rps") req/s  cpu ${cpu:--}  p50 ${p50}us  p99 ${p99}us  errors $errors"
}

# .NET compiles hot paths again with full optimisation (tiered PGO) only after enough calls: give both .NET proxies
# the same long warm-up before anything is measured. nginx, HAProxy and the backends get a short one too.
for target in "${TARGETS[@]}"; do
  case "$target" in
    bollard | bollard-* | yarp) warm="$WARMUP" ;;
    *) warm=3s ;;
  esac
  log "warming up $target ($warm at $CONNECTIONS connections)"
  wrk_load "$target" "$CONNECTIONS" "$warm" "$OUT/warmup-$target.txt"
done

# Interleaved rounds, the order rotated each round, so that a noisy neighbour or thermal drift hits every target.
n="${#TARGETS[@]}"
for ((round = 1; round <= ROUNDS; round++)); do
  for ((k = 0; k < n; k++)); do
    measure "$round" "${TARGETS[$(((k + round - 1) % n))]}"
  done
done

# --- report -------------------------------------------------------------------------------------------------------
med() { awk -F'\t' -v t="$1" -v c="$2" 'NR > 1 && $2 == t && $c != "nan" { print $c }' "$RESULTS" | median; }
declare -A RPS CPU P50 P99 RSS ERR
for target in "${TARGETS[@]}"; do
  RPS[$target]="$(med "$target" 3)"; CPU[$target]="$(med "$target" 4)"; P50[$target]="$(med "$target" 5)"
  P99[$target]="$(med "$target" 6)"; RSS[$target]="$(med "$target" 7)"
  ERR[$target]="$(awk -F'\t' -v t="$target" 'NR > 1 && $2 == t { e += $8 } END { print e + 0 }' "$RESULTS")"
done
ratio() { awk -v a="$1" -v b="${2:-nan}" 'BEGIN { if (b + 0 == 0 || a == "nan" || b == "nan") print "-"; else printf "%.2fx", a / b }'; }
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { if (v == "nan" || v == "") print "-"; else printf f, v }'; }
pct() { awk -v v="$1" 'BEGIN { if (v == "nan" || v == "") print "-"; else printf "%.0f%%", v * 100 }'; }
mib() { awk -v v="$1" 'BEGIN { if (v == "nan" || v == "") print "-"; else printf "%.0f", v / 1024 }'; }

{
  echo
  echo "Balancer benchmark, run $RUN_ID ($(date -u +%Y-%m-%dT%H:%MZ)), $(nproc --all) cores; medians of $ROUNDS interleaved rounds of $DURATION"
  echo "wrk -t1 on core $LOAD_CPU; proxy on core $PROXY_CPU; backends: 2 x $BACKEND_KIND on core $BACKEND_CPU; .NET proxies: $(dotnet_env), warm-up $WARMUP"
  echo
  printf '| %-16s | %9s | %6s | %8s | %6s | %12s | %7s | %7s | %8s | %7s | %6s |\n' \
    target "req/s@$CONNECTIONS" "xYARP" "xHAProxy" "CPU" "req/s per core" "p50 us" "p99 us" "+p50 us" "RSS MiB" errors
  printf '|%s|\n' "------------------|-----------|--------|----------|--------|----------------|---------|---------|----------|---------|--------"
  for target in "${TARGETS[@]}"; do
    per_core="$(awk -v r="${RPS[$target]}" -v c="${CPU[$target]}" 'BEGIN { if (c == "nan" || c + 0 == 0) print "nan"; else print r / c }')"
    added="$(awk -v a="${P50[$target]}" -v b="${P50[direct]:-nan}" 'BEGIN { if (b == "nan") print "nan"; else print a - b }')"
    printf '| %-16s | %9s | %6s | %8s | %6s | %14s | %7s | %7s | %8s | %7s | %6s |\n' "$target" \
      "$(fmt "${RPS[$target]}" '%.0f')" "$(ratio "${RPS[$target]}" "${RPS[yarp]:-}")" "$(ratio "${RPS[$target]}" "${RPS[haproxy]:-}")" \
      "$(pct "${CPU[$target]}")" "$(fmt "$per_core" '%.0f')" \
      "$(fmt "${P50[$target]}" '%.0f')" "$(fmt "${P99[$target]}" '%.0f')" "$(fmt "$added" '%.0f')" \
      "$(mib "${RSS[$target]}")" "${ERR[$target]}"
  done
  echo
  if [ -n "${RPS[bollard]:-}" ] && [ -n "${RPS[yarp]:-}" ]; then
    echo "Bollard / plain YARP: throughput $(ratio "${RPS[bollard]}" "${RPS[yarp]}") (target >= 1.00x)," \
      "req/s per core $(ratio "$(awk -v r="${RPS[bollard]}" -v c="${CPU[bollard]}" 'BEGIN { print r / c }')" "$(awk -v r="${RPS[yarp]}" -v c="${CPU[yarp]}" 'BEGIN { print r / c }')")," \
      "p50 $(ratio "${P50[bollard]}" "${P50[yarp]}"), p99 $(ratio "${P99[bollard]}" "${P99[yarp]}")," \
      "RSS $(ratio "${RSS[bollard]}" "${RSS[yarp]}") (target <= 1.5x)"
  fi
  for target in "${TARGETS[@]}"; do
    [[ "$target" == bollard-* && -n "${RPS[bollard]:-}" ]] || continue
    echo "$target (${VARIANT_ENV[$target]}) / bollard: throughput $(ratio "${RPS[$target]}" "${RPS[bollard]}")," \
      "CPU $(ratio "${CPU[$target]}" "${CPU[bollard]}"), p50 $(ratio "${P50[$target]}" "${P50[bollard]}"), p99 $(ratio "${P99[$target]}" "${P99[bollard]}")," \
      "RSS $(ratio "${RSS[$target]}" "${RSS[bollard]}")"
  done
  echo "CPU: the proxy's share of its core during the $CONNECTIONS-connection run (100% = saturated); req/s per core = req/s / CPU."
  echo "+p50: median latency at 1 connection minus the direct one (what the proxy adds). RSS: at the end of the proxy's last load."
  echo "Raw wrk output and logs: ${OUT#"$BENCH_ROOT"/}"
} | tee "$OUT/table.md"
