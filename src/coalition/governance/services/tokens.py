"""API tokens: created for a user (the secret shown once, only its SHA-256 kept), revoked,
and dated at each use."""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.governance.errors import InvalidToken, TokenConflict, TokenNotFound
from coalition.governance.models import ApiToken, TokenScope
from coalition.governance.selectors import user_get

# A token lives 90 days unless asked otherwise: a leaked one that nobody revokes still
# dies. Only an explicit `never` (the CLI's --no-expiry) makes one that does not.
DEFAULT_LIFETIME = timedelta(days=90)
# last_used is written at most once a minute per token: enough to tell a live token from
# a forgotten one, without a write on every request.
USE_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def token_create(
    *,
    actor: Actor,
    username: str,
    name: str = "",
    read_only: bool = False,
    expires: datetime | None = None,
    never_expires: bool = False,
) -> str:
    """A new API token for `username`; the token itself is returned once, never stored.
    It expires at `expires` (default: in 90 days), or never with `never_expires`."""
    require(actor, "token.create", username=username)
    user = user_get(username=username)
    now = timezone.now()
    if never_expires and expires is not None:
        raise InvalidToken("give an expiry or ask for none, not both", field="expires")
    if not never_expires:
        expires = expires or now + DEFAULT_LIFETIME
        if expires <= now:
            raise InvalidToken("the expiry must be in the future", field="expires")
    name = name.strip()
    if len(name) > 100:
        raise InvalidToken("a token's name has at most 100 characters", field="name")
    token = secrets.token_urlsafe(32)
    scope = TokenScope.READ if read_only else TokenScope.WRITE
    ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(token),
        prefix=token[:8],
        name=name,
        scope=scope,
        expires=expires,
    )
    audit_record(
        actor=actor,
        action="token.created",
        object_type="user",
        object_id=username,
        changes={
            "prefix": token[:8],
            "name": name,
            "scope": str(scope),
            "expires": expires.isoformat() if expires else None,
        },
    )
    return token


@transaction.atomic
def token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    """Revoke a token: it stops working at once, and stays listed as revoked."""
    found = ApiToken.objects.select_for_update().select_related("user").filter(id=token_id).first()
    if found is None:  # the same answer as for someone else's token: existence is not told
        raise TokenNotFound("no such token")
    username = found.user.get_username()
    require(actor, "token.revoke", username=username)
    if found.revoked_at is not None:
        raise TokenConflict(f"token {found.prefix}… was already revoked")
    found.revoked_at = timezone.now()
    found.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="token.revoked",
        object_type="user",
        object_id=username,
        changes={"prefix": found.prefix, "name": found.name},
    )
    return found


def token_used_record(*, token: ApiToken, now: datetime) -> None:
    """Date a token's use: one UPDATE of its row, at most once a minute. No audit event:
    like a session's expiry date this is metadata about a credential, not a change of
    the domain (and an event per use would drown the log and every cache version)."""
    if token.last_used is not None and now - token.last_used < USE_RESOLUTION:
        return
    ApiToken.objects.filter(id=token.pk).update(last_used=now)
    token.last_used = now
