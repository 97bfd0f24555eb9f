"""The access matrix's rows of API tokens (matrix.py): one's own tokens page, creating one,
revoking one (the sample token is delegate-lv's: its owner and an admin may revoke it,
the others are told no such token exists)."""

from coalition.access.route import Route, fixed, with_

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
