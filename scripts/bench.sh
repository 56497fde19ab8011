#!/usr/bin/env bash
# Throughput and cost of the proxy: sysbench straight at MariaDB and through ProxyLayer in one run, with the
# proxy's CPU time and memory; optionally ProxySQL and HAProxy beside it, on the same backends in the same run;
# or, with --connections, the proxy's memory and backend connections for many mostly idle clients. Starts
# everything it needs (its own topology on its own ports, its own proxies) and stops it all on exit.
#
#   scripts/bench.sh                          oltp_point_select and oltp_read_write, 32 threads, 30 s each
#   scripts/bench.sh --time 5 --tests oltp_point_select
#   scripts/bench.sh --matrix --repeat 3 --proxysql /tmp/proxysql --haproxy    the CPU-per-statement matrix
#   scripts/bench.sh --connections 200,500,2000
#   scripts/bench.sh --memory                 idle RSS, then a burst, then whether RSS comes back within a minute
#   scripts/bench.sh --metrics-overhead --repeat 5   ProxyLayer with the REST API on and scraped every second vs off
#
# Options (or environment): --time S (BENCH_TIME=30), --threads N (BENCH_THREADS=32),
#   --ps-mode auto|disable (BENCH_PS_MODE=auto), --tests "a b" (BENCH_TESTS="oltp_point_select oltp_read_write"),
#   --warmup S (BENCH_WARMUP=5, per target and ps-mode, not measured), --max-errors N (BENCH_MAX_ERRORS=0),
#   --repeat N (BENCH_REPEAT=1): every cell runs N times, the targets interleaved, and the table shows medians,
#   --matrix: the cells oltp_point_select x {8, 32 threads} x {auto, disable} and oltp_read_write 32 threads auto
#     (instead of --tests/--threads/--ps-mode),
#   --proxysql PATH: also measure the ProxySQL binary at PATH (not installed by this script),
#   (every throughput table also shows DB_S/1K, the three MariaDB servers' CPU seconds per 1000 statements while
#   that target ran: on a machine shared by all, what a proxy's traffic costs the servers decides QPS too),
#   --haproxy: also measure HAProxy as a plain TCP forward (Debian's haproxy, installed if missing),
#   --connections N[,N...] (idle-clients mode, ProxyLayer only), --hold S (BENCH_HOLD=20, seconds each client
#     set stays connected), --silent-clients: each client runs one SELECT 1 after logging in and then only waits
#     (truly idle sessions, for the memory one costs); KB_PER_CLIENT is RSS above the proxy's idle RSS before the
#     clients, per client.
#   --memory: idle RSS at start, a burst (--time seconds of 20 MB results and 1 MB statements from 16 clients,
#     beside --burst-clients N (BENCH_BURST_CLIENTS=2000) clients running SELECT 1 once a second), then RSS every
#     10 s for a minute; fails if RSS a minute after the burst is more than 20 % above its idle start. With
#     --proxysql, ProxySQL goes through the same burst after ProxyLayer.
#   --aot: measure the Native AOT build of ProxyLayer (scripts/publish.sh) instead of the JIT build.
#   --metrics-overhead: two ProxyLayer processes with the same configuration, one plain, one with the REST API on
#     (admin-restapi_enabled) and GET /metrics fetched by curl every second for the whole run; --tests defaults to
#     oltp_point_select, the two are interleaved run by run (use --repeat), and the table shows both and their ratio.
#     Ports: BENCH_METRICS_PROXY_PORT=26463, BENCH_METRICS_ADMIN_PORT=26462, BENCH_METRICS_REST_PORT=26470.
#   --ryw-cost: also measure a second ProxyLayer with mysql-read_your_writes=true (ports BENCH_RYW_PORT=26435,
#     admin BENCH_RYW_ADMIN_PORT=26434), interleaved with the first, and print its CPU/1k against the first's; the
#     replicas keep replicating (the feature's cost is wanted "when replicas keep up"). The two ProxyLayers swap
#     places in every other repetition, so neither always runs right after the direct run. BENCH_RYW_VARIABLES
#     (default read_your_writes=true) sets the second one's variables: read_your_writes=false is an A/A control.
# BENCH_PROXYLAYER_VARIABLES='name=value ...': more mysql_variables for ProxyLayer only (e.g. read_your_writes=true).
# BENCH_PROXYLAYER_ENV="NAME=VALUE ...": environment for the ProxyLayer process only (e.g. runtime knobs such as
#   DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1), to measure their effect against the same ProxySQL.
# oltp_read_write at 32 threads may hit a few InnoDB deadlocks (sysbench's "ignored errors") on any target; allow
#   them with --max-errors N.
# Ports and state: BENCH_BACKEND_PORTS="23406 23407 23408", BENCH_PROXY_PORT=26433, BENCH_ADMIN_PORT=26432,
#   BENCH_PROXYSQL_PORT=26443, BENCH_PROXYSQL_ADMIN_PORT=26442, BENCH_PROXYSQL_THREADS=4,
#   BENCH_HAPROXY_PORTS="26453 26454" (reads, writes), BENCH_DIR=./.bench
# BENCH_SERVER_ARGS: the servers' InnoDB sizes (default --innodb-buffer-pool-size=256M --innodb-log-file-size=512M).
#   The topology's own defaults (16 MB pool, 8 MB redo log) suit tests; under oltp_read_write at 32 threads their
#   redo log fills every few seconds and every target, direct too, stalls for seconds at each checkpoint.
#
# Both proxies get the same configuration, the seed's read/write split: db001 (the primary) in writer hostgroup
# 10, db001-db003 in reader hostgroup 20, rules '^SELECT.*FOR UPDATE$' -> 10 and '^SELECT' -> 20, user appuser
# with default_hostgroup 10, replication hostgroups 10/20, and ProxySQL's default monitor settings (user monitor,
# connect 120 s, ping 8 s, read_only 1 s). appuser keeps transaction_persistent at its default, 1: ProxyLayer
# always keeps a transaction on its connection, and with 1 ProxySQL does the same, so both route alike.
# ProxySQL runs with its defaults otherwise: mysql-threads=4 (its default; 2, the core count here, measured within
# 10 % of it; BENCH_PROXYSQL_THREADS changes it), multiplexing, query digests and commands_stats on.
# HAProxy (mode tcp, its default nbthread = cores) forwards a read port round-robin per connection to
# db001-db003 and a write port to db001; read-only tests (oltp_point_select, oltp_read_only, select_random_*)
# use the read port, the others the write port.
# Direct runs go to db001. The replicas are in sync when the tables are prepared, then stop replicating, so
# the write load does not add noise on the shared cores.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${BENCH_DIR:-$repo_root/.bench}"
backend_ports="${BENCH_BACKEND_PORTS:-23406 23407 23408}"
proxy_port="${BENCH_PROXY_PORT:-26433}"
admin_port="${BENCH_ADMIN_PORT:-26432}"
proxysql_port="${BENCH_PROXYSQL_PORT:-26443}"
proxysql_admin_port="${BENCH_PROXYSQL_ADMIN_PORT:-26442}"
proxysql_threads="${BENCH_PROXYSQL_THREADS:-4}"
read -r -a proxylayer_env <<<"${BENCH_PROXYLAYER_ENV:-}"
read -r haproxy_read_port haproxy_write_port <<<"${BENCH_HAPROXY_PORTS:-26453 26454}"
bench_time="${BENCH_TIME:-30}"
threads="${BENCH_THREADS:-32}"
ps_mode="${BENCH_PS_MODE:-auto}"
tests="${BENCH_TESTS:-oltp_point_select oltp_read_write}"
warmup="${BENCH_WARMUP:-5}"
max_errors="${BENCH_MAX_ERRORS:-0}"
repeat="${BENCH_REPEAT:-1}"
hold="${BENCH_HOLD:-20}"
silent_clients=0
connection_counts=""
memory_mode=0
aot=0
burst_clients="${BENCH_BURST_CLIENTS:-2000}"
proxysql_bin=""
with_haproxy=0
matrix=0
metrics_overhead=0
tests_given=0
metrics_proxy_port="${BENCH_METRICS_PROXY_PORT:-26463}"
metrics_admin_port="${BENCH_METRICS_ADMIN_PORT:-26462}"
metrics_rest_port="${BENCH_METRICS_REST_PORT:-26470}"
scraper_pid=""

proxy_bin="$repo_root/artifacts/bin/ProxyLayer/release/proxylayer"
topology_dir="$bench_dir/topology"
proxy_dir="$bench_dir/proxy"
metrics_proxy_dir="$bench_dir/proxy-metrics"
ryw_port="${BENCH_RYW_PORT:-26435}"
ryw_admin_port="${BENCH_RYW_ADMIN_PORT:-26434}"
ryw_cost=0
ryw_variables="${BENCH_RYW_VARIABLES:-read_your_writes=true}"
proxysql_dir="$bench_dir/proxysql"
haproxy_dir="$bench_dir/haproxy"
log_dir="$bench_dir/logs"
read -r -a backend_port_list <<<"$backend_ports"
backend_port="${backend_port_list[0]}"
clock_ticks="$(getconf CLK_TCK)"
client_pid=""
targets=(direct proxylayer)
declare -A target_pid=()
cells=()
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
      --tests) tests="${2:?--tests needs test names}"; tests_given=1; shift 2 ;;
      --warmup) warmup="${2:?--warmup needs seconds}"; shift 2 ;;
      --max-errors) max_errors="${2:?--max-errors needs a number}"; shift 2 ;;
      --repeat) repeat="${2:?--repeat needs a number}"; shift 2 ;;
      --matrix) matrix=1; shift ;;
      --proxysql) proxysql_bin="${2:?--proxysql needs the path of a proxysql binary}"; shift 2 ;;
      --haproxy) with_haproxy=1; shift ;;
      --connections) connection_counts="${2:?--connections needs N[,N...]}"; shift 2 ;;
      --hold) hold="${2:?--hold needs seconds}"; shift 2 ;;
      --silent-clients) silent_clients=1; shift ;;
      --memory) memory_mode=1; shift ;;
      --aot) aot=1; shift ;;
      --metrics-overhead) metrics_overhead=1; shift ;;
      --ryw-cost) ryw_cost=1; shift ;;
      --burst-clients) burst_clients="${2:?--burst-clients needs a number}"; shift 2 ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown option '$1' (see --help)" ;;
    esac
  done
  local number
  for number in "$bench_time" "$threads" "$warmup" "$max_errors" "$repeat" "$hold" "$proxysql_threads" "$burst_clients" \
    ${connection_counts//,/ }; do
    [[ "$number" =~ ^[0-9]+$ ]] || die "'$number' is not a whole number"
  done
  [ "$repeat" -ge 1 ] || die "--repeat must be at least 1"
  case "$ps_mode" in auto|disable) ;; *) die "--ps-mode must be auto or disable, not '$ps_mode'" ;; esac
  if [ -n "$proxysql_bin" ]; then
    [ -x "$proxysql_bin" ] || die "--proxysql: '$proxysql_bin' is not an executable file"
    proxysql_bin="$(cd "$(dirname "$proxysql_bin")" && pwd)/$(basename "$proxysql_bin")"
    targets+=(proxysql)
  fi
  [ "$with_haproxy" -eq 1 ] && targets+=(haproxy)
  [ "$ryw_cost" -eq 1 ] && targets+=(proxylayer_ryw)
  if [ -n "$connection_counts" ] && { [ "${#targets[@]}" -gt 2 ] || [ "$matrix" -eq 1 ]; }; then
    die "--connections measures ProxyLayer alone; it does not combine with --proxysql, --haproxy or --matrix"
  fi
  if [ "$memory_mode" -eq 1 ] && { [ -n "$connection_counts" ] || [ "$with_haproxy" -eq 1 ] || [ "$matrix" -eq 1 ]; }; then
    die "--memory does not combine with --connections, --haproxy or --matrix"
  fi
  if [ "$metrics_overhead" -eq 1 ]; then
    if [ -n "$connection_counts" ] || [ "$memory_mode" -eq 1 ] || [ -n "$proxysql_bin" ] || [ "$with_haproxy" -eq 1 ]; then
      die "--metrics-overhead compares ProxyLayer with itself; it does not combine with --connections, --memory, --proxysql or --haproxy"
    fi
    # The two ProxyLayer configurations only: a direct run would add time and say nothing about the metrics.
    targets=(proxylayer proxylayer_metrics)
    [ "$tests_given" -eq 1 ] || tests=oltp_point_select
  fi
}

# The cells to measure, each "test threads ps-mode".
plan_cells() {
  if [ "$matrix" -eq 1 ]; then
    cells=("oltp_point_select 8 auto" "oltp_point_select 8 disable" "oltp_point_select 32 auto"
      "oltp_point_select 32 disable" "oltp_read_write 32 auto")
  else
    local test
    for test in $tests; do cells+=("$test $threads $ps_mode"); done
  fi
}

# ---- lifecycle -----------------------------------------------------------------------------------

topology() {
  PROXYLAYER_TOPOLOGY_PORTS="$backend_ports" PROXYLAYER_TOPOLOGY_DIR="$topology_dir" \
    PROXYLAYER_TOPOLOGY_SERVER_ARGS="${BENCH_SERVER_ARGS:---innodb-buffer-pool-size=256M --innodb-log-file-size=512M}" bash "$repo_root/scripts/topology.sh" "$@"
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
  local status=$? target
  trap - EXIT INT TERM
  stop_pid "$client_pid" "sysbench"
  stop_pid "$scraper_pid" "metrics scraper"
  for target in "${!target_pid[@]}"; do
    stop_pid "${target_pid[$target]}" "$target"
    log "$target stopped"
  done
  rm -f "$proxy_dir/proxylayer.pid" "$metrics_proxy_dir/proxylayer.pid" "$proxy_dir-proxylayer_ryw/proxylayer.pid" "$proxysql_dir/proxysql.pid" "$haproxy_dir/haproxy.pid"
  topology down >/dev/null 2>&1 || log "warning: 'topology.sh down' failed for $topology_dir"
  log "cleaned up"
  exit "$status"
}

# Stops the process whose pid is recorded in $1 if it is still the program $2.
stop_recorded() {
  local stale_pid
  [ -s "$1" ] || return 0
  stale_pid="$(cat "$1")"
  if [ "$(cat "/proc/$stale_pid/comm" 2>/dev/null || true)" = "$2" ]; then
    log "stopping the $2 left by a previous run (pid $stale_pid)"
    stop_pid "$stale_pid" "stale $2"
  fi
}

# A previous run killed hard may have left its proxies (recorded pids) and topology behind.
cleanup_stale() {
  stop_recorded "$proxy_dir/proxylayer.pid" proxylayer
  stop_recorded "$metrics_proxy_dir/proxylayer.pid" proxylayer
  stop_recorded "$proxy_dir-proxylayer_ryw/proxylayer.pid" proxylayer
  stop_recorded "$proxysql_dir/proxysql.pid" proxysql
  stop_recorded "$haproxy_dir/haproxy.pid" haproxy
  if [ -d "$topology_dir" ]; then topology down >/dev/null; fi
  rm -rf "$proxy_dir" "$metrics_proxy_dir" "$proxy_dir-proxylayer_ryw" "$proxysql_dir" "$haproxy_dir"
}

build_proxy() {
  if [ "$aot" -eq 1 ]; then
    proxy_bin="$repo_root/artifacts/aot/proxylayer"
    bash "$repo_root/scripts/publish.sh" >"$log_dir/build.log" 2>&1 \
      || { tail -n 30 "$log_dir/build.log" >&2; die "Native AOT build failed (see $log_dir/build.log)"; }
    log "proxy: the Native AOT build ($proxy_bin)"
    return
  fi
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
  # More room than the topology's 300 so that the proxy, not the backend, is what a connection test measures.
  local port
  for port in "${backend_port_list[@]}"; do backend_sql "$port" 'SET GLOBAL max_connections = 2500'; done
}

# Two cores are shared by the backends, the proxies and sysbench: replicas applying the write load would only
# add noise, so once they have what was prepared they stop replicating.
freeze_replicas() {
  local position port
  position="$(backend_sql "$backend_port" 'SELECT @@global.gtid_binlog_pos')"
  for port in "${backend_port_list[@]:1}"; do
    [ "$(backend_sql "$port" "SELECT MASTER_GTID_WAIT('$position', 60)")" = 0 ] \
      || die "the replica on port $port did not catch up with the primary ($position) in 60 s"
    backend_sql "$port" 'STOP SLAVE' >/dev/null
  done
}

# Waits until a proxy answers appuser's SELECT 1 on port $1; $2 names it, $3 is its pid, $4 its log.
wait_until_serving() {
  local port="$1" name="$2" pid="$3" log_file="$4" waited=0
  until target_sql "$port" 'SELECT 1' >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$log_file" >&2; die "$name exited while starting (see $log_file)"
    fi
    [ "$waited" -ge 300 ] && { tail -n 20 "$log_file" >&2; die "$name does not answer after 30 s (see $log_file)"; }
    sleep 0.1; waited=$((waited + 1))
  done
  log "$name up on 127.0.0.1:$port (pid $pid)"
}

target_sql() {
  mariadb --no-defaults -h 127.0.0.1 -P "$1" -u appuser -papppass --batch --skip-column-names -e "$2"
}

# The proxysql.cnf sections both proxies share: backends, user, rules and monitor settings.
shared_proxy_config() {
  local port
  echo "mysql_servers = ( { address=\"127.0.0.1\", port=$backend_port, hostgroup=10 }"
  for port in "${backend_port_list[@]}"; do echo "  , { address=\"127.0.0.1\", port=$port, hostgroup=20 }"; done
  cat <<EOF
)
mysql_users = ( { username="appuser", password="apppass", default_hostgroup=10 } )
mysql_query_rules = ( { rule_id=1, active=1, match_pattern="^SELECT.*FOR UPDATE\$", destination_hostgroup=10, apply=1 },
                      { rule_id=2, active=1, match_pattern="^SELECT", destination_hostgroup=20, apply=1 } )
mysql_replication_hostgroups = ( { writer_hostgroup=10, reader_hostgroup=20, check_type="read_only", comment="bench" } )
EOF
}

monitor_variables='monitor_username="monitor" monitor_password="monitor" monitor_connect_interval=120000
                    monitor_ping_interval=8000 monitor_read_only_interval=1000'

# Starts the ProxyLayer every mode measures.
start_proxylayer() {
  start_proxylayer_instance proxylayer "$proxy_dir" "$proxy_port" "$admin_port" "" proxy.log
}

# One ProxyLayer process: target name $1, directory $2, MySQL port $3, admin port $4, more admin variables $5, log $6,
# more mysql variables $7.
start_proxylayer_instance() {
  local target="$1" dir="$2" port="$3" admin="$4" more_admin="$5" log_name="$6" more_mysql="${7:-}"
  mkdir -p "$dir/data"
  {
    echo "# written by scripts/bench.sh"
    echo "datadir=\"$dir/data\""
    echo "admin_variables = { admin_credentials=\"admin:admin\" mysql_ifaces=\"127.0.0.1:$admin\" $more_admin }"
    echo "mysql_variables = { interfaces=\"127.0.0.1:$port\" $monitor_variables ${BENCH_PROXYLAYER_VARIABLES:-} $more_mysql }"
    shared_proxy_config
  } >"$dir/proxysql.cnf"
  log "starting ProxyLayer ($target) on 127.0.0.1:$port (admin $admin)${more_admin:+ with $more_admin}${more_mysql:+ with $more_mysql}${proxylayer_env[*]:+ with ${proxylayer_env[*]}}"
  env ${proxylayer_env[@]+"${proxylayer_env[@]}"} "$proxy_bin" -f -c "$dir/proxysql.cnf" -D "$dir/data" </dev/null >"$log_dir/$log_name" 2>&1 &
  target_pid[$target]=$!
  echo "${target_pid[$target]}" >"$dir/proxylayer.pid"
  wait_until_serving "$port" "ProxyLayer ($target)" "${target_pid[$target]}" "$log_dir/$log_name"
}

# The second ProxyLayer of --metrics-overhead, with the REST API on, and a scraper fetching GET /metrics every
# second (as Prometheus would, at a short interval) until the bench ends; each fetch's status goes to a log.
start_metrics_proxylayer() {
  start_proxylayer_instance proxylayer_metrics "$metrics_proxy_dir" "$metrics_proxy_port" "$metrics_admin_port" \
    "restapi_enabled=\"true\" restapi_port=$metrics_rest_port" proxy-metrics.log
  local url="http://127.0.0.1:$metrics_rest_port/metrics"
  curl -sf -o /dev/null "$url" || die "ProxyLayer (proxylayer_metrics) does not serve $url (see $log_dir/proxy-metrics.log)"
  ( while sleep 1; do curl -s -o /dev/null -w '%{http_code} %{size_download}\n' --max-time 5 "$url" || echo "000 0"; done ) \
    >"$log_dir/scrapes.log" 2>&1 &
  scraper_pid=$!
  log "scraping $url every second (pid $scraper_pid, log $log_dir/scrapes.log)"
}

# The second ProxyLayer of --ryw-cost, with $ryw_variables (read-your-writes on) in its mysql_variables.
start_ryw_proxylayer() {
  start_proxylayer_instance proxylayer_ryw "$proxy_dir-proxylayer_ryw" "$ryw_port" "$ryw_admin_port" "" proxylayer_ryw.log "$ryw_variables"
}

# "N scrapes, M failed, last B bytes" from the scraper's log.
scrape_summary() {
  awk '{ n++; if ($1 != "200") bad++; bytes = $2 } END { printf "%d scrapes of /metrics, %d failed, the last %d bytes\n", n, bad, bytes }' \
    "$log_dir/scrapes.log"
}

start_proxysql() {
  mkdir -p "$proxysql_dir/data"
  {
    echo "# written by scripts/bench.sh"
    echo "datadir=\"$proxysql_dir/data\""
    echo "admin_variables = { admin_credentials=\"admin:admin\" mysql_ifaces=\"127.0.0.1:$proxysql_admin_port\" }"
    echo "mysql_variables = { interfaces=\"127.0.0.1:$proxysql_port\" threads=$proxysql_threads $monitor_variables }"
    shared_proxy_config
  } >"$proxysql_dir/proxysql.cnf"
  log "starting ProxySQL $("$proxysql_bin" --version 2>/dev/null | grep -o 'version [^ ]*') on 127.0.0.1:$proxysql_port" \
    "(admin $proxysql_admin_port, mysql-threads=$proxysql_threads)"
  # -f: one process, no angel; --no-version-check: no call home
  "$proxysql_bin" -f -c "$proxysql_dir/proxysql.cnf" -D "$proxysql_dir/data" --initial --no-version-check \
    </dev/null >"$log_dir/proxysql.log" 2>&1 &
  target_pid[proxysql]=$!
  echo "${target_pid[proxysql]}" >"$proxysql_dir/proxysql.pid"
  wait_until_serving "$proxysql_port" ProxySQL "${target_pid[proxysql]}" "$log_dir/proxysql.log"
}

start_haproxy() {
  local haproxy_bin port index=1
  haproxy_bin="$(command -v haproxy || echo /usr/sbin/haproxy)"
  mkdir -p "$haproxy_dir"
  {
    printf 'global\n  maxconn 8192\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 1h\n  timeout server 1h\n'
    printf 'listen reads\n  bind 127.0.0.1:%s\n  balance roundrobin\n' "$haproxy_read_port"
    for port in "${backend_port_list[@]}"; do printf '  server db%03d 127.0.0.1:%s\n' "$index" "$port"; index=$((index + 1)); done
    printf 'listen writes\n  bind 127.0.0.1:%s\n  server db001 127.0.0.1:%s\n' "$haproxy_write_port" "$backend_port"
  } >"$haproxy_dir/haproxy.cfg"
  log "starting HAProxy ($("$haproxy_bin" -v | head -n 1 | awk '{ print $3 }')) on 127.0.0.1:$haproxy_read_port (reads)" \
    "and :$haproxy_write_port (writes)"
  "$haproxy_bin" -db -f "$haproxy_dir/haproxy.cfg" </dev/null >"$log_dir/haproxy.log" 2>&1 &
  target_pid[haproxy]=$!
  echo "${target_pid[haproxy]}" >"$haproxy_dir/haproxy.pid"
  wait_until_serving "$haproxy_write_port" HAProxy "${target_pid[haproxy]}" "$log_dir/haproxy.log"
}

start_targets() {
  start_proxylayer
  if [ "$metrics_overhead" -eq 1 ]; then start_metrics_proxylayer; fi
  if [ "$ryw_cost" -eq 1 ]; then start_ryw_proxylayer; fi
  if [ -n "$proxysql_bin" ]; then start_proxysql; fi
  if [ "$with_haproxy" -eq 1 ]; then start_haproxy; fi
}

# ---- measurements --------------------------------------------------------------------------------

# utime + stime of a process, in clock ticks. The command name (field 2) may hold spaces, so fields are
# counted from the ')' that closes it: state is then field 1, utime field 12 and stime field 13.
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# CPU ticks of the topology's MariaDB servers together: what a target's traffic costs the servers, which on a
# machine they share with the proxy and sysbench decides the QPS as much as the proxy's own CPU does.
servers_cpu_ticks() {
  local file pid total=0
  for file in "$topology_dir"/*/mariadbd.pid; do
    pid="$(cat "$file" 2>/dev/null || true)"
    [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] && total=$((total + $(cpu_ticks "$pid")))
  done
  echo "$total"
}

# A field of /proc/PID/status in MB (VmRSS, VmHWM).
status_mb() { awk -v key="$2:" '$1 == key { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

is_read_only_test() { case "$1" in oltp_point_select|oltp_read_only|select_random_*) return 0 ;; esac; return 1; }

# The port sysbench connects to for target $1 running test $2.
target_port() {
  case "$1" in
    direct) echo "$backend_port" ;;
    proxylayer) echo "$proxy_port" ;;
    proxylayer_metrics) echo "$metrics_proxy_port" ;;
    proxylayer_ryw) echo "$ryw_port" ;;
    proxysql) echo "$proxysql_port" ;;
    haproxy) if is_read_only_test "$2"; then echo "$haproxy_read_port"; else echo "$haproxy_write_port"; fi ;;
  esac
}

sysbench_common=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-user=appuser --mysql-password=apppass
  --mysql-db=testdb --tables=4 --table-size=10000)

prepare_tables() {
  log "preparing sysbench tables (4 x 10000 rows in testdb)"
  sysbench oltp_read_write "${sysbench_common[@]}" --mysql-port="$backend_port" --threads=4 prepare \
    >"$log_dir/prepare.log" 2>&1 || { tail -n 20 "$log_dir/prepare.log" >&2; die "sysbench prepare failed"; }
}

# oltp_read_write through every target once per ps-mode measured, so that each proxy has compiled, pooled and
# cached what the measured runs need.
warm_up() {
  [ "$warmup" -gt 0 ] || return 0
  local target mode
  for mode in $(printf '%s\n' "${cells[@]}" | awk '{ print $3 }' | sort -u); do
    for target in "${targets[@]}"; do
      log "warm-up: oltp_read_write $target ps-mode $mode for ${warmup} s (not measured)"
      sysbench oltp_read_write "${sysbench_common[@]}" --mysql-port="$(target_port "$target" oltp_read_write)" \
        --threads="$threads" --time="$warmup" --db-ps-mode="$mode" run >"$log_dir/warmup-$target-$mode.log" 2>&1 \
        || log "warning: warm-up against $target failed (see $log_dir/warmup-$target-$mode.log)"
    done
  done
}

# Pulls "queries qps tps p95 errors" out of a sysbench report.
parse_report() {
  awk '
    /^ *transactions:/ { tps = $3; gsub(/[()]/, "", tps) }
    /^ *queries:/ { queries = $2; qps = $3; gsub(/[()]/, "", qps) }
    /^ *ignored errors:/ { errors = $3 }
    /^ *95th percentile:/ { p95 = $3 }
    END { printf "%s %s %s %s %s\n", queries + 0, qps + 0, tps + 0, p95 + 0, errors + 0 }' "$1"
}

failures=0
peak_rss=0

# Keeps the largest VmRSS seen; VmHWM is reported too, but the kernel updates it lazily.
note_rss() { peak_rss="$(awk -v a="$peak_rss" -v b="$1" 'BEGIN { print (b > a ? b : a) }')"; }

peak_rss_line() {
  echo "ProxyLayer peak RSS: $peak_rss MB sampled (VmHWM $(status_mb "${target_pid[proxylayer]}" VmHWM) MB); logs in $log_dir"
}

# Runs one cell ("test threads ps-mode") against one target, repetition $3, and appends a row to results:
# "test threads ps-mode target run tps qps p95 errors cpu_per_1k_statements cores rss_mb".
run_one() {
  local test cell_threads mode target="$2" run="$3" status=0 pid="${target_pid[$2]:-}"
  read -r test cell_threads mode <<<"$1"
  local report="$log_dir/$test-$cell_threads-$mode-$target-$run.log"
  log "$test $target: $cell_threads threads, ${bench_time} s, ps-mode $mode, run $run/$repeat"
  local cpu_before=0; [ -n "$pid" ] && cpu_before="$(cpu_ticks "$pid")"
  local servers_before; servers_before="$(servers_cpu_ticks)"
  sysbench "$test" "${sysbench_common[@]}" --mysql-port="$(target_port "$target" "$test")" --threads="$cell_threads" \
    --time="$bench_time" --db-ps-mode="$mode" --percentile=95 --report-interval=0 run >"$report" 2>&1 || status=$?
  local cpu_after=0 rss="-"; [ -n "$pid" ] && { cpu_after="$(cpu_ticks "$pid")"; rss="$(status_mb "$pid" VmRSS)"; }
  local servers_after; servers_after="$(servers_cpu_ticks)"
  local queries qps tps p95 errors; read -r queries qps tps p95 errors < <(parse_report "$report")
  if [ "$status" -ne 0 ]; then
    grep -m 5 -E 'FATAL|ERROR|error' "$report" | sed 's/^/    /' >&2 || true
    log "$test $target: sysbench failed (exit $status, see $report)"
    errors="fatal"; failures=$((failures + 1))
  elif [ "$errors" -gt "$max_errors" ]; then
    log "$test $target: $errors errors reported by sysbench (allowed: $max_errors)"
    failures=$((failures + 1))
  fi
  local cpu_s cpu_per_1k="-" cores="-"
  cpu_s="$(awk -v d="$((cpu_after - cpu_before))" -v hz="$clock_ticks" 'BEGIN { printf "%.2f", d / hz }')"
  if [ -n "$pid" ]; then
    cpu_per_1k="$(awk -v c="$cpu_s" -v q="$queries" 'BEGIN { if (q > 0) printf "%.4f", c * 1000 / q; else print "-" }')"
    cores="$(awk -v c="$cpu_s" -v t="$bench_time" 'BEGIN { printf "%.2f", c / t }')"
    [ "$target" = proxylayer ] && note_rss "$rss"
    log "$test $target: $qps qps, p95 $p95 ms, errors $errors, $target cpu ${cpu_s} s, rss $rss MB"
  else
    log "$test $target: $qps qps, p95 $p95 ms, errors $errors"
  fi
  local servers_per_1k
  servers_per_1k="$(awk -v d="$((servers_after - servers_before))" -v hz="$clock_ticks" -v q="$queries" \
    'BEGIN { if (q > 0) printf "%.4f", d / hz * 1000 / q; else print "-" }')"
  results+=("$test $cell_threads $mode $target $run $tps $qps $p95 $errors $cpu_per_1k $cores $rss $servers_per_1k")
}

# One row per cell and target from the runs in results: medians of tps, qps, p95, cpu and cores, the largest
# RSS, and the errors summed ("fatal" when a run failed). Order: the cells', then the targets'.
summarize() {
  local cell target
  for cell in "${cells[@]}"; do
    for target in "${targets[@]}"; do
      printf '%s\n' "${results[@]}" | awk -v cell="$cell" -v target="$target" '
        function median(list,   v, n, i, j, t) {
          n = split(list, v, " ")
          for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
          if (n == 0 || v[1] == "-") return "-"
          return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }
        $1 " " $2 " " $3 == cell && $4 == target {
          runs++; tps = tps " " $6; qps = qps " " $7; p95 = p95 " " $8; cpu = cpu " " $10; cores = cores " " $11; db = db " " $13
          if ($9 == "fatal" || errors == "fatal") errors = "fatal"; else errors += $9
          if ($12 != "-" && $12 + 0 > rss + 0) rss = $12
        }
        END {
          if (!runs) exit
          printf "%s %s %s %s %s %s %s %s %s %s\n", cell, target, median(tps), median(qps), median(p95), errors + 0 == errors ? errors : "fatal",
            median(cpu), median(cores), rss == "" ? "-" : rss, median(db)
        }'
    done
  done
}

# "label A/B: QPS x .., p95 x .., CPU/1k x .., RSS x .., servers CPU/1k x .." from two summary rows (fields as
# summarize prints).
ratio_text() {
  awk -v label="$1" -v a="$2" -v b="$3" 'function r(x, y) { return (x + 0 > 0 && y + 0 > 0) ? sprintf("%.2f", x / y) : "-" }
    BEGIN {
      split(a, x, " "); split(b, y, " ")
      printf "%s QPS x %s, p95 x %s", label, r(x[6], y[6]), r(x[7], y[7])
      if (x[9] != "-" && y[9] != "-") printf ", CPU/1k x %s, RSS x %s", r(x[9], y[9]), r(x[11], y[11])
      if (x[12] != "" && x[12] != "-" && y[12] != "" && y[12] != "-") printf ", servers CPU/1k x %s", r(x[12], y[12])
    }'
}

target_label() {
  case "$1" in proxylayer) echo ProxyLayer ;; proxylayer_metrics) echo PL+metrics ;; proxylayer_ryw) echo PL+RYW ;; proxysql) echo ProxySQL ;; haproxy) echo HAProxy ;; *) echo "$1" ;; esac
}

print_results() {
  local line="-------------------------------------------------------------------------------------------------------------------"
  local summary; summary="$(summarize)"
  echo
  echo "Results: medians of $repeat run(s) of ${bench_time} s per cell and target, 4 tables x 10000 rows, $(nproc) cores;"
  echo "CPU_S/1K = the target process's user+system CPU seconds per 1000 statements (sysbench 'queries');"
  echo "DB_S/1K = the same for the three MariaDB servers together, while that target carried the traffic"
  echo "$line"
  printf '%-18s %3s %-7s %-10s %9s %9s %8s %6s %9s %6s %7s %8s\n' TEST THR PS TARGET TPS QPS P95_MS ERRORS CPU_S/1K CORES RSS_MB DB_S/1K
  echo "$line"
  local row test cell_threads mode target tps qps p95 errors cpu cores rss db
  while read -r test cell_threads mode target tps qps p95 errors cpu cores rss db; do
    printf '%-18s %3s %-7s %-10s %9s %9s %8s %6s %9s %6s %7s %8s\n' "$test" "$cell_threads" "$mode" "$(target_label "$target")" \
      "$tps" "$qps" "$p95" "$errors" "$cpu" "$cores" "$rss" "$db"
  done <<<"$summary"
  echo "$line"
  local cell direct layer other
  for cell in "${cells[@]}"; do
    direct="$(awk -v c="$cell" '$1 " " $2 " " $3 == c && $4 == "direct"' <<<"$summary")"
    layer="$(awk -v c="$cell" '$1 " " $2 " " $3 == c && $4 == "proxylayer"' <<<"$summary")"
    [ -n "$layer" ] || continue
    if [ "$metrics_overhead" -eq 1 ]; then
      other="$(awk -v c="$cell" '$1 " " $2 " " $3 == c && $4 == "proxylayer_metrics"' <<<"$summary")"
      printf '%-30s %s\n' "$cell" "$(ratio_text "metrics on+scraped / off:" "$other" "$layer")"
      continue
    fi
    printf '%-30s %s' "$cell" "$(ratio_text "ProxyLayer/direct:" "$layer" "$direct")"
    for target in proxysql haproxy; do
      other="$(awk -v c="$cell" -v t="$target" '$1 " " $2 " " $3 == c && $4 == t' <<<"$summary")"
      [ -n "$other" ] && printf '\n%-30s %s' "" "$(ratio_text "ProxyLayer/$(target_label "$target"):" "$layer" "$other")"
    done
    # --ryw-cost: the feature's cost is PL+RYW's CPU/1k over ProxyLayer's, both measured in this run.
    other="$(awk -v c="$cell" '$1 " " $2 " " $3 == c && $4 == "proxylayer_ryw"' <<<"$summary")"
    [ -n "$other" ] && printf '\n%-30s %s' "" "$(ratio_text "read_your_writes on/off:" "$other" "$layer")"
    echo
  done
  echo "$line"
  peak_rss_line
  if [ "$metrics_overhead" -eq 1 ]; then scrape_summary; fi
  printf '%s\n' "${results[@]}" >"$log_dir/runs.txt"
  echo "every run: $log_dir/runs.txt (test threads ps-mode target run tps qps p95 errors cpu/1k cores rss db/1k)"
}

run_throughput() {
  plan_cells
  prepare_tables
  # The read-your-writes cost is wanted with replicas that keep up; every other measurement freezes them.
  [ "$ryw_cost" -eq 1 ] || freeze_replicas
  warm_up
  local cell run target
  for cell in "${cells[@]}"; do
    for run in $(seq "$repeat"); do
      # --ryw-cost: the feature on and off take turns at running first.
      local order=() swap=0
      [ "$ryw_cost" -eq 1 ] && [ $((run % 2)) -eq 0 ] && swap=1
      for target in "${targets[@]}"; do
        if [ "$swap" -eq 1 ] && [ "$target" = proxylayer ]; then target=proxylayer_ryw
        elif [ "$swap" -eq 1 ] && [ "$target" = proxylayer_ryw ]; then target=proxylayer; fi
        order+=("$target")
      done
      for target in "${order[@]}"; do run_one "$cell" "$target" "$run"; done
    done
  done
  print_results
  if [ "$ryw_cost" -eq 1 ]; then
    # Evidence that the feature was in use: the commits whose GTID the second proxy took, the reads that needed it.
    echo "PL+RYW: $(mariadb --no-defaults -h 127.0.0.1 -P "$ryw_admin_port" -u admin -padmin --batch --skip-column-names -e \
      "SELECT Variable_Name, Variable_Value FROM stats.stats_mysql_global WHERE Variable_Name LIKE 'GTID%'" | tr '\t\n' '= ')"
  fi
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

# appuser's connections on all backends (SELECT 1 goes to the readers, hostgroup 20).
backend_connections() {
  local port total=0
  for port in "${backend_port_list[@]}"; do
    total=$((total + $(backend_sql "$port" "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'appuser'")))
  done
  echo "$total"
}

connection_results=()

run_idle_clients() {
  local count="$1" report="$log_dir/connections-$1.log" waited=0 status=0 pid="${target_pid[proxylayer]}"
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
  local rss backends; rss="$(status_mb "$pid" VmRSS)"; backends="$(backend_connections)"
  note_rss "$rss"
  wait "$client_pid" || status=$?
  client_pid=""
  local queries errors; read -r queries _ _ _ errors < <(parse_report "$report")
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
  if [ "$silent_clients" -eq 1 ]; then
    # one statement, then silence: sysbench's run loop calls event() again, which then only waits
    sed -i 's/^function event()$/local ran = false\nfunction event()\n  if ran then ffi.C.usleep(1000000) return end\n  ran = true/' \
      "$bench_dir/idle_client.lua"
  fi
  local count base what="SELECT 1 once a second each"
  [ "$silent_clients" -eq 1 ] && what="one SELECT 1 each, then silent"
  base="$(status_mb "${target_pid[proxylayer]}" VmRSS)"
  log "connections: proxy RSS before the clients $base MB"
  for count in ${connection_counts//,/ }; do run_idle_clients "$count"; sleep 2; done
  local line="--------------------------------------------------------------------------------------------"
  echo
  echo "Idle clients through the proxy ($what), measured after all connected; RSS before them: $base MB"
  echo "$line"
  printf '%8s %10s %13s %14s %20s %9s %7s\n' CLIENTS CONNECTED PROXY_RSS_MB KB_PER_CLIENT BACKEND_CONNECTIONS QUERIES ERRORS
  echo "$line"
  local row fields per_client
  for row in "${connection_results[@]}"; do
    read -r -a fields <<<"$row"
    per_client="$(awk -v rss="${fields[2]}" -v base="$base" -v n="${fields[1]}" 'BEGIN { printf (n > 0 ? "%.1f" : "-"), (rss - base) * 1024 / n }')"
    printf '%8s %10s %13s %14s %20s %9s %7s\n' "${fields[0]}" "${fields[1]}" "${fields[2]}" "$per_client" "${fields[3]}" "${fields[4]}" "${fields[5]}"
  done
  echo "$line"
  peak_rss_line
}

# ---- memory after a burst ------------------------------------------------------------------------

write_burst_client_script() {
  cat >"$bench_dir/burst_client.lua" <<'EOF'
-- written by scripts/bench.sh: every event is a 20 MB result (20000 rows of 1000 bytes) or a 1 MB statement.
function thread_init()
  drv = sysbench.sql.driver()
  con = drv:connect()
  big_literal = string.rep("x", 1048576)
end

function event()
  if sysbench.rand.uniform(1, 2) == 1 then
    con:query("SELECT REPEAT('x', 1000) FROM seq_1_to_20000")
  else
    con:query("SELECT LENGTH('" .. big_literal .. "')")
  end
end

function thread_done()
  con:disconnect()
end
EOF
}

memory_results=()

# Idle RSS, the burst, then RSS every 10 s for a minute, for target $1.
measure_memory() {
  local target="$1" pid="${target_pid[$1]}" label port start peak status=0 report="$log_dir/burst-$1.log"
  label="$(target_label "$target")"; port="$(target_port "$target" oltp_point_select)"
  target_sql "$port" 'SELECT 1' >/dev/null
  log "$label: 20 s idle before measuring"
  sleep 20
  start="$(status_mb "$pid" VmRSS)"
  log "$label: idle RSS $start MB; burst for ${bench_time} s: 16 clients of 20 MB results and 1 MB statements," \
    "$burst_clients clients running SELECT 1 once a second"
  sysbench "$bench_dir/idle_client.lua" --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$port" \
    --mysql-user=appuser --mysql-password=apppass --mysql-db=testdb --threads="$burst_clients" --time="$bench_time" \
    --report-interval=0 run >"$log_dir/burst-idle-$target.log" 2>&1 &
  client_pid=$!
  sysbench "$bench_dir/burst_client.lua" --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$port" \
    --mysql-user=appuser --mysql-password=apppass --mysql-db=testdb --threads=16 --time="$bench_time" \
    --report-interval=0 run >"$report" 2>&1 || status=$?
  while kill -0 "$client_pid" 2>/dev/null; do sleep 1; done
  wait "$client_pid" || status=$?
  client_pid=""
  peak="$(status_mb "$pid" VmHWM)"
  local statements errors; read -r statements _ _ _ errors < <(parse_report "$report")
  if [ "$status" -ne 0 ]; then
    grep -m 5 -E 'FATAL|ERROR|error' "$report" "$log_dir/burst-idle-$target.log" | sed 's/^/    /' >&2 || true
    log "$label: a burst client failed (see $report)"; failures=$((failures + 1))
  fi
  local after=() second
  for second in 10 20 30 40 50 60; do
    sleep 10; after+=("$(status_mb "$pid" VmRSS)")
    log "$label: RSS ${after[-1]} MB ${second} s after the burst"
  done
  local verdict
  verdict="$(awk -v s="$start" -v e="${after[-1]}" 'BEGIN { print (e <= s * 1.2 ? "back" : "NOT-back") }')"
  [ "$verdict" = back ] || failures=$((failures + 1))
  memory_results+=("$label $start $peak ${after[*]} $statements $verdict")
}

run_memory() {
  write_idle_client_script
  write_burst_client_script
  local target
  for target in "${targets[@]}"; do [ "$target" = direct ] || measure_memory "$target"; done
  local line="------------------------------------------------------------------------------------------------------"
  echo
  echo "RSS in MB: idle before the burst, peak (VmHWM), and 10..60 s after the burst ('back': within 20 % of idle)"
  echo "$line"
  printf '%-10s %6s %7s %6s %6s %6s %6s %6s %6s %10s %8s\n' TARGET IDLE PEAK +10s +20s +30s +40s +50s +60s STATEMENTS RESULT
  echo "$line"
  local row
  # shellcheck disable=SC2086 # one row, split on purpose
  for row in "${memory_results[@]}"; do printf '%-10s %6s %7s %6s %6s %6s %6s %6s %6s %10s %8s\n' $row; done
  echo "$line"
}

main() {
  parse_args "$@"
  local setup_args=()
  [ "$with_haproxy" -eq 1 ] && setup_args+=(--with-haproxy)
  bash "$repo_root/scripts/setup.sh" "${setup_args[@]}" | sed 's/^/    /'
  mkdir -p "$bench_dir"
  cleanup_stale
  rm -rf "$log_dir"; mkdir -p "$log_dir" "$proxy_dir"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  build_proxy
  start_backend
  start_targets
  if [ -n "$connection_counts" ]; then run_connections
  elif [ "$memory_mode" -eq 1 ]; then run_memory
  else run_throughput; fi
  if [ "$failures" -gt 0 ]; then die "$failures run(s) reported errors"; fi
  log "done"
}

main "$@"
