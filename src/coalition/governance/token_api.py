"""Thin REST router of one's own API tokens: list, create (the secret in the answer, once),
revoke. Others' tokens are not found here; an administrator revokes them from the command
line (`coalition token revoke`)."""

from datetime import datetime, timedelta
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import AfterValidator, Field

from coalition.access.actor import actor_of
from coalition.governance.models import ApiToken
from coalition.governance.selectors_tokens import token_of_secret, tokens_list
from coalition.governance.services.tokens import token_create, token_revoke
from coalition.schema_types import Id, clean_text

router = Router(tags=["tokens"])

Name = Annotated[str, Field(max_length=100), AfterValidator(clean_text)]


class TokenOut(Schema):
    id: int
    prefix: str = Field(description="the token's first 8 characters, to tell it apart")
    name: str
    scope: str = Field(description="read or read-write")
    created: datetime
    expires: datetime | None = Field(description="null: never")
    last_used: datetime | None = Field(description="to the minute; null: never used")
    status: str = Field(description="active, expired or revoked")


class TokenCreatedOut(TokenOut):
    token: str = Field(description="the secret: shown in this answer only, never again")


class TokenIn(Schema):
    name: Name = ""
    read_only: bool = False
    expires_in_days: int = Field(90, ge=1, le=3650)


def _out(token: ApiToken, now: datetime) -> dict[str, object]:
    return {
        "id": token.pk,
        "prefix": token.prefix,
        "name": token.name,
        "scope": token.scope,
        "created": token.created,
        "expires": token.expires,
        "last_used": token.last_used,
        "status": token.status(now),
    }


@router.get("/tokens", response=list[TokenOut], url_name="tokens", summary="Your API tokens")
def tokens(request: HttpRequest) -> list[dict[str, object]]:
    now = timezone.now()
    return [_out(t, now) for t in tokens_list(actor=actor_of(request))]


@router.post(
    "/tokens",
    response={201: TokenCreatedOut},
    url_name="token_create",
    summary="Create an API token of your own",
)
def token_new(request: HttpRequest, body: TokenIn) -> Status:
    actor = actor_of(request)
    now = timezone.now()
    secret = token_create(
        actor=actor,
        username=actor.name,
        name=body.name,
        read_only=body.read_only,
        expires=now + timedelta(days=body.expires_in_days),
    )
    return Status(201, _out(token_of_secret(secret=secret), now) | {"token": secret})


@router.post(
    "/tokens/{token_id}/revoke",
    response=TokenOut,
    url_name="token_revoke",
    summary="Revoke one of your API tokens",
)
def token_stop(request: HttpRequest, token_id: Id) -> dict[str, object]:
    token = token_revoke(actor=actor_of(request), token_id=token_id)
    return _out(token, timezone.now())
