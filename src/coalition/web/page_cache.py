"""Whole pages for anonymous visitors, built once per data version.

What an anonymous visitor sees of a public page depends only on its address, the
language, the day and the data, and the data's version is the audit head
(coalition.api_cache). The one part that differs per visitor is the CSRF token of the
language form: the page is rendered with a placeholder in its place, stored, and each
visitor gets it with their own token put in. Rendering the public page costs about 6 ms,
serving it from here well under 1 ms (bench/api.py, "public page (HTML)").

Logged-in visitors (their name, role and forms are in the page) and visitors with a
message waiting are served by the view itself. The access policy is still asked on every
request, before anything is served from here."""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from coalition.access.actor import actor_of
from coalition.access.policy import require
from coalition.api_cache import built_once, cache_key, data_version

# Rendered in place of the CSRF token, and the same in every process (a shared cache may
# hold a page one process rendered for another). Should a coalition's text ever contain
# it, a visitor would see there only their own token, which the page gives them anyway.
PLACEHOLDER = "@coalition-csrf-token@"
_RENDERING = "_coalition_page_cache_rendering"
View = Callable[..., HttpResponse]


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """Context processor: while a page is rendered for the cache, its CSRF token is the
    placeholder (this processor runs after Django's own csrf one, so it wins)."""
    return {"csrf_token": PLACEHOLDER} if getattr(request, _RENDERING, False) else {}


def _cacheable(request: HttpRequest) -> bool:
    if request.method != "GET" or request.user.is_authenticated:
        return False
    return len(get_messages(request)) == 0  # looks without using them up


def _whole_page(response: HttpResponse) -> bool:
    """A page, not a download, an error or a redirect: what is cached is only its body and
    type, so a response that says more in its headers is not."""
    return (
        response.status_code == 200
        and not response.streaming
        and response["Content-Type"].startswith("text/html")
        and not response.has_header("Content-Disposition")
    )


def _served(request: HttpRequest, body: bytes, content_type: str) -> HttpResponse:
    token = get_token(request).encode()  # and the middleware sets the cookie that goes with it
    return HttpResponse(body.replace(PLACEHOLDER.encode(), token), content_type=content_type)


def anonymous_page(
    action: str, *, version: Callable[..., str] | None = None
) -> Callable[[View], View]:
    """Serve a page to anonymous visitors from the cache, once `action` is allowed them.
    `version(request, *args, **kwargs)`, if given, is the page's version in place of the
    data's: the data's and what the page shows that must never be stale even if it
    changed without an audit event, read in one query."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            require(actor_of(request), action)
            found = data_version() if version is None else version(request, *args, **kwargs)
            key = "page:" + cache_key(request, public=True, version=found)

            def build() -> tuple[bytes, str] | HttpResponse:
                setattr(request, _RENDERING, True)
                try:
                    response = view(request, *args, **kwargs)
                finally:
                    setattr(request, _RENDERING, False)
                if not _whole_page(response):
                    return response  # served as it is, and not kept
                return response.content, response["Content-Type"]

            entry = built_once(key, build, keep=lambda built: isinstance(built, tuple))
            if isinstance(entry, HttpResponse):
                return entry
            return _served(request, *entry)

        return wrapper

    return decorate
