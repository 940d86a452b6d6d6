#!/usr/bin/env bash
# Change notifications, measured (issue 25's targets), all on loopback, each configuration on a fresh SQLite file:
#   1. creates at 32 connections with 10 subscriptions (one of them at a receiver that never answers) / without any,
#      interleaved rounds: once with subscriptions that cover every run (each create delivered nine times), once with
#      subscriptions watching for failed runs (each create recorded and judged, none delivered);
#   2. commit-to-delivery latency: runs created one at a time at a steady pace (alone, then while wrk loads the
#      service), each run's 201 time against its notification's arrival at the receiver;
#   3. backlog drain: N creates while the receiver fails, then the time to deliver all of them once it recovers.
# From the repo root:   bash bench/notifications.sh
# Environment: ROUNDS (3), DURATION (10s), WARMUP (3s), CONNECTIONS (32), PROBES (300 paced creates), PROBE_RATE (20/s),
# BACKLOG (20000), SERVICE_PORT (5111), RECEIVER_PORT (5112). Writes bench/results/notifications.md.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-10s} CONNECTIONS=${CONNECTIONS:-32}
WARMUP=${WARMUP:-3s} PROBES=${PROBES:-300} PROBE_RATE=${PROBE_RATE:-20} BACKLOG=${BACKLOG:-20000}
SERVICE_PORT=${SERVICE_PORT:-5111} RECEIVER_PORT=${RECEIVER_PORT:-5112}
out=$repo/bench/out/notify-service
results=$repo/bench/results
mkdir -p "$results"
note() { echo "notifications: $*" >&2; }
fail() { echo "notifications: FAILED: $*" >&2; exit 1; }
for tool in wrk curl python3 openssl; do command -v "$tool" >/dev/null || fail "$tool is not installed"; done

# shellcheck source=bench/bench-token.sh
source "$repo/bench/bench-token.sh"
mint_bench_token
auth=(-H "Authorization: Bearer $BENCH_TOKEN")

note "publishing Service (Release)"
dotnet publish Service -c Release -o "$out" -nologo >/dev/null

tmp=$(mktemp -d -t industrydata-notify.XXXXXX)
service_pid="" receiver_pid=""
cleanup() {
  [[ -n "$service_pid" ]] && kill "$service_pid" 2>/dev/null
  [[ -n "$receiver_pid" ]] && kill "$receiver_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

python3 bench/notify-receiver.py "$RECEIVER_PORT" &
receiver_pid=$!
receiver="http://127.0.0.1:$RECEIVER_PORT"

start_service() { # database name
  [[ -n "$service_pid" ]] && { kill "$service_pid"; wait "$service_pid" 2>/dev/null || true; }
  (
    export ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
    export ConnectionStrings__Runs="Data Source=$tmp/$1.db" Subscriptions__Outbound__AllowLoopback=true
    exec "$out/IndustryData.OData.Service" --urls "http://127.0.0.1:$SERVICE_PORT"
  ) >"$tmp/$1.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 300); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SERVICE_PORT/health") == 200 ]] && return
    sleep 0.2
  done
  tail -n 30 "$tmp/$1.log" >&2
  fail "the service did not start"
}

subscribe() { # notification path [$filter]: one caller, so each subscription needs its own resource (else 409)
  local expires resource=runs
  if [[ -n "${2:-}" ]]; then resource="runs?\$filter=$2"; fi
  expires=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
  curl -sf -o /dev/null "${auth[@]}" -H 'Content-Type: application/json' "http://127.0.0.1:$SERVICE_PORT/subscriptions" \
    -d "{\"changeType\":\"created,updated,deleted\",\"resource\":\"$resource\",\"notificationUrl\":\"$receiver/$1\",\"expirationDateTime\":\"$expires\"}" \
    || fail "subscribing $1 failed"
}

creates_per_second() { # label: after a warm-up round (JIT, connection pools), the measured round
  wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s bench/post.lua "${auth[@]}" "http://127.0.0.1:$SERVICE_PORT/runs" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s bench/post.lua "${auth[@]}" "http://127.0.0.1:$SERVICE_PORT/runs" >"$tmp/wrk-$1.txt"
  grep -q 'Non-2xx' "$tmp/wrk-$1.txt" && { cat "$tmp/wrk-$1.txt" >&2; fail "non-2xx answers under load ($1)"; }
  awk '/Requests\/sec/ {print $2}' "$tmp/wrk-$1.txt"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# ---- 1. creates with and without subscriptions ------------------------------------------------------------------
: >"$tmp/ratios"
for round in $(seq "$ROUNDS"); do
  start_service "plain-$round"
  plain=$(creates_per_second "plain-$round")
  # Every subscription covers every run: each create is delivered nine times (the worst case).
  start_service "subscribed-$round"
  for i in $(seq 9); do subscribe "ok/$i" "displayName ne 'not-$i'"; done
  subscribe "hang"
  subscribed=$(creates_per_second "subscribed-$round")
  # Subscriptions that watch for failures: every create is recorded and judged, none of these completed runs delivered.
  start_service "selective-$round"
  for i in $(seq 9); do subscribe "ok/$i" "status eq 'failed' and displayName ne 'not-$i'"; done
  subscribe "hang"
  selective=$(creates_per_second "selective-$round")
  note "round $round: without subscriptions $plain req/s; with 10 (one hanging) covering every run $subscribed req/s, watching for failures $selective req/s"
  echo "$plain $subscribed $selective" >>"$tmp/ratios"
done
ratio=$(awk '{print $2 / $1}' "$tmp/ratios" | median)
selective_ratio=$(awk '{print $3 / $1}' "$tmp/ratios" | median)
plain_median=$(awk '{print $1}' "$tmp/ratios" | median)
subscribed_median=$(awk '{print $2}' "$tmp/ratios" | median)
selective_median=$(awk '{print $3}' "$tmp/ratios" | median)

# ---- 2. commit-to-delivery latency --------------------------------------------------------------------------------
latency() { # label: p50 p95 max in ms of (arrival - 201) over the probes
  python3 bench/notify-latency.py "$SERVICE_PORT" "$BENCH_TOKEN" "$PROBES" "$PROBE_RATE" >"$tmp/committed-$1.json"
  sleep 3
  curl -sf "$receiver/control/arrivals" >"$tmp/arrivals-$1.json"
  python3 - "$tmp/committed-$1.json" "$tmp/arrivals-$1.json" <<'PY'
import json, sys
committed = json.load(open(sys.argv[1])); arrivals = json.load(open(sys.argv[2]))
missing = [i for i in committed if i not in arrivals]
if missing: sys.exit(f"{len(missing)} probes were never notified")
delays = sorted((arrivals[i] - t) * 1000 for i, t in committed.items())
pick = lambda q: delays[min(len(delays) - 1, int(q * len(delays)))]
print(f"{pick(0.5):.0f} {pick(0.95):.0f} {delays[-1]:.0f}")
PY
}
start_service latency-idle
subscribe "ok/latency"
read -r idle_p50 idle_p95 idle_max < <(latency idle)
note "latency, idle: p50 $idle_p50 ms, p95 $idle_p95 ms, max $idle_max ms"
start_service latency-loaded
subscribe "ok/latency"
wrk -t2 -c"$CONNECTIONS" -d"$(( PROBES / PROBE_RATE + 5 ))s" -s bench/post.lua "${auth[@]}" "http://127.0.0.1:$SERVICE_PORT/runs" >"$tmp/wrk-load.txt" &
wrk_pid=$!
sleep 1
read -r load_p50 load_p95 load_max < <(latency loaded)
wait "$wrk_pid" || true
note "latency, under load: p50 $load_p50 ms, p95 $load_p95 ms, max $load_max ms"

# ---- 3. backlog drain ---------------------------------------------------------------------------------------------
start_service drain
curl -sf -o /dev/null -X POST "$receiver/control/fail"
subscribe "ok/drain"
before=$(curl -sf "$receiver/control/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["distinct"])')
python3 - "$SERVICE_PORT" "$BENCH_TOKEN" "$BACKLOG" <<'PY'
import http.client, json, sys, threading
port, token, total = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
body = json.dumps({"@odata.type": "#microsoft.graph.industryData.outgoingFlowRun", "displayName": "backlog", "startDateTime": "2026-01-01T00:00:00Z", "status": "running", "statistics": {}})
def worker(n):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(n):
        c.request("POST", "/runs", body, {"Content-Type": "application/json", "Authorization": "Bearer " + token, "Prefer": "return=minimal"})
        r = c.getresponse(); r.read()
        if r.status not in (201, 204): sys.exit(f"create answered {r.status}")
threads = [threading.Thread(target=worker, args=(total // 8,)) for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
PY
sleep 2
curl -sf -o /dev/null -X POST "$receiver/control/ok"
drain_start=$(date +%s.%N)
target=$(( before + BACKLOG / 8 * 8 ))
while (( $(curl -sf "$receiver/control/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["distinct"])') < target )); do
  sleep 0.1
  if (( $(date +%s) - ${drain_start%.*} > 600 )); then fail "the backlog did not drain within 600 s"; fi
done
drain_seconds=$(echo "$(date +%s.%N) - $drain_start" | bc -l)
drain_rate=$(echo "($target - $before) / $drain_seconds" | bc -l)
note "backlog of $((target - before)) drained in $(printf '%.1f' "$drain_seconds") s"

{
  echo "## Change notifications ($(date -u +%Y-%m-%dT%H:%MZ), ROUNDS=$ROUNDS DURATION=$DURATION CONNECTIONS=$CONNECTIONS)"
  echo
  echo "| measure | value | target |"
  echo "|---|---:|---|"
  echo "| creates/s without subscriptions (median) | $plain_median | |"
  echo "| creates/s with 10 subscriptions covering every run, one receiver hanging (median) | $subscribed_median | |"
  printf '| ratio with / without (median of rounds) | %.2fx | >= 0.85x |\n' "$ratio"
  echo "| creates/s with 10 subscriptions watching for failed runs, one receiver hanging (median) | $selective_median | |"
  printf '| ratio with / without (median of rounds) | %.2fx | >= 0.85x |\n' "$selective_ratio"
  echo "| commit-to-delivery p50 / p95 / max, idle ($PROBES creates at $PROBE_RATE/s) | $idle_p50 / $idle_p95 / $idle_max ms | p95 <= 1000 ms |"
  echo "| same, while $CONNECTIONS connections create runs | $load_p50 / $load_p95 / $load_max ms | |"
  printf '| backlog drain, %d notifications | %.1f s (%.0f notifications/s) | |\n' "$((target - before))" "$drain_seconds" "$drain_rate"
} | tee "$results/notifications.md"
