"""The REST API v1: one NinjaAPI, a router per app, errors mapped in one place.

Every error body is JSON: `{"detail": ..., "code": ...}` with a stable machine code, plus
`field` when one field is at fault and `errors` when there are several (a refused file:
one object per problem with its file, row and column)."""

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from coalition import __version__
from coalition.audit.api import router as audit_router
from coalition.errors import DomainError, FileRejected, Unauthenticated
from coalition.finance.api import router as finance_router
from coalition.governance.api import router as governance_router
from coalition.governance.auth import BearerToken, SessionAuth
from coalition.governance.token_api import router as tokens_router
from coalition.procurement.api import router as procurement_router
from coalition.procurement.api_competitions import router as competitions_router
from coalition.procurement.api_deliveries import router as deliveries_router
from coalition.procurement.api_needs import router as needs_router
from coalition.procurement.api_ocds import router as ocds_router
from coalition.procurement.api_orders import router as orders_router
from coalition.procurement.api_payments import router as payments_router
from coalition.procurement.api_reconcile import router as reconcile_router
from coalition.reporting.api import router as reporting_router
from coalition.web.http_guards import refusal_of

log = logging.getLogger(__name__)

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["detail", "code"],
    "properties": {
        "detail": {
            "description": "what went wrong, for people (a list of problems for 422 "
            "request.invalid)"
        },
        "code": {
            "type": "string",
            "description": "a stable machine code, e.g. application.already_voted",
        },
        "field": {"type": "string", "description": "the field at fault, when there is one"},
        "errors": {
            "type": "array",
            "description": "every problem: of a refused file, an object with file, row, "
            "column, message; of a refused optimiser scenario, a string 'path: message'",
            "items": {"anyOf": [{"type": "object"}, {"type": "string"}]},
        },
    },
}
ERROR_STATUSES: dict[int, str] = {
    400: "The request cannot be read: a body that is not the JSON or form it claims (code "
    "http.400)",
    401: "Authentication required (code auth.required)",
    403: "Forbidden by the access policy (code ACTION.forbidden, or a rule's code)",
    404: "Not found, or not shown to this caller",
    409: "Refused by the platform's rules (a conflict with the recorded state)",
    413: "The request is larger than the limits (code request.too_large)",
    422: "Invalid input (code request.invalid, or a rule's code naming the field)",
}


class CoalitionAPI(NinjaAPI):
    """The schema documents one error body, with its stable code, for every operation."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(status, {"description": description, "content": reference})
        return schema


api = CoalitionAPI(
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
api.add_router("/", needs_router)
api.add_router("/", competitions_router)
api.add_router("/", orders_router)
api.add_router("/", deliveries_router)
api.add_router("/", payments_router)
api.add_router("/", reconcile_router)
api.add_router("/", ocds_router)
api.add_router("/", reporting_router)
api.add_router("/", audit_router)
api.add_router("/", tokens_router)


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
    response = api.create_response(request, error_body(exc), status=exc.status)
    if isinstance(exc, Unauthenticated):
        response["WWW-Authenticate"] = exc.challenge
    return response


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
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = Unauthenticated.challenge
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    body = {"detail": str(exc), "code": f"http.{exc.status_code}"}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found", "code": "not_found"}, status=404)


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def on_body_refused(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Django raises these while the operation reads the body: over its limits, not a bug.
    status, code, detail = refusal_of(exc) or (400, "request.bad", str(exc))
    return api.create_response(request, {"detail": detail, "code": code}, status=status)


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("unexpected error in %s %s", request.method, request.path)
    body = {"detail": "An unexpected error; it has been logged.", "code": "server.error"}
    return api.create_response(request, body, status=500)
