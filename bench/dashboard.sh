#!/usr/bin/env bash
# The dashboard's statistics at national scale: 100,000 enterprises, ≈34,000 submitted
# diagnoses with ≈2,000,000 checklist answers (bench/gen-national.mjs), every
# GET /api/v1/stats/* endpoint timed with curl over several runs (wall time, and the
# server's own CPU time per request from /proc, which a busy machine distorts less),
# the dashboard's full set of calls in parallel, and wrk on the overview.
#
# Usage: bench/dashboard.sh            (after `make build`; `make bench-dashboard`)
# Knobs: BENCH_RUNS (default 5), BENCH_DURATION (wrk seconds, default 10),
#        BENCH_CONNECTIONS (wrk, default 4), BENCH_TODAY (default 2021-09-30),
#        BENCH_DB (SQLite file, default var/bench-national.db: generated once, then
#        reused; delete it to regenerate), BENCH_ENTERPRISES (default 100000),
#        QMSLIFT_TEST_PG (postgresql://…/: a fresh PostgreSQL database there, generated
#        every run; `make bench-dashboard-pg` sets it via tests/pg/with-cluster.sh).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${QMSLIFT_BIN:-$ROOT/build/qmslift}
cd "$ROOT"
RUNS=${BENCH_RUNS:-5}
DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-4}
TODAY=${BENCH_TODAY:-2021-09-30}
ENTERPRISES=${BENCH_ENTERPRISES:-100000}

[ -x "$BIN" ] || { echo "bench: $BIN not found; run 'make build' first" >&2; exit 1; }
for t in curl node; do command -v $t >/dev/null || { echo "bench: $t not installed" >&2; exit 1; }; done

. "$ROOT/bench/lib.sh"
bench_init qmslift-bench-dash

# ---- The dataset ----
if [ -n "${QMSLIFT_TEST_PG:-}" ]; then
  bench_pg_db qms_bench_dash
  BACKEND="PostgreSQL $PG_VERSION"
  count() { psql "$DB" -qAtc "$1"; }
else
  DB=${BENCH_DB:-$ROOT/var/bench-national.db}
  mkdir -p "$(dirname "$DB")"
  BACKEND="SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1) file"
  count() { sqlite3 "$DB" "$1"; }
fi
GEN_START=$(date +%s.%N)
node "$ROOT/bench/gen-national.mjs" "$DB" --enterprises "$ENTERPRISES" --today "$TODAY" --bin "$BIN"
GEN_S=$(echo "$(date +%s.%N) - $GEN_START" | bc)

# ---- The server ----
bench_start_server --today "$TODAY"

CITY=$(bench_login city); PUDONG=$(bench_login pudong); CB1=$(bench_login cb1)
[ -n "$CITY" ] && [ -n "$PUDONG" ] && [ -n "$CB1" ] || { echo "bench: login failed" >&2; exit 1; }

# Server CPU time (user + system, ms) from /proc: qmslift, plus on PostgreSQL the
# backends of the throwaway cluster (children of its postmaster), where the queries run.
POSTMASTER=
if [ -n "${QMSLIFT_TEST_PG_DATA:-}" ] && [ -r "$QMSLIFT_TEST_PG_DATA/postmaster.pid" ]; then
  POSTMASTER=$(head -n1 "$QMSLIFT_TEST_PG_DATA/postmaster.pid")
fi
# (cat, not awk's own file list: mawk stops at a process that exits in between, and the
# reading came out empty — a negative figure.)
cpu_ms() {
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v hz="$(getconf CLK_TCK)" -v me="$SERVER_PID" -v pm="${POSTMASTER:-none}" \
    '$1 == me || $4 == pm { t += $14 + $15 } END { print t * 1000 / hz }'
}

# time_endpoint LABEL COOKIE PATH: one warm-up, then RUNS timed requests.
# Prints "LABEL|min|median|max|cpu per request|bytes" (ms).
time_endpoint() {
  local label=$1 cookie=$2 path=$3 times=() code
  code=$(curl -sS -o "$WORK/body.json" -w '%{http_code}' -H "Cookie: $cookie" "$BASE$path")
  [ "$code" = 200 ] || { echo "bench: GET $path answered $code: $(head -c 300 "$WORK/body.json")" >&2; exit 1; }
  local c0; c0=$(cpu_ms)
  for _ in $(seq 1 "$RUNS"); do
    times+=("$(curl -sS -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$BASE$path")")
  done
  local c1; c1=$(cpu_ms)
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" -v cpu="$(echo "($c1 - $c0) / $RUNS" | bc -l)" \
    -v bytes="$(wc -c <"$WORK/body.json")" \
    '{ t[NR] = $1 * 1000 } END { printf "%s|%.0f|%.0f|%.0f|%.0f|%d\n", label, t[1], t[int((NR + 1) / 2)], t[NR], cpu, bytes }'
}

CPU=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)
echo
echo "qmslift dashboard benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) CPUs, ${CPU:-unknown CPU}, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "database: $BACKEND — $(count 'SELECT COUNT(*) FROM enterprises') enterprises, \
$(count "SELECT COUNT(*) FROM diagnoses WHERE status = 'submitted'") submitted diagnoses, \
$(count 'SELECT COUNT(*) FROM diagnosis_answers') answers, $(count 'SELECT COUNT(*) FROM actions') actions, \
$(count 'SELECT COUNT(*) FROM certificates') certificates"
echo "dataset: ready in $(printf %.1f "$GEN_S") s (bench/gen-national.mjs; a SQLite file already generated is reused); simulated date $TODAY"
echo "timing: $RUNS runs per endpoint after one warm-up (curl wall time; server CPU per request from /proc:"
echo "        qmslift${POSTMASTER:+ and the PostgreSQL backends})"
echo

RESULTS=()
for spec in \
  "city  overview|$CITY|/api/v1/stats/overview" \
  "city  stages?by=district|$CITY|/api/v1/stats/stages?by=district" \
  "city  stages?by=industry|$CITY|/api/v1/stats/stages?by=industry" \
  "city  scores?by=district|$CITY|/api/v1/stats/scores?by=district" \
  "city  scores?by=industry|$CITY|/api/v1/stats/scores?by=industry" \
  "city  deadlines|$CITY|/api/v1/stats/deadlines" \
  "city  overview?district=浦东新区|$CITY|/api/v1/stats/overview?district=%E6%B5%A6%E4%B8%9C%E6%96%B0%E5%8C%BA" \
  "city  scores?district=浦东新区|$CITY|/api/v1/stats/scores?by=district&district=%E6%B5%A6%E4%B8%9C%E6%96%B0%E5%8C%BA" \
  "pudong overview|$PUDONG|/api/v1/stats/overview" \
  "pudong stages?by=industry|$PUDONG|/api/v1/stats/stages?by=industry" \
  "pudong scores?by=district|$PUDONG|/api/v1/stats/scores?by=district" \
  "cb1   overview|$CB1|/api/v1/stats/overview" \
  "cb1   scores?by=industry|$CB1|/api/v1/stats/scores?by=industry"; do
  IFS='|' read -r label cookie path <<<"$spec"
  RESULTS+=("$(time_endpoint "$label" "$cookie" "$path")")
done

printf '%-34s %8s %8s %8s %10s %8s\n' 'GET /api/v1/stats/…' 'min ms' 'median' 'max' 'CPU ms/rq' 'bytes'
printf '%-34s %8s %8s %8s %10s %8s\n' ---------------------------------- -------- -------- -------- ---------- --------
for line in "${RESULTS[@]}"; do
  IFS='|' read -r label mn md mx cpu bytes <<<"$line"
  printf '%-34s %8s %8s %8s %10s %8s\n' "$label" "$mn" "$md" "$mx" "$cpu" "$bytes"
done

# The dashboard page's calls, all at once as the browser makes them (city, whole city).
DASH=(overview "stages?by=district" "stages?by=industry" "scores?by=district" deadlines)
urls=(); for p in "${DASH[@]}"; do urls+=("$BASE/api/v1/stats/$p" -o /dev/null); done
page_times=()
for _ in $(seq 1 "$RUNS"); do
  s=$(date +%s%N)
  curl -s -f -Z --parallel-max 6 -H "Cookie: $CITY" "${urls[@]}" 2>"$WORK/parallel.err" \
    || { echo "bench: a dashboard call failed:" >&2; cat "$WORK/parallel.err" >&2; exit 1; }
  page_times+=($(( ($(date +%s%N) - s) / 1000000 )))
done
echo
echo "dashboard page (${#DASH[@]} calls in parallel, city): $(printf '%s\n' "${page_times[@]}" | sort -n | tr '\n' ' ')ms"

if command -v wrk >/dev/null; then
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $CITY" "$BASE/api/v1/stats/overview" >"$WORK/wrk.txt" 2>&1 \
    || { echo "bench: wrk failed:" >&2; cat "$WORK/wrk.txt" >&2; exit 1; }
  awk -v c="$CONNECTIONS" -v d="$DURATION" '
    /Requests\/sec:/            { rps = $2 }
    /^[[:space:]]+50%/          { p50 = $2 }
    /^[[:space:]]+99%/          { p99 = $2 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    END { printf "wrk GET /api/v1/stats/overview (city, %s connections, %ss): %s requests/s, p50 %s, p99 %s, non-2xx %s\n",
                 c, d, rps, p50, p99, (non2xx == "" ? 0 : non2xx) }' "$WORK/wrk.txt"
  grep -q 'Non-2xx' "$WORK/wrk.txt" && { echo "bench: wrk saw non-2xx answers; figures are not valid" >&2; exit 1; }
fi
exit 0
