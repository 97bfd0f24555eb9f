#!/bin/bash
# The streaming replica: on first start, a base backup of the primary (pg_basebackup -R
# writes standby.signal and primary_conninfo), then PostgreSQL as a hot standby that
# follows the primary's WAL through the slot `replica_1`.
# PRIMARY_HOST/PRIMARY_PORT (compose: db, 5432) and any arguments given (compose: none;
# tests/ops/test_replica.py: the port and socket of its own cluster) are only there so the
# same script runs outside Docker.
set -euo pipefail
primary_host="${PRIMARY_HOST:-db}"
primary_port="${PRIMARY_PORT:-5432}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$primary_host" -p "$primary_port" -U "$POSTGRES_USER"; do sleep 1; done
  export PGPASSWORD="$REPLICATION_PASSWORD"
  pg_basebackup -h "$primary_host" -p "$primary_port" -U replicator -D "$PGDATA" \
    -S replica_1 -X stream -R --checkpoint=fast
  chmod 0700 "$PGDATA"
fi
exec docker-entrypoint.sh postgres -c hot_standby=on "$@"
