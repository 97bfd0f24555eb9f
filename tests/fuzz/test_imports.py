"""Hypothesis fuzzing of every file import (issue 13): pledges, requirements, offers,
delivery manifests and optimiser scenarios, from random bytes to nearly valid tables in
every encoding, separator and quoting. Property: the import succeeds, or it refuses the
file with the domain's file error (FileRejected; for scenarios, ScenarioError or the
CLI's InputError) naming the file, and then nothing is written: the row counts of every
finance, procurement and audit table are unchanged (so is the audit chain's length).

Bounded and reproducible: the `ci` profile of tests/conftest.py (derandomized, no
deadline); the examples of one test share its transaction, rolled back at its end."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from coalition.errors import FileRejected
from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Coalition
from coalition.optimizer.cli import InputError, load_scenario
from coalition.optimizer.errors import ScenarioError
from coalition.optimizer.parse import parse_scenario
from coalition.procurement.models import Order
from coalition.procurement.services.deliveries import deliveries_import
from coalition.procurement.services.needs import requirements_import
from coalition.procurement.services.offers import offers_import
from tests.fuzz.files import files
from tests.helpers import user_actor
from tests.procurement.deliveries import signed_order
from tests.procurement.purchase import FUND_MANAGER, purchase_setup

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
DATES = ["2025-03-03", "2030-01-01", "2025-02-30", "03/03/2025", "2025-3-3"]
COUNTRIES = ["DE", "LV", "UA", "PL", "ZZ", "de", "DEU"]
NUMBERS = ["1", "1000", "0", "-5", "12.345", "1,5", "1e3", "9" * 40, "abc"]
PLEDGES = {
    "reference": ["FZ-1", "FZ-2", "FZ-1"],
    "date": ["2025-03-03", *DATES],
    "donor": ["DE", "LV", *COUNTRIES],
    "channel": ["common-fund", "national", "industry", "other"],
    "status": ["pledged", "committed", "disbursed", "spent"],
    "amount": ["1000", "25.50", *NUMBERS],
    "currency": ["EUR", "EUR", "USD", "XXX", "eur"],
    "category": ["", "tactical-recon", "nope"],
    "origin": ["", "UA", "ZZ"],
    "note": ["", "a note"],
}
CATEGORIES = ["tactical-recon", "fpv", "interceptor", "nope", ""]
REQUIREMENTS = {
    "reference": ["RQ-1", "RQ-2", "N-1"],
    "category": CATEGORIES,
    "quantity": NUMBERS,
    "weight": NUMBERS,
    "needed_by": DATES,
    "priority": ["critical", "high", "normal", "urgent", ""],
    "note": ["", "a note"],
}
OFFERS = {
    "offer": ["OF-1", "OF-2", "A1"],
    "supplier": ["Fuzz Air", "Aerorozvidka Works", ""],
    "supplier_country": COUNTRIES,
    "origin": COUNTRIES,
    "category": CATEGORIES,
    "min_quantity": ["1", "1", "100", "0", "-1", "x"],
    "unit_price": NUMBERS,
    "currency": ["EUR", "USD", "XXX"],
    "capacity_per_30_days": NUMBERS,
    "lead_time_days": NUMBERS,
    "valid_until": ["", *DATES],
}


def _counts() -> dict[str, int]:
    models = [
        m
        for label in ("finance", "procurement", "audit")
        for m in apps.get_app_config(label).get_models()
    ]
    return {m._meta.label: m._default_manager.count() for m in models}


def _holds(run: Callable[[bytes, str], object], name: str, data: bytes) -> None:
    before = _counts()
    try:
        run(data, name)
        event("imported")
    except FileRejected as refused:
        event("refused")
        assert refused.errors, "a refusal names at least one problem"
        assert all(error.file == name for error in refused.errors), refused.errors
        assert _counts() == before, "a refused file wrote something"


@given(file=files(PLEDGES))
@FUZZ
def test_pledge_files(demo: Coalition, file: tuple[str, bytes]) -> None:
    admin = user_actor("admin")
    _holds(
        lambda data, name: pledges_import(actor=admin, coalition=demo, data=data, name=name), *file
    )


@given(file=files(REQUIREMENTS))
@FUZZ
def test_requirement_files(demo: Coalition, file: tuple[str, bytes]) -> None:
    beneficiary = user_actor("beneficiary-ua")

    def run(data: bytes, name: str) -> object:
        return requirements_import(actor=beneficiary, coalition=demo, data=data, name=name)

    _holds(run, *file)


@pytest.fixture
def open_competition(demo: Coalition) -> Coalition:
    purchase_setup(demo, close=False)
    return demo


@given(file=files(OFFERS))
@FUZZ
def test_offer_files(open_competition: Coalition, file: tuple[str, bytes]) -> None:
    manager = user_actor(FUND_MANAGER)

    def run(data: bytes, name: str) -> object:
        return offers_import(
            actor=manager, coalition=open_competition, competition="TR-1", data=data, name=name
        )

    _holds(run, *file)


@pytest.fixture
def order(demo: Coalition) -> Order:
    return signed_order(demo)


@given(data=st.data())
@FUZZ
def test_delivery_manifests(demo: Coalition, order: Order, data: st.DataObject) -> None:
    manifest = {
        "serial": ["SN-1", "SN-2", "SN-1", "", "sn 3"],
        "order": [order.reference, "PO-1999-0001", ""],
        "delivered_on": [order.signed_on.isoformat(), *DATES],
        "lot": ["", "L-1"],
    }
    manager = user_actor(FUND_MANAGER)

    def run(data: bytes, name: str) -> object:
        return deliveries_import(actor=manager, coalition=demo, data=data, name=name)

    _holds(run, *data.draw(files(manifest)))


EXAMPLE = json.loads(
    (
        Path(__file__).parents[2]
        / "src/coalition/optimizer/spec/examples/drone-coalition-2025.scenario.json"
    ).read_text()
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def scenarios(draw: st.DrawFn) -> Any:
    """The worked example with one to three of its values replaced or removed."""
    document = json.loads(json.dumps(EXAMPLE))
    for _ in range(draw(st.integers(1, 3))):
        node, key = document, None
        path: list[Any] = []
        while isinstance(node, dict | list) and node and draw(st.integers(0, 3)) > 0:
            key = draw(
                st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node)))
            )
            path.append(key)
            parent, node = node, node[key]
        if not path:
            continue
        if draw(st.booleans()):
            parent[key] = draw(JSON_VALUES)
        elif isinstance(parent, dict):
            del parent[key]
    return document


@given(document=scenarios())
@settings(max_examples=100)
def test_scenarios_parse_or_are_refused_with_their_paths(document: Any) -> None:
    try:
        parse_scenario(document)
    except ScenarioError as refused:
        assert refused.errors and all(isinstance(e, str) and e for e in refused.errors)


@given(
    raw=st.one_of(
        st.binary(max_size=300),
        scenarios().map(lambda d: json.dumps(d).encode()),
        st.sampled_from([b"", b"[" * 100_000, b"1" * 5_000, b'{"a": 1e999}', "\ufeff{}".encode()]),
    ),
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]),
)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_scenario_files_on_the_cli(tmp_path: Path, raw: bytes, encoding: str) -> None:
    path = tmp_path / "scenario.json"
    text = raw.decode("utf-8", "replace")
    path.write_bytes(text.encode(encoding, errors="replace"))
    try:
        load_scenario(str(path))
    except InputError as refused:
        assert refused.lines and all(line.startswith(f"{path}: ") for line in refused.lines)
