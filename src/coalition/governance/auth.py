"""How an API request proves who it is: a Bearer token, or the web session.

A request that presents a token is judged on that token alone: unknown, expired or
revoked answers 401 with its code; a read-only token asking to write answers 403. A
request with neither a token nor a logged-in session answers 401 (auth.required), never
the CSRF check's 403: that check guards only what a session may do."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from coalition.api_cache import version_seen
from coalition.governance.errors import TokenReadOnly
from coalition.governance.selectors_tokens import token_check
from coalition.governance.services.tokens import token_used_record

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        now = timezone.now()
        found = token_check(token=token, now=now)
        if found.read_only and request.method not in SAFE_METHODS:
            raise TokenReadOnly("This API token is read-only: writing needs a read-write token.")
        token_used_record(token=found, now=now)
        if found.data_version is not None:
            version_seen(request, found.data_version)
        request.user = found.user
        return found.user


class SessionAuth(NinjaSessionAuth):
    """Ninja's session authentication, with its CSRF check only for a logged-in session
    (the name is kept: it is the security scheme's name in the OpenAPI schema)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None  # no session to protect: the answer is 401, not a CSRF 403
        return super()._get_key(request)
