#!/usr/bin/env bash
# A long network fuzz run: malformed traffic (random bytes, lengths that lie, cut, mutated and out-of-order
# handshakes, TLS requests followed by garbage, garbage commands and wrong sequence ids after a login, resets) on
# both ports of the proxy binary, in front of a local MariaDB, with health checks during the run. At the end it
# prints what was sent, the errors, the crashes, and the proxy's RSS at the start, at the end and a while after.
# Starts everything it needs on its own ports and stops it all on exit.
#
#   scripts/fuzz.sh --minutes 30
#   scripts/fuzz.sh --minutes 1 --concurrency 16 --settle 60
#
# Options (or environment): --minutes N (FUZZ_MINUTES=5), --concurrency N (FUZZ_CONCURRENCY=32, connections at once),
#   --settle S (FUZZ_SETTLE=60, idle seconds before the last RSS reading), --seed N (FUZZ_SEED: random by default),
#   --skip "CASE,CASE" (FUZZ_SKIP: cases left out, by the names in tests/ProxyLayer.NetFuzz/Fuzzing/NetworkFuzzer.cs,
#   e.g. "garbage commands after login" while a bug it finds is being fixed).
# Ports and state: FUZZ_BACKEND_PORTS="29406 29407 29408" (the topology's three; the proxy uses the first),
#   FUZZ_PROXY_PORT=29533, FUZZ_ADMIN_PORT=29532, FUZZ_DIR=./.fuzz
#
# The run passes when the proxy is still running, every health check passed (a MySqlConnector client reads back a
# canary row written before the run; an admin query answers), no session failed unexpectedly, and the RSS after
# settling is within 20 % of the RSS at start. The exit code is non-zero otherwise.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fuzz_dir="${FUZZ_DIR:-$repo_root/.fuzz}"
backend_ports="${FUZZ_BACKEND_PORTS:-29406 29407 29408}"
proxy_port="${FUZZ_PROXY_PORT:-29533}"
admin_port="${FUZZ_ADMIN_PORT:-29532}"
minutes="${FUZZ_MINUTES:-5}"
concurrency="${FUZZ_CONCURRENCY:-32}"
settle="${FUZZ_SETTLE:-60}"
seed="${FUZZ_SEED:-$RANDOM}"
skip="${FUZZ_SKIP:-}"

proxy_bin="$repo_root/artifacts/bin/ProxyLayer/release/proxylayer"
fuzzer_dll="$repo_root/artifacts/bin/ProxyLayer.NetFuzz/release/proxylayer-netfuzz.dll"
topology_dir="$fuzz_dir/topology"
proxy_dir="$fuzz_dir/proxy"
log_dir="$fuzz_dir/logs"
read -r -a backend_port_list <<<"$backend_ports"
proxy_pid=""

log() { printf '%s fuzz: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*"; }
die() { log "error: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="${2:?--minutes needs a value}"; shift 2 ;;
    --concurrency) concurrency="${2:?--concurrency needs a value}"; shift 2 ;;
    --settle) settle="${2:?--settle needs a value}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a value}"; shift 2 ;;
    --skip) skip="${2:?--skip needs a value}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for number in "$minutes" "$concurrency" "$settle" "$seed"; do
  [[ "$number" =~ ^[0-9]+$ ]] || die "'$number' is not a whole number"
done

topology() {
  PROXYLAYER_TOPOLOGY_PORTS="$backend_ports" PROXYLAYER_TOPOLOGY_DIR="$topology_dir" bash "$repo_root/scripts/topology.sh" "$@"
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$proxy_pid" ] && kill -0 "$proxy_pid" 2>/dev/null; then
    kill "$proxy_pid" 2>/dev/null || true
    wait "$proxy_pid" 2>/dev/null || true
  fi
  topology down >/dev/null 2>&1 || log "warning: 'topology.sh down' failed for $topology_dir"
  exit "$status"
}

# VmRSS of the proxy in MB.
rss_mb() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$proxy_pid/status"; }

proxy_sql() {
  mariadb --no-defaults -h 127.0.0.1 -P "$proxy_port" -u appuser -papppass --batch --skip-column-names -e "$1"
}

# A previous run killed hard may have left its proxy and topology behind.
cleanup_stale() {
  if [ -f "$proxy_dir/proxylayer.pid" ]; then
    local stale
    stale="$(cat "$proxy_dir/proxylayer.pid")"
    if [ "$(cat "/proc/$stale/comm" 2>/dev/null || true)" = proxylayer ]; then
      log "stopping the proxy left by a previous run (pid $stale)"
      kill "$stale" 2>/dev/null || true
    fi
  fi
  if [ -d "$topology_dir" ]; then topology down >/dev/null || true; fi
  rm -rf "$proxy_dir"
}

build() {
  log "building the proxy and the fuzzer (Release)"
  dotnet build "$repo_root/src/ProxyLayer" -c Release -nologo -v quiet >"$log_dir/build.log" 2>&1 \
    && dotnet build "$repo_root/tests/ProxyLayer.NetFuzz" -c Release -nologo -v quiet >>"$log_dir/build.log" 2>&1 \
    || { tail -n 30 "$log_dir/build.log" >&2; die "build failed (see $log_dir/build.log)"; }
}

start_proxy() {
  mkdir -p "$proxy_dir/data"
  cat >"$proxy_dir/proxysql.cnf" <<EOF
# written by scripts/fuzz.sh
datadir="$proxy_dir/data"
admin_variables = { admin_credentials="admin:admin;radmin:radmin" mysql_ifaces="127.0.0.1:$admin_port" }
mysql_variables = { interfaces="127.0.0.1:$proxy_port" monitor_username="monitor" monitor_password="monitor" }
mysql_servers = ( { address="127.0.0.1", port=${backend_port_list[0]}, hostgroup=10 } )
mysql_users = ( { username="appuser", password="apppass", default_hostgroup=10 } )
EOF
  log "starting ProxyLayer on 127.0.0.1:$proxy_port (admin $admin_port)"
  "$proxy_bin" -f -c "$proxy_dir/proxysql.cnf" -D "$proxy_dir/data" </dev/null >"$log_dir/proxy.log" 2>&1 &
  proxy_pid=$!
  echo "$proxy_pid" >"$proxy_dir/proxylayer.pid"
  local waited=0
  until proxy_sql 'SELECT 1' >/dev/null 2>&1; do
    kill -0 "$proxy_pid" 2>/dev/null || { tail -n 20 "$log_dir/proxy.log" >&2; die "the proxy exited while starting"; }
    [ "$waited" -ge 300 ] && die "the proxy does not answer after 30 s (see $log_dir/proxy.log)"
    sleep 0.1; waited=$((waited + 1))
  done
}

mkdir -p "$log_dir"
trap cleanup EXIT INT TERM
cleanup_stale
mkdir -p "$log_dir"
build
log "starting MariaDB on ports $backend_ports (state in $topology_dir)"
topology up | sed 's/^/    /'
start_proxy
rss_start="$(rss_mb)"
log "proxy up (pid $proxy_pid, RSS $rss_start MB); fuzzing for $minutes min with $concurrency connections at once (seed $seed)"

fuzz_status=0
dotnet "$fuzzer_dll" --mysql "127.0.0.1:$proxy_port" --admin "127.0.0.1:$admin_port" --seconds "$((minutes * 60))" \
  --concurrency "$concurrency" --seed "$seed" --check-every 10 --pid "$proxy_pid" --skip "$skip" | tee "$log_dir/fuzzer.log" || fuzz_status=$?

crashed=0
kill -0 "$proxy_pid" 2>/dev/null || crashed=1
rss_end=0
[ "$crashed" -eq 0 ] && rss_end="$(rss_mb)"
if [ "$crashed" -eq 0 ]; then
  log "run over; the proxy is idle for $settle s before the last RSS reading"
  sleep "$settle"
  kill -0 "$proxy_pid" 2>/dev/null || crashed=1
fi
rss_after=0
[ "$crashed" -eq 0 ] && rss_after="$(rss_mb)"
session_crashes="$(grep -c 'failed unexpectedly\|connection handler failed' "$log_dir/proxy.log" || true)"
summary="$(grep 'done:' "$log_dir/fuzzer.log" | tail -n 1 | sed 's/^.*done: //')"
stats="$(timeout 10 mariadb --no-defaults -h 127.0.0.1 -P "$admin_port" -u radmin -pradmin --batch --skip-column-names -e \
  "SELECT Variable_Name, Variable_Value FROM stats_mysql_global WHERE Variable_Name LIKE '%login%' OR Variable_Name LIKE '%handshake%'
     OR Variable_Name LIKE '%out_of_order' OR Variable_Name LIKE 'Client_Connections_%ed'" 2>/dev/null | tr '\t' '=' | tr '\n' ' ' || true)"
within="no (the proxy is gone)"
[ "$crashed" -eq 0 ] && within="$(awk -v s="$rss_start" -v a="$rss_after" 'BEGIN { print (a <= s * 1.2 ? "yes" : "no") }')"

echo
echo "fuzz run: $minutes min, $concurrency connections at once, seed $seed${skip:+, without: $skip}"
echo "sent: ${summary:-the fuzzer printed no summary}"
echo "proxy crashes: $crashed; sessions failed unexpectedly: $session_crashes; fuzzer exit status: $fuzz_status (non-zero: a health check failed)"
echo "proxy counters: $stats"
echo "RSS: start $rss_start MB, end $rss_end MB, after $settle s idle $rss_after MB (within 20 % of start: $within)"
echo "logs: $log_dir"
[ "$crashed" -eq 0 ] && [ "$fuzz_status" -eq 0 ] && [ "$session_crashes" -eq 0 ] && [ "$within" = yes ]
