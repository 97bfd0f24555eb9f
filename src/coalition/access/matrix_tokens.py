"""The access matrix's rows of API tokens (matrix.py): one's own tokens page, creating one,
revoking one (the sample token is delegate-lv's: its owner and an admin may revoke it,
the others are told no such token exists)."""

from coalition.access.route import API, Route, fixed, with_

_OWN = with_(username=lambda s, a: a.name)
_LV_TOKEN = with_(username=lambda s, a: "delegate-lv")

TOKEN_PAGE_ROUTES = [
    Route("page", "GET", "/account/tokens/", "account-tokens", "token.view"),
    Route(
        "page",
        "POST",
        "/account/tokens/",
        "account-tokens",
        "token.create",
        _OWN,
        fixed({"name": "matrix", "scope": "read", "days": "90"}),
        note="a token of one's own",
    ),
    Route(
        "page",
        "POST",
        "/account/tokens/{token_id}/revoke/",
        "account-token-revoke",
        "token.revoke",
        _LV_TOKEN,
        fixed({}),
        first="token.view",
        note="a token of delegate-lv",
    ),
]

TOKEN_API_ROUTES = [
    Route("api", "GET", f"{API}/tokens", "api-v1:tokens", "token.view"),
    Route(
        "api",
        "POST",
        f"{API}/tokens",
        "api-v1:token_create",
        "token.create",
        _OWN,
        fixed({"name": "matrix", "read_only": True, "expires_in_days": 30}),
        note="a token of one's own",
    ),
    Route(
        "api",
        "POST",
        f"{API}/tokens/{{token_id}}/revoke",
        "api-v1:token_revoke",
        "token.revoke",
        _LV_TOKEN,
        fixed({}),
        first="token.view",
        note="a token of delegate-lv",
    ),
]
