#!/usr/bin/env bash
# ProxyLayer end-to-end demo: a replicated MariaDB topology (db001 primary, db002/db003 replicas) behind
# ProxyLayer configured exactly as a ProxySQL DBA would (proxysql.cnf + the admin interface on 6032), with an
# application inserting through 6033 while the primary is killed, failed back and switched back.
#
#   scripts/demo.sh            the whole scenario (about 2 minutes after the build)
#   scripts/demo.sh --quick    shorter loops
#   scripts/demo.sh --keep     leave the topology and the proxy running at the end and print how to connect
#   scripts/demo.sh --down     stop what an earlier --keep run left running
#   scripts/demo.sh --dashboard   also serve the web dashboard (https://127.0.0.1:6080/, stats/stats) and save
#                              screenshots of it before the failover, after it and after the switchover into
#                              .demo/dashboard/ (headless chromium through Playwright; with --keep it stays up)
#   scripts/demo.sh --galera   the Galera story instead (scripts/demo-galera.sh)
#
# Environment:
#   PROXYLAYER_DEMO_ADMIN_PORT=6032   the proxy's admin interface (mysql_ifaces)
#   PROXYLAYER_DEMO_PORT=6033         the proxy's client interface (interfaces)
#   PROXYLAYER_DEMO_WEB_PORT=6080     the web dashboard (web_port), with --dashboard
#   PROXYLAYER_TOPOLOGY_PORTS="13306 13307 13308"   db001 db002 db003
#
# Everything it creates lives in ./.demo; it cleans up on exit (unless --keep) and can be run again at once.
# Exits non-zero when a step fails.
set -Eeuo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
demo_dir="$repo_root/.demo"
topology="$repo_root/scripts/topology.sh"
proxy_bin="$repo_root/artifacts/bin/ProxyLayer/release/proxylayer"
admin_port="${PROXYLAYER_DEMO_ADMIN_PORT:-6032}"
app_port="${PROXYLAYER_DEMO_PORT:-6033}"
web_port="${PROXYLAYER_DEMO_WEB_PORT:-6080}"
shot_bin="$repo_root/artifacts/bin/ProxyLayer.DashboardShot/release/proxylayer-dashboard-shot"
export PROXYLAYER_TOPOLOGY_DIR="$demo_dir/topology"
export PROXYLAYER_TOPOLOGY_PORTS="${PROXYLAYER_TOPOLOGY_PORTS:-13306 13307 13308}"
read -r -a db_ports <<<"$PROXYLAYER_TOPOLOGY_PORTS"
db_names=(db001 db002 db003)

quick=0 keep=0 down_only=0 dashboard=0
for argument in "$@"; do
  case "$argument" in
    --quick) quick=1 ;;
    --keep) keep=1 ;;
    --down) down_only=1 ;;
    --dashboard) dashboard=1 ;;
    --galera) exec bash "$repo_root/scripts/demo-galera.sh" ;;
    -h|--help) sed -n '2,/^set -E/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option '$argument' (expected --quick, --keep, --down, --dashboard, --galera)" >&2; exit 2 ;;
  esac
done

# Loop lengths: full / --quick.
if [ "$quick" = 1 ]; then
  select_runs=12 before_failover_s=3 after_failover_s=6 after_failback_s=3 after_switchover_s=4
else
  select_runs=30 before_failover_s=5 after_failover_s=8 after_failback_s=5 after_switchover_s=6
fi

# ---- narration -------------------------------------------------------------------------------------

step_number=0 step_title="start-up"
say() { printf '%s  %s\n' "$(date +%T.%3N)" "$*"; }
detail() { printf '%s      %s\n' "$(date +%T.%3N)" "$*"; }
step() { step_number=$((step_number + 1)); step_title="$*"; printf '\n'; say "[$step_number] $*"; }
die() { say "FAILED in step $step_number ($step_title): $*" >&2; exit 1; }
on_error() { say "FAILED in step $step_number ($step_title): '$2' exited $3 (scripts/demo.sh line $1)" >&2; }
trap 'on_error "$LINENO" "$BASH_COMMAND" "$?"' ERR

# Re-stamps the output of a command (topology.sh prints its own date) so the narration reads as one script.
relay() {
  local line
  while IFS= read -r line; do
    line="${line#[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] }"
    detail "$line"
  done
}

# ---- tools -----------------------------------------------------------------------------------------

name_of_port() { local i; for i in "${!db_ports[@]}"; do [ "${db_ports[$i]}" = "$1" ] && { echo "${db_names[$i]}"; return; }; done; echo "?"; }
port_of() { local i; for i in "${!db_names[@]}"; do [ "${db_names[$i]}" = "$1" ] && { echo "${db_ports[$i]}"; return; }; done; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The application's connection: a new one per call, through the proxy.
app() { mariadb --no-defaults -h127.0.0.1 -P"$app_port" -uappuser -papppass -N "$@"; }
# The DBA's admin connection.
admin() { mariadb --no-defaults -h127.0.0.1 -P"$admin_port" -uradmin -pradmin --prompt "ProxySQL Admin>" "$@"; }
# A backend directly, over its unix socket, with the rig's admin account (scripts/sql/users.sql).
backend() {
  local name="$1"; shift
  mariadb --no-defaults --socket="$PROXYLAYER_TOPOLOGY_DIR/$name/mariadbd.sock" -urigadmin -prigadmin -N --batch "$@"
}

# Shows an admin statement as the DBA types it, then runs it; SELECT results as the client's table.
admin_session() {
  local statement
  for statement in "$@"; do detail "ProxySQL Admin> $statement"; done
  printf '%s\n' "$@" | admin --table 2>&1 | sed 's/^/                    /'
}

show_runtime_servers() {
  admin_session "SELECT hostgroup_id,hostname,port,status FROM runtime_mysql_servers;"
  local i legend=()
  for i in "${!db_names[@]}"; do legend+=("${db_ports[$i]}=${db_names[$i]}"); done
  detail "(ports: ${legend[*]})"
}

# ---- the proxy -------------------------------------------------------------------------------------

proxy_pid_file="$demo_dir/proxylayer.pid"
proxy_log="$demo_dir/proxylayer.log"

stop_proxy() {
  local pid waited=0
  [ -s "$proxy_pid_file" ] || return 0
  pid="$(cat "$proxy_pid_file")"
  # only our own proxy: the pid file may be stale
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q proxylayer; then
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do
      [ "$waited" -ge 100 ] && { kill -KILL "$pid" 2>/dev/null || true; }
      sleep 0.1; waited=$((waited + 1))
    done
    say "proxy stopped (pid $pid)"
  fi
  rm -f "$proxy_pid_file"
}

write_proxy_config() {
  cat >"$demo_dir/proxysql.cnf" <<EOF
# ProxySQL configuration file, as a DBA keeps it; ProxyLayer reads the same format.
datadir="$demo_dir/proxy"

admin_variables=
{
    admin_credentials="admin:admin;radmin:radmin"
    mysql_ifaces="127.0.0.1:$admin_port"
$([ "$dashboard" = 1 ] && printf '    web_enabled="true"\n    web_port=%s\n' "$web_port")
}

mysql_variables=
{
    threads=4
    max_connections=2048
    default_query_delay=0
    default_query_timeout=36000000
    have_compress=true
    poll_timeout=2000
    interfaces="0.0.0.0:$app_port"
    default_schema="information_schema"
    stacksize=1048576
    server_version="5.5.30"
    connect_timeout_server=3000
    monitor_username="monitor"
    monitor_password="monitor"
    monitor_history=600000
    monitor_connect_interval=60000
    monitor_ping_interval=10000
    monitor_read_only_interval=1500
    monitor_read_only_timeout=500
    ping_interval_server_msec=120000
    ping_timeout_server=500
    commands_stats=true
    sessions_sort=true
    connect_retries_on_failure=10
}
EOF
}

start_proxy() {
  rm -rf "$demo_dir/proxy"; mkdir -p "$demo_dir/proxy"
  write_proxy_config
  "$proxy_bin" -f -c "$demo_dir/proxysql.cnf" -D "$demo_dir/proxy" --initial >"$proxy_log" 2>&1 </dev/null &
  local pid=$! waited=0
  echo "$pid" >"$proxy_pid_file"
  until port_in_use "$admin_port" && port_in_use "$app_port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$proxy_log" | sed 's/^/    /' >&2
      die "the proxy exited while starting (log: $proxy_log)"
    fi
    [ "$waited" -ge 300 ] && die "the proxy does not accept on $admin_port and $app_port after 30 s (log: $proxy_log)"
    sleep 0.1; waited=$((waited + 1))
  done
  detail "proxylayer pid $pid: admin on 127.0.0.1:$admin_port, clients on 0.0.0.0:$app_port (log: ${proxy_log#"$repo_root"/})"
  [ "$dashboard" = 0 ] || detail "web dashboard: https://127.0.0.1:$web_port/ (stats / stats)"
}

# ---- the application's loops -----------------------------------------------------------------------

# N selects, a new connection each; prints the answering hostnames, one a line.
select_loop() {
  local runs="$1" i out
  for ((i = 0; i < runs; i++)); do
    if out="$(app -e "select @@hostname, now()" 2>&1)"; then
      printf '%s\n' "${out%%$'\t'*}"
    else
      printf 'error: %s\n' "$out"
    fi
  done
}

# Runs select loops of $1 until every host in $2.. answered (for at most 25 s), then prints the tally.
# A server that refused connections is left alone for a while (ProxySQL's shun_recovery_time_sec, 10 s)
# even after it is back, so the first loop after a failback may not reach it yet.
select_round() {
  local runs="$1"; shift
  local answers="" name missing deadline=$((SECONDS + 25))
  while :; do
    detail "select loop: $runs x mariadb -h127.0.0.1 -P$app_port -uappuser -papppass -N -e \"select @@hostname, now()\""
    answers+="$(select_loop "$runs")"$'\n'
    missing=""
    for name in "$@"; do grep -qx "$name" <<<"$answers" || missing+=" $name"; done
    [ -z "$missing" ] && break
    [ "$SECONDS" -ge "$deadline" ] && break
    detail "not answered yet:$missing (a server that refused connections is retried after the shun recovery time); again in 1 s"
    sleep 1
  done
  detail "answers: $(grep -v '^$' <<<"$answers" | sed 's/^error:.*/error/' | sort | uniq -c | awk '{printf "%s %s x%s", sep, $2, $1; sep=","}')"
  [ -z "$missing" ] || die "no answer from$missing through the proxy"
  ! grep -q '^error' <<<"$answers" || detail "errors: $(grep '^error' <<<"$answers" | sort | uniq -c | head -3 | tr '\n' ' ')"
}

insert_log="$demo_dir/inserts.log"
insert_stop="$demo_dir/inserts.stop"
insert_pid="" reporter_pid=""

# Every 100 ms one insert on a new connection. Log line: time, epoch µs, exit code, duration ms, error text.
insert_loop() {
  trap - ERR
  local start end rc err
  while [ ! -e "$insert_stop" ]; do
    start="${EPOCHREALTIME/./}"
    rc=0
    err="$(timeout 60 mariadb --no-defaults -h127.0.0.1 -P"$app_port" -uappuser -papppass -N \
      -e "insert into testdb.insert_test select @@hostname, now(6)" 2>&1 >/dev/null)" || rc=$?
    end="${EPOCHREALTIME/./}"
    if [ "$rc" = 124 ]; then err="no answer within 60 s (client gave up)"
    elif [ "$rc" != 0 ]; then
      # the client echoes the failing statement around its ERROR line; keep the error alone
      err="$(grep -m1 '^ERROR' <<<"$err" | sed 's/ at line 1//' || true)"; err="${err:-exit code $rc}"
    fi
    printf '%(%T)T.%s\t%s\t%s\t%s\t%s\n' "${start:0:-6}" "${start: -6:3}" "$start" "$rc" "$(((end - start) / 1000))" \
      "${err//$'\t'/ }" >>"$insert_log"
    sleep 0.1
  done
}

# Every ~2 s: attempts so far, ok/failed, the slowest so far, and where the newest row is (read through the proxy).
insert_reporter() {
  trap - ERR
  local counts last
  while [ ! -e "$insert_stop" ]; do
    sleep 2
    [ -e "$insert_stop" ] && break
    counts="$(awk -F'\t' '{ n++; if ($3 == 0) ok++; else bad++; if ($4 > max) max = $4 }
      END { printf "%d inserts: %d ok, %d failed, slowest %d ms", n, ok, bad, max }' "$insert_log")"
    last="$(timeout 3 mariadb --no-defaults -h127.0.0.1 -P"$app_port" -uappuser -papppass -N \
      -e "select hostname from testdb.insert_test order by ts desc limit 1" 2>/dev/null || echo '?')"
    say "  ~ $counts; newest row written by ${last:-?}"
  done
}

start_inserts() {
  rm -f "$insert_stop"; : >"$insert_log"
  insert_loop & insert_pid=$!
  insert_reporter & reporter_pid=$!
  detail "insert loop (pid $insert_pid): every 100 ms mariadb ... -e \"insert into testdb.insert_test select @@hostname, now(6)\", log: ${insert_log#"$repo_root"/}"
}

stop_inserts() {
  touch "$insert_stop"
  [ -z "$reporter_pid" ] || kill "$reporter_pid" 2>/dev/null || true
  local pid
  for pid in $insert_pid $reporter_pid; do wait "$pid" 2>/dev/null || true; done
  insert_pid="" reporter_pid=""
}

# Lets the inserts run for N seconds.
keep_inserting() { detail "inserts continue for $1 s"; sleep "$1"; }

# Rows per writer, read through the proxy (the query goes to the readers, hostgroup 20).
rows_per_host() {
  local out
  out="$(app -e "select hostname, count(*) from testdb.insert_test group by hostname order by min(ts)" 2>&1)" \
    || die "reading testdb.insert_test through the proxy failed: $out"
  detail "mariadb ... -e \"select hostname, count(*) from testdb.insert_test group by hostname\":"
  sed 's/^/                    /; s/\t/  /' <<<"$out"
}

# Succeeds once the newest row was written by $1 (through the proxy), waiting up to $2 s.
wait_for_writes_on() {
  local host="$1" deadline=$((SECONDS + $2)) last
  while :; do
    last="$(app -e "select hostname from testdb.insert_test order by ts desc limit 1" 2>/dev/null || true)"
    [ "$last" = "$host" ] && return 0
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.5
  done
}

# Succeeds once runtime_mysql_servers has $1 ONLINE in hostgroup $2, waiting up to $3 s.
wait_for_runtime() {
  local port deadline=$((SECONDS + $3)); port="$(port_of "$1")"
  until admin -N -e "SELECT 1 FROM runtime_mysql_servers WHERE hostgroup_id=$2 AND port=$port AND status='ONLINE'" 2>/dev/null | grep -q 1; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.25
  done
}

# Succeeds once runtime_mysql_servers no longer has $1 in hostgroup $2, waiting up to $3 s.
wait_for_runtime_without() {
  local port deadline=$((SECONDS + $3)); port="$(port_of "$1")"
  while admin -N -e "SELECT 1 FROM runtime_mysql_servers WHERE hostgroup_id=$2 AND port=$port" 2>/dev/null | grep -q 1; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.25
  done
}

# ---- clean-up --------------------------------------------------------------------------------------

# scripts/topology.sh ARGS, its log lines in the narration.
topology_cmd() { bash "$topology" "$@" 2>&1 | relay || die "scripts/topology.sh $* failed"; }
topology_status() { bash "$topology" status | sed 's/^/                    /'; }
topology_down() { bash "$topology" down 2>&1 | relay || true; }

# Before the topology's state directory goes: its servers' logs, for a failed run.
keep_server_logs() {
  local name file
  for name in "${db_names[@]}"; do
    for file in error.log install.log; do
      [ -f "$PROXYLAYER_TOPOLOGY_DIR/$name/$file" ] && cp "$PROXYLAYER_TOPOLOGY_DIR/$name/$file" "$demo_dir/$name.$file"
    done
  done
  return 0
}

# --dashboard: a full-page screenshot of the dashboard as .demo/dashboard/NAME.png, once SELECTOR (if given) shows.
# A failed screenshot is reported, not fatal: the demo is about the proxy.
shoot() {
  [ "$dashboard" = 1 ] || return 0
  local name="$1" selector="${2:-}" out="$demo_dir/dashboard/$1.png"
  mkdir -p "$demo_dir/dashboard"
  if "$shot_bin" "https://127.0.0.1:$web_port/" "$out" ${selector:+--wait-for "$selector"} --settle 3 >"$demo_dir/dashboard/$name.log" 2>&1; then
    detail "dashboard screenshot: ${out#"$repo_root"/}"
  else
    detail "dashboard screenshot $name failed: $(tail -n 1 "$demo_dir/dashboard/$name.log")"
  fi
}

# Ends a process we started and its descendants, by pid.
kill_tree() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$child"; done
  kill "$1" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - ERR EXIT INT TERM
  if [ -n "$insert_pid" ] && [ "$rc" != 0 ]; then
    # a failed run does not wait for an insert stuck in the proxy: end the loop's client first
    touch "$insert_stop"
    local child
    for child in $(ps -o pid= --ppid "$insert_pid" 2>/dev/null); do kill_tree "$child"; done
  fi
  [ -z "$insert_pid$reporter_pid" ] || stop_inserts
  if [ "$keep" = 1 ] && [ "$down_only" = 0 ]; then
    printf '\n'
    say "--keep: the topology and the proxy are still running"
    detail "admin:        mariadb -h127.0.0.1 -P$admin_port -uradmin -pradmin --prompt \"ProxySQL Admin>\""
    detail "application:  mariadb -h127.0.0.1 -P$app_port -uappuser -papppass"
    [ "$dashboard" = 0 ] || detail "dashboard:    https://127.0.0.1:$web_port/  (user stats, password stats; the proxy's self-signed certificate)"
    detail "topology:     PROXYLAYER_TOPOLOGY_DIR=${PROXYLAYER_TOPOLOGY_DIR#"$repo_root"/} PROXYLAYER_TOPOLOGY_PORTS=\"$PROXYLAYER_TOPOLOGY_PORTS\" scripts/topology.sh status"
    detail "proxy log:    ${proxy_log#"$repo_root"/}"
    detail "stop it all:  scripts/demo.sh --down"
    exit "$rc"
  fi
  [ "$down_only" = 1 ] || { printf '\n'; say "cleaning up"; }
  stop_proxy
  [ "$rc" = 0 ] || keep_server_logs
  topology_down
  rm -f "$insert_stop"
  [ "$rc" = 0 ] || say "demo FAILED (exit $rc); logs kept in ${demo_dir#"$repo_root"/}/"
  exit "$rc"
}

# ---- the scenario ----------------------------------------------------------------------------------

mkdir -p "$demo_dir"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ "$down_only" = 0 ] || exit 0  # cleanup does it

say "ProxyLayer demo: ProxySQL's replacement in front of a replicated MariaDB (db001 primary, db002/db003 replicas)$([ "$quick" = 1 ] && echo ', --quick')"
# an earlier --keep (or interrupted) run
stop_proxy
if [ -d "$PROXYLAYER_TOPOLOGY_DIR" ]; then topology_down; fi
rm -f "$demo_dir"/*.log "$demo_dir/inserts.stop"
for port in "$admin_port" "$app_port" "${db_ports[@]}" $([ "$dashboard" = 1 ] && echo "$web_port"); do
  ! port_in_use "$port" || die "port $port is already in use (another ProxySQL/ProxyLayer/MariaDB?); free it or set PROXYLAYER_DEMO_ADMIN_PORT, PROXYLAYER_DEMO_PORT, PROXYLAYER_TOPOLOGY_PORTS"
done

step "Setup: mariadb and sysbench (scripts/setup.sh), then build the proxy in Release"
bash "$repo_root/scripts/setup.sh" 2>&1 | relay || die "scripts/setup.sh failed"
detail "dotnet build src/ProxyLayer -c Release"
dotnet build "$repo_root/src/ProxyLayer" -c Release -nologo >"$demo_dir/build.log" 2>&1 \
  || { tail -n 30 "$demo_dir/build.log" >&2; die "the build failed (log: ${demo_dir#"$repo_root"/}/build.log)"; }
[ -x "$proxy_bin" ] || die "the build did not produce $proxy_bin"
detail "built ${proxy_bin#"$repo_root"/}"
if [ "$dashboard" = 1 ]; then
  detail "dotnet build tests/ProxyLayer.DashboardShot -c Release (screenshots through Debian's chromium)"
  dotnet build "$repo_root/tests/ProxyLayer.DashboardShot" -c Release -nologo >"$demo_dir/build-shot.log" 2>&1 \
    || { tail -n 30 "$demo_dir/build-shot.log" >&2; die "the screenshot tool's build failed (log: ${demo_dir#"$repo_root"/}/build-shot.log)"; }
fi

step "Topology up: db001 primary, db002 and db003 GTID replicas (read_only=1)"
topology_cmd up
topology_status

step "Proxy up: proxylayer -f -c .demo/proxysql.cnf -D .demo/proxy --initial (ProxySQL's config file format)"
start_proxy

step "The DBA configures it through the admin interface, as for ProxySQL"
detail "mariadb -h127.0.0.1 -P$admin_port -uradmin -pradmin --prompt \"ProxySQL Admin>\""
# The servers are 127.0.0.1 with their ports: the names db001..db003 are not resolvable on this machine.
admin_session \
  "INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (10,'127.0.0.1',$(port_of db001));" \
  "INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (20,'127.0.0.1',$(port_of db001));" \
  "INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (20,'127.0.0.1',$(port_of db002));" \
  "INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (20,'127.0.0.1',$(port_of db003));" \
  "INSERT INTO mysql_replication_hostgroups VALUES (10,20,'read_only','');" \
  "LOAD MYSQL SERVERS TO RUNTIME;" \
  "SAVE MYSQL SERVERS TO DISK;" \
  "INSERT INTO mysql_users(username,password,default_hostgroup,transaction_persistent) VALUES ('appuser','apppass',10,0);" \
  "LOAD MYSQL USERS TO RUNTIME;" \
  "SAVE MYSQL USERS TO DISK;" \
  "INSERT INTO mysql_query_rules(rule_id,active,match_pattern,destination_hostgroup,apply) VALUES (1,1,'^SELECT.*FOR UPDATE\$',10,1);" \
  "INSERT INTO mysql_query_rules(rule_id,active,match_pattern,destination_hostgroup,apply) VALUES (2,1,'^SELECT',20,1);" \
  "LOAD MYSQL QUERY RULES TO RUNTIME;" \
  "SAVE MYSQL QUERY RULES TO DISK;"
show_runtime_servers

step "Reads spread over the replicas: $select_runs selects, a new connection each"
select_round "$select_runs" db001 db002 db003

step "Writes: an insert every 100 ms through the proxy, in the background"
start_inserts
keep_inserting "$before_failover_s"
wait_for_writes_on db001 5 || die "no insert landed on db001"
detail "inserts land on db001"
shoot 1-before-failover "#writer-10[data-writer='127.0.0.1:$(port_of db001)']"

step "Failover, as the orchestrator does it: kill -9 db001, promote db002, repoint db003"
detail "scripts/topology.sh failover"
detail "meanwhile inserts wait in the proxy for a writer (at most connect_timeout_server_max, 10 s) instead of failing"
topology_cmd failover
detail "the proxy's monitor sees db002 read_only=0 and moves it into the writer hostgroup 10"
wait_for_runtime db002 10 15 || { show_runtime_servers; die "db002 is not ONLINE in hostgroup 10 after 15 s (runtime_mysql_servers above)"; }
keep_inserting "$after_failover_s"
wait_for_writes_on db002 5 || die "inserts do not land on db002"
rows_per_host
show_runtime_servers
shoot 2-after-failover "#writer-10[data-writer='127.0.0.1:$(port_of db002)']"

step "Failback: db001 restarts as a read_only replica of db002"
detail "scripts/topology.sh failback"
topology_cmd failback
topology_status
detail "read_only=1, so the monitor keeps db001 in the reader hostgroup 20 only"
wait_for_runtime db001 20 15 || { show_runtime_servers; die "db001 is not ONLINE in hostgroup 20 after 15 s"; }
wait_for_runtime_without db001 10 15 || { show_runtime_servers; die "db001 (read_only=1) is still in the writer hostgroup 10 after 15 s"; }
select_round "$select_runs" db001
keep_inserting "$after_failback_s"
wait_for_writes_on db002 5 || die "inserts no longer land on db002"
detail "inserts still land on db002"
show_runtime_servers

step "Planned switchover back to db001: db002 read_only=1, db001 catches up and is promoted, db002/db003 follow it"
detail "scripts/topology.sh switchover db001"
detail "as with ProxySQL, inserts that reach db002 between its read_only=1 and the monitor's next check (every 1500 ms) fail with error 1290"
topology_cmd switchover db001
detail "the monitor sees db002 read_only=1 and db001 read_only=0: db001 is the writer again"
wait_for_runtime db001 10 15 || { show_runtime_servers; die "db001 is not ONLINE in hostgroup 10 after 15 s"; }
keep_inserting "$after_switchover_s"
wait_for_writes_on db001 5 || die "inserts do not land on db001 again"
detail "inserts land on db001 again"
rows_per_host
show_runtime_servers
shoot 3-after-switchover "#writer-10[data-writer='127.0.0.1:$(port_of db001)']"

step "Stop the inserts and check every acknowledged insert on the final primary db001"
stop_inserts
detail "insert loop stopped"
topology_status
summary_ok=1
awk -F'\t' -v now="$(date +%T.%3N)" '
  { n++; d[n] = $4; if ($3 == 0) ok++; else { bad++; err[$5 == "" ? "exit code " $3 : $5]++ }
    if ($4 > max) { max = $4; when = $1 } }
  END {
    printf "%s      statements sent: %d, succeeded: %d, failed: %d\n", now, n, ok, bad
    for (e in err) printf "%s        %5d x %s\n", now, err[e], e
    printf "%s      longest insert: %d ms, started at %s\n", now, max, when
  }' "$insert_log"
cut -f4 "$insert_log" | sort -n | awk -v now="$(date +%T.%3N)" '
  { v[NR] = $1 } END { p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]
    printf "%s      insert duration: p50 %d ms, p99 %d ms\n", now, p50, p99 }'
acknowledged="$(awk -F'\t' '$3 == 0' "$insert_log" | wc -l)"
primary_rows="$(backend db001 -e 'SELECT COUNT(*) FROM testdb.insert_test')"
detail "rows on db001 (read directly): $primary_rows; by writer: $(backend db001 -e 'SELECT hostname, COUNT(*) FROM testdb.insert_test GROUP BY hostname ORDER BY MIN(ts)' | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')"
if [ "$primary_rows" -ge "$acknowledged" ]; then
  detail "OK: all $acknowledged acknowledged inserts are on db001$([ "$primary_rows" -gt "$acknowledged" ] && echo " (plus $((primary_rows - acknowledged)) that committed although the client saw an error)")"
else
  detail "LOST WRITES: $acknowledged inserts acknowledged, only $primary_rows rows on db001"; summary_ok=0
fi
primary_checksum="$(backend db001 -e 'CHECKSUM TABLE testdb.insert_test' | cut -f2)"
for replica in db002 db003; do
  backend "$replica" -e "SELECT MASTER_GTID_WAIT('$(backend db001 -e 'SELECT @@global.gtid_binlog_pos')', 30)" | grep -qx 0 \
    || { detail "$replica did not catch up with db001 within 30 s"; summary_ok=0; continue; }
  replica_rows="$(backend "$replica" -e 'SELECT COUNT(*) FROM testdb.insert_test')"
  replica_checksum="$(backend "$replica" -e 'CHECKSUM TABLE testdb.insert_test' | cut -f2)"
  if [ "$replica_rows" = "$primary_rows" ] && [ "$replica_checksum" = "$primary_checksum" ]; then
    detail "OK: $replica in sync ($replica_rows rows, checksum $replica_checksum)"
  else
    detail "$replica differs: $replica_rows rows, checksum $replica_checksum (db001: $primary_rows, $primary_checksum)"; summary_ok=0
  fi
done
[ "$summary_ok" = 1 ] || die "the final checks failed"
say "demo finished: failover, failback and switchover behind ProxyLayer, no acknowledged write lost"
