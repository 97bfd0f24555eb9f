#!/bin/bash
# The streaming replica: on first start, a base backup of the primary (pg_basebackup -R
# writes standby.signal and primary_conninfo), then PostgreSQL as a hot standby that
# follows the primary's WAL through the slot `replica_1`.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h db -U "$POSTGRES_USER"; do sleep 1; done
  export PGPASSWORD="$REPLICATION_PASSWORD"
  pg_basebackup -h db -U replicator -D "$PGDATA" -S replica_1 -X stream -R --checkpoint=fast
  chmod 0700 "$PGDATA"
fi
exec docker-entrypoint.sh postgres -c hot_standby=on
