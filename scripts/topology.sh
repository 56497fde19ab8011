#!/usr/bin/env bash
# A local replicated MariaDB topology for demos: db001 (primary), db002 and db003 (GTID replicas,
# read_only), each its own mariadbd on a loopback port and, when run as root, in its own UTS namespace so
# SELECT @@hostname returns its name. Accounts and schema are those of the test rig (scripts/sql).
#
#   scripts/topology.sh up        start (or resume) the topology
#   scripts/topology.sh status    name, port, pid, read_only, replication source per instance
#   scripts/topology.sh failover  kill -9 the primary, promote the next replica, repoint the others
#   scripts/topology.sh failback  restart stopped instances as read_only replicas of the current primary
#   scripts/topology.sh switchover NAME  planned move of the primary role to NAME: the primary goes read_only,
#                                 NAME catches up and is promoted, every other instance replicates from it
#   scripts/topology.sh down      stop everything and remove the state directory
#
# Environment: PROXYLAYER_TOPOLOGY_PORTS="13306 13307 13308", PROXYLAYER_TOPOLOGY_DIR=./.topology,
#   PROXYLAYER_TOPOLOGY_SERVER_ARGS="--opt=value ..." (more mariadbd options, after the defaults, so they win)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state_dir="${PROXYLAYER_TOPOLOGY_DIR:-$repo_root/.topology}"
read -r -a ports <<<"${PROXYLAYER_TOPOLOGY_PORTS:-13306 13307 13308}"
names=(db001 db002 db003)
state_marker=".proxylayer-topology"
admin_user=rigadmin
admin_password=rigadmin

log() { printf '%s topology: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

[ "${#ports[@]}" -eq "${#names[@]}" ] || die "PROXYLAYER_TOPOLOGY_PORTS needs ${#names[@]} ports, got '${ports[*]}'"

find_tool() { command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || die "'$1' not found; run scripts/setup.sh"; }

# ---- per-instance helpers ------------------------------------------------------------------------

index_of() { local i; for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && { echo "$i"; return; }; done; die "unknown instance '$1'"; }
port_of() { echo "${ports[$(index_of "$1")]}"; }
dir_of() { echo "$state_dir/$1"; }
socket_of() { echo "$(dir_of "$1")/mariadbd.sock"; }
name_of_port() { local i; for i in "${!ports[@]}"; do [ "${ports[$i]}" = "$1" ] && { echo "${names[$i]}"; return; }; done; echo "port $1"; }

pid_of() { local file; file="$(dir_of "$1")/mariadbd.pid"; [ -s "$file" ] && cat "$file" || true; }
is_running() { local pid; pid="$(pid_of "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

# Runs SQL on an instance over its unix socket as the rig admin; prints tab-separated rows, no header.
sql() {
  local name="$1"; shift
  "$mariadb_client" --no-defaults --socket="$(socket_of "$name")" --user="$admin_user" --password="$admin_password" \
    --batch --skip-column-names -e "$*"
}

# One field of SHOW SLAVE STATUS (empty when the instance is not a replica).
replica_field() {
  "$mariadb_client" --no-defaults --socket="$(socket_of "$1")" --user="$admin_user" --password="$admin_password" \
    -e 'SHOW SLAVE STATUS\G' | awk -v field="$2" -F': ' '$1 ~ "^ *"field"$" { print $2 }'
}

current_primary() { [ -s "$state_dir/primary" ] && cat "$state_dir/primary" || echo "${names[0]}"; }
set_primary() { echo "$1" >"$state_dir/primary"; }

error_log_tail() { tail -n 20 "$(dir_of "$1")/error.log" 2>/dev/null | sed 's/^/    /' >&2 || true; }

install_datadir() {
  local name="$1" dir; dir="$(dir_of "$name")"
  [ -f "$dir/.installed" ] && return
  rm -rf "$dir/data"
  mkdir -p "$dir"
  log "$name: initializing datadir"
  # Its own tmpdir: parallel installs sharing /tmp delete each other's temporary tables
  # ("Unknown table 'mysql.tmp_user_sys'").
  local args=(--no-defaults --datadir="$dir/data" --tmpdir="$dir" --skip-test-db --skip-name-resolve
    --extra-file="$repo_root/scripts/sql/users.sql" --innodb-buffer-pool-size=16M --innodb-log-file-size=8M)
  if [ "$(id -u)" -eq 0 ]; then args+=(--user=root --auth-root-authentication-method=socket)
  else args+=(--auth-root-authentication-method=normal); fi
  "$(find_tool mariadb-install-db)" "${args[@]}" >"$dir/install.log" 2>&1 \
    || { tail -n 20 "$dir/install.log" >&2; die "$name: mariadb-install-db failed (see $dir/install.log)"; }
  touch "$dir/.installed"
}

server_args() {
  local name="$1" read_only="$2" dir index
  dir="$(dir_of "$name")"; index="$(index_of "$name")"
  local args=(--no-defaults --datadir="$dir/data" --tmpdir="$dir" --socket="$dir/mariadbd.sock"
    --pid-file="$dir/mariadbd.pid" --log-error="$dir/error.log" --bind-address=127.0.0.1 --port="$(port_of "$name")"
    --skip-name-resolve --server-id=$((index + 1)) --log-bin=mariadb-bin --relay-log=relay-bin --binlog-format=ROW
    --log-slave-updates=ON --gtid-strict-mode=ON --innodb-buffer-pool-size=16M --innodb-log-file-size=8M
    --innodb-log-buffer-size=2M --innodb-flush-log-at-trx-commit=2 --innodb-doublewrite=OFF --innodb-use-native-aio=OFF
    --sync-binlog=0 --performance-schema=OFF --key-buffer-size=1M --aria-pagecache-buffer-size=1M --table-open-cache=200
    --max-connections=300 --max-allowed-packet=64M --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci)
  [ "$read_only" = 1 ] && args+=(--read-only=ON)
  [ "$(id -u)" -eq 0 ] && args+=(--user=root)
  local extra; read -r -a extra <<<"${PROXYLAYER_TOPOLOGY_SERVER_ARGS:-}"
  args+=("${extra[@]}")
  printf '%s\n' "${args[@]}"
}

start_instance() {
  local name="$1" read_only="$2" dir mariadbd; dir="$(dir_of "$name")"; mariadbd="$(find_tool mariadbd)"
  if is_running "$name"; then log "$name: already running (pid $(pid_of "$name"))"; return; fi
  install_datadir "$name"
  rm -f "$dir/mariadbd.pid"
  local args; mapfile -t args < <(server_args "$name" "$read_only")
  local launcher=(setsid)
  # its own UTS namespace, so @@hostname is the instance name
  [ "$hostname_isolation" = 1 ] && launcher+=(unshare --uts sh -c 'hostname "$0" && exec "$@"' "$name")
  "${launcher[@]}" "$mariadbd" "${args[@]}" </dev/null >>"$dir/launcher.log" 2>&1 &
  local launcher_pid=$! waited=0
  until sql "$name" 'SELECT 1' >/dev/null 2>&1; do
    if ! kill -0 "$launcher_pid" 2>/dev/null && ! is_running "$name"; then
      error_log_tail "$name"; die "$name: mariadbd exited while starting (see $dir/error.log)"
    fi
    [ "$waited" -ge 600 ] && { error_log_tail "$name"; die "$name: not accepting connections after 60 s"; }
    sleep 0.1; waited=$((waited + 1))
  done
  log "$name: started on 127.0.0.1:$(port_of "$name") (pid $(pid_of "$name"), read_only=$read_only)"
}

# Makes $1 a GTID replica of $2, resuming from its own binlog position (every instance logs replica updates).
replicate_from() {
  local replica="$1" source="$2"
  sql "$replica" "STOP SLAVE; SET GLOBAL gtid_slave_pos = @@global.gtid_binlog_pos;
    CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$(port_of "$source"), MASTER_USER='repl', MASTER_PASSWORD='repl',
      MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
    START SLAVE;" 2>&1 | grep -v 'Warning' >&2 || true
  # START SLAVE returns before the IO thread has connected
  local waited=0
  until [ "$(replica_field "$replica" Slave_IO_Running)" = Yes ] && [ "$(replica_field "$replica" Slave_SQL_Running)" = Yes ]; do
    [ "$waited" -ge 300 ] && die "$replica: not replicating from $source after 30 s: $(replica_field "$replica" Last_IO_Error)$(replica_field "$replica" Last_SQL_Error)"
    sleep 0.1; waited=$((waited + 1))
  done
  log "$replica: replicating from $source"
}

# Stops fetching from the source and waits until the replica applied what it already fetched.
apply_fetched() {
  local name="$1" waited=0
  sql "$name" 'STOP SLAVE IO_THREAD' >/dev/null 2>&1 || true
  while [ -n "$(replica_field "$name" Master_Host)" ] \
    && [ "$(replica_field "$name" Read_Master_Log_Pos)" != "$(replica_field "$name" Exec_Master_Log_Pos)" ]; do
    [ "$(replica_field "$name" Slave_SQL_Running)" = "Yes" ] || die "$name: SQL thread stopped before applying its relay log"
    [ "$waited" -ge 300 ] && die "$name: relay log not applied after 30 s"
    sleep 0.1; waited=$((waited + 1))
  done
}

# The highest sequence number in an instance's @@gtid_binlog_pos (one domain here).
gtid_sequence() { sql "$1" 'SELECT @@global.gtid_binlog_pos' | tr ',' '\n' | awk -F- '{ print $NF }' | sort -n | tail -n 1; }

# After the primary died, another replica may hold more of its last events than $1. As orchestrator does, $1 first
# fetches what it lacks from the most advanced one, so that every replica can follow it afterwards.
catch_up() {
  local chosen="$1" name best="" best_seq mine
  for name in "${names[@]}"; do
    [ "$name" != "$(current_primary)" ] && is_running "$name" && apply_fetched "$name"
  done
  mine="$(gtid_sequence "$chosen")"; best_seq="${mine:-0}"
  for name in "${names[@]}"; do
    [ "$name" = "$chosen" ] || [ "$name" = "$(current_primary)" ] || ! is_running "$name" && continue
    local seq; seq="$(gtid_sequence "$name")"
    [ "${seq:-0}" -gt "$best_seq" ] && { best="$name"; best_seq="$seq"; }
  done
  [ -n "$best" ] || return 0
  log "$best is ahead of $chosen (GTID seq $best_seq vs ${mine:-0}): $chosen catches up from it first"
  replicate_from "$chosen" "$best"
  local position; position="$(sql "$best" 'SELECT @@global.gtid_binlog_pos')"
  [ "$(sql "$chosen" "SELECT MASTER_GTID_WAIT('$position', 30)")" = 0 ] || die "$chosen: did not catch up with $best within 30 s"
}

# Applies what the replica already fetched, forgets its source and makes it writable.
promote() {
  local name="$1"
  apply_fetched "$name"
  sql "$name" 'STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only = OFF' >/dev/null 2>&1
  set_primary "$name"
  log "$name: promoted to primary (read_only=0)"
}

# Every other running instance replicates from the new primary $1, and catches up with it.
follow() {
  local name
  for name in "${names[@]}"; do
    [ "$name" = "$1" ] && continue
    is_running "$name" && replicate_from "$name" "$1"
  done
  wait_for_sync
}

wait_for_sync() {
  local primary position name; primary="$(current_primary)"
  position="$(sql "$primary" 'SELECT @@global.gtid_binlog_pos')"
  for name in "${names[@]}"; do
    [ "$name" = "$primary" ] && continue
    is_running "$name" || continue
    [ "$(sql "$name" "SELECT MASTER_GTID_WAIT('$position', 30)")" = 0 ] \
      || die "$name: did not catch up with $primary ($position) within 30 s: $(replica_field "$name" Last_IO_Error)$(replica_field "$name" Last_SQL_Error)"
  done
  log "replicas in sync with $primary at GTID ${position:-<empty>}"
}

stop_instance() {
  local name="$1" pid waited=0; pid="$(pid_of "$name")"
  is_running "$name" || return 0
  kill -TERM "$pid" 2>/dev/null; kill -CONT "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    [ "$waited" -ge 300 ] && { log "$name: no clean shutdown after 30 s, killing"; kill -KILL "$pid" 2>/dev/null || true; }
    sleep 0.1; waited=$((waited + 1))
  done
  log "$name: stopped"
}

# ---- commands ------------------------------------------------------------------------------------

cmd_up() {
  mkdir -p "$state_dir"; touch "$state_dir/$state_marker"
  [ -s "$state_dir/primary" ] || set_primary "${names[0]}"
  local primary name pid; primary="$(current_primary)"
  # installing is the slow part; do all datadirs at once
  local installs=()
  for name in "${names[@]}"; do install_datadir "$name" & installs+=($!); done
  for pid in "${installs[@]}"; do wait "$pid" || die "initializing a datadir failed"; done
  for name in "${names[@]}"; do
    if [ "$name" = "$primary" ]; then start_instance "$name" 0; else start_instance "$name" 1; fi
  done
  if [ ! -f "$state_dir/.schema" ]; then
    sql "$primary" "$(cat "$repo_root/scripts/sql/schema.sql")"
    touch "$state_dir/.schema"
    log "$primary: created testdb.insert_test"
  fi
  for name in "${names[@]}"; do
    [ "$name" = "$primary" ] && continue
    [ "$(replica_field "$name" Master_Port)" = "$(port_of "$primary")" ] || replicate_from "$name" "$primary"
  done
  wait_for_sync
  log "up: primary $primary; app user appuser/apppass, monitor monitor/monitor, ports ${ports[*]}"
}

cmd_status() {
  if [ ! -d "$state_dir" ]; then log "no topology in $state_dir (run: scripts/topology.sh up)"; return; fi
  local name primary; primary="$(current_primary)"
  printf '%-6s %-6s %-8s %-6s %-9s %-10s %-16s %s\n' NAME PORT PID ALIVE HOSTNAME READ_ONLY SOURCE REPLICATION
  for name in "${names[@]}"; do
    local pid alive=no host=- read_only=- source=- replication=-
    pid="$(pid_of "$name")"
    if is_running "$name"; then
      alive=yes
      host="$(sql "$name" 'SELECT @@hostname' 2>/dev/null || echo '?')"
      read_only="$(sql "$name" 'SELECT @@global.read_only' 2>/dev/null || echo '?')"
      local source_port; source_port="$(replica_field "$name" Master_Port 2>/dev/null || true)"
      if [ -n "$source_port" ]; then
        source="$(name_of_port "$source_port"):$source_port"
        replication="io=$(replica_field "$name" Slave_IO_Running) sql=$(replica_field "$name" Slave_SQL_Running) lag=$(replica_field "$name" Seconds_Behind_Master)"
      elif [ "$name" = "$primary" ]; then
        replication="primary"
      fi
    fi
    printf '%-6s %-6s %-8s %-6s %-9s %-10s %-16s %s\n' "$name" "$(port_of "$name")" "${pid:--}" "$alive" "$host" "$read_only" "$source" "$replication"
  done
}

cmd_failover() {
  [ -d "$state_dir" ] || die "no topology in $state_dir (run: scripts/topology.sh up)"
  local old_primary new_primary="" name pid; old_primary="$(current_primary)"
  for name in "${names[@]}"; do
    [ "$name" != "$old_primary" ] && is_running "$name" && { new_primary="$name"; break; }
  done
  [ -n "$new_primary" ] || die "no running replica to promote"
  if is_running "$old_primary"; then
    pid="$(pid_of "$old_primary")"
    kill -KILL "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    log "$old_primary: killed (kill -9 $pid)"
  else
    log "$old_primary: already down"
  fi
  catch_up "$new_primary"
  promote "$new_primary"
  follow "$new_primary"
  log "failover done: primary is now $new_primary"
}

cmd_failback() {
  [ -d "$state_dir" ] || die "no topology in $state_dir (run: scripts/topology.sh up)"
  local primary name restarted=0; primary="$(current_primary)"
  is_running "$primary" || die "the primary $primary is not running; run failover first"
  for name in "${names[@]}"; do
    is_running "$name" && continue
    start_instance "$name" 1
    replicate_from "$name" "$primary"
    restarted=1
  done
  if [ "$restarted" = 0 ]; then log "failback: every instance is already running"; return; fi
  wait_for_sync
  log "failback done: stopped instances rejoined as read_only replicas of $primary"
}

# Planned switchover (as ReplicationTopology.SwitchoverAsync in the integration rig): the current primary
# goes read_only, the target applies everything it logged, is promoted, and the others follow it.
cmd_switchover() {
  [ -d "$state_dir" ] || die "no topology in $state_dir (run: scripts/topology.sh up)"
  local target="${1:-}" old_primary position
  [ -n "$target" ] || die "usage: $0 switchover NAME"
  index_of "$target" >/dev/null
  old_primary="$(current_primary)"
  if [ "$target" = "$old_primary" ]; then log "switchover: $target is already the primary"; return; fi
  is_running "$old_primary" || die "the primary $old_primary is not running; use failover"
  is_running "$target" || die "$target is not running; run failback first"
  sql "$old_primary" 'SET GLOBAL read_only = ON' >/dev/null
  position="$(sql "$old_primary" 'SELECT @@global.gtid_binlog_pos')"
  log "$old_primary: read_only=1, final GTID ${position:-<empty>}"
  [ "$(sql "$target" "SELECT MASTER_GTID_WAIT('$position', 30)")" = 0 ] \
    || die "$target: did not catch up with $old_primary ($position) within 30 s: $(replica_field "$target" Last_IO_Error)$(replica_field "$target" Last_SQL_Error)"
  log "$target: caught up with $old_primary at GTID ${position:-<empty>}"
  promote "$target"
  follow "$target"
  log "switchover done: primary is now $target"
}

cmd_down() {
  if [ ! -d "$state_dir" ]; then log "down: nothing in $state_dir"; return; fi
  [ -f "$state_dir/$state_marker" ] || die "$state_dir is not a topology state directory; not removing it"
  local name stops=()
  for name in "${names[@]}"; do stop_instance "$name" & stops+=($!); done
  wait "${stops[@]}"
  rm -rf "$state_dir"
  log "down: removed $state_dir"
}

command="${1:-}"
case "$command" in
  up|status|failover|failback|down) ;;
  switchover) [ $# -eq 2 ] || { echo "usage: $0 switchover NAME" >&2; exit 2; } ;;
  *) echo "usage: $0 up|down|status|failover|failback|switchover NAME" >&2; exit 2 ;;
esac

bash "$repo_root/scripts/setup.sh" --without-dotnet >/dev/null || die "scripts/setup.sh failed"
mariadb_client="$(find_tool mariadb)"
hostname_isolation=0
if [ "$(id -u)" -eq 0 ] && unshare --uts true 2>/dev/null; then
  hostname_isolation=1
elif [ "$command" = up ]; then
  log "note: not root (or unshare not allowed); all instances report the machine's hostname"
fi

"cmd_$command" "${@:2}"
