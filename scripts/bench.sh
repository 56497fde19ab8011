#!/usr/bin/env bash
# Throughput and cost of the proxy: sysbench straight at MariaDB and through ProxyLayer in one run, with the
# proxy's CPU time and memory; or, with --connections, the proxy's memory and backend connections for many
# mostly idle clients. Starts everything it needs (its own topology on its own ports, its own proxy) and
# stops it all on exit.
#
#   scripts/bench.sh                          oltp_point_select and oltp_read_write, 32 threads, 30 s each
#   scripts/bench.sh --time 5 --tests oltp_point_select
#   scripts/bench.sh --connections 200,500,2000
#
# Options (or environment): --time S (BENCH_TIME=30), --threads N (BENCH_THREADS=32),
#   --ps-mode auto|disable (BENCH_PS_MODE=auto), --tests "a b" (BENCH_TESTS="oltp_point_select oltp_read_write"),
#   --warmup S (BENCH_WARMUP=5, per target, not measured), --max-errors N (BENCH_MAX_ERRORS=0),
#   --connections N[,N...] (idle-clients mode), --hold S (BENCH_HOLD=20, seconds each client set stays connected).
# Ports and state: BENCH_BACKEND_PORTS="23406 23407 23408", BENCH_PROXY_PORT=26433, BENCH_ADMIN_PORT=26432,
#   BENCH_DIR=./.bench
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${BENCH_DIR:-$repo_root/.bench}"
backend_ports="${BENCH_BACKEND_PORTS:-23406 23407 23408}"
proxy_port="${BENCH_PROXY_PORT:-26433}"
admin_port="${BENCH_ADMIN_PORT:-26432}"
bench_time="${BENCH_TIME:-30}"
threads="${BENCH_THREADS:-32}"
ps_mode="${BENCH_PS_MODE:-auto}"
tests="${BENCH_TESTS:-oltp_point_select oltp_read_write}"
warmup="${BENCH_WARMUP:-5}"
max_errors="${BENCH_MAX_ERRORS:-0}"
hold="${BENCH_HOLD:-20}"
connection_counts=""

proxy_bin="$repo_root/artifacts/bin/ProxyLayer/release/proxylayer"
topology_dir="$bench_dir/topology"
proxy_dir="$bench_dir/proxy"
log_dir="$bench_dir/logs"
read -r -a backend_port_list <<<"$backend_ports"
backend_port="${backend_port_list[0]}"
clock_ticks="$(getconf CLK_TCK)"
proxy_pid=""
client_pid=""
results=()

log() { printf '%s bench: %s\n' "$(date '+%H:%M:%S')" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }

parse_args() {
  while [ "$#" -gt 0 ]; do
    case "$1" in
      --time) bench_time="${2:?--time needs seconds}"; shift 2 ;;
      --threads) threads="${2:?--threads needs a number}"; shift 2 ;;
      --ps-mode) ps_mode="${2:?--ps-mode needs auto or disable}"; shift 2 ;;
      --tests) tests="${2:?--tests needs test names}"; shift 2 ;;
      --warmup) warmup="${2:?--warmup needs seconds}"; shift 2 ;;
      --max-errors) max_errors="${2:?--max-errors needs a number}"; shift 2 ;;
      --connections) connection_counts="${2:?--connections needs N[,N...]}"; shift 2 ;;
      --hold) hold="${2:?--hold needs seconds}"; shift 2 ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown option '$1' (see --help)" ;;
    esac
  done
  local number
  for number in "$bench_time" "$threads" "$warmup" "$max_errors" "$hold" ${connection_counts//,/ }; do
    [[ "$number" =~ ^[0-9]+$ ]] || die "'$number' is not a whole number"
  done
  case "$ps_mode" in auto|disable) ;; *) die "--ps-mode must be auto or disable, not '$ps_mode'" ;; esac
}

# ---- lifecycle -----------------------------------------------------------------------------------

topology() {
  PROXYLAYER_TOPOLOGY_PORTS="$backend_ports" PROXYLAYER_TOPOLOGY_DIR="$topology_dir" \
    bash "$repo_root/scripts/topology.sh" "$@"
}

stop_pid() {
  local pid="$1" name="$2" waited=0
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 100 ]; then log "$name (pid $pid) did not stop in 10 s, killing"; kill -KILL "$pid" 2>/dev/null || true; fi
    sleep 0.1; waited=$((waited + 1))
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$client_pid" "sysbench"
  if [ -n "$proxy_pid" ]; then
    stop_pid "$proxy_pid" "proxy"
    log "proxy stopped"
  fi
  rm -f "$proxy_dir/proxylayer.pid"
  topology down >/dev/null 2>&1 || log "warning: 'topology.sh down' failed for $topology_dir"
  log "cleaned up"
  exit "$status"
}

# A previous run killed hard may have left its proxy (recorded pid) and topology behind.
cleanup_stale() {
  local stale_pid
  if [ -s "$proxy_dir/proxylayer.pid" ]; then
    stale_pid="$(cat "$proxy_dir/proxylayer.pid")"
    if [ "$(cat "/proc/$stale_pid/comm" 2>/dev/null || true)" = proxylayer ]; then
      log "stopping the proxy left by a previous run (pid $stale_pid)"
      stop_pid "$stale_pid" "stale proxy"
    fi
  fi
  if [ -d "$topology_dir" ]; then topology down >/dev/null; fi
  rm -rf "$proxy_dir"
}

build_proxy() {
  log "building the proxy (Release)"
  dotnet build "$repo_root/src/ProxyLayer" -c Release -nologo -v quiet >"$log_dir/build.log" 2>&1 \
    || { tail -n 30 "$log_dir/build.log" >&2; die "build failed (see $log_dir/build.log)"; }
  [ -x "$proxy_bin" ] || die "build produced no $proxy_bin"
}

backend_sql() {
  mariadb --no-defaults -h 127.0.0.1 -P "$1" -u rigadmin -prigadmin --batch --skip-column-names -e "$2"
}

start_backend() {
  log "starting MariaDB on ports $backend_ports (state in $topology_dir)"
  topology up | sed 's/^/    /'
  # Two cores are shared by the backend, the proxy and sysbench: replicas applying the write load would
  # only add noise, so they stop replicating; the benchmark talks to the primary alone.
  local port
  for port in "${backend_port_list[@]:1}"; do backend_sql "$port" 'STOP SLAVE' >/dev/null; done
  # More room than the topology's 300 so that the proxy, not the backend, is what a connection test measures.
  backend_sql "$backend_port" 'SET GLOBAL max_connections = 2500'
}

write_proxy_config() {
  mkdir -p "$proxy_dir/data"
  cat >"$proxy_dir/proxysql.cnf" <<EOF
# written by scripts/bench.sh
datadir="$proxy_dir/data"
admin_variables = { admin_credentials="admin:admin" mysql_ifaces="127.0.0.1:$admin_port" }
mysql_variables = { interfaces="127.0.0.1:$proxy_port" }
mysql_servers = ( { address="127.0.0.1", port=$backend_port, hostgroup=10 } )
mysql_users = ( { username="appuser", password="apppass", default_hostgroup=10 } )
EOF
}

proxy_sql() {
  mariadb --no-defaults -h 127.0.0.1 -P "$proxy_port" -u appuser -papppass --batch --skip-column-names -e "$1"
}

start_proxy() {
  write_proxy_config
  log "starting the proxy on 127.0.0.1:$proxy_port (admin $admin_port)"
  "$proxy_bin" -f -c "$proxy_dir/proxysql.cnf" -D "$proxy_dir/data" </dev/null >"$log_dir/proxy.log" 2>&1 &
  proxy_pid=$!
  echo "$proxy_pid" >"$proxy_dir/proxylayer.pid"
  local waited=0
  until proxy_sql 'SELECT 1' >/dev/null 2>&1; do
    if ! kill -0 "$proxy_pid" 2>/dev/null; then
      tail -n 20 "$log_dir/proxy.log" >&2; die "the proxy exited while starting (see $log_dir/proxy.log)"
    fi
    [ "$waited" -ge 300 ] && { tail -n 20 "$log_dir/proxy.log" >&2; die "the proxy does not answer after 30 s"; }
    sleep 0.1; waited=$((waited + 1))
  done
  log "proxy up (pid $proxy_pid)"
}

# ---- measurements --------------------------------------------------------------------------------

# utime + stime of a process, in clock ticks. The command name (field 2) may hold spaces, so fields are
# counted from the ')' that closes it: state is then field 1, utime field 12 and stime field 13.
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# A field of /proc/PID/status in MB (VmRSS, VmHWM).
status_mb() { awk -v key="$2:" '$1 == key { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

sysbench_target_args() {
  case "$1" in
    direct) echo "--mysql-port=$backend_port" ;;
    proxy) echo "--mysql-port=$proxy_port" ;;
  esac
}

sysbench_common=()
init_sysbench_args() {
  sysbench_common=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-user=appuser --mysql-password=apppass
    --mysql-db=testdb --tables=4 --table-size=10000)
}

prepare_tables() {
  log "preparing sysbench tables (4 x 10000 rows in testdb)"
  sysbench oltp_read_write "${sysbench_common[@]}" "$(sysbench_target_args direct)" --threads=4 prepare \
    >"$log_dir/prepare.log" 2>&1 || { tail -n 20 "$log_dir/prepare.log" >&2; die "sysbench prepare failed"; }
}

warm_up() {
  [ "$warmup" -gt 0 ] || return 0
  local target
  for target in direct proxy; do
    log "warm-up: oltp_read_write $target for ${warmup} s (not measured)"
    sysbench oltp_read_write "${sysbench_common[@]}" "$(sysbench_target_args "$target")" --threads="$threads" \
      --time="$warmup" --db-ps-mode="$ps_mode" run >"$log_dir/warmup-$target.log" 2>&1 \
      || log "warning: warm-up against $target failed (see $log_dir/warmup-$target.log)"
  done
}

# Pulls "queries qps p95 errors" out of a sysbench report.
parse_report() {
  awk '
    /^ *queries:/ { queries = $2; qps = $3; gsub(/[()]/, "", qps) }
    /^ *ignored errors:/ { errors = $3 }
    /^ *95th percentile:/ { p95 = $3 }
    END { printf "%s %s %s %s\n", queries + 0, qps + 0, p95 + 0, errors + 0 }' "$1"
}

failures=0
peak_rss=0

# Keeps the largest VmRSS seen; VmHWM is reported too, but the kernel updates it lazily.
note_rss() { peak_rss="$(awk -v a="$peak_rss" -v b="$1" 'BEGIN { print (b > a ? b : a) }')"; }

peak_rss_line() {
  echo "proxy peak RSS: $peak_rss MB sampled (VmHWM $(status_mb "$proxy_pid" VmHWM) MB); logs in $log_dir"
}

# Runs one sysbench test against one target and appends a row to results:
# "test target qps p95 errors cpu_per_1k_queries cores rss_mb".
run_one() {
  local test="$1" target="$2" report="$log_dir/$1-$2.log" status=0
  log "$test $target: $threads threads, ${bench_time} s, ps-mode $ps_mode"
  local cpu_before; cpu_before="$(cpu_ticks "$proxy_pid")"
  sysbench "$test" "${sysbench_common[@]}" "$(sysbench_target_args "$target")" --threads="$threads" --time="$bench_time" \
    --db-ps-mode="$ps_mode" --percentile=95 --report-interval=0 run >"$report" 2>&1 || status=$?
  local cpu_after rss; cpu_after="$(cpu_ticks "$proxy_pid")"; rss="$(status_mb "$proxy_pid" VmRSS)"
  local queries qps p95 errors; read -r queries qps p95 errors < <(parse_report "$report")
  if [ "$status" -ne 0 ]; then
    grep -m 5 -E 'FATAL|ERROR|error' "$report" | sed 's/^/    /' >&2 || true
    log "$test $target: sysbench failed (exit $status, see $report)"
    errors="fatal"; failures=$((failures + 1))
  elif [ "$errors" -gt "$max_errors" ]; then
    log "$test $target: $errors errors reported by sysbench (allowed: $max_errors)"
    failures=$((failures + 1))
  fi
  local cpu_s cpu_per_1k cores
  cpu_s="$(awk -v d="$((cpu_after - cpu_before))" -v hz="$clock_ticks" 'BEGIN { printf "%.2f", d / hz }')"
  cpu_per_1k="$(awk -v c="$cpu_s" -v q="$queries" 'BEGIN { if (q > 0) printf "%.4f", c * 1000 / q; else print "-" }')"
  cores="$(awk -v c="$cpu_s" -v t="$bench_time" 'BEGIN { printf "%.2f", c / t }')"
  if [ "$target" = direct ]; then
    cpu_per_1k="-"; cores="-"; rss="-"
    log "$test $target: $qps qps, p95 $p95 ms, errors $errors"
  else
    note_rss "$rss"
    log "$test $target: $qps qps, p95 $p95 ms, errors $errors, proxy cpu ${cpu_s} s, rss $rss MB"
  fi
  results+=("$test $target $qps $p95 $errors $cpu_per_1k $cores $rss")
}

print_results() {
  local line="-------------------------------------------------------------------------------------------------"
  echo
  echo "Results: $threads threads, ${bench_time} s per run, --db-ps-mode=$ps_mode, 4 tables x 10000 rows, $(nproc) cores"
  echo "$line"
  printf '%-18s %-7s %10s %9s %7s %15s %12s %11s\n' TEST TARGET QPS P95_MS ERRORS PROXY_CPU_S/1KQ PROXY_CORES PROXY_RSS_MB
  echo "$line"
  local row test target qps p95 errors cpu cores rss
  for row in "${results[@]}"; do
    read -r test target qps p95 errors cpu cores rss <<<"$row"
    printf '%-18s %-7s %10s %9s %7s %15s %12s %11s\n' "$test" "$target" "$qps" "$p95" "$errors" "$cpu" "$cores" "$rss"
  done
  echo "$line"
  local name direct proxy
  for name in $tests; do
    direct="$(printf '%s\n' "${results[@]}" | awk -v t="$name" '$1 == t && $2 == "direct"')"
    proxy="$(printf '%s\n' "${results[@]}" | awk -v t="$name" '$1 == t && $2 == "proxy"')"
    [ -n "$direct" ] && [ -n "$proxy" ] || continue
    awk -v t="$name" -v d="$direct" -v p="$proxy" 'BEGIN {
      split(d, a, " "); split(p, b, " ")
      qps = a[3] > 0 ? sprintf("%.3f", b[3] / a[3]) : "-"
      p95 = a[4] > 0 ? sprintf("%.3f", b[4] / a[4]) : "-"
      printf "%-18s proxy/direct: QPS x %s, p95 x %s\n", t, qps, p95 }'
  done
  echo "$line"
  peak_rss_line
}

run_throughput() {
  init_sysbench_args
  prepare_tables
  warm_up
  local test
  for test in $tests; do
    run_one "$test" direct
    run_one "$test" proxy
  done
  print_results
}

# ---- many idle clients ---------------------------------------------------------------------------

write_idle_client_script() {
  cat >"$bench_dir/idle_client.lua" <<'EOF'
-- written by scripts/bench.sh: every sysbench thread holds one connection and runs SELECT 1 once a second.
local ffi = require("ffi")
ffi.cdef[[int usleep(unsigned int usec);]]

function thread_init()
  drv = sysbench.sql.driver()
  con = drv:connect()
end

function event()
  con:query("SELECT 1")
  ffi.C.usleep(1000000)
end

function thread_done()
  con:disconnect()
end
EOF
}

established_to_proxy() { ss -Htn state established "( sport = :$proxy_port )" | wc -l; }

backend_connections() {
  backend_sql "$backend_port" "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'appuser'"
}

connection_results=()

run_idle_clients() {
  local count="$1" report="$log_dir/connections-$1.log" waited=0 status=0
  log "connections: $count clients running SELECT 1 once a second for ${hold} s"
  sysbench "$bench_dir/idle_client.lua" --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$proxy_port" \
    --mysql-user=appuser --mysql-password=apppass --mysql-db=testdb --threads="$count" --time="$hold" \
    --report-interval=0 run >"$report" 2>&1 &
  client_pid=$!
  until [ "$(established_to_proxy)" -ge "$count" ]; do
    kill -0 "$client_pid" 2>/dev/null || break
    [ "$waited" -ge $((hold * 10)) ] && break
    sleep 0.1; waited=$((waited + 1))
  done
  local connected; connected="$(established_to_proxy)"
  # a few seconds of the once-a-second queries, so pools and buffers reach their steady size
  sleep "$(( hold > 10 ? 5 : 1 ))"
  local rss backends; rss="$(status_mb "$proxy_pid" VmRSS)"; backends="$(backend_connections)"
  note_rss "$rss"
  wait "$client_pid" || status=$?
  client_pid=""
  local queries errors; read -r queries _ _ errors < <(parse_report "$report")
  if [ "$status" -ne 0 ]; then
    grep -m 5 -E 'FATAL|ERROR|error' "$report" | sed 's/^/    /' >&2 || true
    log "connections $count: sysbench failed (exit $status, see $report)"
    errors="fatal"; failures=$((failures + 1))
  fi
  log "connections $count: $connected connected, proxy RSS $rss MB, $backends backend connections"
  connection_results+=("$count $connected $rss $backends $queries $errors")
}

run_connections() {
  write_idle_client_script
  local count
  for count in ${connection_counts//,/ }; do run_idle_clients "$count"; sleep 2; done
  local line="----------------------------------------------------------------------------------"
  echo
  echo "Idle clients through the proxy (SELECT 1 once a second each), measured after all connected"
  echo "$line"
  printf '%8s %10s %13s %20s %9s %7s\n' CLIENTS CONNECTED PROXY_RSS_MB BACKEND_CONNECTIONS QUERIES ERRORS
  echo "$line"
  local row
  for row in "${connection_results[@]}"; do
    # shellcheck disable=SC2086 # one row, split on purpose
    printf '%8s %10s %13s %20s %9s %7s\n' $row
  done
  echo "$line"
  peak_rss_line
}

main() {
  parse_args "$@"
  bash "$repo_root/scripts/setup.sh" | sed 's/^/    /'
  mkdir -p "$bench_dir"
  cleanup_stale
  rm -rf "$log_dir"; mkdir -p "$log_dir" "$proxy_dir"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  build_proxy
  start_backend
  start_proxy
  if [ -n "$connection_counts" ]; then run_connections; else run_throughput; fi
  if [ "$failures" -gt 0 ]; then die "$failures run(s) reported errors"; fi
  log "done"
}

main "$@"
