#!/usr/bin/env bash
# Coverage-guided fuzzing of the protocol decoders (src/ProxyLayer.Protocol) with AFL++ and SharpFuzz.
# Installs afl++ (apt) and the sharpfuzz tool (dotnet tool) if missing, publishes fuzz/ProxyLayer.Fuzz to .fuzz/,
# instruments that copy of ProxyLayer.Protocol.dll, and runs afl-fuzz from the seed corpus in fuzz/corpus/TARGET.
#
#   scripts/fuzz-decoders.sh                               every target, 2 minutes each
#   scripts/fuzz-decoders.sh --minutes 10 --target framing one target
#   scripts/fuzz-decoders.sh --replay                      replay corpora and saved crashes in process, no AFL
#
# Targets: handshake-response handshake-v10 server-replies framing compressed.
# Findings land in .fuzz/findings/TARGET/default/ (crashes/, queue/, fuzzer_stats); a crash is replayed in process
# at the end so its exception and stack are printed. Exit status 1 if any target found a crash.
set -euo pipefail

log() { printf '%s fuzz: %s\n' "$(date '+%H:%M:%S')" "$*"; }
die() { log "ERROR: $*" >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
minutes=2
targets=(handshake-response handshake-v10 server-replies framing compressed)
chosen=()
replay=0
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --target) chosen+=("$2"); shift 2 ;;
    --replay) replay=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) die "unknown option '$1'" ;;
  esac
done
[ ${#chosen[@]} -gt 0 ] && targets=("${chosen[@]}")

work="$root/.fuzz"
bin="$work/bin"
mkdir -p "$work"

log "publishing fuzz/ProxyLayer.Fuzz to $bin"
rm -rf "$bin"  # a fresh copy: sharpfuzz refuses an assembly it has instrumented already
dotnet publish "$root/fuzz/ProxyLayer.Fuzz" -c Release -o "$bin" -v quiet -nologo >/dev/null

if [ "$replay" = 1 ]; then
  for target in "${targets[@]}"; do
    inputs=("$root/fuzz/corpus/$target")
    [ -d "$work/findings/$target/default/crashes" ] && inputs+=("$work/findings/$target/default/crashes")
    dotnet "$bin/ProxyLayer.Fuzz.dll" "$target" "${inputs[@]}"
  done
  exit 0
fi

if ! command -v afl-fuzz >/dev/null 2>&1; then
  log "installing afl++ (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null || die "apt-get install afl++ failed"
fi
export PATH="$PATH:$HOME/.dotnet/tools"
if ! command -v sharpfuzz >/dev/null 2>&1; then
  log "installing the sharpfuzz tool (SharpFuzz.CommandLine 2.3.0)"
  dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

log "instrumenting $bin/ProxyLayer.Protocol.dll"
sharpfuzz "$bin/ProxyLayer.Protocol.dll" >/dev/null

# dotnet itself is not instrumented (SharpFuzz instruments the managed code), hence SKIP_BIN_CHECK; the machine is
# shared, hence no CPU binding.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
status=0
summary=()
for target in "${targets[@]}"; do
  out="$work/findings/$target"
  rm -rf "$out"; mkdir -p "$work/findings"
  log "afl-fuzz $target for $minutes min"
  afl-fuzz -i "$root/fuzz/corpus/$target" -o "$out" -t 5000 -m none -V "$((minutes * 60))" \
    -- dotnet "$bin/ProxyLayer.Fuzz.dll" "$target" >"$work/$target.log" 2>&1 || true
  stats="$out/default/fuzzer_stats"
  [ -f "$stats" ] || { tail -20 "$work/$target.log"; die "afl-fuzz did not start for $target (log: $work/$target.log)"; }
  value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  crashes="$(value saved_crashes)"
  summary+=("$(printf '%-19s execs %-9s execs/s %-7s corpus %-5s edges %-5s map %-7s crashes %s' "$target" \
    "$(value execs_done)" "$(value execs_per_sec)" "$(value corpus_count)" "$(value edges_found)" "$(value bitmap_cvg)" "$crashes")")
  if [ "${crashes:-0}" != 0 ]; then
    status=1
    for crash in "$out"/default/crashes/id*; do
      log "crash $crash:"
      dotnet "$bin/ProxyLayer.Fuzz.dll" "$target" "$crash" 2>&1 | head -20 || true
    done
  fi
done
printf '%s\n' "${summary[@]}"
exit "$status"
