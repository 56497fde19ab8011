#!/usr/bin/env bash
# Builds the solution and runs every test project. The last line is always
#   tests: N passed, N failed, N skipped
# and the exit code is non-zero if the build failed, a test failed or a test run was aborted.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '%s test: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*"; }

projects=(
  tests/ProxyLayer.Protocol.Tests
  tests/ProxyLayer.Tests
  tests/ProxyLayer.IntegrationTests
)
results_dir="artifacts/test-results"
total_passed=0
total_failed=0
total_skipped=0
summaries=()

print_totals() {
  echo
  for line in "${summaries[@]}"; do echo "$line"; done
  echo "tests: ${total_passed} passed, ${total_failed} failed, ${total_skipped} skipped"
}

# Reads one attribute of the <Counters> element of a TRX file.
counter() { grep -o '<Counters [^>]*>' "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]\+' || echo 0; }

if ! bash scripts/setup.sh; then
  log "setup failed"
  print_totals
  exit 1
fi

log "building ProxyLayer.slnx (Release)"
if ! dotnet build ProxyLayer.slnx -c Release --nologo -v minimal; then
  log "build FAILED"
  summaries+=("build: FAILED")
  print_totals
  exit 1
fi

rm -rf "$results_dir"
mkdir -p "$results_dir"
run_failed=0
for project in "${projects[@]}"; do
  name="$(basename "$project")"
  trx="$name.trx"
  log "running $name"
  started=$SECONDS
  dotnet test "$project" --no-build -c Release --nologo \
    --results-directory "$results_dir" \
    --logger "trx;LogFileName=$trx" \
    --logger "console;verbosity=normal" \
    --blame-hang-timeout 10m
  exit_code=$?
  elapsed=$((SECONDS - started))

  passed=0; failed=0; skipped=0; note=""
  if [ -f "$results_dir/$trx" ]; then
    total=$(counter "$results_dir/$trx" total)
    passed=$(counter "$results_dir/$trx" passed)
    failed=$(( $(counter "$results_dir/$trx" failed) + $(counter "$results_dir/$trx" error) + $(counter "$results_dir/$trx" timeout) + $(counter "$results_dir/$trx" aborted) ))
    skipped=$(( total - passed - failed ))
    [ "$skipped" -lt 0 ] && skipped=0
  fi
  # a crashed or aborted run counts as one failure even when no test reported one
  if [ "$exit_code" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
    note=" (test run exited with $exit_code)"
  fi
  [ "$failed" -gt 0 ] && run_failed=1
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  total_skipped=$((total_skipped + skipped))
  summaries+=("$(printf '%-28s %4d passed, %d failed, %d skipped in %ds%s' "$name:" "$passed" "$failed" "$skipped" "$elapsed" "$note")")
done

print_totals
exit "$run_failed"
