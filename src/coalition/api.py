"""The REST API v1: one NinjaAPI, a router per app, domain errors mapped in one place."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import SessionAuth

from coalition import __version__
from coalition.errors import DomainError, FileRejected
from coalition.finance.api import router as finance_router
from coalition.governance.api import router as governance_router
from coalition.governance.auth import BearerToken
from coalition.procurement.api import router as procurement_router

api = NinjaAPI(
    title="coalition API",
    version="1",
    description=(
        "The REST API of coalition. Authenticate with `Authorization: Bearer TOKEN` "
        "(`coalition token create USERNAME`) or the web session. Amounts are decimal "
        f"strings, dates ISO 8601, countries ISO 3166-1 alpha-2. Platform {__version__}."
    ),
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api-v1",
)
api.add_router("/", governance_router)
api.add_router("/", finance_router)
api.add_router("/", procurement_router)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, object] = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    if errors := getattr(exc, "errors", None):
        body["errors"] = errors
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(FileRejected)
def on_file_rejected(request: HttpRequest, exc: FileRejected) -> HttpResponse:
    # A refused file or form: every problem, each with its file, row and column.
    errors = [
        {"file": e.file, "row": e.row, "column": e.column, "message": e.message} for e in exc.errors
    ]
    return api.create_response(request, {"detail": exc.message, "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Authentication required: a Bearer token or a session."}, status=401
    )
