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
#   BENCH_PROTOCOLS [http1 https h2]  what the clients speak to the proxies: http1 (plain HTTP/1.1, wrk), https (HTTP/1.1
#                         over TLS 1.3 with keep-alive, wrk), h2 (HTTP/2 over TLS 1.3, ALPN, h2load); the proxies always
#                         speak plain HTTP/1.1 to the backends; direct is measured on http1 only
#   BENCH_H2_STREAMS [8]  concurrent streams per h2 connection (h2load -m); connections = BENCH_CONNECTIONS / streams
#   BENCH_GIT_REF [none]  build Bollard from this commit (git archive) instead of the working tree
#   BENCH_BOLLARD_ENV [none]  extra NAME=VALUE settings for the bollard process only (to try runtime settings)
#   BENCH_VARIANTS [none] more bollard agents, each a target of its own measured in the same rounds, with extra
#                         settings: "NAME:VAR=VALUE[,VAR=VALUE...] ..." adds target bollard-NAME, e.g.
#                         "noinline:DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 nospin:DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0"
#   BENCH_ACCESS_LOG [0]  1 adds target bollard-alog: the same agent with a JSON access log on its listeners (a file in
#                         the run's folder), reported as a ratio to bollard (the cost of logging every request)
#
# Needs: Docker and Consul (scripts/deps.sh starts them), the .NET SDK; wrk, nginx, haproxy and h2load (nghttp2-client)
# are installed with apt-get when missing. Everything started here is stopped on exit (processes by PID, containers by label, the
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
read -r -a PROTOCOLS <<<"${BENCH_PROTOCOLS:-http1 https h2}"
TLS=0
for proto in "${PROTOCOLS[@]}"; do
  case "$proto" in http1) ;; https | h2) TLS=1 ;; *) fail "BENCH_PROTOCOLS: '$proto' is not http1, https or h2" ;; esac
done
H2_STREAMS="${BENCH_H2_STREAMS:-8}"
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
# Config-only variants: more agent.yaml for one bollard target.
declare -A VARIANT_CONFIG
if [ "${BENCH_ACCESS_LOG:-0}" = 1 ]; then
  VARIANT_CONFIG[bollard-alog]="accessLog: {file: access.log, format: json}"
  TARGETS+=(bollard-alog)
fi
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
command -v openssl >/dev/null || missing+=(openssl)
[[ " ${PROTOCOLS[*]} " != *" h2 "* ]] || command -v h2load >/dev/null || missing+=(nghttp2-client)
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

log "run $RUN_ID: ${ROUNDS} rounds x ${DURATION}, ${CONNECTIONS} connections, protocols: ${PROTOCOLS[*]}, backend: $BACKEND_KIND; wrk on core $LOAD_CPU, proxy on core $PROXY_CPU, backends on core $BACKEND_CPU; logs in ${OUT#"$BENCH_ROOT"/}"

# --- build --------------------------------------------------------------------------------------------------------
prepare_sources
BOLLARD_DIR="$(publish_project src/Bollard/Bollard.csproj)"
YARP_DIR="$(publish_project bench/PlainYarp/PlainYarp.csproj)"

# --- TLS ----------------------------------------------------------------------------------------------------------
# One certificate for every proxy (ECDSA P-256, what a current certbot issues by default), for bench.test and 127.0.0.1.
CERT="$OUT/tls/cert.pem" KEY="$OUT/tls/key.pem"
if [ "$TLS" -eq 1 ]; then
  mkdir -p "$OUT/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench.test \
    -addext "subjectAltName=DNS:bench.test,IP:127.0.0.1" -keyout "$KEY" -out "$CERT" >"$OUT/tls/openssl.log" 2>&1 \
    || fail "openssl could not make the test certificate ($OUT/tls/openssl.log)"
  cat "$CERT" "$KEY" >"$OUT/tls/haproxy.pem"
fi

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
declare -A PORT TLS_PORT PID
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
  local listen="listen: 127.0.0.1:${PORT[$target]}"
  if [ "$TLS" -eq 1 ]; then
    free_port "TLS_PORT[$target]"
    listen="listeners:
  - {address: \"127.0.0.1:${PORT[$target]}\"}
  - {address: \"127.0.0.1:${TLS_PORT[$target]}\", scheme: https, certificates: [{certFile: \"$CERT\", keyFile: \"$KEY\"}]}"
  fi
  cat >"$dir/agent.yaml" <<YAML
cluster: $SERVICE${target#bollard}
zone: bench
$listen
admin: 127.0.0.1:$admin
stateDir: $dir/state
services: services
consul:
  address: $CONSUL_ADDR
${VARIANT_CONFIG[$target]:-}
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
  local tls=()
  free_port "PORT[yarp]"
  if [ "$TLS" -eq 1 ]; then
    free_port "TLS_PORT[yarp]"
    tls=("PLAIN_YARP_HTTPS=127.0.0.1:${TLS_PORT[yarp]}" "PLAIN_YARP_CERT=$CERT" "PLAIN_YARP_KEY=$KEY")
  fi
  start_bg "$OUT/plain-yarp.log" taskset -c "$PROXY_CPU" env "${DOTNET_ENV[@]}" ${tls[@]+"${tls[@]}"} "$YARP_DIR/plain-yarp" \
    "127.0.0.1:${PORT[yarp]}" "${BACKENDS[@]/#/http://127.0.0.1:}"
  PID[yarp]="$STARTED_PID"
}

start_nginx() {
  # The usual reverse-proxy setup: HTTP/1.1 upstream keepalive pool, "Connection" cleared, one worker (one core).
  local conf="$OUT/nginx-proxy.conf" servers="" tls=""
  free_port "PORT[nginx]"
  if [ "$TLS" -eq 1 ]; then
    # TLS 1.2 and 1.3, HTTP/2 by ALPN, a session cache: the usual nginx TLS front.
    free_port "TLS_PORT[nginx]"
    tls="    listen 127.0.0.1:${TLS_PORT[nginx]} ssl http2;
    ssl_certificate $CERT;
    ssl_certificate_key $KEY;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:SSL:10m;"
  fi
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
$tls
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
  [ "$TLS" -eq 0 ] || free_port "TLS_PORT[haproxy]"
  {
    printf 'global\n  nbthread 1\n  maxconn 4096\n  ssl-default-bind-options ssl-min-ver TLSv1.2\n\n'
    printf 'defaults\n  mode http\n  option http-keep-alive\n  http-reuse safe\n'
    printf '  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n\n'
    printf 'frontend bench\n  bind 127.0.0.1:%s\n' "${PORT[haproxy]}"
    # HTTP/2 by ALPN on the TLS port.
    [ "$TLS" -eq 0 ] || printf '  bind 127.0.0.1:%s ssl crt %s alpn h2,http/1.1\n' "${TLS_PORT[haproxy]}" "$OUT/tls/haproxy.pem"
    printf '  default_backend backends\n\n'
    printf 'backend backends\n  balance roundrobin\n'
    for port in "${BACKENDS[@]}"; do i=$((i + 1)); printf '  server b%s 127.0.0.1:%s\n' "$i" "$port"; done
  } >"$conf"
  haproxy -c -f "$conf" >"$OUT/haproxy-check.log" 2>&1 || { cat "$OUT/haproxy-check.log" >&2; fail "haproxy rejected $conf"; }
  start_bg "$OUT/haproxy.log" taskset -c "$PROXY_CPU" haproxy -db -f "$conf"
  PID[haproxy]="$STARTED_PID"
}

serves() { curl -fsS -o /dev/null "http://127.0.0.1:$1/"; }
serves_tls() { curl -fsS --http2 --cacert "$CERT" -o /dev/null "https://127.0.0.1:$1/"; }
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
  [ -z "${TLS_PORT[$target]:-}" ] || wait_until 30 "$target over TLS" serves_tls "${TLS_PORT[$target]}" \
    || fail "$target on https://127.0.0.1:${TLS_PORT[$target]} does not serve / (log in ${OUT#"$BENCH_ROOT"/})"
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

url_of() { # url_of TARGET PROTOCOL
  case "$2" in
    http1) echo "http://127.0.0.1:${PORT[$1]}/" ;;
    *) echo "https://127.0.0.1:${TLS_PORT[$1]}/" ;;
  esac
}

load() { # load TARGET PROTOCOL CONNECTIONS DURATION OUTFILE [LATENCY_LOG]
  # wrk for HTTP/1.1, plain or over TLS (it negotiates TLS 1.3, keep-alive); h2load for HTTP/2 over TLS (ALPN), with
  # the same number of requests in flight: CONNECTIONS / BENCH_H2_STREAMS connections of BENCH_H2_STREAMS streams.
  local url rc=0
  url="$(url_of "$1" "$2")"
  if [ "$2" = h2 ]; then
    local clients=$(($3 / H2_STREAMS)) streams="$H2_STREAMS" log=()
    [ "$clients" -ge 1 ] || { clients=1; streams="$3"; }
    [ -z "${6:-}" ] || log=("--log-file=$6")
    taskset -c "$LOAD_CPU" h2load -t1 -c"$clients" -m"$streams" -D "$(seconds_of "$4")" ${log[@]+"${log[@]}"} "$url" >"$5" 2>&1 || rc=$?
  else
    taskset -c "$LOAD_CPU" wrk -t1 -c"$3" -d"$4" --timeout 5s --latency "$url" >"$5" 2>&1 || rc=$?
  fi
  [ "$rc" -eq 0 ] || fail "load against $1 ($2) failed: $(tail -3 "$5")"
}

errors_of() { # non-2xx responses plus socket errors in a wrk output; failed, errored, timed-out and non-2xx in h2load's
  awk '/Non-2xx/ { e += $NF } /Socket errors/ { gsub(/[a-z,]/, ""); for (i = 1; i <= NF; i++) e += $i }
       /^requests:/ { e += $10 + $12 + $14 } /^status codes:/ { e += $5 + $7 + $9 }
       END { print e + 0 }' "$1"
}

rps_of() { # requests per second in a wrk or h2load output
  awk '/^Requests\/sec:/ { print $2 } /^finished in/ { gsub(/,/, ""); print $4 }' "$1"
}

percentile_us() { # percentile_us P FILE: from h2load's --log-file (third column: microseconds until the response ended)
  awk -F'\t' '{ print $3 }' "$2" | sort -g | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else { k = int(NR * p / 100); if (k < 1) k = 1; print v[k] } }'
}

RESULTS="$OUT/results.tsv"
printf 'round\ttarget\tproto\trps\tcpu\tp50_us\tp99_us\trss_kib\terrors\n' >"$RESULTS"
ticks_per_s="$(getconf CLK_TCK)"
seconds_of() { awk -v d="$1" 'BEGIN { n = d + 0; if (d ~ /m$/) n *= 60; else if (d ~ /h$/) n *= 3600; print n }'; }

# What is measured: every target with every protocol, except direct (the backends speak plain HTTP/1.1 only).
UNITS=()
for proto in "${PROTOCOLS[@]}"; do
  for target in "${TARGETS[@]}"; do
    [ "$target" = direct ] && [ "$proto" != http1 ] && continue
    UNITS+=("$target/$proto")
  done
done

measure() { # measure ROUND TARGET PROTOCOL
  local round="$1" target="$2" proto="$3" base="$OUT/r$1-$2-$3" pid="${PID[$2]:-}" t0 t1 rps cpu="" rss="" p50 p99 errors
  load "$target" "$proto" "$CONNECTIONS" 2s "$base-settle.txt" # refill connection pools after the other targets ran
  [ -z "$pid" ] || t0="$(cpu_ticks "$pid")"
  load "$target" "$proto" "$CONNECTIONS" "$DURATION" "$base-c$CONNECTIONS.txt"
  if [ -n "$pid" ]; then
    t1="$(cpu_ticks "$pid")"
    rss="$(rss_kib "$pid")"
    cpu="$(awk -v a="$t0" -v b="$t1" -v hz="$ticks_per_s" -v d="$(seconds_of "$DURATION")" 'BEGIN { printf "%.3f", (b - a) / hz / d }')"
  fi
  rps="$(rps_of "$base-c$CONNECTIONS.txt")"
  load "$target" "$proto" 1 "$DURATION" "$base-c1.txt" "$base-c1.log"
  if [ "$proto" = h2 ]; then
    p50="$(percentile_us 50 "$base-c1.log")"
    p99="$(percentile_us 99 "$base-c1.log")"
  else
    p50="$(to_us "$(awk '$1 == "50%" { print $2 }' "$base-c1.txt")")"
    p99="$(to_us "$(awk '$1 == "99%" { print $2 }' "$base-c1.txt")")"
  fi
  errors=$(($(errors_of "$base-c$CONNECTIONS.txt") + $(errors_of "$base-c1.txt")))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$proto" "$rps" "${cpu:-nan}" "$p50" "$p99" "${rss:-nan}" "$errors" >>"$RESULTS"
  log "round $round  $(printf '%-8s %-5s' "$target" "$proto") $(printf '%8.0f' "$rps") req/s  cpu ${cpu:--}  p50 ${p50}us  p99 ${p99}us  errors $errors"
}

# .NET compiles hot paths again with full optimisation (tiered PGO) only after enough calls: give both .NET proxies
# the same long warm-up, with each protocol (TLS and HTTP/2 are code paths of their own), before anything is measured.
# nginx, HAProxy and the backends get a short one too.
for unit in "${UNITS[@]}"; do
  target="${unit%/*}" proto="${unit#*/}"
  case "$target" in
    bollard | bollard-* | yarp) warm="$WARMUP" ;;
    *) warm=3s ;;
  esac
  log "warming up $target over $proto ($warm at $CONNECTIONS connections)"
  load "$target" "$proto" "$CONNECTIONS" "$warm" "$OUT/warmup-$target-$proto.txt"
done

# Interleaved rounds, the order rotated each round, so that a noisy neighbour or thermal drift hits every target.
n="${#UNITS[@]}"
for ((round = 1; round <= ROUNDS; round++)); do
  for ((k = 0; k < n; k++)); do
    unit="${UNITS[$(((k + round - 1) % n))]}"
    measure "$round" "${unit%/*}" "${unit#*/}"
  done
done

# --- report -------------------------------------------------------------------------------------------------------
med() { awk -F'\t' -v t="$1" -v p="$2" -v c="$3" 'NR > 1 && $2 == t && $3 == p && $c != "nan" { print $c }' "$RESULTS" | median; }
declare -A RPS CPU P50 P99 RSS ERR
for unit in "${UNITS[@]}"; do
  target="${unit%/*}" proto="${unit#*/}"
  RPS[$unit]="$(med "$target" "$proto" 4)"; CPU[$unit]="$(med "$target" "$proto" 5)"; P50[$unit]="$(med "$target" "$proto" 6)"
  P99[$unit]="$(med "$target" "$proto" 7)"; RSS[$unit]="$(med "$target" "$proto" 8)"
  ERR[$unit]="$(awk -F'\t' -v t="$target" -v p="$proto" 'NR > 1 && $2 == t && $3 == p { e += $9 } END { print e + 0 }' "$RESULTS")"
done
ratio() { awk -v a="$1" -v b="${2:-nan}" 'BEGIN { if (b + 0 == 0 || a == "nan" || b == "nan") print "-"; else printf "%.2fx", a / b }'; }
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { if (v == "nan" || v == "") print "-"; else printf f, v }'; }
pct() { awk -v v="$1" 'BEGIN { if (v == "nan" || v == "") print "-"; else printf "%.0f%%", v * 100 }'; }
mib() { awk -v v="$1" 'BEGIN { if (v == "nan" || v == "") print "-"; else printf "%.0f", v / 1024 }'; }
per_core() { awk -v r="${RPS[$1]:-nan}" -v c="${CPU[$1]:-nan}" 'BEGIN { if (r == "nan" || c == "nan" || c + 0 == 0) print "nan"; else print r / c }'; }

{
  echo
  echo "Balancer benchmark, run $RUN_ID ($(date -u +%Y-%m-%dT%H:%MZ)), $(nproc --all) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); medians of $ROUNDS interleaved rounds of $DURATION"
  echo "wrk / h2load -t1 on core $LOAD_CPU; proxy on core $PROXY_CPU; backends: 2 x $BACKEND_KIND on core $BACKEND_CPU (plain HTTP/1.1); .NET proxies: $(dotnet_env), warm-up $WARMUP per protocol"
  echo "protocols: http1 = plain HTTP/1.1 (wrk); https = HTTP/1.1 over TLS 1.3, keep-alive (wrk); h2 = HTTP/2 over TLS 1.3 by ALPN (h2load, $H2_STREAMS streams per connection)"
  echo
  printf '| %-16s | %-5s | %9s | %6s | %8s | %6s | %14s | %7s | %7s | %8s | %7s | %6s |\n' \
    target proto "req/s@$CONNECTIONS" "xYARP" "xHAProxy" "CPU" "req/s per core" "p50 us" "p99 us" "+p50 us" "RSS MiB" errors
  printf '|%s|\n' "------------------|-------|-----------|--------|----------|--------|----------------|---------|---------|----------|---------|--------"
  for unit in "${UNITS[@]}"; do
    target="${unit%/*}" proto="${unit#*/}"
    added="$(awk -v a="${P50[$unit]}" -v b="${P50[direct/http1]:-nan}" 'BEGIN { if (b == "nan") print "nan"; else print a - b }')"
    printf '| %-16s | %-5s | %9s | %6s | %8s | %6s | %14s | %7s | %7s | %8s | %7s | %6s |\n' "$target" "$proto" \
      "$(fmt "${RPS[$unit]}" '%.0f')" "$(ratio "${RPS[$unit]}" "${RPS[yarp/$proto]:-}")" "$(ratio "${RPS[$unit]}" "${RPS[haproxy/$proto]:-}")" \
      "$(pct "${CPU[$unit]}")" "$(fmt "$(per_core "$unit")" '%.0f')" \
      "$(fmt "${P50[$unit]}" '%.0f')" "$(fmt "${P99[$unit]}" '%.0f')" "$(fmt "$added" '%.0f')" \
      "$(mib "${RSS[$unit]}")" "${ERR[$unit]}"
  done
  echo
  for proto in "${PROTOCOLS[@]}"; do
    if [ -n "${RPS[bollard/$proto]:-}" ] && [ -n "${RPS[yarp/$proto]:-}" ]; then
      echo "$proto: Bollard / plain YARP: throughput $(ratio "${RPS[bollard/$proto]}" "${RPS[yarp/$proto]}") (target >= 1.00x)," \
        "req/s per core $(ratio "$(per_core "bollard/$proto")" "$(per_core "yarp/$proto")")," \
        "p50 $(ratio "${P50[bollard/$proto]}" "${P50[yarp/$proto]}"), p99 $(ratio "${P99[bollard/$proto]}" "${P99[yarp/$proto]}")," \
        "RSS $(ratio "${RSS[bollard/$proto]}" "${RSS[yarp/$proto]}") (target <= 1.5x); / HAProxy: $(ratio "${RPS[bollard/$proto]}" "${RPS[haproxy/$proto]:-}")"
    fi
    for target in "${TARGETS[@]}"; do
      [[ "$target" == bollard-* && -n "${RPS[bollard/$proto]:-}" ]] || continue
      echo "$target $proto (${VARIANT_ENV[$target]:-}${VARIANT_CONFIG[$target]:-}) / bollard: throughput $(ratio "${RPS[$target/$proto]}" "${RPS[bollard/$proto]}")," \
        "CPU $(ratio "${CPU[$target/$proto]}" "${CPU[bollard/$proto]}"), p50 $(ratio "${P50[$target/$proto]}" "${P50[bollard/$proto]}"), p99 $(ratio "${P99[$target/$proto]}" "${P99[bollard/$proto]}")," \
        "RSS $(ratio "${RSS[$target/$proto]}" "${RSS[bollard/$proto]}")"
    done
  done
  echo "CPU: the proxy's share of its core during the $CONNECTIONS-connection run (100% = saturated); req/s per core = req/s / CPU."
  echo "+p50: median latency at 1 connection minus the direct one (plain HTTP/1.1: what the proxy adds; with TLS also the TLS costs). RSS: at the end of the proxy's last load."
  echo "Raw load-generator output and logs: ${OUT#"$BENCH_ROOT"/}"
} | tee "$OUT/table.md"
