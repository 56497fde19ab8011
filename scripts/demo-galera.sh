#!/usr/bin/env bash
# ProxyLayer Galera demo: a local 3-node MariaDB Galera cluster (galera1..3, Debian's galera-4) behind ProxyLayer
# configured with mysql_galera_hostgroups as a ProxySQL DBA would (writer 10, backup writer 20, reader 30,
# offline 40, max_writers=1, writer_is_also_reader=1). An application inserts every 100 ms while the writer is
# killed with kill -9; then a node is desynced and comes back.
#
#   scripts/demo-galera.sh     the whole scenario (about a minute after the build)
#   scripts/demo.sh --galera   the same
#
# Environment: PROXYLAYER_GALERA_BASE_PORT=23300 (nodes use base+10*n .. base+10*n+2; the proxy base+1 and base+2).
# Everything it creates lives in ./.demo-galera and is removed on exit. Exits non-zero when a step fails.
set -Eeuo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$repo_root/.demo-galera"
proxy_bin="$repo_root/artifacts/bin/ProxyLayer/release/proxylayer"
base="${PROXYLAYER_GALERA_BASE_PORT:-23300}"
admin_port=$((base + 1)) app_port=$((base + 2))
provider=/usr/lib/galera/libgalera_smm.so
names=(galera1 galera2 galera3)
sql_port() { echo $((base + 10 * $1)); }
group_port() { echo $((base + 10 * $1 + 1)); }
ist_port() { echo $((base + 10 * $1 + 2)); }

step_number=0
say() { printf '%s  %s\n' "$(date +%T.%3N)" "$*"; }
detail() { printf '%s      %s\n' "$(date +%T.%3N)" "$*"; }
step() { step_number=$((step_number + 1)); printf '\n'; say "[$step_number] $*"; }
die() { say "FAILED in step $step_number: $*" >&2; exit 1; }

app() { mariadb --no-defaults -h127.0.0.1 -P"$app_port" -uappuser -papppass -N "$@"; }
admin() { mariadb --no-defaults -h127.0.0.1 -P"$admin_port" -uradmin -pradmin "$@"; }
node() { local n="$1"; shift; mariadb --no-defaults -h127.0.0.1 -P"$(sql_port "$n")" -urigadmin -prigadmin -N "$@"; }
status() { node "$1" -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='$2'"; }
placement() {
  admin -N -e "SELECT hostgroup_id, port, status FROM runtime_mysql_servers ORDER BY port, hostgroup_id" |
    awk -v b="$base" '{ n = ($2 - b) / 10; s = ($3 == "ONLINE") ? $1 : $1 ":" $3; p[n] = p[n] (p[n] ? " " : "") s }
      END { for (n = 1; n <= 3; n++) printf "galera%d: %-24s", n, (p[n] ? p[n] : "-"); print "" }'
}
# Waits until galera$1's placement is $2 (20 s).
wait_placement() {
  local i line
  for i in $(seq 100); do
    line="$(placement)"
    [[ "$line" == *"galera$1: $2 "* || "$line" == *"galera$1: $2" ]] && { detail "$line"; return 0; }
    sleep 0.2
  done
  die "galera$1 is not placed '$2': $line"
}

cleanup() {
  local pid
  for pid in "$dir"/*.pid; do [ -e "$pid" ] && kill -9 "$(cat "$pid")" 2>/dev/null || true; done
  [ -n "${insert_loop:-}" ] && kill "$insert_loop" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'say "FAILED in step $step_number: line $LINENO: $BASH_COMMAND" >&2' ERR

start_node() { # $1 = node number, $2.. extra options
  local n="$1"; shift
  local d="$dir/galera$n"
  mkdir -p "$d"
  [ -d "$d/data" ] || cp -r "$dir/template" "$d/data"
  mariadbd --no-defaults --datadir="$d/data" --tmpdir="$d" --socket="$d/mariadbd.sock" --pid-file="$d/mariadbd.pid" \
    --log-error="$d/error.log" --bind-address=127.0.0.1 --port="$(sql_port "$n")" --skip-name-resolve --server-id="$n" \
    --innodb-buffer-pool-size=16M --innodb-log-file-size=8M --innodb-flush-log-at-trx-commit=2 --performance-schema=OFF \
    --binlog-format=ROW --innodb-autoinc-lock-mode=2 $( [ "$(id -u)" = 0 ] && echo --user=root ) \
    --wsrep-on=ON --wsrep-provider="$provider" --wsrep-cluster-name=proxylayer-demo --wsrep-node-name="galera$n" \
    --wsrep-cluster-address="gcomm://127.0.0.1:$(group_port 1),127.0.0.1:$(group_port 2),127.0.0.1:$(group_port 3)" \
    --wsrep-node-address="127.0.0.1:$(group_port "$n")" --wsrep-node-incoming-address="127.0.0.1:$(sql_port "$n")" \
    --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$(group_port "$n");ist.recv_addr=127.0.0.1:$(ist_port "$n");gcache.size=16M;evs.keepalive_period=PT0.3S;evs.suspect_timeout=PT1.5S;evs.inactive_timeout=PT3S;evs.inactive_check_period=PT0.5S;evs.install_timeout=PT3S" \
    "$@" >"$d/out.log" 2>&1 </dev/null &
  echo $! >"$dir/galera$n.pid"
  disown # no "Killed" line from bash when the demo kills it
  local i
  for i in $(seq 150); do
    [ "$(status "$n" WSREP_LOCAL_STATE 2>/dev/null)" = 4 ] && return 0
    sleep 0.2
  done
  tail -20 "$d/error.log" >&2
  die "galera$n did not reach Synced"
}

step "Setup: mariadb, galera-4 (scripts/setup.sh), then build the proxy in Release"
rm -rf "$dir" && mkdir -p "$dir"
bash "$repo_root/scripts/setup.sh" >"$dir/setup.log" 2>&1 || die "scripts/setup.sh failed (see $dir/setup.log)"
[ -e "$provider" ] || die "$provider is missing"
dotnet build "$repo_root/src/ProxyLayer" -c Release -nologo >"$dir/build.log" 2>&1 || die "build failed (see $dir/build.log)"
detail "built ${proxy_bin#"$repo_root"/}"

step "A 3-node Galera cluster: galera1 bootstraps (--wsrep-new-cluster), galera2 and galera3 join"
mariadb-install-db --no-defaults --datadir="$dir/template" --skip-test-db --skip-name-resolve \
  --auth-root-authentication-method=socket --extra-file="$repo_root/scripts/sql/users.sql" \
  --innodb-buffer-pool-size=16M --innodb-log-file-size=8M $( [ "$(id -u)" = 0 ] && echo --user=root ) >"$dir/install.log" 2>&1
start_node 1 --wsrep-new-cluster
for n in 2 3; do
  # Same datadir template, so a joiner that claims the cluster's position needs no state snapshot transfer.
  printf '# GALERA saved state\nversion: 2.1\nuuid:    %s\nseqno:   %s\nsafe_to_bootstrap: 0\n' \
    "$(status 1 WSREP_LOCAL_STATE_UUID)" "$(status 1 WSREP_LAST_COMMITTED)" >"$dir/grastate.tmp"
  mkdir -p "$dir/galera$n" && cp -r "$dir/template" "$dir/galera$n/data" && mv "$dir/grastate.tmp" "$dir/galera$n/data/grastate.dat"
  start_node "$n"
done
node 1 -e "CREATE DATABASE testdb; CREATE TABLE testdb.galera_demo (id INT PRIMARY KEY, node VARCHAR(64), ts DATETIME(6))"
detail "cluster size $(status 3 WSREP_CLUSTER_SIZE), status $(status 3 WSREP_CLUSTER_STATUS), ports $(sql_port 1) $(sql_port 2) $(sql_port 3)"

step "The proxy, configured with a ProxySQL config file: all nodes in writer hostgroup 10"
cat >"$dir/proxysql.cnf" <<EOF
datadir="$dir/proxy"
admin_variables = { admin_credentials="admin:admin;radmin:radmin"  mysql_ifaces="127.0.0.1:$admin_port" }
mysql_variables = { interfaces="127.0.0.1:$app_port"  monitor_username="monitor"  monitor_password="monitor"
                    monitor_galera_healthcheck_interval=500  monitor_galera_healthcheck_timeout=800 }
mysql_servers = ( { address="127.0.0.1", port=$(sql_port 1), hostgroup=10 }, { address="127.0.0.1", port=$(sql_port 2), hostgroup=10 },
                  { address="127.0.0.1", port=$(sql_port 3), hostgroup=10 } )
mysql_galera_hostgroups = ( { writer_hostgroup=10, backup_writer_hostgroup=20, reader_hostgroup=30, offline_hostgroup=40,
                              max_writers=1, writer_is_also_reader=1, max_transactions_behind=100 } )
mysql_users = ( { username="appuser", password="apppass", default_hostgroup=10 } )
mysql_query_rules = ( { rule_id=1, active=1, match_pattern="^SELECT.*FOR UPDATE", destination_hostgroup=10, apply=1 },
                      { rule_id=2, active=1, match_pattern="^SELECT", destination_hostgroup=30, apply=1 } )
EOF
mkdir -p "$dir/proxy"
"$proxy_bin" -f -c "$dir/proxysql.cnf" -D "$dir/proxy" --initial >"$dir/proxy.log" 2>&1 </dev/null &
echo $! >"$dir/proxy.pid"
disown
for i in $(seq 100); do admin -e "SELECT 1" >/dev/null 2>&1 && break; sleep 0.2; done
detail "writers by ProxySQL's order (weight DESC, hostname DESC, port DESC): galera3 has the highest port"
wait_placement 3 "10 30"
wait_placement 1 "10:SHUNNED 20 30"
admin -t -e "SELECT writer_hostgroup, backup_writer_hostgroup, reader_hostgroup, offline_hostgroup, max_writers, writer_is_also_reader FROM runtime_mysql_galera_hostgroups" | while IFS= read -r l; do detail "$l"; done

step "Reads spread over the three nodes, writes go to the one writer"
reads="$(for i in $(seq 30); do app -e "SELECT @@wsrep_node_name"; done | sort | uniq -c | tr -s ' ' | paste -sd, -)"
writes="$(for i in $(seq 10); do app -e "SELECT @@wsrep_node_name FOR UPDATE"; done | sort | uniq -c | tr -s ' ' | paste -sd, -)"
detail "30 reads:$reads"
detail "10 SELECT … FOR UPDATE:$writes"

step "kill -9 the writer (galera3) while the application inserts every 100 ms"
: >"$dir/inserts.log"
(
  id=0
  while :; do
    id=$((id + 1)); start=$(date +%s%3N)
    if out="$(app -e "INSERT INTO testdb.galera_demo VALUES ($id, @@wsrep_node_name, NOW(6))" 2>&1)"; then r=ok; else r="$out"; fi
    echo "$id $(( $(date +%s%3N) - start )) $r" >>"$dir/inserts.log"
    sleep 0.1
  done
) &
insert_loop=$!
sleep 3
kill -9 "$(cat "$dir/galera3.pid")"
say "killed galera3"
wait_placement 2 "10 30"
wait_placement 3 "40"
grep -E "galera writer hostgroup" "$dir/proxy.log" | tail -2 | sed 's/^.*monitor: //' | while IFS= read -r l; do detail "$l"; done
sleep 4
kill "$insert_loop" 2>/dev/null; wait "$insert_loop" 2>/dev/null || true; insert_loop=
total=$(wc -l <"$dir/inserts.log"); failed=$(grep -vc ' ok$' "$dir/inserts.log" || true)
longest=$(awk '{ if ($2 > m) m = $2 } END { print m }' "$dir/inserts.log")
acked=$(awk '$3 == "ok" { print $1 }' "$dir/inserts.log" | sort -n)
stored=$(node 2 -e "SET SESSION wsrep_sync_wait=1; SELECT id FROM testdb.galera_demo ORDER BY id" | sort -n)
lost=$(comm -23 <(echo "$acked") <(echo "$stored") | grep -c . || true)
detail "$total inserts, $failed failed, longest ${longest} ms, $lost acknowledged insert(s) missing on galera2"
{ grep -v ' ok$' "$dir/inserts.log" || true; } | while IFS= read -r l; do detail "failed insert (id, ms, error): $l"; done

step "galera1 desynced (SET GLOBAL wsrep_desync=ON) leaves the readers, and comes back"
node 1 -e "SET GLOBAL wsrep_desync=ON"
wait_placement 1 "40"
reads="$(for i in $(seq 20); do app -e "SELECT @@wsrep_node_name"; done | sort | uniq -c | tr -s ' ' | paste -sd, -)"
detail "20 reads while desynced:$reads"
node 1 -e "SET GLOBAL wsrep_desync=OFF"
wait_placement 1 "10:SHUNNED 20 30"
admin -t -e "SELECT hostname, port, time_start_us, primary_partition, read_only, wsrep_local_state, wsrep_desync, error FROM monitor.mysql_server_galera_log WHERE port=$(sql_port 1) ORDER BY time_start_us DESC LIMIT 3" | while IFS= read -r l; do detail "$l"; done

step "Summary"
say "writer killed: $failed of $total inserts failed, $lost lost; the writer moved to galera2, the dead node to offline hostgroup 40"
[ "$lost" = 0 ] && [ "$failed" -le 1 ] || die "inserts failed or were lost"
say "done: everything under $dir is removed on exit"
