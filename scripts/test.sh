#!/usr/bin/env bash
# ./ticker test — installs the real tools the tests drive when they are missing, then runs the whole suite.
# Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Greeks).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install-tools.sh" || exit 1
export TICKER_ROOT="$root"
cd "$root"
mkdir -p artifacts
log="$root/artifacts/test-output.log"
dotnet test Tests/Tests.csproj -c Debug -nologo --logger "console;verbosity=normal" "$@" >"$log" 2>&1
status=$?
# Passing tests are many and say little; everything else is shown.
grep -Ev '^\s*Passed |^\s*$' "$log"
# A plain closing line that any reader of CI output understands, summed over the run's totals.
count() { grep -E "^\s+$1: *[0-9]+" "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
# CI shows only the end of the output, so each failed test's name and message is repeated here, last.
awk '/^[[:space:]]+Failed [A-Za-z_]/ {shown = 0; printing = 1; print "FAILED:"}
     /^[[:space:]]+(Passed|Skipped) [A-Za-z_]/ || /^Test Run|^Total tests/ {printing = 0}
     printing && shown < 25 {print; shown++}' "$log"
echo "tests: $(count Passed) passed, $(count Failed) failed, $(count Skipped) skipped"
exit "$status"
