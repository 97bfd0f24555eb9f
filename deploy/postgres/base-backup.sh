#!/bin/bash
# A base backup for point-in-time recovery (with the WAL archive in /archive): run it
# daily, e.g. `docker compose run --rm pitr-backup`. Restoring: docs/deploy.md.
set -euo pipefail
export PGPASSWORD="$REPLICATION_PASSWORD"
target="/backups/base-$(date -u +%Y%m%dT%H%M%SZ)"
pg_basebackup -h db -U replicator -D "$target" -X none -F tar -z --checkpoint=fast
echo "$target"
