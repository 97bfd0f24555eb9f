"""A cache of the API's read responses, keyed by the data's version, with ETags.

Every write appends an audit event in its own transaction, and `AuditHead` holds the
newest one: its seq and hash are the version of everything the platform knows. A read
asks for that one row (a primary-key lookup), and serves the body cached under
(version, today, language, who may see it, path and query) or builds it once. A write
commits a new head, so the next read misses and builds again: never a stale body, in any
process or on any machine, although each process keeps its own cache (Django's
`default` cache, LocMemCache unless CACHES says otherwise).

The version is read before the data, so a body is never older than the version it is
stored under. `today` is in the key because "on" defaults to today. The ETag is the
hash of the body, so a write elsewhere does not break a client's copy when its body is
the same; `If-None-Match` with it gets a 304 without a body.

The views behind it return plain dicts and lists (lean serialisation: no pydantic model
built and validated per row); their routes keep `response=` for the OpenAPI schema, and
tests check that the bodies match that schema."""

import functools
import hashlib
import json
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone, translation
from ninja.responses import NinjaJSONEncoder

from coalition.audit.models import AuditHead

# Long enough to be useful between writes; entries of an old version are dead anyway and
# age out (or are culled first by LocMemCache's MAX_ENTRIES).
TIMEOUT_SECONDS = 600
View = Callable[..., Any]
T = TypeVar("T")


HEAD_TABLE = AuditHead._meta.db_table
_VERSION_SQL = f"SELECT seq, hash FROM {HEAD_TABLE} WHERE id = 1"
# Where a request keeps the version it read with its credential (request_version).
_READ_WITH_CREDENTIAL = "_coalition_data_version"


def version_text(seq: int | None, digest: str | None) -> str:
    """The version for a head's seq and hash; "0" before the first event."""
    return f"{seq}.{digest[:16]}" if seq is not None and digest else "0"


def data_version() -> str:
    """The newest audit event's seq and hash: one primary-key lookup, in plain SQL
    because building the ORM query cost more than running it."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        head = cursor.fetchone()
    return version_text(*head) if head else "0"


def version_seen(request: HttpRequest, version: str) -> None:
    """Keep the version a request's authentication read in the same query as its token:
    on PostgreSQL each query is a round trip, and two of them made a cached read with a
    token cost half the floor (bench/api.py). It was read before the view's data, as
    the version must be."""
    setattr(request, _READ_WITH_CREDENTIAL, version)


def request_version(request: HttpRequest) -> str:
    """The version for this request: the one read with its token, else read now."""
    seen: str | None = getattr(request, _READ_WITH_CREDENTIAL, None)
    return seen if seen is not None else data_version()


def _audience(request: HttpRequest, public: bool) -> str:
    """Who the body is for: everyone for a public read, else the user (after the API's
    authentication has run: a Bearer token or the session)."""
    if public:
        return "public"
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return f"user-{user.pk}"


def cache_key(request: HttpRequest, *, public: bool, version: str) -> str:
    parts = [
        version,
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        _audience(request, public),
        request.method or "GET",
        request.get_full_path(),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"api-read:{digest}"


_BUILDING: dict[str, threading.Lock] = {}
_BUILDING_GUARD = threading.Lock()


def built_once(
    key: str, build: Callable[[], T], *, keep: Callable[[T], bool] = lambda _value: True
) -> T:
    """The value cached under `key`; else built (and kept, if `keep` says so) by one thread
    of the process while the others asking for the same key wait for it. After a write
    every reader misses at once: each building the same body again was most of the work
    of a mixed load (bench/api.py). A wait ends when the builder does, even if it failed;
    then the waiter builds for itself."""
    found = cache.get(key)
    if found is not None:
        return cast(T, found)
    with _BUILDING_GUARD:
        building = _BUILDING.get(key)
        mine = building is None
        if building is None:
            building = _BUILDING[key] = threading.Lock()
            building.acquire()
    if not mine:
        with building:
            pass
        found = cache.get(key)
        return cast(T, found) if found is not None else _build(key, build, keep)
    try:
        return _build(key, build, keep)
    finally:
        with _BUILDING_GUARD:
            del _BUILDING[key]
        building.release()


def _build(key: str, build: Callable[[], T], keep: Callable[[T], bool]) -> T:
    value = build()
    if keep(value):
        cache.set(key, value, TIMEOUT_SECONDS)
    return value


def render(data: Any) -> bytes:
    """The JSON ninja's renderer would write for the same data."""
    return json.dumps(data, cls=NinjaJSONEncoder).encode()


def _matches(request: HttpRequest, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    return any(tag.strip() in (etag, f"W/{etag}", "*") for tag in wanted.split(","))


def cached_read(*, public: bool) -> Callable[[View], View]:
    """Serve a GET route's body from the cache; `public`: the same body for every caller
    (else one per user). The view returns plain data, rendered once per version."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = cache_key(request, public=public, version=request_version(request))

            def build() -> tuple[str, bytes]:
                body = render(view(request, *args, **kwargs))
                return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"', body

            etag, body = built_once(key, build)
            headers = {
                "ETag": etag,
                # Clients may keep the body but must ask again (cheaply, with the ETag).
                "Cache-Control": "no-cache" if public else "private, no-cache",
            }
            if _matches(request, etag):
                return HttpResponseNotModified(headers=headers)
            return HttpResponse(body, content_type="application/json", headers=headers)

        return wrapper

    return decorate


def cached_value(name: str, build: Callable[[], T]) -> T:
    """A public value (the same for every caller) built once per version, day and language:
    for pages, whose HTML carries the caller's CSRF token and name and so is rendered
    each time, while the figures under it are not computed again."""
    parts = [data_version(), timezone.localdate().isoformat(), translation.get_language() or ""]
    key = "value:" + hashlib.sha256("\n".join([*parts, name]).encode()).hexdigest()
    return built_once(key, build)
