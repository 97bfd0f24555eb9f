"""HTTP-level guards, before any view runs: a size limit on request bodies (413), and JSON
error bodies for every error answered under /api/ (Django's own 404, 405, 413, 500
pages are HTML, which API clients cannot read)."""

from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
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
