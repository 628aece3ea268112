#!/usr/bin/env bash
# Build and install pgvector for PostgreSQL 15 from Debian's trixie source
# package (pgvector is not packaged for bookworm).
#
# Only a deb-src entry is added for trixie, so no trixie *binary* package can
# ever be installed or upgraded by apt; only `apt-get source` uses it.
# Skips everything when the extension is already installed.
# Needs root. Used by .ci/run and scripts/dev-postgres.sh.
set -euo pipefail

PG_MAJOR=15
PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config
CONTROL=/usr/share/postgresql/$PG_MAJOR/extension/vector.control
SRC_LIST=/etc/apt/sources.list.d/trixie-src.sources
DEBIAN_SOURCES=/etc/apt/sources.list.d/debian.sources

log() { printf '[install-pgvector %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

if [[ -f $CONTROL ]]; then
  log "pgvector already installed ($(sed -n "s/^default_version = '\(.*\)'/\1/p" "$CONTROL")), skipping build"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-pgvector.sh: must run as root (apt-get, make install)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# Build dependencies (no-op when already installed).
need=()
for p in dpkg-dev postgresql-server-dev-$PG_MAJOR make gcc; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if ((${#need[@]})); then
  log "installing build dependencies: ${need[*]}"
  apt-get update -q
  apt-get install -y -q "${need[@]}"
fi

# Same mirror as the bookworm main entry (first URI of the stanza whose Suites
# include "bookworm"); fall back to the default mirror.
uri=""
if [[ -f $DEBIAN_SOURCES ]]; then
  uri=$(awk '
    BEGIN { RS = ""; FS = "\n" }
    {
      u = ""; s = 0
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^URIs:/)    { split($i, a, /[ \t]+/); u = a[2] }
        if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) s = 1
      }
      if (s && u != "") { print u; exit }
    }' "$DEBIAN_SOURCES")
fi
uri=${uri:-http://deb.debian.org/debian}
log "using mirror $uri for trixie deb-src"

cat >"$SRC_LIST" <<SRC
# Source packages only (deb-src): used to build pgvector, which bookworm lacks.
# Never add "deb" here: that would let apt pull trixie binaries into bookworm.
Types: deb-src
URIs: $uri
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC

log "apt-get update"
apt-get update -q

build=$(mktemp -d /tmp/pgvector-build.XXXXXX)
trap 'rm -rf "$build"' EXIT
cd "$build"

log "apt-get source pgvector"
apt-get source -q pgvector
srcdir=$(find . -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n1)
[[ -n $srcdir ]] || { echo "install-pgvector.sh: no pgvector source directory after apt-get source" >&2; exit 1; }
cd "$srcdir"

log "building $(basename "$srcdir") against $("$PG_CONFIG" --version)"
start=$SECONDS
# OPTFLAGS="" avoids -march=native, so the build also runs on other CPUs.
make -j"$(nproc)" PG_CONFIG="$PG_CONFIG" OPTFLAGS=""
make install PG_CONFIG="$PG_CONFIG"
log "pgvector built and installed in $((SECONDS - start))s"

[[ -f $CONTROL ]] || { echo "install-pgvector.sh: $CONTROL missing after make install" >&2; exit 1; }
