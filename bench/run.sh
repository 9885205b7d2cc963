#!/usr/bin/env bash
# HTTP throughput of a local qmslift server, measured with wrk.
#
# Usage: bench/run.sh            (after `make build`; builds nothing)
# Knobs: BENCH_DURATION (seconds, default 10), BENCH_CONNECTIONS (default 50),
#        BENCH_THREADS (default 2), QMSLIFT_BIN (default build/qmslift),
#        QMSLIFT_TEST_PG (postgresql://…/ : use a fresh PostgreSQL database there
#        instead of a SQLite file; `make bench-pg` sets it via tests/pg/with-cluster.sh).
#
# Creates a throwaway demo database, starts `qmslift serve` with the default
# (production) password hashing, logs in once as `city`, then runs wrk on
#   GET /healthz          (no session)
#   GET /api/v1/me        (with the session cookie)
#   PUT /api/v1/diagnoses/{id}/answers/{item}  (cb1 saving checklist answers, bench/answers.lua)
# and prints requests/s and p99 latency for each, then the time to render a
# diagnosis report PDF.
# `make bench` runs this with sh: switch to bash (arrays, $RANDOM, /dev/tcp).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${QMSLIFT_BIN:-$ROOT/build/qmslift}
cd "$ROOT"   # qmslift finds data/ and web/ relative to the working directory
DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
THREADS=${BENCH_THREADS:-2}

[ -x "$BIN" ] || { echo "bench: $BIN not found; run 'make build' first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk not installed (apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench: curl not installed" >&2; exit 1; }

# Real password hashing: never inherit the tests' cheap setting.
unset QMSLIFT_PWHASH

. "$ROOT/bench/lib.sh"
bench_init qmslift-bench

if [ -n "${QMSLIFT_TEST_PG:-}" ]; then
  bench_pg_db qms_bench
  BACKEND="PostgreSQL ($PG_VERSION)"
else
  DB="$WORK/bench.db"
  BACKEND="SQLite file"
fi

"$BIN" demo --db "$DB" >"$WORK/demo.log" 2>&1 \
  || { echo "bench: qmslift demo failed:" >&2; cat "$WORK/demo.log" >&2; exit 1; }

bench_start_server

# Log in once; keep the session cookie.
COOKIE=$(bench_login city)
[ -n "$COOKIE" ] || { echo "bench: login failed:" >&2; cat "$WORK/city.headers" "$WORK/city.login.json" >&2; exit 1; }
ME_STATUS=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE/api/v1/me")
[ "$ME_STATUS" = 200 ] || { echo "bench: GET /api/v1/me with the session answered $ME_STATUS" >&2; exit 1; }

# run_wrk NAME PATH [wrk args...]: prints "NAME|req/s|p99|non2xx|errors"
run_wrk() {
  local name=$1 path=$2; shift 2
  local out="$WORK/wrk-$name.txt"
  wrk -t"$THREADS" -c"${CONNECTIONS}" -d"${DURATION}s" --latency "$@" "$BASE$path" >"$out" 2>&1 \
    || { echo "bench: wrk failed on $path:" >&2; cat "$out" >&2; exit 1; }
  awk -v name="$name" '
    /Requests\/sec:/            { rps = $2 }
    /^[[:space:]]+99%/          { p99 = $2 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/            { sub(/.*Socket errors: /, ""); errors = $0 }
    END { printf "%s|%s|%s|%s|%s\n", name, rps, p99, (non2xx == "" ? 0 : non2xx), (errors == "" ? "none" : errors) }
  ' "$out"
}

CPU=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)
echo "qmslift benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) CPUs, ${CPU:-unknown CPU}, $(uname -sr)"
echo "wrk: $THREADS threads, $CONNECTIONS connections, ${DURATION}s per endpoint"
echo "server: $BIN (default password hashing), database: $BACKEND"
echo

RESULTS=()
r=$(run_wrk healthz /healthz); RESULTS+=("$r")
r=$(run_wrk me /api/v1/me -H "Cookie: $COOKIE"); RESULTS+=("$r")

# Checklist answers as the auditor cb1 saves them: one small write transaction each,
# on the demo's draft diagnosis (answers.lua keeps one request per item in flight).
CB_COOKIE=$(bench_login cb1)
CB_CSRF=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$WORK/cb1.login.json")
DIAG=$(curl -sS -H "Cookie: $CB_COOKIE" "$BASE/api/v1/diagnoses?status=draft&kind=onsite" \
  | grep -o '"id":[0-9]*' | head -n1 | cut -d: -f2)
CHECKLIST=$(curl -sS -H "Cookie: $CB_COOKIE" "$BASE/api/v1/diagnoses/$DIAG" | grep -o '"checklist_id":[0-9]*' | head -n1 | cut -d: -f2)
ITEMS=$(curl -sS -H "Cookie: $CB_COOKIE" "$BASE/api/v1/checklists/$CHECKLIST" | grep -o '"id":[0-9]*' \
  | cut -d: -f2 | sed '$d' | paste -sd, -)
[ -n "$DIAG" ] && [ -n "$ITEMS" ] || { echo "bench: no draft diagnosis in the demo data" >&2; exit 1; }
# Fresh answers: the lua script starts every item at version 0.
for id in ${ITEMS//,/ }; do
  curl -sS -o /dev/null -X DELETE -H "Cookie: $CB_COOKIE" -H "X-CSRF-Token: $CB_CSRF" \
    "$BASE/api/v1/diagnoses/$DIAG/answers/$id"
done
r=$(BENCH_DIAG=$DIAG BENCH_ITEMS=$ITEMS BENCH_COOKIE=$CB_COOKIE BENCH_CSRF=$CB_CSRF BENCH_THREADS=$THREADS \
    CONNECTIONS=16 run_wrk answers "/" -s "$ROOT/bench/answers.lua"); RESULTS+=("$r")

# The diagnosis report PDF (a re-assessment with radar overlay): 20 renders in a row.
REPORT=$(curl -sS -H "Cookie: $CB_COOKIE" "$BASE/api/v1/diagnoses?status=submitted&kind=onsite&per_page=50" \
  | grep -o '"id":[0-9]*,"enterprise"' | head -n1 | grep -o '[0-9]*')
PDF_START=$(date +%s%N)
for _ in $(seq 1 20); do
  curl -fsS -o "$WORK/report.pdf" -H "Cookie: $CB_COOKIE" "$BASE/api/v1/diagnoses/$REPORT.pdf"
done
PDF_MS=$(( ($(date +%s%N) - PDF_START) / 20000000 ))

printf '%-22s %12s %12s %10s  %s\n' endpoint 'requests/s' 'p99' 'non-2xx' 'socket errors'
printf '%-22s %12s %12s %10s  %s\n' ---------------------- ------------ ------------ ---------- -------------
for line in "${RESULTS[@]}"; do
  IFS='|' read -r name rps p99 non2xx errors <<<"$line"
  case $name in
    healthz) label='GET /healthz' ;;
    me)      label='GET /api/v1/me' ;;
    answers) label='PUT …/answers/{item}' ;;
    *)       label=$name ;;
  esac
  printf '%-22s %12s %12s %10s  %s\n' "$label" "$rps" "$p99" "$non2xx" "$errors"
done

echo
echo "diagnosis report PDF (GET /api/v1/diagnoses/$REPORT.pdf, $(wc -c <"$WORK/report.pdf") bytes): ${PDF_MS} ms per request (20 in a row)"

# A benchmark of refused requests is worthless: fail loudly.
for line in "${RESULTS[@]}"; do
  IFS='|' read -r name _ _ non2xx _ <<<"$line"
  if [ "$non2xx" != 0 ]; then
    echo "bench: $name had $non2xx non-2xx answers (see above); figures are not valid" >&2
    exit 1
  fi
done
