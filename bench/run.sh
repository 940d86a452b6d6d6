#!/usr/bin/env bash
# The benchmark: the OData service against bench/Baseline (plain ASP.NET Core + System.Text.Json + ADO.NET SQLite),
# both on this machine, on loopback, each on a fresh SQLite file. From the repo root:
#
#   bash bench/run.sh                 # full: 5 scenarios x 2 apps x ROUNDS rounds of DURATION, about 7 minutes
#   SMOKE=1 bash bench/run.sh         # each scenario once for 1 s per app, no warm-up: checks the harness
#
# Environment: SCENARIOS (all: "s1 s1k s2 s3 s4 s5"; s1k is s1 with a fresh Idempotency-Key per request), DURATION (10s), ROUNDS (3), CONNECTIONS (32), THREADS (2), WARMUP (3s; 0 skips it), SEED (300 runs),
# SERVICE_PORT (5101), BASELINE_PORT (5102), BENCH_TOKEN (sent to the service as "Authorization: Bearer ..."; by
# default the run configures its own issuer and mints one), BATCH_RUNS (10000; 0 skips the batch-vs-single step),
# KEEP_TMP=1 (keep the temp dir with the databases); on a shared machine: BUSY_LIMIT (10: % of the CPU other processes
# may take during a round before it is run again), RETRIES (2), IDLE_WAIT (60 s per wait for a quiet machine) and
# IDLE_BUDGET (600 s of waiting in all; SMOKE sets 0 and RETRIES 0). Prints a markdown table and writes it to bench/results/latest.md;
# raw wrk output, per-round TSV and both apps' logs go to bench/results/raw/. Exits non-zero if either app answered
# anything but 2xx/3xx under load.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

given=()
for name in SMOKE SCENARIOS DURATION ROUNDS CONNECTIONS THREADS WARMUP SEED SERVICE_PORT BASELINE_PORT BUSY_LIMIT IDLE_WAIT IDLE_BUDGET RETRIES; do
  if [[ -n "${!name:-}" ]]; then given+=("$name=${!name}"); fi
done
if [[ -n "${BENCH_TOKEN:-}" ]]; then given+=("BENCH_TOKEN=…"); fi
command_line="${given[*]:+${given[*]} }bash bench/run.sh"

if [[ "${SMOKE:-0}" == 1 ]]; then
  DURATION=${DURATION:-1s} ROUNDS=${ROUNDS:-1} WARMUP=${WARMUP:-0} IDLE_BUDGET=${IDLE_BUDGET:-0} RETRIES=${RETRIES:-0}
fi
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-3s}
SEED=${SEED:-300}
SERVICE_PORT=${SERVICE_PORT:-5101}
BASELINE_PORT=${BASELINE_PORT:-5102}
BENCH_TOKEN=${BENCH_TOKEN:-}
BUSY_LIMIT=${BUSY_LIMIT:-10}
IDLE_WAIT=${IDLE_WAIT:-60}
IDLE_BUDGET=${IDLE_BUDGET:-600}
RETRIES=${RETRIES:-2}

out=$repo/bench/out
results=$repo/bench/results
raw=$results/raw

fail() { echo "bench: FAILED: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

# ---- tools ---------------------------------------------------------------------------------------------------------
for tool in curl awk dotnet; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done
if ! command -v wrk >/dev/null; then
  note "installing wrk (apt-get)"
  sudo=""
  if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  command -v wrk >/dev/null || fail "could not install wrk"
fi

port_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    fail "port $1 on 127.0.0.1 is already in use; stop what listens there or set SERVICE_PORT/BASELINE_PORT"
  fi
}
port_free "$SERVICE_PORT"
port_free "$BASELINE_PORT"

# ---- build ---------------------------------------------------------------------------------------------------------
mkdir -p "$out" "$results"
rm -rf "$raw"
mkdir -p "$raw"
publish() { # project, output dir
  note "publishing $1 (Release) to ${2#"$repo"/}"
  dotnet publish "$1" -c Release -o "$2" -nologo >"$raw/publish-$(basename "$2").log" 2>&1 \
    || { tail -n 40 "$raw/publish-$(basename "$2").log" >&2; fail "dotnet publish $1"; }
}
publish Service "$out/service"
publish bench/Baseline/Baseline.csproj "$out/baseline"
# Each app starts from a copy of its apphost named for the benchmark (the apphost finds its dll by the name built into
# it): a cleanup elsewhere on a shared machine that kills processes by name (pkill -f IndustryData.OData.Service)
# does not take the measured processes down halfway.
cp "$out/service/IndustryData.OData.Service" "$out/service/industrydata-bench-service"
cp "$out/baseline/Baseline" "$out/baseline/industrydata-bench-baseline"

# ---- processes -----------------------------------------------------------------------------------------------------
tmp=$(mktemp -d -t industrydata-bench.XXXXXX)
declare -A pid=() sampler=()

cleanup() {
  local status=$?
  for p in "${sampler[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pid[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  for app in service baseline; do
    if [[ -f "$tmp/$app.log" ]]; then cp "$tmp/$app.log" "$raw/$app.log"; fi
  done
  if [[ "${KEEP_TMP:-0}" == 1 ]]; then note "kept $tmp"; else rm -rf "$tmp"; fi
  exit "$status"
}
on_error() { # line, command, status: set -e stops the script; say where and whether the apps still run
  if ((BASH_SUBSHELL > 0)); then return; fi # said once, by the main shell
  echo "bench: FAILED (exit $3) at bench/run.sh line $1: $2" >&2
  for app in "${!pid[@]}"; do
    if ! kill -0 "${pid[$app]}" 2>/dev/null; then echo "bench: $app (pid ${pid[$app]}) is no longer running" >&2; fi
  done
}
trap 'on_error "$LINENO" "$BASH_COMMAND" "$?"' ERR
trap cleanup EXIT
trap 'exit 130' INT TERM

alive() { # app: fails, with the exit status and the end of its log, if the app is gone
  local app=$1 status=0
  if kill -0 "${pid[$app]}" 2>/dev/null; then return 0; fi
  wait "${pid[$app]}" 2>/dev/null || status=$?
  tail -n 40 "$tmp/$app.log" >&2
  if ((status > 128)); then status="$status (signal $((status - 128)): killed from outside?)"; fi
  fail "$app (pid ${pid[$app]}) is no longer running; exit status $status"
}

port_of() { if [[ $1 == service ]]; then echo "$SERVICE_PORT"; else echo "$BASELINE_PORT"; fi; }

# The service runs with authentication on, as in production. Unless BENCH_TOKEN is given, the run makes its own
# issuer and token (bench/bench-token.sh).
# shellcheck source=bench/bench-token.sh
source "$repo/bench/bench-token.sh"
if [[ -z "$BENCH_TOKEN" ]]; then
  mint_bench_token
fi

# Requests to the service carry the token; the baseline has no auth.
auth_args() { if [[ $1 == service && -n "$BENCH_TOKEN" ]]; then printf '%s\n' -H "Authorization: Bearer $BENCH_TOKEN"; fi; }

start() { # app
  local app=$1 port binary
  port=$(port_of "$app")
  binary=$out/$app/industrydata-bench-$app
  port_free "$port" # again: the build took a while, and readiness must not be answered by someone else's server
  (
    cd "$tmp"
    export ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
    export ConnectionStrings__Runs="Data Source=$tmp/$app.db"
    exec "$binary" --urls "http://127.0.0.1:$port"
  ) >"$tmp/$app.log" 2>&1 &
  pid[$app]=$!
  local -a auth
  mapfile -t auth < <(auth_args "$app")
  for _ in $(seq 600); do
    alive "$app"
    if [[ $(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "http://127.0.0.1:$port/\$metadata") == 200 ]]; then
      note "$app ready on 127.0.0.1:$port (pid ${pid[$app]})"
      return
    fi
    sleep 0.2
  done
  tail -n 40 "$tmp/$app.log" >&2
  fail "$app did not answer GET /\$metadata with 200 within 120 s"
}

# Peak resident memory, sampled every 0.5 s and tagged with the scenario running at that moment (file $tmp/phase).
start_sampler() { # app
  local app=$1 p=${pid[$1]}
  (
    while kill -0 "$p" 2>/dev/null; do
      kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
      if [[ -n "$kb" ]]; then echo "$(cat "$tmp/phase" 2>/dev/null || echo start) $kb"; fi
      sleep 0.5
    done
  ) >>"$tmp/rss-$app" &
  sampler[$app]=$!
}

echo seed >"$tmp/phase"
start service
start baseline
start_sampler service
start_sampler baseline

# ---- data ----------------------------------------------------------------------------------------------------------
statuses=(completed failed running completedWithWarnings completedWithErrors)
statistics='{"recordsRead":48213,"recordsWritten":48190,"recordsSkipped":23,"errorCount":0,"warningCount":23,"durationSeconds":1063.512,"bytesTransferred":73400320,"batchCount":97,"retryCount":2,"sourceSystem":"sis-prod-eu","targetSystem":"graph-education","completedPhases":["extract","transform","load"],"entityCounts":{"students":45120,"teachers":2870,"classes":223}}'

# SEED runs per app over one keep-alive connection (a curl config with one transfer per run): a fifth of them
# completed, so the s5 filter has a full page; every answer must be 201.
seed() { # app
  local app=$1 port i status type config=$tmp/seed-$1.curl
  port=$(port_of "$app")
  : >"$config"
  for ((i = 0; i < SEED; i++)); do
    status=${statuses[i % ${#statuses[@]}]}
    if ((i % 4 == 3)); then type=incomingFlowRun; else type=outgoingFlowRun; fi
    body=$(printf '{"@odata.type":"#microsoft.graph.industryData.%s","displayName":"Seed run %d","startDateTime":"2024-03-%02dT%02d:%02d:00Z","endDateTime":"2024-03-%02dT%02d:%02d:30Z","status":"%s","statistics":%s}' \
      "$type" "$i" $((i / 1440 % 28 + 1)) $((i / 60 % 24)) $((i % 60)) $((i / 1440 % 28 + 1)) $((i / 60 % 24)) $((i % 60)) "$status" "$statistics")
    {
      if ((i > 0)); then echo next; fi
      echo "url = \"http://127.0.0.1:$port/runs\""
      echo "header = \"Content-Type: application/json\""
      if [[ $app == service && -n "$BENCH_TOKEN" ]]; then echo "header = \"Authorization: Bearer $BENCH_TOKEN\""; fi
      echo "data-binary = \"${body//\"/\\\"}\""
      echo "output = \"/dev/null\""
      echo "write-out = \"%{http_code}\\n\""
    } >>"$config"
  done
  local codes
  codes=$(curl -s --config "$config" | sort | uniq -c | tr -s ' ' | sed 's/^ //')
  if [[ "$codes" != "$SEED 201" ]]; then
    local -a auth
    mapfile -t auth < <(auth_args "$app")
    local sample
    sample=$(curl -s -w ' (HTTP %{http_code})' "${auth[@]}" -H 'Content-Type: application/json' --data-binary "$body" "http://127.0.0.1:$port/runs" | head -c 600)
    fail "seeding $app: expected $SEED answers 201, got (count code): ${codes//$'\n'/, }; one more try answered: $sample"
  fi
}
declare -A run_id=()
for app in service baseline; do
  note "seeding $SEED runs into $app"
  seed "$app"
  mapfile -t auth < <(auth_args "$app")
  run_id[$app]=$(curl -s "${auth[@]}" "http://127.0.0.1:$(port_of "$app")/runs?\$top=1&\$skip=$((SEED / 2))" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
  [[ -n "${run_id[$app]}" ]] || fail "could not read back a run id from $app"
done

# ---- scenarios -----------------------------------------------------------------------------------------------------
all_scenarios=(s1 s1k s2 s3 s4 s5)
scenario_ids=()
for scenario in "${all_scenarios[@]}"; do
  if [[ " ${SCENARIOS:-${all_scenarios[*]}} " == *" $scenario "* ]]; then scenario_ids+=("$scenario"); fi
done
((${#scenario_ids[@]} > 0)) || fail "SCENARIOS='$SCENARIOS' names none of: ${all_scenarios[*]}"
declare -A title=(
  [s1]='POST /runs'
  [s1k]='POST /runs with Idempotency-Key'
  [s2]='GET /runs?$top=50'
  [s3]="GET /runs('{id}')"
  [s4]='GET /$metadata'
  [s5]="GET /runs?\$filter=status eq 'completed'&\$top=50"
)
path_of() { # scenario app
  case $1 in
    s1 | s1k) echo "/runs" ;;
    s2) echo "/runs?\$top=50" ;;
    s3) echo "/runs('${run_id[$2]}')" ;;
    s4) echo "/\$metadata" ;;
    s5) echo "/runs?\$filter=status%20eq%20%27completed%27&\$top=50" ;;
  esac
}

wrk_run() { # scenario app duration output
  local scenario=$1 app=$2 duration=$3 output=$4 url
  url="http://127.0.0.1:$(port_of "$app")$(path_of "$scenario" "$app")"
  local -a args=(-t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency)
  mapfile -t -O ${#args[@]} args < <(auth_args "$app")
  if [[ $scenario == s1 ]]; then args+=(-s "$repo/bench/post.lua"); fi
  if [[ $scenario == s1k ]]; then args+=(-s "$repo/bench/post-keyed.lua"); fi
  wrk "${args[@]}" "$url" >"$output" 2>&1 || { cat "$output" >&2; fail "wrk failed on $app $scenario"; }
}

# One request per scenario before any load: a 401 or 500 is reported at once, with its body, not after minutes.
for app in service baseline; do
  mapfile -t auth < <(auth_args "$app")
  for scenario in "${scenario_ids[@]}"; do
    url="http://127.0.0.1:$(port_of "$app")$(path_of "$scenario" "$app")"
    if [[ $scenario == s1 || $scenario == s1k ]]; then
      key=(); if [[ $scenario == s1k ]]; then key=(-H "Idempotency-Key: bench-check-$$"); fi
      answer=$(curl -s -w '\n%{http_code}' "${auth[@]}" "${key[@]}" -H 'Content-Type: application/json' \
        --data-binary "$(sed -n 's/^wrk.body = \[\[\(.*\)\]\]$/\1/p' bench/post.lua)" "$url")
    else
      answer=$(curl -s -w '\n%{http_code}' "${auth[@]}" "$url")
    fi
    code=${answer##*$'\n'}
    [[ $code == 2?? ]] || fail "$app answered $code to $scenario ${title[$scenario]} ($url): $(head -c 600 <<<"${answer%$'\n'*}")"
  done
done

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime of the process
# The whole machine: busy and total jiffies. Busy is user + nice + system + steal (guest is inside user): time charged
# to processes, or taken by the hypervisor. irq and softirq time (loopback networking, mostly ours) is left out, as no
# process can be charged with it.
machine_cpu() { awk '/^cpu / { print $2 + $3 + $4 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
apps_ticks() { local n=0 p; for p in "${pid[@]}"; do n=$((n + $(cpu_ticks "$p"))); done; echo "$n"; }
# CPU ticks used by this shell's finished children (wrk, curl, awk), from a file the builtin times wrote: times must
# run in this shell itself (a subshell starts with zeroed counters), so the caller does `times >file` first.
children_ticks() {
  awk -v t="$ticks" 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); n += p[1] * 60 + p[2] } printf "%.0f", n * t }' "$1"
}

# The apps share two cores with wrk; anything else running (a build, tests, another service) skews every number.
# Each round measures the share of the machine's CPU that other processes took; a round where it passes BUSY_LIMIT %
# is thrown away and run again (up to RETRIES times) once the machine has been quiet for 2 s, waiting up to IDLE_WAIT s
# each time and IDLE_BUDGET s over the whole run, so a machine that never calms down costs minutes, not hours.
busy_now() { # % of the machine that processes other than our two apps keep busy, over 2 s without load
  local b0 t0 b1 t1 a0 a1
  a0=$(apps_ticks)
  read -r b0 t0 < <(machine_cpu)
  sleep 2
  read -r b1 t1 < <(machine_cpu)
  a1=$(apps_ticks)
  awk -v b=$((b1 - b0 - (a1 - a0))) -v t=$((t1 - t0)) 'BEGIN { printf "%.0f", (t > 0 && b > 0 ? 100 * b / t : 0) }'
}
waited=0
wait_idle() {
  local start=$SECONDS limit busy
  limit=$((IDLE_BUDGET - waited < IDLE_WAIT ? IDLE_BUDGET - waited : IDLE_WAIT))
  while :; do
    alive service
    alive baseline
    busy=$(busy_now)
    if ((busy < BUSY_LIMIT)); then waited=$((waited + SECONDS - start)); return 0; fi
    if ((SECONDS - start >= limit)); then
      waited=$((waited + SECONDS - start))
      note "the machine is still ${busy}% busy after ${limit} s (waited ${waited} of ${IDLE_BUDGET} s in all); going on. Busiest processes:"
      ps -eo pcpu,pid,args --sort=-pcpu | head -n 6 | cut -c1-160 >&2
      return 1
    fi
  done
}
alive service
alive baseline
idle_check=$(busy_now)
if ((idle_check >= BUSY_LIMIT)); then
  note "the machine is ${idle_check}% busy before any load; waiting up to ${IDLE_WAIT} s for it to calm down"
  wait_idle || true
fi

# wrk's text to: requests/s, p50 ms, p99 ms, non-2xx/3xx count, socket errors, total requests.
parse_wrk() {
  awk '
    function ms(v,  n, u) { n = v; sub(/[a-z]+$/, "", n); u = substr(v, length(n) + 1)
      if (u == "us") return n / 1000; if (u == "ms") return n + 0; if (u == "s") return n * 1000
      if (u == "m") return n * 60000; return n + 0 }
    /Requests\/sec:/ { rps = $2 }
    /^ *50% / { p50 = ms($2) }
    /^ *99% / { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) sockets += $i + 0 }
    / requests in / { total = $1 }
    END { if (rps == "") exit 1; printf "%s %s %s %d %d %d\n", rps, p50, p99, non2xx, sockets, total }
  ' "$1"
}

# One measured round; sets file rps p50 p99 non2xx sockets total cpu others.
measure_round() { # scenario app round
  local scenario=$1 app=$2 round=$3 before after busy0 total0 busy1 total1 children_before children_after
  file=$raw/$app-$scenario-r$round.txt
  alive service
  alive baseline
  before=$(cpu_ticks "${pid[$app]}")
  times >"$tmp/times-before"
  read -r busy0 total0 < <(machine_cpu)
  wrk_run "$scenario" "$app" "$DURATION" "$file"
  read -r busy1 total1 < <(machine_cpu)
  times >"$tmp/times-after"
  alive "$app"
  after=$(cpu_ticks "${pid[$app]}")
  children_before=$(children_ticks "$tmp/times-before")
  children_after=$(children_ticks "$tmp/times-after")
  read -r rps p50 p99 non2xx sockets total < <(parse_wrk "$file") || fail "could not read wrk's output $file"
  cpu=$(awk -v d=$((after - before)) -v t="$ticks" -v n="$total" 'BEGIN { printf "%.0f", (n > 0 ? d * 1e6 / t / n : 0) }')
  # Share of the machine's CPU used by neither the app under test nor wrk during the round (the other app counts:
  # background JIT or GC there competes too).
  others=$(awk -v b=$((busy1 - busy0)) -v t=$((total1 - total0)) -v a=$((after - before)) -v w=$((children_after - children_before)) \
    'BEGIN { o = t > 0 ? 100 * (b - a - w) / t : 0; printf "%.0f", (o < 0 ? 0 : o) }')
  note "$scenario $app round $round/$ROUNDS: $rps req/s, p50 $p50 ms, p99 $p99 ms, non-2xx $non2xx, socket errors $sockets, other processes ${others}% CPU"
}

tsv=$raw/rounds.tsv
printf 'scenario\tapp\tround\treq_per_s\tp50_ms\tp99_ms\tnon_2xx_3xx\tsocket_errors\trequests\tcpu_us_per_req\tother_cpu_pct\tretries\n' >"$tsv"

# s1 inserts tens of thousands of runs, and the faster app inserts more: the reads go first so that both apps read
# the same seeded table (the status filter sorts every matching row, so its cost grows with the table). s1 and s1k
# take their rounds in turns (s1 round 1, s1k round 1, s1 round 2, ...): creates grow the table, and the key table
# with them, so a comparison of the two must not give one of them all the early, smaller-table rounds.
selected() { [[ " ${scenario_ids[*]} " == *" $1 "* ]]; }
blocks=()
for scenario in s2 s3 s4 s5; do
  if selected "$scenario"; then blocks+=("$scenario"); fi
done
creates=""
for scenario in s1 s1k; do
  if selected "$scenario"; then creates+="${creates:+ }$scenario"; fi
done
if [[ -n "$creates" ]]; then blocks+=("$creates"); fi
order=()
for block in "${blocks[@]}"; do
  read -r -a members <<<"$block"
  order+=("${members[@]}")
  if [[ "$WARMUP" != 0 ]]; then
    for scenario in "${members[@]}"; do
      echo "$scenario" >"$tmp/phase"
      for app in service baseline; do
        note "$scenario ${title[$scenario]}: warm-up $app $WARMUP"
        wrk_run "$scenario" "$app" "$WARMUP" "$raw/$app-$scenario-warmup.txt"
      done
    done
  fi
  for ((round = 1; round <= ROUNDS; round++)); do
    for scenario in "${members[@]}"; do
      echo "$scenario" >"$tmp/phase"
      for app in service baseline; do
        for ((attempt = 0; ; attempt++)); do
          measure_round "$scenario" "$app" "$round"
          if ((others <= BUSY_LIMIT || attempt >= RETRIES || waited >= IDLE_BUDGET)); then break; fi
          mv "$file" "$raw/$app-$scenario-r$round-disturbed-$attempt.txt"
          note "$scenario $app round $round: other processes took ${others}% of the CPU; waiting for a quiet machine to run it again"
          wait_idle || true
        done
        printf '%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$app" "$round" "$rps" "$p50" "$p99" "$non2xx" "$sockets" "$total" "$cpu" "$others" "$attempt" >>"$tsv"
      done
    done
  done
done
echo done >"$tmp/phase"

declare -A hwm=()
for app in service baseline; do
  hwm[$app]=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/${pid[$app]}/status")
done

# ---- report --------------------------------------------------------------------------------------------------------
# column of rounds.tsv (1-based) for one scenario and app -> median over rounds; sum for the error counts.
agg() { # scenario app column median|sum
  awk -F'\t' -v s="$1" -v a="$2" -v c="$3" -v how="$4" '
    NR > 1 && $1 == s && $2 == a { v[++n] = $c; sum += $c }
    END {
      if (how == "sum") { print sum + 0; exit }
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
      print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }' "$tsv"
}
peak_rss() { awk -v s="$1" '$1 == s && $2 > max { max = $2 } END { printf "%.0f", max / 1024 }' "$tmp/rss-$2"; }
fmt() { awk -v v="$1" -v d="$2" 'BEGIN { printf "%.*f", d, v }'; }

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_gib=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n "$(git status --porcelain -- Service Model bench 2>/dev/null)" ]]; then commit+=" (with uncommitted changes)"; fi

report=$raw/report.md
errors=0
{
  echo "Machine: $(nproc) cores, ${cpu_model:-unknown CPU}, $mem_gib GiB RAM; $(. /etc/os-release && echo "$PRETTY_NAME"); .NET SDK $(dotnet --version); $({ wrk -v 2>&1 || true; } | head -n 1 | awk '{ print $1, $2 }'); SQLite files on $(df -PT "$tmp" | awk 'NR == 2 { print $2 }'); commit $commit; $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`$command_line\` (wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS interleaved rounds per app, warm-up $WARMUP, $SEED seeded runs; wrk shares the cores with the app under test)"
  echo
  echo "| Scenario | Service req/s | Baseline req/s | Service / baseline | p50 ms service | p50 ms baseline | p99 ms service | p99 ms baseline | Non-2xx service / baseline | CPU µs/req service / baseline | Peak RSS MiB service / baseline | Others' CPU % service / baseline |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for scenario in "${scenario_ids[@]}"; do
    srps=$(agg "$scenario" service 4 median) brps=$(agg "$scenario" baseline 4 median)
    snon=$(agg "$scenario" service 7 sum) bnon=$(agg "$scenario" baseline 7 sum)
    errors=$((errors + snon + bnon))
    ratio=$(awk -v s="$srps" -v b="$brps" 'BEGIN { printf "%.2f×", (b > 0 ? s / b : 0) }')
    printf '| %s `%s` | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s / %s | %s / %s |\n' \
      "$scenario" "${title[$scenario]}" "$(fmt "$srps" 0)" "$(fmt "$brps" 0)" "$ratio" \
      "$(fmt "$(agg "$scenario" service 5 median)" 2)" "$(fmt "$(agg "$scenario" baseline 5 median)" 2)" \
      "$(fmt "$(agg "$scenario" service 6 median)" 2)" "$(fmt "$(agg "$scenario" baseline 6 median)" 2)" \
      "$snon" "$bnon" "$(agg "$scenario" service 10 median)" "$(agg "$scenario" baseline 10 median)" \
      "$(peak_rss "$scenario" service)" "$(peak_rss "$scenario" baseline)" \
      "$(agg "$scenario" service 11 median)" "$(agg "$scenario" baseline 11 median)"
  done
  if selected s1 && selected s1k; then
    # Issue 16's figure: what a key adds to a create, round by round (each s1k round ran right after its s1 round).
    for app in service baseline; do
      awk -F'\t' -v a="$app" '
        NR > 1 && $2 == a && $1 == "s1" { s1[$3] = $10 }
        NR > 1 && $2 == a && $1 == "s1k" { s1k[$3] = $10 }
        END {
          for (r in s1) if (r in s1k && s1[r] > 0) { v[++n] = s1k[r] / s1[r]; list = list sprintf("%s%.2f", sep, s1k[r] / s1[r]); sep = ", " }
          for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
          if (n) printf "\ns1k / s1 CPU per request, %s: median %.2f× over %d paired rounds (%s)%s\n", a, (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2, n, list,
            (a == "baseline" ? "; the baseline ignores the key, so its ratio is this run'"'"'s noise floor" : "")
        }' "$tsv"
    done
  fi
  echo
  others_max=$(awk -F'\t' 'NR > 1 && $11 > m { m = $11 } END { print m + 0 }' "$tsv")
  others_median=$(awk -F'\t' 'NR > 1 { print $11 }' "$tsv" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  retried=$(awk -F'\t' 'NR > 1 { n += $12 } END { print n + 0 }' "$tsv")
  empty=$(awk -F'\t' 'NR > 1 && $9 == 0 { printf "%s%s %s round %s", sep, $2, $1, $3; sep = ", " }' "$tsv")
  if ((others_max > BUSY_LIMIT)); then
    echo "**Warning: other processes used up to ${others_max}% of the machine's CPU during a measured round (median ${others_median}%, limit ${BUSY_LIMIT}%; disturbed rounds were run again ${retried} times in all). These numbers are skewed; rerun on an idle machine.**"
  else
    echo "Other processes used at most ${others_max}% of the machine's CPU during any measured round (median ${others_median}%; disturbed rounds were run again ${retried} times in all)."
  fi
  if [[ -n "$empty" ]]; then
    echo
    echo "**No request completed within the round in: $empty** (its latencies read 0)."
  fi
  echo
  echo "Req/s, latencies, CPU per request (the app's own CPU time over the requests wrk completed) and others' CPU (the share of the machine taken by processes other than the app under test and wrk) are medians over the rounds; non-2xx is the sum over the rounds. Peak RSS per scenario is the largest VmRSS sampled every 0.5 s while it ran; over the whole run (VmHWM) the service peaked at ${hwm[service]} MiB and the baseline at ${hwm[baseline]} MiB. Scenarios ran in the order ${order[*]}$(if selected s1 \&\& selected s1k; then echo ", s1 and s1k taking their rounds in turns"; fi)."
} >"$report"

cp "$report" "$results/latest.md"
echo
cat "$report"
echo
note "table written to bench/results/latest.md; raw wrk output and per-round numbers in bench/results/raw/"
# ---- batch vs single ------------------------------------------------------------------------------------------------
# Issue 9's figure: the same number of runs created through single POSTs and through $batch requests of 20.
BATCH_RUNS=${BATCH_RUNS:-$([[ "${SMOKE:-0}" == 1 ]] && echo 400 || echo 10000)}
if [[ "$BATCH_RUNS" != 0 ]]; then
  dotnet build "$repo/bench/BatchLoad" -c Release -o "$out/batchload" -nologo -v q >/dev/null || fail "could not build bench/BatchLoad"
  note "creating $BATCH_RUNS runs with single POSTs, then with \$batch requests of 20 ($CONNECTIONS clients)"
  {
    echo
    echo "Creating $BATCH_RUNS runs ($CONNECTIONS concurrent clients), single POSTs against \$batch of 20:"
    echo
    dotnet "$out/batchload/BatchLoad.dll" "http://127.0.0.1:$SERVICE_PORT" "$BENCH_TOKEN" "$BATCH_RUNS" "$CONNECTIONS"
  } | tee -a "$results/latest.md"
fi

total_sockets=$(awk -F'\t' 'NR > 1 { s += $8 } END { print s + 0 }' "$tsv")
if ((total_sockets > 0)); then note "warning: wrk counted $total_sockets socket errors (see bench/results/raw/rounds.tsv)"; fi
if ((errors > 0)); then
  fail "$errors responses under load were not 2xx/3xx (see the table and bench/results/raw/); the numbers of those scenarios are not valid"
fi
