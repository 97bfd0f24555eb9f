"""The floor of bench/api.py: a bare Django `JsonResponse` of the demo's 18 members.

Routed only when the server starts with COALITION_BENCH_FLOOR=1 (see coalition.urls), so
production never has it. The rows are read once, then every request is what Django itself
costs: the same middleware, the same gunicorn, a ready list of dicts turned into JSON."""

from datetime import date

from django.http import HttpRequest, JsonResponse
from django.urls import path

_rows: list[dict[str, object]] = []


def floor(request: HttpRequest) -> JsonResponse:
    if not _rows:
        from coalition.governance import selectors

        coalition = selectors.coalition_get(slug="drone-coalition")
        _rows.extend(
            {
                "country": row.country.code,
                "name": row.country.name,
                "roles": row.roles,
                "since": row.since.isoformat(),
                "note": row.note,
                "source": row.source_key,
            }
            for row in selectors.members_on(coalition=coalition, on=date(2025, 5, 28))
        )
    return JsonResponse(_rows, safe=False)


urlpatterns = [path("bench/floor", floor)]
