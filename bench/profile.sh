#!/usr/bin/env bash
# Where a request's CPU goes: the service (Release, Production, logging at Warning, authentication on) under wrk load,
# one scenario at a time, sampled with dotnet-trace (pinned in .config/dotnet-tools.json) and summarised by
# bench/profile-summary.py into µs per request per layer (docs/performance.md). From the repo root:
#
#   bash bench/profile.sh                    # s3 GET /runs('{id}'), s2 GET /runs?$top=50, s5 filtered page, s4 $metadata
#   SCENARIOS=s3 DURATION=15s bash bench/profile.sh
#
# For each scenario: a warm-up, an untraced wrk run that measures CPU µs per request (tracing itself costs CPU), then
# a traced run whose samples give each layer's share of that CPU. Writes bench/results/profile/<scenario>.speedscope.json
# (open it in https://www.speedscope.app) and bench/results/profile/profile.md.
# Environment: SCENARIOS ("s3 s2 s5 s4"), DURATION (10s), WARMUP (3s), SEED (300), CONNECTIONS (32), THREADS (2), PORT (5121),
# APP (service; baseline profiles bench/Baseline the same way, into bench/results/profile-baseline/, to compare layer by layer).
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
SCENARIOS=${SCENARIOS:-s3 s2 s5 s4} DURATION=${DURATION:-10s} WARMUP=${WARMUP:-3s} SEED=${SEED:-300}
CONNECTIONS=${CONNECTIONS:-32} THREADS=${THREADS:-2} PORT=${PORT:-5121} APP=${APP:-service}
fail() { echo "profile: FAILED: $*" >&2; exit 1; }
note() { echo "profile: $*" >&2; }
command -v wrk >/dev/null || fail "wrk is not installed (bench/run.sh installs it)"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then fail "port $PORT on 127.0.0.1 is in use"; fi
dotnet tool restore >/dev/null

out=$repo/bench/out/profile results=$repo/bench/results/profile
tmp=$(mktemp -d -t industrydata-profile.XXXXXX)
mkdir -p "$out" "$results"
service_pid=
cleanup() {
  local status=$?
  if [[ -n "$service_pid" ]]; then kill "$service_pid" 2>/dev/null || true; wait "$service_pid" 2>/dev/null || true; fi
  cp "$tmp"/*.log "$results/" 2>/dev/null || true
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ $APP == baseline ]]; then
  note "publishing bench/Baseline"
  out=$repo/bench/out/profile-baseline results=$repo/bench/results/profile-baseline
  mkdir -p "$out" "$results"
  dotnet publish bench/Baseline/Baseline.csproj -c Release -o "$out" -nologo >"$tmp/publish.log" 2>&1 || { tail -n 30 "$tmp/publish.log"; fail "publish"; }
  binary=$out/Baseline
else
  note "publishing the working tree"
  dotnet publish Service -c Release -o "$out" -nologo >"$tmp/publish.log" 2>&1 || { tail -n 30 "$tmp/publish.log"; fail "publish"; }
  binary=$out/IndustryData.OData.Service
fi
# shellcheck source=bench/bench-token.sh
source "$repo/bench/bench-token.sh"
mint_bench_token
(
  cd "$tmp"
  export ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ConnectionStrings__Runs="Data Source=$tmp/profile.db"
  exec "$binary" --urls "http://127.0.0.1:$PORT"
) >"$tmp/service.log" 2>&1 &
service_pid=$!
base=http://127.0.0.1:$PORT
for _ in $(seq 600); do
  kill -0 "$service_pid" 2>/dev/null || { tail -n 30 "$tmp/service.log"; fail "the service exited"; }
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/\$metadata") == 200 ]] && break
  sleep 0.2
done

post_body=$(sed -n 's/^wrk.body = \[\[\(.*\)\]\]$/\1/p' "$repo/bench/post.lua")
# A fifth of the runs failed, so the filtered page (s5 asks for completed) is full and others exist beside it.
for ((i = 0; i < SEED; i++)); do
  body=$post_body
  if ((i % 5 == 0)); then body=${body/\"status\":\"completed\"/\"status\":\"failed\"}; fi
  {
    if ((i > 0)); then echo next; fi
    echo "url = \"$base/runs\""
    echo "header = \"Content-Type: application/json\""
    echo "header = \"Authorization: Bearer $BENCH_TOKEN\""
    echo "data-binary = \"${body//\"/\\\"}\""
    echo "output = \"/dev/null\""
    echo "write-out = \"%{http_code}\\n\""
  } >>"$tmp/seed.curl"
done
codes=$(curl -s --config "$tmp/seed.curl" | sort | uniq -c | tr -s ' ' | sed 's/^ //')
[[ "$codes" == "$SEED 201" ]] || fail "seeding: $codes"
run_id=$(curl -s -H "Authorization: Bearer $BENCH_TOKEN" "$base/runs?\$top=1&\$skip=$((SEED / 2))" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)

path_of() {
  case $1 in
    s2) echo '/runs?$top=50' ;;
    s3) echo "/runs('$run_id')" ;;
    s4) echo '/$metadata' ;;
    s5) echo "/runs?\$filter=status%20eq%20%27completed%27&\$top=50" ;;
    *) fail "unknown scenario $1" ;;
  esac
}
load() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" -H "Authorization: Bearer $BENCH_TOKEN" "$base$(path_of "$1")"; }
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$service_pid/stat"; }
seconds() { local d=$1; [[ $d == *s ]] && d=${d%s}; echo "$d"; }

summaries=()
for scenario in $SCENARIOS; do
  note "$scenario: warm-up, measure, trace"
  load "$scenario" "$WARMUP" >/dev/null
  before=$(cpu_ticks)
  text=$(load "$scenario" "$DURATION")
  after=$(cpu_ticks)
  requests=$(awk '/ requests in / { print $1 }' <<<"$text")
  rps=$(awk '/Requests\/sec:/ { print $2 }' <<<"$text")
  cpu=$(awk -v d=$((after - before)) -v t="$ticks" -v n="$requests" 'BEGIN { printf "%.1f", d * 1e6 / t / n }')
  trace=$tmp/$scenario.nettrace
  dotnet tool run dotnet-trace -- collect -p "$service_pid" --profile dotnet-sampled-thread-time \
    --duration "00:00:00:$(printf '%02d' "$(seconds "$DURATION")")" -o "$trace" >"$tmp/trace-$scenario.log" 2>&1 &
  tracer=$!
  sleep 1
  traced_before=$(cpu_ticks)
  load "$scenario" "$DURATION" >/dev/null
  traced_ms=$(( ($(cpu_ticks) - traced_before) * 1000 / ticks ))
  wait "$tracer" || { tail -n 20 "$tmp/trace-$scenario.log"; fail "dotnet-trace"; }
  dotnet tool run dotnet-trace -- convert "$trace" --format speedscope -o "$results/$scenario" >>"$tmp/trace-$scenario.log" 2>&1
  summaries+=("$scenario|$(path_of "$scenario")|$cpu|$rps|$traced_ms|$results/$scenario.speedscope.json")
done

python3 "$repo/bench/profile-summary.py" "${summaries[@]}" >"$results/profile.md"
{ echo; echo "Command: \`APP=$APP SCENARIOS=\"$SCENARIOS\" DURATION=$DURATION bash bench/profile.sh\`; $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)"; } >>"$results/profile.md"
cat "$results/profile.md"
