#!/usr/bin/env bash
# Enterprise registry at scale: import a 100,000-row CSV, then export the ledger
# of those 100,000 enterprises as .xlsx. Prints the wall time of each request.
# Usage: bench/import.sh (after `make build`); BENCH_ROWS (default 100000).
# With QMSLIFT_TEST_PG set (make bench-import-pg), runs on PostgreSQL.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${QMSLIFT_BIN:-$ROOT/build/qmslift}
ROWS=${BENCH_ROWS:-100000}
cd "$ROOT"
. "$ROOT/bench/lib.sh"
bench_init qmslift-bench-import
if [ -n "${QMSLIFT_TEST_PG:-}" ]; then
  bench_pg_db bench_import; KIND="PostgreSQL"
else
  DB="$WORK/bench.db"; KIND="SQLite"
fi
export QMSLIFT_PWHASH=min # logins are not what this measures
"$BIN" demo --db "$DB" >/dev/null 2>&1
bench_start_server --today 2021-05-10
node "$ROOT/bench/gen-enterprises.mjs" "$ROWS" 浦东新区 310115 > "$WORK/ents.csv"
SIZE=$(du -h "$WORK/ents.csv" | cut -f1)
COOKIE=$(bench_login pudong)
CSRF=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$WORK/pudong.login.json")
t0=$(date +%s.%N)
curl -s -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: text/csv' --data-binary @"$WORK/ents.csv" \
  "$BASE/api/v1/enterprises/import" -o "$WORK/import.json"
t1=$(date +%s.%N)
ACCEPTED=$(sed 's/.*"accepted":\([0-9]*\).*/\1/' "$WORK/import.json" | head -c 20)
curl -s -H "Cookie: $COOKIE" "$BASE/api/v1/ledger.xlsx" -o "$WORK/ledger.xlsx"
t2=$(date +%s.%N)
echo "qmslift import benchmark — $(date -u +%FT%TZ), $(nproc) CPUs, database: $KIND"
printf '%-44s %10s\n' "step" "seconds"
printf '%-44s %10.2f\n' "import $ROWS rows ($SIZE CSV, accepted $ACCEPTED)" "$(echo "$t1 - $t0" | bc)"
printf '%-44s %10.2f\n' "ledger .xlsx of $(( ROWS + 10 )) enterprises ($(du -h "$WORK/ledger.xlsx" | cut -f1))" "$(echo "$t2 - $t1" | bc)"
