# Sourced by the scripts that need a PostgreSQL of their own (scripts/import-e2e.sh, scripts/bench/import-frontier.sh).
#   start_postgres NAME
# starts PostgreSQL 15 from POSTGRES_BIN (default /usr/lib/postgresql/15/bin) on a free loopback port, with a
# fresh data directory in a temporary folder and the user frontier (password frontier-pw); initdb refuses root, so
# as root it runs as the postgres user. Sets: pg_port, pg_dir, pg_url_base (postgres://frontier:frontier-pw@127.0.0.1:PORT).
#   stop_postgres        stops it and removes the folder.
#   pg_sql DB SQL...     runs psql against DB.
POSTGRES_BIN="${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"

as_postgres() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local name=$1
  [[ -x "$POSTGRES_BIN/initdb" ]] || { echo "$name: no PostgreSQL binaries in $POSTGRES_BIN (set POSTGRES_BIN)" >&2; exit 1; }
  pg_dir="$(mktemp -d)"
  echo frontier-pw >"$pg_dir/pw"
  [[ $(id -u) == 0 ]] && chown -R postgres "$pg_dir"
  pg_port="$("$root/scripts/moto.sh" free-port)"
  as_postgres "$POSTGRES_BIN/initdb" -D "$pg_dir/data" -U frontier --pwfile="$pg_dir/pw" --auth-local=scram-sha-256 \
    --auth-host=scram-sha-256 --no-sync -E UTF8 >"$pg_dir/initdb.log" 2>&1 \
    || { echo "$name: initdb failed:" >&2; cat "$pg_dir/initdb.log" >&2; exit 1; }
  as_postgres "$POSTGRES_BIN/pg_ctl" -D "$pg_dir/data" -w -t 60 -l "$pg_dir/log" \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { echo "$name: PostgreSQL did not start:" >&2; cat "$pg_dir/log" >&2; exit 1; }
  pg_url_base="postgres://frontier:frontier-pw@127.0.0.1:$pg_port"
}

stop_postgres() {
  [[ -n "${pg_dir:-}" ]] || return 0
  as_postgres "$POSTGRES_BIN/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
  pg_dir=
}

pg_sql() {
  local db=$1
  shift
  PGPASSWORD=frontier-pw "$POSTGRES_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U frontier -d "$db" "$@"
}

# A database with Frontier's tables (admin/src/test/resources/frontier: the first migration, then v0.9.1's type).
create_frontier_database() {
  local db=$1
  pg_sql postgres -c "CREATE DATABASE $db"
  pg_sql "$db" -f "$root/admin/src/test/resources/frontier/schema.sql"
  pg_sql "$db" -f "$root/admin/src/test/resources/frontier/schema-v0.9.1.sql"
}
