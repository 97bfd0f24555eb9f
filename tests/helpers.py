"""Small helpers shared by the tests: actors, and API requests with a Bearer token."""

import re

from django.contrib.auth import get_user_model
from django.test import Client

from coalition.access.actor import Actor
from coalition.access.policy import ALL_ACTIONS
from coalition.governance.services.users import token_create

# A system actor granted everything: the tests' stand-in for a data loader.
TEST = Actor.system("test", grants=ALL_ACTIONS)


def user_actor(username: str) -> Actor:
    """The actor of a demo user, as a request of theirs would carry it."""
    return Actor.of(get_user_model().objects.get(username=username))


def bearer(username: str) -> dict[str, str]:
    """Headers for a Django test client request authenticated by a fresh API token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=TEST, username=username)}"}


def api_get(client: Client, path: str, username: str | None = None) -> tuple[int, object]:
    headers = bearer(username) if username else {}
    response = client.get(f"/api/v1{path}", **headers)
    return response.status_code, response.json()


def api_post(
    client: Client, path: str, body: dict[str, object], username: str | None = None
) -> tuple[int, object]:
    headers = bearer(username) if username else {}
    response = client.post(f"/api/v1{path}", data=body, content_type="application/json", **headers)
    return response.status_code, response.json()


DEMO_ROLES = ["admin", "auditor", "beneficiary-ua", "delegate-lv", "delegate-tr", "delegate-gb"]


# What a page loads from elsewhere: scripts, images, frames and <link>ed files. Links to a
# source's own page (<a href>) are not loaded, and are wanted.
EXTERNAL = re.compile(r"""(?:\bsrc\s*=|<link\b[^>]*\bhref\s*=)\s*["'](?:https?:)?//""", re.I)
