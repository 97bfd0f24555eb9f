"""Small helpers shared by API tests."""

from django.test import Client

from coalition.governance.services import token_create


def bearer(username: str) -> dict[str, str]:
    """Headers for a Django test client request authenticated by a fresh API token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor='test', username=username)}"}


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
