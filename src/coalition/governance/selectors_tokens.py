"""Reads of API tokens: the one a request presents, and the lists people and the command
line see."""

import hmac
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from coalition.access import policy
from coalition.access.actor import Actor
from coalition.governance.errors import (
    TokenExpired,
    TokenNotFound,
    TokenRefused,
    TokenRevoked,
)
from coalition.governance.models import ApiToken
from coalition.governance.token_lookup import token_by_digest

REFUSED = "Authentication required: a Bearer token or a session."


def token_check(*, token: str, now: datetime | None = None) -> ApiToken:
    """The live token `token` is, with its user; else TokenRefused (unknown, or its user
    inactive), TokenRevoked or TokenExpired, all answered 401."""
    digest = ApiToken.digest_of(token)
    found = token_by_digest(digest)
    # The lookup is by digest (an index finds it whatever the timing); comparing again in
    # constant time costs nothing and keeps a timing leak out if the lookup ever changes.
    if found is None or not hmac.compare_digest(found.digest, digest):
        raise TokenRefused(REFUSED)
    if not found.user.is_active:
        raise TokenRefused(REFUSED)
    status = found.status(now or timezone.now())
    if status == "revoked":
        raise TokenRevoked("This API token was revoked.")
    if status == "expired":
        raise TokenExpired("This API token has expired: create a new one.")
    return found


def user_for_token(*, token: str) -> AbstractBaseUser | None:
    """The active user a live API token belongs to, or None."""
    try:
        return token_check(token=token).user
    except TokenRefused:
        return None


def tokens_list(*, actor: Actor, username: str | None = None) -> QuerySet[ApiToken]:
    """The actor's own tokens; another user's (`username`) or everyone's (None, for the
    command line) where the policy grants token.manage."""
    found = ApiToken.objects.select_related("user").order_by("-created", "-id")
    if username is None and policy.may(actor, "token.manage"):
        return found
    if username is not None and username != actor.name:
        policy.require(actor, "token.manage")
        return found.filter(user__username=username)
    policy.require(actor, "token.view")
    assert actor.user_id is not None  # token.view: a logged-in user
    return found.filter(user_id=actor.user_id)


def token_find(*, actor: Actor, key: str) -> ApiToken:
    """A token by its prefix (8 characters) or its id, among those the actor may see."""
    visible = tokens_list(actor=actor)
    matches = list(visible.filter(prefix=key)) if len(key) == 8 else []
    if not matches and key.isdigit():
        matches = list(visible.filter(id=int(key)))
    if len(matches) == 1:
        return matches[0]
    if matches:
        ids = ", ".join(str(t.pk) for t in matches)
        raise TokenNotFound(f"several tokens start with '{key}' (ids {ids}): give the id")
    raise TokenNotFound(f"no token with prefix or id '{key}'")


def token_of_secret(*, secret: str) -> ApiToken:
    """The stored row of a token just created (by its digest)."""
    return ApiToken.objects.get(digest=ApiToken.digest_of(secret))
