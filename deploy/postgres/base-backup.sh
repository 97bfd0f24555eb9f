#!/bin/bash
# A base backup for point-in-time recovery (with the WAL archive in /archive): run it
# daily, e.g. `docker compose run --rm pitr-backup`. Restoring: docs/deploy.md.
# PRIMARY_HOST, PRIMARY_PORT and BACKUP_DIR (compose: db, 5432, /backups) let the same
# script run outside Docker (tests/ops/test_replica.py).
set -euo pipefail
export PGPASSWORD="$REPLICATION_PASSWORD"
target="${BACKUP_DIR:-/backups}/base-$(date -u +%Y%m%dT%H%M%SZ)"
pg_basebackup -h "${PRIMARY_HOST:-db}" -p "${PRIMARY_PORT:-5432}" -U replicator -D "$target" \
  -X none -F tar -z --checkpoint=fast
echo "$target"
