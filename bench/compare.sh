#!/usr/bin/env bash
# Before/after: the service built from a git ref (A) against the working tree (B), side by side on this machine,
# alternating wrk rounds on s1-s3 (s2 GET /runs?$top=50, s3 GET /runs('{id}'), s1 POST /runs), so that both see the
# same noise. From the repo root:
#
#   bash bench/compare.sh main          # A = main, B = the working tree, both exporting nothing
#   OTLP=1 bash bench/compare.sh HEAD   # B exports traces, metrics and logs over OTLP/HTTP to bench/otlp-sink.py
#
# Environment: ROUNDS (5), DURATION (10s), WARMUP (3s), SEED (300), CONNECTIONS (32), THREADS (2), A_PORT (5111),
# B_PORT (5112), SINK_PORT (5113), OTLP (0), SCENARIOS ("s2 s3 s1"), B_ENV (space-separated NAME=value settings for B
# only, e.g. B_ENV="DOTNET_gcServer=0" to weigh a runtime setting against the same build). Other OTEL_* variables (e.g. OTEL_TRACES_SAMPLER)
# reach both builds; only B has an exporter, so only B acts on them. Round order alternates (A then B, B then A). Prints a table of CPU time
# per request (the steadiest number on a shared machine) and req/s, medians over rounds, and writes it with the
# per-round numbers to bench/results/compare/.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
REF=${1:-HEAD}
ROUNDS=${ROUNDS:-5} DURATION=${DURATION:-10s} WARMUP=${WARMUP:-3s} SEED=${SEED:-300}
CONNECTIONS=${CONNECTIONS:-32} THREADS=${THREADS:-2} OTLP=${OTLP:-0} SCENARIOS=${SCENARIOS:-s2 s3 s1}
A_PORT=${A_PORT:-5111} B_PORT=${B_PORT:-5112} SINK_PORT=${SINK_PORT:-5113}
fail() { echo "compare: FAILED: $*" >&2; exit 1; }
note() { echo "compare: $*" >&2; }
command -v wrk >/dev/null || fail "wrk is not installed (bench/run.sh installs it)"
for port in "$A_PORT" "$B_PORT" "$SINK_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "port $port on 127.0.0.1 is in use"; fi
done

out=$repo/bench/out results=$repo/bench/results/compare
tmp=$(mktemp -d -t industrydata-compare.XXXXXX)
mkdir -p "$out" "$results"
declare -A pid=()
cleanup() {
  local status=$?
  for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pid[@]}"; do for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; kill -9 "$p" 2>/dev/null || true; done
  cp "$tmp"/*.log "$results/" 2>/dev/null || true
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

note "publishing A ($REF) and B (working tree)"
mkdir -p "$tmp/src"
git archive "$REF" | tar -x -C "$tmp/src"
a_commit=$(git rev-parse --short "$REF")
b_commit=$(git rev-parse --short HEAD)
if [[ -n "$(git status --porcelain -- Service Model 2>/dev/null)" ]]; then b_commit+=" with uncommitted changes"; fi
dotnet publish "$tmp/src/Service" -c Release -o "$out/compare-a" -nologo >"$tmp/publish-a.log" 2>&1 || { tail -n 30 "$tmp/publish-a.log"; fail "publish A"; }
dotnet publish Service -c Release -o "$out/compare-b" -nologo >"$tmp/publish-b.log" 2>&1 || { tail -n 30 "$tmp/publish-b.log"; fail "publish B"; }
# Copies named for this script: a cleanup elsewhere that kills by name does not take them down halfway.
cp "$out/compare-a/IndustryData.OData.Service" "$out/compare-a/industrydata-compare-a"
cp "$out/compare-b/IndustryData.OData.Service" "$out/compare-b/industrydata-compare-b"

# Authentication stays on: a random signing key and a write token (bench/bench-token.sh), as in bench/run.sh.
# shellcheck source=bench/bench-token.sh
source "$repo/bench/bench-token.sh"
mint_bench_token
TOKEN=$BENCH_TOKEN
export Throttling__PermitsPerWindow=1000000000 ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning

if [[ "$OTLP" == 1 ]]; then
  python3 "$repo/bench/otlp-sink.py" "$SINK_PORT" "$tmp/sink.txt" >"$tmp/sink.log" 2>&1 &
  pid[sink]=$!
fi
port_of() { if [[ $1 == a ]]; then echo "$A_PORT"; else echo "$B_PORT"; fi; }
start() { # app
  local app=$1
  (
    cd "$tmp"
    export ConnectionStrings__Runs="Data Source=$tmp/$app.db"
    if [[ $app == b && -n "${B_ENV:-}" ]]; then
      # shellcheck disable=SC2086 # word splitting intended: NAME=value pairs
      export ${B_ENV}
    fi
    if [[ $app == b && "$OTLP" == 1 ]]; then
      export OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
    fi
    exec "$out/compare-$app/industrydata-compare-$app" --urls "http://127.0.0.1:$(port_of "$app")"
  ) >"$tmp/$app.log" 2>&1 &
  pid[$app]=$!
  for _ in $(seq 600); do
    kill -0 "${pid[$app]}" 2>/dev/null || { tail -n 30 "$tmp/$app.log"; fail "$app exited"; }
    if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(port_of "$app")/health") == 200 ]]; then return; fi
    sleep 0.2
  done
  fail "$app did not become healthy"
}
start a
start b

post_body=$(sed -n 's/^wrk.body = \[\[\(.*\)\]\]$/\1/p' "$repo/bench/post.lua")
declare -A run_id=()
for app in a b; do
  config=$tmp/seed-$app.curl
  : >"$config"
  for ((i = 0; i < SEED; i++)); do
    {
      if ((i > 0)); then echo next; fi
      echo "url = \"http://127.0.0.1:$(port_of "$app")/runs\""
      echo "header = \"Content-Type: application/json\""
      echo "header = \"Authorization: Bearer $TOKEN\""
      echo "data-binary = \"${post_body//\"/\\\"}\""
      echo "output = \"/dev/null\""
      echo "write-out = \"%{http_code}\\n\""
    } >>"$config"
  done
  codes=$(curl -s --config "$config" | sort | uniq -c | tr -s ' ' | sed 's/^ //')
  [[ "$codes" == "$SEED 201" ]] || fail "seeding $app: $codes"
  run_id[$app]=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$(port_of "$app")/runs?\$top=1&\$skip=$((SEED / 2))" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
done

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
machine_cpu() { awk '/^cpu / { print $2 + $3 + $4 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
wrk_run() { # scenario app duration
  local path args=(-t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency -H "Authorization: Bearer $TOKEN")
  case $1 in
    s1) path=/runs; args+=(-s "$repo/bench/post.lua") ;;
    s2) path='/runs?$top=50' ;;
    s3) path="/runs('${run_id[$2]}')" ;;
  esac
  wrk "${args[@]}" "http://127.0.0.1:$(port_of "$2")$path"
}
tsv=$results/rounds.tsv
printf 'scenario\tapp\tround\treq_per_s\tp99\tcpu_us_per_req\tmachine_busy_pct\tnon_2xx\n' >"$tsv"
for scenario in $SCENARIOS; do
  if [[ "$WARMUP" != 0 ]]; then for app in a b; do wrk_run "$scenario" "$app" "$WARMUP" >/dev/null; done; fi
  for ((round = 1; round <= ROUNDS; round++)); do
    order=(a b)
    if ((round % 2 == 0)); then order=(b a); fi
    for app in "${order[@]}"; do
      before=$(cpu_ticks "${pid[$app]}")
      read -r busy0 total0 < <(machine_cpu)
      text=$(wrk_run "$scenario" "$app" "$DURATION")
      read -r busy1 total1 < <(machine_cpu)
      after=$(cpu_ticks "${pid[$app]}")
      requests=$(awk '/ requests in / { print $1 }' <<<"$text")
      rps=$(awk '/Requests\/sec:/ { print $2 }' <<<"$text")
      p99=$(awk '/^ *99% / { print $2 }' <<<"$text")
      non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$text")
      cpu=$(awk -v d=$((after - before)) -v t="$ticks" -v n="$requests" 'BEGIN { printf "%.0f", (n > 0 ? d * 1e6 / t / n : 0) }')
      busy=$(awk -v b=$((busy1 - busy0)) -v t=$((total1 - total0)) 'BEGIN { printf "%.0f", (t > 0 ? 100 * b / t : 0) }')
      printf '%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$app" "$round" "$rps" "$p99" "$cpu" "$busy" "${non2xx:-0}" >>"$tsv"
      note "$scenario $app round $round: $rps req/s, $cpu µs CPU/request, machine ${busy}% busy"
    done
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -F'\t' -v s="$1" -v a="$2" -v c="$3" 'NR > 1 && $1 == s && $2 == a { print $c }' "$tsv"; }
{
  echo "A = \`$REF\` ($a_commit), B = working tree at $b_commit$([[ "$OTLP" == 1 ]] && echo ', B exporting over OTLP/HTTP to bench/otlp-sink.py'); $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`$([[ "$OTLP" == 1 ]] && echo 'OTLP=1 ')$(env | grep -E '^OTEL_TRACES_SAMPLER' | sort | tr '\n' ' ')bash bench/compare.sh $REF\` ($ROUNDS alternating rounds of $DURATION per build after a $WARMUP warm-up, wrk -t$THREADS -c$CONNECTIONS)"
  echo
  echo "| Scenario | CPU µs/req A | CPU µs/req B | B / A (medians) | B / A per round (min–max) | req/s A | req/s B | machine busy % (median) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for scenario in $SCENARIOS; do
    ca=$(col "$scenario" a 6 | median) cb=$(col "$scenario" b 6 | median)
    range=$(paste <(col "$scenario" a 6) <(col "$scenario" b 6) | awk '{ r = $2 / $1; if (NR == 1 || r < lo) lo = r; if (NR == 1 || r > hi) hi = r } END { printf "%.2f–%.2f", lo, hi }')
    printf '| %s | %s | %s | %.2f | %s | %.0f | %.0f | %s |\n' "$scenario" "$ca" "$cb" "$(awk -v a="$ca" -v b="$cb" 'BEGIN { print b / a }')" "$range" \
      "$(col "$scenario" a 4 | median)" "$(col "$scenario" b 4 | median)" "$(awk -F'\t' -v s="$scenario" 'NR > 1 && $1 == s { print $7 }' "$tsv" | median)"
  done
  echo
  echo "Peak resident memory (VmHWM): A $(awk '/^VmHWM:/ { printf "%.0f MiB", $2 / 1024 }' "/proc/${pid[a]}/status"), B $(awk '/^VmHWM:/ { printf "%.0f MiB", $2 / 1024 }' "/proc/${pid[b]}/status")${B_ENV:+ (B with $B_ENV)}"
  non=$(awk -F'\t' 'NR > 1 { n += $8 } END { print n + 0 }' "$tsv")
  if ((non > 0)); then echo; echo "**$non responses were not 2xx/3xx: these numbers are not valid.**"; fi
} >"$results/compare.md"
if [[ -n "${pid[sink]:-}" ]]; then
  kill -TERM "${pid[a]}" "${pid[b]}"; wait "${pid[b]}" 2>/dev/null || true  # B flushes its last export on shutdown
  kill -TERM "${pid[sink]}"; wait "${pid[sink]}" 2>/dev/null || true
  { echo; echo "Received by the OTLP sink from B:"; echo; sed 's/^/    /' "$tmp/sink.txt"; } >>"$results/compare.md"
fi
cat "$results/compare.md"
