#!/usr/bin/env bash
# Start (or reuse) the persistent local dev/test PostgreSQL 15 + pgvector cluster:
# data in /tmp/paperboy-pg, listening on 127.0.0.1:55432, database paperboy_test.
#
#   bash scripts/dev-postgres.sh          # as root
#   export DATABASE_URL=postgres://postgres@127.0.0.1:55432/paperboy_test
#
# Override with PAPERBOY_PG_DIR / PAPERBOY_PG_PORT. Stop it with:
#   runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/paperboy-pg/data stop -m fast
# Throw the data away with: rm -rf /tmp/paperboy-pg (after stopping).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${PAPERBOY_PG_DIR:-/tmp/paperboy-pg}
port=${PAPERBOY_PG_PORT:-55432}
db=paperboy_test

[[ $(id -u) -eq 0 ]] || { echo "dev-postgres.sh: run as root (it may apt-get install and runs postgres via runuser)" >&2; exit 1; }

if [[ ! -x /usr/lib/postgresql/15/bin/initdb ]]; then
  echo "[dev-postgres] installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q postgresql
fi

"$here/install-pgvector.sh"
"$here/start-postgres.sh" "$dir" "$port" "$db"

echo
echo "DATABASE_URL=postgres://postgres@127.0.0.1:$port/$db"
