#!/usr/bin/env bash
# Start (or reuse, if already running) a private PostgreSQL 15 cluster for tests.
#
#   scripts/start-postgres.sh <dir> <port> [database]
#
# - data in <dir>/data, unix socket in <dir>/socket, log in <dir>/postgres.log
# - listens on 127.0.0.1:<port> only; trust auth; fsync/synchronous_commit off
#   (test data only: a crash may lose it)
# - creates <database> (default paperboy_test) with the pgvector extension
# Must run as root (initdb/pg_ctl run as user postgres via runuser).
# Stop it with:
#   runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D <dir>/data stop -m fast
set -euo pipefail

if (($# < 2)); then
  echo "usage: $0 <dir> <port> [database]" >&2
  exit 2
fi
dir=$1
port=$2
db=${3:-paperboy_test}

PGBIN=/usr/lib/postgresql/15/bin
data=$dir/data
sock=$dir/socket
logfile=$dir/postgres.log

log() { printf '[start-postgres %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
# Run as postgres from a directory it can read (the repo may not be).
as_pg() { (cd / && runuser -u postgres -- "$@"); }
psql_pg() { as_pg "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres "$@"; }

[[ $(id -u) -eq 0 ]] || { echo "start-postgres.sh: must run as root" >&2; exit 1; }
[[ -x $PGBIN/initdb ]] || { echo "start-postgres.sh: $PGBIN/initdb not found (apt-get install postgresql)" >&2; exit 1; }

mkdir -p "$dir"
chown postgres:postgres "$dir"
chmod 0700 "$dir"
as_pg mkdir -p "$sock"

if [[ ! -f $data/PG_VERSION ]]; then
  log "initdb $data"
  as_pg "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  as_pg tee -a "$data/postgresql.conf" >/dev/null <<CONF

# --- scripts/start-postgres.sh: throwaway test cluster ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
CONF
fi

if as_pg "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  running_port=$(sed -n 4p "$data/postmaster.pid")
  if [[ $running_port != "$port" ]]; then
    echo "start-postgres.sh: cluster in $data is already running on port $running_port, not $port" >&2
    exit 1
  fi
  log "cluster in $data already running on 127.0.0.1:$port, reusing it"
else
  # Fail early with a clear message if something else holds the port.
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "start-postgres.sh: 127.0.0.1:$port is already in use by another process" >&2
    exit 1
  fi
  log "starting cluster on 127.0.0.1:$port (log: $logfile)"
  # -o -p overrides the port written at initdb time, should a reused dir ask for another.
  if ! as_pg "$PGBIN/pg_ctl" -D "$data" -l "$logfile" -o "-p $port" -w -t 60 start >/dev/null; then
    echo "start-postgres.sh: pg_ctl start failed; last lines of $logfile:" >&2
    tail -n 30 "$logfile" >&2 || true
    exit 1
  fi
fi

if [[ $(psql_pg -d postgres -tAc "select 1 from pg_database where datname = '$db'") != 1 ]]; then
  log "creating database $db"
  psql_pg -d postgres -c "create database \"$db\""
fi
psql_pg -d "$db" -c "set client_min_messages = warning; create extension if not exists vector"
ver=$(psql_pg -d "$db" -tAc "select extversion from pg_extension where extname = 'vector'")
log "database $db ready on 127.0.0.1:$port (pgvector $ver)"
