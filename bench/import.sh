#!/usr/bin/env bash
# Enterprise registry at scale: import a 100,000-row CSV, then export the ledger
# of those 100,000 enterprises as .xlsx. Prints the wall time of each request.
# Usage: bench/import.sh (after `make build`); BENCH_ROWS (default 100000).
# With QMSLIFT_TEST_PG set (make bench-import-pg), runs on PostgreSQL.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${QMSLIFT_BIN:-$ROOT/build/qmslift}
ROWS=${BENCH_ROWS:-100000}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/qmslift-bench-import.XXXXXX")
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
if [ -n "${QMSLIFT_TEST_PG:-}" ]; then
  name="bench_import_$$"
  psql "${QMSLIFT_TEST_PG}postgres" -qAtc "CREATE DATABASE $name" >/dev/null
  DB="${QMSLIFT_TEST_PG}$name"; KIND="PostgreSQL"
else
  DB="$WORK/bench.db"; KIND="SQLite"
fi
cd "$ROOT"
QMSLIFT_PWHASH=min "$BIN" demo --db "$DB" >/dev/null 2>&1
PORT=$(( 20000 + RANDOM % 10000 ))
QMSLIFT_PWHASH=min "$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --today 2021-05-10 2>"$WORK/server.log" &
PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.05; done
node "$ROOT/bench/gen-enterprises.mjs" "$ROWS" 浦东新区 310115 > "$WORK/ents.csv"
SIZE=$(du -h "$WORK/ents.csv" | cut -f1)
CSRF=$(curl -s -c "$WORK/cj" -H 'Content-Type: application/json' \
  -d '{"username":"pudong","password":"qmslift-demo"}' "http://127.0.0.1:$PORT/api/v1/login" |
  sed 's/.*"csrf_token":"\([^"]*\)".*/\1/')
t0=$(date +%s.%N)
curl -s -b "$WORK/cj" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: text/csv' --data-binary @"$WORK/ents.csv" \
  "http://127.0.0.1:$PORT/api/v1/enterprises/import" -o "$WORK/import.json"
t1=$(date +%s.%N)
ACCEPTED=$(sed 's/.*"accepted":\([0-9]*\).*/\1/' "$WORK/import.json" | head -c 20)
curl -s -b "$WORK/cj" "http://127.0.0.1:$PORT/api/v1/ledger.xlsx" -o "$WORK/ledger.xlsx"
t2=$(date +%s.%N)
echo "qmslift import benchmark — $(date -u +%FT%TZ), $(nproc) CPUs, database: $KIND"
printf '%-44s %10s\n' "step" "seconds"
printf '%-44s %10.2f\n' "import $ROWS rows ($SIZE CSV, accepted $ACCEPTED)" "$(echo "$t1 - $t0" | bc)"
printf '%-44s %10.2f\n' "ledger .xlsx of $(( ROWS + 10 )) enterprises ($(du -h "$WORK/ledger.xlsx" | cut -f1))" "$(echo "$t2 - $t1" | bc)"
