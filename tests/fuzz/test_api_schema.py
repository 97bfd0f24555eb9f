"""schemathesis against the API's own OpenAPI schema, in-process (WSGI), as each role of
the demo: no answer is a 5xx, and every answer (status, headers, body) is one the schema
documents. Path parameters are drawn from the demo's real slugs, ids and references as
well as from the schema, so that operations get past "not found" to their rules.

Bounded and reproducible: schemathesis' coverage phase (every boundary case the schema
defines: deterministic) as the admin and as an anonymous caller, whose answers differ
most; then a few Hypothesis examples per operation for every role, derandomized (the
`ci` profile of tests/conftest.py), no deadline. Each test runs in the test transaction
of pytest-django, so what the write operations create is rolled back at its end."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from coalition.api import api
from tests.helpers import bearer

ROLES = [
    "delegate-lv",  # the chair
    "delegate-gb",  # the fund manager
    "delegate-de",  # a member's delegate
    "delegate-tr",  # a candidate's delegate
    "beneficiary-ua",
    "auditor",
]
THOROUGH = ["admin", None]  # None: anonymous
EXAMPLES = 5
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much]

# The demo's real values for each path parameter (filled by the module fixture below).
REAL: dict[str, list[Any]] = {}


def _schema(phases: list[str]) -> Any:
    config = schemathesis.Config.from_dict({"phases": {p: {"enabled": True} for p in phases}})
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=config)
    loaded.app = WSGIHandler()
    for name in {"examples", "coverage", "fuzzing", "stateful"} - set(phases):
        getattr(loaded.config.phases, name).enabled = False

    @loaded.hook
    def before_generate_case(context: Any, strategy: Any) -> Any:
        return strategy.flatmap(_real_or_generated)

    return loaded


def _real_or_generated(case: Any) -> Any:
    """The case with each path parameter drawn from the demo's values or its own."""
    params = case.path_parameters
    if not params:
        return st.just(case)
    # Real values three times in four: most cases reach the rules behind "not found".
    choices = {
        name: st.sampled_from([*REAL.get(name, []) * 3, value]) for name, value in params.items()
    }

    def with_params(chosen: dict[str, Any]) -> Any:
        case.path_parameters = chosen
        return case

    return st.fixed_dictionaries(choices).map(with_params)


thorough = _schema(["examples", "coverage", "fuzzing"])
quick = _schema(["fuzzing"])


@pytest.fixture(scope="module")
def exercise(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo's worked purchase (orders, a competition, a plan run) for this module only:
    loaded inside a transaction that is rolled back after the module's last test."""
    from coalition.demo.services import exercise_load
    from coalition.finance.models import Contribution, Fund
    from coalition.governance.models import Application, Coalition, Meeting
    from coalition.procurement.models import Competition, Offer, Order, PlanRun

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            exercise_load(Coalition.objects.get(slug="drone-coalition"))
            references = [
                *Competition.objects.values_list("reference", flat=True),
                *Order.objects.values_list("reference", flat=True),
                *Contribution.objects.values_list("reference", flat=True)[:3],
            ]
            REAL.update(
                slug=["drone-coalition"],
                application_id=list(Application.objects.values_list("id", flat=True)),
                fund_id=list(Fund.objects.values_list("id", flat=True)),
                meeting_id=list(Meeting.objects.values_list("id", flat=True)[:2]),
                run_id=list(PlanRun.objects.values_list("id", flat=True)),
                reference=references,
                offer=list(Offer.objects.values_list("reference", flat=True)[:2]),
                currency=["EUR", "USD"],
            )
            yield
        finally:
            REAL.clear()
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def in_process() -> Iterator[None]:
    """A WSGI request must not close the test's connection when it starts or ends (Django's
    test client does the same): on PostgreSQL that would end the test transaction."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


def _call(case: Any, role: str | None) -> None:
    headers = {"Authorization": bearer(role)["HTTP_AUTHORIZATION"]} if role else {}
    case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", THOROUGH)
@thorough.parametrize()
@settings(max_examples=EXAMPLES, suppress_health_check=HEALTH)
def test_api_thoroughly(case: Any, role: str | None, exercise: None, in_process: None) -> None:
    _call(case, role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@quick.parametrize()
@settings(max_examples=EXAMPLES, suppress_health_check=HEALTH)
def test_api_as_each_role(case: Any, role: str | None, exercise: None, in_process: None) -> None:
    _call(case, role)
