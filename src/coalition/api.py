"""The REST API v1: one NinjaAPI, a router per app, errors mapped in one place.

Every error body is JSON: `{"detail": ..., "code": ...}` with a stable machine code, plus
`field` when one field is at fault and `errors` when there are several (a refused file:
one object per problem with its file, row and column)."""

import logging

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import SessionAuth

from coalition import __version__
from coalition.errors import DomainError, FileRejected
from coalition.finance.api import router as finance_router
from coalition.governance.api import router as governance_router
from coalition.governance.auth import BearerToken
from coalition.procurement.api import router as procurement_router

log = logging.getLogger(__name__)

api = NinjaAPI(
    title="coalition API",
    version="1",
    description=(
        "The REST API of coalition. Authenticate with `Authorization: Bearer TOKEN` "
        "(`coalition token create USERNAME`) or the web session. Amounts are decimal "
        "strings, dates ISO 8601, countries ISO 3166-1 alpha-2. Errors are JSON "
        '`{"detail", "code"}`: branch on `code`, show `detail`. '
        f"Platform {__version__}."
    ),
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api-v1",
)
api.add_router("/", governance_router)
api.add_router("/", finance_router)
api.add_router("/", procurement_router)


def error_body(exc: DomainError) -> dict[str, object]:
    body: dict[str, object] = {"detail": exc.message, "code": exc.code}
    if exc.field:
        body["field"] = exc.field
    if isinstance(exc, FileRejected):
        body["errors"] = [e.as_dict() for e in exc.errors]
    elif errors := getattr(exc, "errors", None):
        body["errors"] = errors
    return body


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, error_body(exc), status=exc.status)


@api.exception_handler(ValidationError)
def on_invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    body = {"detail": exc.errors, "code": "request.invalid"}
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {
        "detail": "Authentication required: a Bearer token or a session.",
        "code": "auth.required",
    }
    return api.create_response(request, body, status=401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    body = {"detail": str(exc), "code": f"http.{exc.status_code}"}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found", "code": "not_found"}, status=404)


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("unexpected error in %s %s", request.method, request.path)
    body = {"detail": "An unexpected error; it has been logged.", "code": "server.error"}
    return api.create_response(request, body, status=500)
