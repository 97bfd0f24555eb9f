#!/bin/sh
# The image's entrypoint. Every process of one deployment must share the Django secret key
# and the audit chain's signing key. When COALITION_KEYS names a directory (a volume shared
# by the containers), the keys are read from it, and generated there the first time (the
# `migrate` service runs first, alone). Else set SECRET_KEY and AUDIT_SIGNING_KEY yourself.
set -eu
if [ -n "${COALITION_KEYS:-}" ]; then
  if [ ! -s "$COALITION_KEYS/secret_key" ]; then
    python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$COALITION_KEYS/secret_key.new"
    mv "$COALITION_KEYS/secret_key.new" "$COALITION_KEYS/secret_key"
  fi
  if [ ! -s "$COALITION_KEYS/audit_signing_key" ]; then
    python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())' \
      > "$COALITION_KEYS/audit_signing_key.new"
    mv "$COALITION_KEYS/audit_signing_key.new" "$COALITION_KEYS/audit_signing_key"
  fi
  SECRET_KEY="$(cat "$COALITION_KEYS/secret_key")"
  AUDIT_SIGNING_KEY="$(cat "$COALITION_KEYS/audit_signing_key")"
  export SECRET_KEY AUDIT_SIGNING_KEY
fi
exec "$@"
