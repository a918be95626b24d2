#!/usr/bin/env bash
# Start (or find running) a throwaway PostgreSQL cluster for the store tests.
#
#   .ci/postgres.sh          install if needed, start, create the database, print its URL
#   .ci/postgres.sh stop     stop the cluster (its files stay for the next start)
#   .ci/postgres.sh destroy  stop the cluster and delete its files
#
# The URL is the last line of stdout; everything else goes to stderr, so
#   export ASSAY_TEST_PG_URL="$(.ci/postgres.sh | tail -n 1)"
# works. Running it again while the cluster is up only prints the URL.
# Settings (environment): ASSAY_PG_PORT (54329), ASSAY_PG_DIR (/tmp/assay-pg).
set -euo pipefail

PORT="${ASSAY_PG_PORT:-54329}"
BASE="${ASSAY_PG_DIR:-/tmp/assay-pg}"
DATA="$BASE/data"
LOG="$BASE/postgres.log"
DB=assay_test
URL="postgresql+psycopg://postgres@127.0.0.1:${PORT}/${DB}"

say() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

pg_bindir() {
    # Newest installed server version, Debian layout first, then whatever is on PATH.
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$dir" && -x "$dir/pg_ctl" && -x "$dir/initdb" ]]; then
        printf '%s\n' "$dir"
    elif command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
        dirname "$(command -v pg_ctl)"
    fi
}

install_postgres() {
    [[ "$(id -u)" == 0 ]] || die "PostgreSQL is not installed and this is not root: install the 'postgresql' package"
    say "installing PostgreSQL (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
}

# Run a PostgreSQL program as the cluster owner: initdb and postgres refuse to run as root.
as_owner() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

BIN="$(pg_bindir)"
if [[ -z "$BIN" ]]; then
    install_postgres
    BIN="$(pg_bindir)"
    [[ -n "$BIN" ]] || die "PostgreSQL binaries not found after installing"
fi

case "${1:-start}" in
    start) ;;
    stop)
        if [[ -f "$DATA/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
            as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
        fi
        exit 0
        ;;
    destroy)
        "$0" stop
        rm -rf "$BASE"
        exit 0
        ;;
    *) die "usage: $0 [start|stop|destroy]" ;;
esac

mkdir -p "$BASE"
if [[ "$(id -u)" == 0 ]]; then
    chown postgres: "$BASE"
fi

if [[ ! -f "$DATA/PG_VERSION" ]]; then
    say "creating cluster in $DATA"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --no-locale --no-sync >&2
fi

if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    running_port="$(sed -n 4p "$DATA/postmaster.pid")"
    [[ "$running_port" == "$PORT" ]] \
        || die "the cluster in $DATA runs on port $running_port, not $PORT: run '$0 stop' first"
    say "already running on 127.0.0.1:$PORT"
else
    if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
        die "another server already listens on 127.0.0.1:$PORT: set ASSAY_PG_PORT"
    fi
    say "starting on 127.0.0.1:$PORT (log: $LOG)"
    # fsync off: the cluster is throwaway and the tests write a lot.
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start \
        -o "-p $PORT -k $BASE -c listen_addresses=127.0.0.1 -c fsync=off" >&2 \
        || { tail -n 20 "$LOG" >&2 || true; die "PostgreSQL did not start"; }
fi

psql_admin() { "$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
if [[ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]]; then
    say "creating database $DB"
    psql_admin -c "CREATE DATABASE $DB" >&2
fi

printf '%s\n' "$URL"
