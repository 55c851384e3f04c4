#!/usr/bin/env bash
# A throwaway PostgreSQL server for the PostgreSQL store tests.
#
#   eval "$(bash scripts/pg-server.sh start)"   # prints: export ROLLCALL_TEST_PG=postgres://postgres@127.0.0.1:PORT
#   bash scripts/pg-server.sh stop [DIR]        # DIR defaults to the one recorded by the last start
#
# Everything lives in a temp dir (data, socket, log) and is removed on stop. Loopback only, trust
# auth (except for the role rc_password_user, which needs its password), fsync off: it is for
# tests, never for data. Only the export line goes to stdout, so that
# `eval "$(…)"` works; progress and errors go to stderr.
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/$PG_VERSION/bin}"
STATE_FILE="${ROLLCALL_PG_STATE:-${TMPDIR:-/tmp}/rollcall-pg-server.state}"

log() { echo "pg-server: $*" >&2; }

# initdb and postgres refuse to run as root: run them as the postgres user then.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_binaries() {
  [ -x "$PG_BIN/initdb" ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    log "installing PostgreSQL $PG_VERSION with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "postgresql-$PG_VERSION" >&2 \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
  fi
  [ -x "$PG_BIN/initdb" ] || { log "no initdb in $PG_BIN (install PostgreSQL $PG_VERSION or set PG_BIN)"; exit 1; }
}

free_port() {
  # Ask the kernel for a free loopback port; the tiny race until postgres binds it is acceptable for tests.
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start() {
  ensure_binaries
  local dir port started
  dir="$(mktemp -d "${TMPDIR:-/tmp}/rollcall-pg.XXXXXX")"
  chmod 700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  port="$(free_port)"
  started=$(date +%s%N)
  as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 -N >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # One role that must log in with a password (the tests create it), so that auth failures and
  # ~/.pgpass can be tested; everyone else is trusted. pg_hba.conf: the first matching line wins.
  { echo "host all rc_password_user 127.0.0.1/32 scram-sha-256"; cat "$dir/data/pg_hba.conf"; } >"$dir/pg_hba.new"
  as_owner cp "$dir/pg_hba.new" "$dir/data/pg_hba.conf"
  rm -f "$dir/pg_hba.new"
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
    start >/dev/null 2>&1 || { cat "$dir/server.log" >&2; exit 1; }
  log "PostgreSQL $PG_VERSION on 127.0.0.1:$port in $dir (initdb + start: $(( ($(date +%s%N) - started) / 1000000 )) ms)"
  printf '%s\n' "$dir" >"$STATE_FILE"
  echo "export ROLLCALL_TEST_PG=postgres://postgres@127.0.0.1:$port"
  echo "export ROLLCALL_TEST_PG_DIR=$dir"
}

stop() {
  local dir="${1:-${ROLLCALL_TEST_PG_DIR:-}}"
  if [ -z "$dir" ] && [ -f "$STATE_FILE" ]; then dir="$(cat "$STATE_FILE")"; fi
  [ -n "$dir" ] && [ -d "$dir/data" ] || { log "no server to stop (give its DIR)"; exit 1; }
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  if [ -f "$STATE_FILE" ] && [ "$(cat "$STATE_FILE")" = "$dir" ]; then rm -f "$STATE_FILE"; fi
  log "stopped and removed $dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop [DIR]" >&2; exit 2 ;;
esac
