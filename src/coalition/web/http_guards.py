"""HTTP-level guards, before any view runs: a size limit on request bodies (413), and JSON
error bodies for every error answered under /api/ (Django's own 404, 405, 413, 500
pages are HTML, which API clients cannot read). Also the answer to a body that Django
refuses while a view reads it (over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields or
files): a 413 with a code, as JSON under /api/ and as a page elsewhere, never a 500 or
Django's bare "Bad Request"."""

from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    detail = f"the request is larger than {limit:,} bytes (the limit is REQUEST_MAX_BYTES)"
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": detail, "code": "request.too_large"}, status=413)
    context = {"title": _("Too large"), "message": detail, "code": "request.too_large"}
    return render(request, "web/error.html", context, status=413)


def refusal_of(exc: Exception) -> tuple[int, str, str] | None:
    """(status, code, detail) for an exception Django raises on reading a request body that
    is over its limits; None for any other."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = _(
            "the request body is larger than %(limit)s bytes outside its files "
            "(the limit is DATA_UPLOAD_MAX_MEMORY_SIZE)"
        ) % {"limit": f"{limit:,}"}
        return 413, "request.too_large", detail
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        detail = _("the request has more than %(limit)s fields (DATA_UPLOAD_MAX_NUMBER_FIELDS)") % {
            "limit": f"{limit:,}"
        }
        return 413, "request.too_many_fields", detail
    if isinstance(exc, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        detail = _("the request has more than %(limit)s files (DATA_UPLOAD_MAX_NUMBER_FILES)") % {
            "limit": f"{limit:,}"
        }
        return 413, "request.too_many_files", detail
    return None


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: Django answers a SuspiciousOperation with it (an unreadable or oversized
    body met before or outside the API's own handlers)."""
    refusal = refusal_of(exception) if exception is not None else None
    status, code, detail = refusal or (400, "request.bad", _("the request cannot be read"))
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    title = _("Too large") if status == 413 else _("Bad request")
    context = {"title": title, "message": detail, "code": code}
    return render(request, "web/error.html", context, status=status)


def _as_json(response: HttpResponse) -> HttpResponse:
    try:
        reason = HTTPStatus(response.status_code).phrase
    except ValueError:
        reason = "Error"
    body = {"detail": reason, "code": f"http.{response.status_code}"}
    replaced = JsonResponse(body, status=response.status_code)
    if allow := response.get("Allow"):
        replaced["Allow"] = allow
    return replaced


class HttpGuardsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit: int = settings.REQUEST_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        response = _too_large(request, limit) if length > limit else self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return _as_json(response)
        return response
