#!/bin/bash
# Runs once, when the primary's data directory is created (docker-entrypoint-initdb.d):
# the replication role, its replication slot (the primary keeps the WAL the replica has
# not received yet) and the pg_hba line that lets it in.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}';
SELECT pg_create_physical_replication_slot('replica_1');
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
