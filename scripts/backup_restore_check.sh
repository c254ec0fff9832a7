#!/usr/bin/env bash
# Prove that a backup restores: restore a pg_dump into a scratch database on the
# same PostgreSQL server, check it, and drop the scratch database again.
#
#   scripts/backup_restore_check.sh            dump $DATABASE_URL now, restore it, and
#                                              compare every table's row count with the
#                                              source (run it when the site is quiet)
#   scripts/backup_restore_check.sh FILE.dump  restore an existing dump (pg_dump -Fc),
#                                              e.g. last night's, and check it
#
# Either way the restored database must have every migration of this code applied
# (manage.py migrate --check) and hold the portal's tables. Environment:
#   DATABASE_URL            the portal's database, postgres://user:password@host:port/name
#   RESTORE_CHECK_DATABASE  the scratch database's name (default: <name>_restore_check);
#                           it must not exist: the script creates and drops it
#   PYTHON                  the virtualenv's python (default: .venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL to the portal database, postgres://...}"
case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) echo "DATABASE_URL must be a postgres:// URL" >&2; exit 2 ;;
esac
PYTHON="${PYTHON:-.venv/bin/python}"

# Split postgres://user@host:port/name?options into its parts.
server="${DATABASE_URL%/*}"
name_and_query="${DATABASE_URL##*/}"
source_name="${name_and_query%%\?*}"
query=""
[[ "$name_and_query" == *\?* ]] && query="?${name_and_query#*\?}"
scratch_name="${RESTORE_CHECK_DATABASE:-${source_name}_restore_check}"
scratch_url="${server}/${scratch_name}${query}"

if [[ ! "$scratch_name" =~ ^[A-Za-z0-9_]+$ ]]; then
    echo "RESTORE_CHECK_DATABASE may hold only letters, digits and _" >&2
    exit 2
fi
if [[ "$scratch_name" == "$source_name" ]]; then
    echo "The scratch database must not be the source database." >&2
    exit 2
fi

sql() { psql "$1" --no-psqlrc --quiet --tuples-only --no-align -v ON_ERROR_STOP=1 -c "$2"; }

exists=$(sql "$DATABASE_URL" "SELECT 1 FROM pg_database WHERE datname = '$scratch_name'")
if [[ -n "$exists" ]]; then
    echo "Database $scratch_name already exists; drop it or set RESTORE_CHECK_DATABASE." >&2
    exit 2
fi

workdir=$(mktemp -d)
created=""
cleanup() {
    if [[ -n "$created" ]]; then
        sql "$DATABASE_URL" "DROP DATABASE IF EXISTS \"$scratch_name\" WITH (FORCE)" >/dev/null
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT

# Row count of every table in the public schema, one "table|rows" per line.
COUNTS="SELECT table_name || '|' || (xpath('/row/c/text()', query_to_xml(
    format('SELECT count(*) AS c FROM public.%I', table_name), false, true, '')))[1]::text
  FROM information_schema.tables
 WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
 ORDER BY table_name"

if [[ $# -ge 1 ]]; then
    dump="$1"
    [[ -r "$dump" ]] || { echo "Cannot read $dump" >&2; exit 2; }
    echo "Restoring $dump into $scratch_name"
else
    dump="$workdir/portal.dump"
    echo "Dumping $source_name"
    pg_dump --format=custom --no-owner --no-privileges --file="$dump" "$DATABASE_URL"
    sql "$DATABASE_URL" "$COUNTS" > "$workdir/source-counts"
fi

sql "$DATABASE_URL" "CREATE DATABASE \"$scratch_name\"" >/dev/null
created=1
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$scratch_url" "$dump"

echo "Checking the restored database"
DATABASE_URL="$scratch_url" "$PYTHON" manage.py migrate --check --no-input >/dev/null || {
    echo "FAILED: the restored database lacks migrations of this code" >&2
    exit 1
}
sql "$scratch_url" "$COUNTS" > "$workdir/restored-counts"
for table in django_migrations promises_promise activities_activity; do
    grep -q "^${table}|" "$workdir/restored-counts" || {
        echo "FAILED: table $table is missing from the restore" >&2
        exit 1
    }
done

if [[ -f "$workdir/source-counts" ]]; then
    if ! diff -u "$workdir/source-counts" "$workdir/restored-counts"; then
        echo "FAILED: row counts differ between $source_name and its restore" >&2
        exit 1
    fi
    echo "Row counts of $(wc -l < "$workdir/source-counts") tables match."
else
    column -t -s '|' "$workdir/restored-counts" 2>/dev/null || cat "$workdir/restored-counts"
fi
echo "OK: the backup restores."
