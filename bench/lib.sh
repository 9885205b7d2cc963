# Shared by the bench scripts (sourced, bash): a work folder removed on exit, a
# throwaway PostgreSQL database when QMSLIFT_TEST_PG is set, the server on a free
# port, and logging in. Expects ROOT and BIN set by the caller.

# bench_init PREFIX: WORK (a temporary folder), and the cleanup of all the below.
bench_init() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  SERVER_PID=
  PG_NAME=
  trap bench_cleanup EXIT INT TERM
}

bench_cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$PG_NAME" ]; then
    psql "${QMSLIFT_TEST_PG}postgres" -qAtc "DROP DATABASE IF EXISTS $PG_NAME" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}

# bench_pg_db NAME: a fresh PostgreSQL database (dropped on exit) -> DB, PG_VERSION.
bench_pg_db() {
  PG_NAME="$1_$$"
  psql "${QMSLIFT_TEST_PG}postgres" -qAtc "CREATE DATABASE $PG_NAME" >/dev/null
  DB="${QMSLIFT_TEST_PG}${PG_NAME}"
  PG_VERSION=$(psql "${QMSLIFT_TEST_PG}postgres" -qAtc 'SHOW server_version' 2>/dev/null || echo '?')
}

# bench_start_server [serve options...]: qmslift on $DB at a free port below the
# kernel's ephemeral range (a port held in TIME-WAIT by an earlier client is not
# picked; BENCH_PORT forces one), retried if taken -> PORT, BASE, SERVER_PID.
bench_start_server() {
  local p
  PORT=
  for _ in 1 2 3 4 5; do
    p=${BENCH_PORT:-$((20000 + RANDOM % 12000))}
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      "$BIN" serve --db "$DB" --listen "127.0.0.1:$p" --web "$ROOT/web" "$@" >"$WORK/server.log" 2>&1 &
      SERVER_PID=$!
      for _ in $(seq 1 200); do
        curl -fsS -o /dev/null "http://127.0.0.1:$p/healthz" 2>/dev/null && { PORT=$p; break; }
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
      done
      [ -n "$PORT" ] && break
      kill "$SERVER_PID" 2>/dev/null || true
      wait "$SERVER_PID" 2>/dev/null || true
      SERVER_PID=
    fi
    [ -n "${BENCH_PORT:-}" ] && break
  done
  [ -n "$PORT" ] || { echo "bench: could not start the server:" >&2; cat "$WORK/server.log" >&2; exit 1; }
  BASE="http://127.0.0.1:$PORT"
}

# bench_login USER: prints the session cookie (demo password), nothing on failure.
bench_login() {
  curl -sS -o "$WORK/$1.login.json" -D "$WORK/$1.headers" -H 'Content-Type: application/json' \
    --data "{\"username\":\"$1\",\"password\":\"qmslift-demo\"}" "$BASE/api/v1/login"
  grep -io 'qms_session=[^;[:space:]]*' "$WORK/$1.headers" | head -n1 || true
}
