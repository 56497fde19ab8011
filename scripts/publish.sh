#!/usr/bin/env bash
# Builds the proxylayer binary for production: Native AOT, a self-contained executable (no .NET runtime needed
# where it runs; SQLite's native library sits beside it) that idles at about 30 MB RSS instead of about 85 MB for
# the JIT build. Installs the linker it needs (clang, zlib1g-dev) first. The tests, the demo and `dotnet build`
# use the JIT build; both behave the same.
#
#   scripts/publish.sh              -> artifacts/aot/proxylayer
#   scripts/publish.sh --output DIR
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
output="$repo_root/artifacts/aot"

log() { printf '%s publish: %s\n' "$(date '+%H:%M:%S')" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

while [ "$#" -gt 0 ]; do
  case "$1" in
    --output) output="${2:?--output needs a directory}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

bash "$repo_root/scripts/setup.sh" --with-aot | sed 's/^/    /'
runtime="linux-$(case "$(uname -m)" in aarch64) echo arm64 ;; *) echo x64 ;; esac)"
log "dotnet publish src/ProxyLayer (Native AOT, $runtime) to $output; takes a minute or two"
dotnet publish "$repo_root/src/ProxyLayer" -c Release -r "$runtime" -p:PublishAot=true -o "$output" -nologo -v quiet \
  || die "publish failed"
[ -x "$output/proxylayer" ] || die "publish produced no $output/proxylayer"
log "built $output/proxylayer ($(du -h "$output/proxylayer" | cut -f1))"
