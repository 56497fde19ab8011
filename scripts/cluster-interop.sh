#!/usr/bin/env bash
# Manual interoperability check (the automated tests do not need ProxySQL): one ProxySQL 2.7 node and one ProxyLayer
# node in one ProxySQL Cluster, in front of scripts/topology.sh's primary and two replicas. A query rule loaded on
# either node must be enforced by the other, checked by routing SELECT @@port through it.
#
#   scripts/cluster-interop.sh /path/to/proxysql-2.7.2
#
# Environment: PROXYLAYER_INTEROP_PORTS="41632 41633 41732 41733" (ProxySQL admin, mysql; ProxyLayer admin, mysql)
set -euo pipefail
proxysql="${1:?usage: $0 /path/to/proxysql-2.7.2}"
repo_root="$(cd "$(dirname "$0")/.." && pwd)"
read -r ps_admin ps_mysql pl_admin pl_mysql <<<"${PROXYLAYER_INTEROP_PORTS:-41632 41633 41732 41733}"
work="$(mktemp -d /tmp/proxylayer-interop.XXXXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

bash "$repo_root/scripts/topology.sh" up >/dev/null
read -r -a db <<<"${PROXYLAYER_TOPOLOGY_PORTS:-13306 13307 13308}"

write_config() { # dir admin_port mysql_port
  mkdir -p "$1"
  cat >"$1/proxysql.cnf" <<CNF
datadir="$1"
admin_variables = { admin_credentials="admin:admin;cluster:clusterpass" mysql_ifaces="127.0.0.1:$2"
                    cluster_username="cluster" cluster_password="clusterpass" cluster_check_interval_ms=1000 }
mysql_variables = { interfaces="127.0.0.1:$3" monitor_enabled=false }
mysql_servers = ( { address="127.0.0.1", port=${db[0]}, hostgroup=10 }, { address="127.0.0.1", port=${db[1]}, hostgroup=20 },
                  { address="127.0.0.1", port=${db[2]}, hostgroup=20 }, { address="127.0.0.1", port=${db[2]}, hostgroup=30 } )
mysql_users = ( { username="appuser", password="apppass", default_hostgroup=10 } )
CNF
}
write_config "$work/proxysql" "$ps_admin" "$ps_mysql"
write_config "$work/proxylayer" "$pl_admin" "$pl_mysql"
"$proxysql" -f -M -c "$work/proxysql/proxysql.cnf" -D "$work/proxysql" >"$work/proxysql.log" 2>&1 & pids+=($!)
dotnet build "$repo_root/src/ProxyLayer" -c Release -v q >/dev/null
"$repo_root/artifacts/bin/ProxyLayer/release/proxylayer" -f -M -c "$work/proxylayer/proxysql.cnf" -D "$work/proxylayer" \
  >"$work/proxylayer.log" 2>&1 & pids+=($!)

admin() { mariadb -h127.0.0.1 -P"$1" -uadmin -padmin --batch --skip-column-names -e "$2"; }
port_through() { mariadb -h127.0.0.1 -P"$1" -uappuser -papppass --batch --skip-column-names -e "SELECT @@port"; }
wait_for() { # what command... : up to 20 s
  local what="$1"; shift
  for _ in $(seq 80); do "$@" && { echo "ok: $what"; return 0; }; sleep 0.25; done
  echo "FAILED: $what"; exit 1
}
wait_for "both admin interfaces answer" bash -c "mariadb -h127.0.0.1 -P$ps_admin -uadmin -padmin -e 'SELECT 1' >/dev/null 2>&1 && mariadb -h127.0.0.1 -P$pl_admin -uadmin -padmin -e 'SELECT 1' >/dev/null 2>&1"
for a in "$ps_admin" "$pl_admin"; do
  admin "$a" "INSERT INTO proxysql_servers (hostname, port, comment) VALUES ('127.0.0.1', $ps_admin, 'proxysql'), ('127.0.0.1', $pl_admin, 'proxylayer'); LOAD PROXYSQL SERVERS TO RUNTIME;"
done
echo "before: through ProxySQL $(port_through "$ps_mysql"), through ProxyLayer $(port_through "$pl_mysql") (primary ${db[0]})"

admin "$ps_admin" "INSERT INTO mysql_query_rules (rule_id, active, match_digest, destination_hostgroup, apply) VALUES (10, 1, '^SELECT @@port', 30, 1); LOAD MYSQL QUERY RULES TO RUNTIME;"
wait_for "rule loaded on ProxySQL routes SELECT @@port to ${db[2]} through ProxyLayer" bash -c "[ \"\$(mariadb -h127.0.0.1 -P$pl_mysql -uappuser -papppass -N -e 'SELECT @@port')\" = ${db[2]} ]"

admin "$pl_admin" "UPDATE mysql_query_rules SET destination_hostgroup=10 WHERE rule_id=10; LOAD MYSQL QUERY RULES TO RUNTIME;"
wait_for "rule changed on ProxyLayer routes SELECT @@port to ${db[0]} through ProxySQL" bash -c "[ \"\$(mariadb -h127.0.0.1 -P$ps_mysql -uappuser -papppass -N -e 'SELECT @@port')\" = ${db[0]} ]"

admin "$pl_admin" "INSERT INTO mysql_servers (hostgroup_id, hostname, port) VALUES (40, '127.0.0.1', ${db[1]}); LOAD MYSQL SERVERS TO RUNTIME;"
wait_for "server added on ProxyLayer is in ProxySQL's runtime" bash -c "[ \"\$(mariadb -h127.0.0.1 -P$ps_admin -uadmin -padmin -N -e 'SELECT port FROM runtime_mysql_servers WHERE hostgroup_id=40')\" = ${db[1]} ]"

variables_checksums() { admin "$1" "SELECT name, checksum FROM runtime_checksums_values WHERE name LIKE '%variables' ORDER BY name"; }
[ "$(variables_checksums "$ps_admin")" = "$(variables_checksums "$pl_admin")" ] && echo "ok: same variables checksums on both" \
  || { echo "FAILED: variables checksums differ"; variables_checksums "$ps_admin"; variables_checksums "$pl_admin"; exit 1; }

admin "$pl_admin" "SET mysql-max_connections=2345; LOAD MYSQL VARIABLES TO RUNTIME;"
wait_for "variable set on ProxyLayer is in ProxySQL's runtime" bash -c "[ \"\$(mariadb -h127.0.0.1 -P$ps_admin -uadmin -padmin -N -e \"SELECT variable_value FROM runtime_global_variables WHERE variable_name='mysql-max_connections'\")\" = 2345 ]"
admin "$ps_admin" "SET admin-refresh_interval=3000; LOAD ADMIN VARIABLES TO RUNTIME;"
wait_for "variable set on ProxySQL is in ProxyLayer's runtime" bash -c "[ \"\$(mariadb -h127.0.0.1 -P$pl_admin -uadmin -padmin -N -e \"SELECT variable_value FROM runtime_global_variables WHERE variable_name='admin-refresh_interval'\")\" = 3000 ]"

for a in "$ps_admin" "$pl_admin"; do
  echo "--- runtime_checksums_values on port $a"
  admin "$a" "SELECT name, version, epoch, checksum FROM runtime_checksums_values ORDER BY name"
done
echo "--- ProxySQL's log about its ProxyLayer peer"
grep -E "Cluster: (detected a peer|Fetching|Computed checksum|Loading)" "$work/proxysql.log" | grep "$pl_admin" | tail -8 || true
echo "--- ProxyLayer's log"
grep -E "cluster: (synced|fetching|clustering)" "$work/proxylayer.log" | tail -8 || true
