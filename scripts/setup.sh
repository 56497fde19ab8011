#!/usr/bin/env bash
# Installs what the tests and the demo topology need: mariadbd, the mariadb client, sysbench, unshare,
# python3-prometheus-client (the metrics tests' parser), python3-pymysql (+ cryptography, nacl: the auth tests' client),
# node with npm and the node mysql2 and mariadb clients (pinned, into .cache/node, which git ignores: the auth tests' clients),
# chromium (the dashboard tests' browser), and checks for the .NET SDK. Idempotent. Never starts (or relies on) the
# distribution's mariadb service.
#
#   scripts/setup.sh                 everything
#   scripts/setup.sh --without-dotnet   skip the .NET SDK check (the bash topology does not need it)
#   scripts/setup.sh --with-haproxy     also haproxy (only scripts/bench.sh --haproxy needs it)
#   scripts/setup.sh --with-aot         also clang and zlib1g-dev, the linker Native AOT builds need (scripts/publish.sh)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# node mysql2 logs in through the proxy in tests/ProxyLayer.IntegrationTests/Auth (Mysql2ClientAuthTests), which
# looks for it exactly here; the version is pinned so the test drives the client code it was written against.
mysql2_version=3.24.6
# node mariadb (MariaDB's own connector) is the one client here with PARSEC (MariadbNodeParsecTests).
mariadb_node_version=3.5.4
node_cache="$repo/.cache/node"

log() { printf '%s setup: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

check_dotnet=1
tools=(mariadbd mariadb-install-db mariadb sysbench unshare)
for argument in "$@"; do
  case "$argument" in
    --without-dotnet) check_dotnet=0 ;;
    --with-haproxy) tools+=(haproxy) ;;
    --with-aot) tools+=(clang) ;;
    *) die "unknown option '$argument' (expected --without-dotnet, --with-haproxy or --with-aot)" ;;
  esac
done

# mariadbd lives in /usr/sbin, which is not on every user's PATH
has() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }

packages=()
has mariadbd || packages+=(mariadb-server)
has mariadb-install-db || packages+=(mariadb-server)
has mariadb || packages+=(mariadb-client)
has sysbench || packages+=(sysbench)
has unshare || packages+=(util-linux)
# Debian's chromium: the web dashboard's tests drive it through Playwright (never a browser Playwright downloads)
[ -x /usr/bin/chromium ] || packages+=(chromium)
# The Galera tests start a real cluster with the wsrep provider (a Recommends of mariadb-server, not pulled in here).
[ -e /usr/lib/galera/libgalera_smm.so ] || packages+=(galera-4)
# the Prometheus Python client's text parsers check the /metrics output in the tests (Debian's python3, not a venv's)
/usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1 || packages+=(python3-prometheus-client)
# PyMySQL logs in through the proxy in the auth tests: caching_sha2 (RSA through python3-cryptography), ed25519 (python3-nacl)
/usr/bin/python3 -c 'import pymysql' >/dev/null 2>&1 || packages+=(python3-pymysql)
/usr/bin/python3 -c 'import cryptography' >/dev/null 2>&1 || packages+=(python3-cryptography)
/usr/bin/python3 -c 'import nacl' >/dev/null 2>&1 || packages+=(python3-nacl)
# node and npm for the mysql2 client (any node from 8 on runs mysql2 3.x; Debian 12 has 18)
has node || packages+=(nodejs)
has npm || packages+=(npm)
[[ " ${tools[*]} " == *" haproxy "* ]] && ! has haproxy && packages+=(haproxy)
if [[ " ${tools[*]} " == *" clang "* ]]; then
  has clang || packages+=(clang)
  [ -e /usr/include/zlib.h ] || packages+=(zlib1g-dev)
fi

if [ "${#packages[@]}" -gt 0 ]; then
  mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to install: ${packages[*]}"
    sudo=(sudo)
  fi

  # policy-rc.d exiting 101 forbids maintainer scripts to start services, so installing mariadb-server
  # does not start the distribution's instance. Any existing policy is put back afterwards.
  policy=/usr/sbin/policy-rc.d
  policy_backup=""
  restore_policy() {
    if [ -n "$policy_backup" ]; then
      "${sudo[@]}" mv -f "$policy_backup" "$policy"
    else
      "${sudo[@]}" rm -f "$policy"
    fi
  }
  if [ -e "$policy" ]; then
    policy_backup="$(mktemp /usr/sbin/policy-rc.d.proxylayer.XXXXXX 2>/dev/null || echo /usr/sbin/policy-rc.d.proxylayer)"
    "${sudo[@]}" cp -p "$policy" "$policy_backup"
  fi
  trap restore_policy EXIT
  printf '#!/bin/sh\n# written by ProxyLayer scripts/setup.sh during package installation\nexit 101\n' \
    | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"

  log "installing ${packages[*]} (apt-get, services not started)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${packages[@]}"
  restore_policy
  trap - EXIT
  log "installed ${packages[*]}"
fi

for tool in "${tools[@]}"; do
  has "$tool" || die "'$tool' is still missing after installation"
done
/usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1 || die "python3-prometheus-client is still missing after installation"
/usr/bin/python3 -c 'import pymysql, cryptography, nacl' >/dev/null 2>&1 || die "python3-pymysql, python3-cryptography or python3-nacl is still missing after installation"

# mysql2 and mariadb from the npm registry into the repository's own cache folder, only when a version is not there
# yet; both in one npm call, since npm removes what a --no-save install of another package does not name.
installed_node_package() { node -p "require('$node_cache/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [ "$(installed_node_package mysql2)" != "$mysql2_version" ] || [ "$(installed_node_package mariadb)" != "$mariadb_node_version" ]; then
  has node && has npm || die "node and npm are needed to install mysql2 and mariadb (packages nodejs, npm)"
  log "installing mysql2@$mysql2_version and mariadb@$mariadb_node_version into $node_cache (npm)"
  mkdir -p "$node_cache"
  npm install --prefix "$node_cache" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "mysql2@$mysql2_version" "mariadb@$mariadb_node_version" \
    || die "npm could not install mysql2@$mysql2_version and mariadb@$mariadb_node_version into $node_cache"
  [ "$(installed_node_package mysql2)" = "$mysql2_version" ] || die "mysql2@$mysql2_version is still missing from $node_cache after npm install"
  [ "$(installed_node_package mariadb)" = "$mariadb_node_version" ] || die "mariadb@$mariadb_node_version is still missing from $node_cache after npm install"
fi

if [ "$check_dotnet" -eq 1 ]; then
  command -v dotnet >/dev/null 2>&1 \
    || die "the .NET SDK ('dotnet') is not on PATH; install .NET SDK 10 (https://dotnet.microsoft.com/download) and retry"
  dotnet --list-sdks 2>/dev/null | grep -q '^10\.' \
    || die "the .NET 10 SDK is required; found: $(dotnet --list-sdks 2>/dev/null | tr '\n' ' ')"
fi

log "ok: $(/usr/sbin/mariadbd --version 2>/dev/null || mariadbd --version | head -1)"
