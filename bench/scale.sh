#!/usr/bin/env bash
# The scale benchmark: every list shape at two table sizes in one run, against the published service (Release) on
# SQLite. From the repo root:
#
#   bash bench/scale.sh                   # 1,000 and 1,000,000 runs, about 10 minutes
#   SIZES=1000,20000 bash bench/scale.sh  # a quick check of the harness
#
# Environment: SIZES (1000,1000000), REQUESTS (200 sequential requests per query, at most 4 s each), LOAD_SECONDS (10:
# each load step, 32 connections), WALK_PAGES (1000: how deep the next-link walk goes), PORT (0: a free one), KEEP_TMP=1,
# CONTENTION_ONLY=1 (only the by-key p99 with and without eight clients of unindexed scans, with and without the slots).
# Prints a markdown table (median, p90, CPU per request, growth) and SQLite's plan of each query at the largest size,
# and writes them to bench/results/scale.md.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
SIZES=${SIZES:-1000,1000000}
PORT=${PORT:-0}
out=$repo/bench/out
mkdir -p "$out" "$repo/bench/results"

note() { echo "scale: $*" >&2; }
note "publishing Service (Release) and bench/Scale"
dotnet publish Service -c Release -o "$out/scale-service" -nologo >"$out/scale-publish.log" 2>&1 || { tail -n 40 "$out/scale-publish.log" >&2; exit 1; }
dotnet build bench/Scale -c Release -o "$out/scale" -nologo >"$out/scale-build.log" 2>&1 || { tail -n 40 "$out/scale-build.log" >&2; exit 1; }

tmp=$(mktemp -d -t industrydata-scale.XXXXXX)
cleanup() { if [[ "${KEEP_TMP:-0}" == 1 ]]; then note "kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT
dotnet "$out/scale/Scale.dll" "$out/scale-service/IndustryData.OData.Service" "$tmp" "$SIZES" "$repo/bench/results/scale.md" "$PORT"
