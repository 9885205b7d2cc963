#!/bin/sh
# Run a command with a throwaway PostgreSQL cluster: initdb in a temporary
# folder owned by the postgres user, start it on a free loopback port, export
# QMSLIFT_TEST_PG=postgresql://postgres@127.0.0.1:PORT/ , run the command,
# stop the cluster and remove the folder. Usage: with-cluster.sh CMD ARGS...
set -eu
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PGBIN/initdb" ] || { echo "with-cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

D=$(mktemp -d "${TMPDIR:-/tmp}/qmslift-pg.XXXXXX")
chmod 755 "$D"
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres: "$D"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
       || node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$D/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$D"
}
trap cleanup EXIT INT TERM
as_pg "$PGBIN/initdb" -D "$D/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$D/data" -l "$D/pg.log" -w \
  -o "-p $PORT -k $D -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
echo "with-cluster: PostgreSQL on 127.0.0.1:$PORT (data in $D)"
export QMSLIFT_TEST_PG="postgresql://postgres@127.0.0.1:$PORT/"
export QMSLIFT_TEST_PG_CTL="$PGBIN/pg_ctl"
export QMSLIFT_TEST_PG_DATA="$D/data"
set +e
"$@"
rc=$?
set -e
exit $rc
