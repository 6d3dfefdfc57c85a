#!/usr/bin/env bash
# ./ticker bench [FILTER] — runs BenchmarkDotNet benchmarks (Release) and prints their figures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
filter="${1:-*}"
shift || true
dotnet run -c Release --project Benchmarks/Benchmarks.csproj -- --filter "*${filter}*" --artifacts "$root/artifacts/benchmarks" "$@"
