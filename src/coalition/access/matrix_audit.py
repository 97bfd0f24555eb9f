"""The access matrix's rows of the audit log (matrix.py): its API operations and pages."""

from coalition.access.route import API, Route

# An earlier export of one day's head: compared, it does not match, which is an answer.
_HEADS = ("heads.json", '{"heads": [{"day": "2026-01-01", "seq": 1, "hash": "' + "0" * 64 + '"}]}')

AUDIT_API_ROUTES = [
    Route("api", "GET", f"{API}/audit/events", "api-v1:audit_events", "audit.view"),
    Route("api", "POST", f"{API}/audit/verify", "api-v1:audit_verify_now", "audit.verify"),
    Route("api", "GET", f"{API}/audit/heads", "api-v1:audit_heads", "audit.view"),
    Route(
        "api",
        "POST",
        f"{API}/audit/heads/compare",
        "api-v1:audit_heads_compare",
        "audit.view",
        upload=True,
        extra={"file": _HEADS},
        note="an earlier export of the days' heads",
    ),
]

AUDIT_PAGE_ROUTES = [
    Route("page", "GET", "/audit/", "audit", "audit.view"),
    Route("page", "POST", "/audit/verify/", "audit-verify", "audit.verify", body=lambda s, a: {}),
    Route("page", "GET", "/audit/heads/", "audit-heads", "audit.view"),
    Route(
        "page",
        "POST",
        "/audit/heads/compare/",
        "audit-heads-compare",
        "audit.view",
        upload=True,
        extra={"file": _HEADS},
        note="an earlier export of the days' heads",
    ),
]
