"""The OCDS 1.1 export (issue 11, item 5), checked by the official validator libcoveocds
offline (ocds_check.py: the standard's archive in tests/data/ocds, no network): zero
schema errors and no failed further check, on the demo's worked exercise and on generated
coalitions, release and record packages; the figures of the exercise by hand; the
confidential settings leave no hidden value or name anywhere in the JSON text."""

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from coalition.audit.models import AuditEvent
from coalition.demo.services import exercise_load
from coalition.errors import InvalidInput
from coalition.finance.money import from_minor
from coalition.governance.models import Coalition
from coalition.governance.services.publication import coalition_publication_set
from coalition.procurement.ocds import package_json, record_package, release_package
from coalition.procurement.ocds.packages import NothingToPublish
from tests.helpers import TEST, user_actor
from tests.procurement.ocds_check import ocds_validate
from tests.procurement.ocds_data import generate

pytestmark = pytest.mark.django_db

OCID = "ocds-coalit-drone-coalition-DC-ISR-2025"
ORDERS = {  # the exercise's orders (tests/demo/test_exercise.py): supplier, units, price, amount
    "PO-2025-0001": ("Zoria Recon Systems (illustrative)", 3720, 5600, 20832000),
    "PO-2025-0002": ("Steppe Eye Drones (illustrative)", 180, 6900, 1242000),
    "PO-2025-0003": ("Polder UAS (illustrative)", 100, 5900, 590000),
}


def _valid(package: dict[str, Any]) -> None:
    errors, failed = ocds_validate(package)
    assert errors == []
    assert failed == {}


@pytest.fixture
def exercise(demo: Coalition) -> Coalition:
    exercise_load(demo)
    return demo


def test_the_exercise_passes_the_validator_as_releases_and_records(exercise: Coalition) -> None:
    releases = release_package(actor=TEST, coalition=exercise)
    records = record_package(actor=TEST, coalition=exercise)
    _valid(releases)
    _valid(records)
    assert releases["version"] == "1.1"
    assert releases["publisher"] == {"name": "Drone Coalition"}
    assert [r["ocid"] for r in records["records"]] == [OCID]


def test_the_exercise_releases_carry_its_figures(exercise: Coalition) -> None:
    package = release_package(actor=TEST, coalition=exercise)
    by_id = {r["id"]: r for r in package["releases"]}
    planning = by_id[f"{OCID}-planning"]
    assert planning["tag"] == ["planning"]
    assert planning["date"] == "2025-03-12T00:00:00Z"  # the first offer's day
    assert planning["planning"]["budget"]["amount"] == {"amount": 20000000, "currency": "EUR"}
    assert [i["id"] for i in planning["tender"]["items"]] == ["ISR-UA-1", "ISR-UA-2", "ISR-UA-3"]
    assert [i["quantity"] for i in planning["tender"]["items"]] == [1500, 1500, 1000]
    tender = by_id[f"{OCID}-tender"]["tender"]
    assert tender["tenderPeriod"] == {
        "startDate": "2025-03-12T00:00:00Z",
        "endDate": "2025-03-21T23:59:59Z",
    }
    assert tender["procuringEntity"] == {"id": "country-GB", "name": "United Kingdom"}
    update = by_id[f"{OCID}-tender-awarded"]["tender"]
    assert update["status"] == "complete"
    assert update["numberOfTenderers"] == 4
    for reference, (supplier, units, price, total) in ORDERS.items():
        award = by_id[f"{OCID}-award-{reference}-r0"]["awards"][0]
        assert award["value"] == {"amount": total, "currency": "EUR"}
        assert [s["name"] for s in award["suppliers"]] == [supplier]
        assert sum(i["quantity"] for i in award["items"]) == units
        assert {i["unit"]["value"]["amount"] for i in award["items"]} == {price}
        contract = by_id[f"{OCID}-contract-{reference}-r0"]["contracts"][0]
        assert contract["awardID"] == reference
        assert contract["dateSigned"] == "2025-03-31T00:00:00Z"
        assert contract["value"] == {"amount": total, "currency": "EUR"}
    zoria = by_id[f"{OCID}-contract-PO-2025-0001-r0"]["contracts"][0]
    assert [(m["dueDate"], m["status"]) for m in zoria["implementation"]["milestones"]] == [
        ("2025-06-30T23:59:59Z", "scheduled"),
        ("2025-09-30T23:59:59Z", "scheduled"),
        ("2025-12-15T23:59:59Z", "scheduled"),
    ]
    assert all(r["initiationType"] == "tender" for r in package["releases"])
    assert len(by_id) == len(package["releases"])  # ids unique


def test_the_compiled_release_merges_the_stages(exercise: Coalition) -> None:
    [record] = record_package(actor=TEST, coalition=exercise)["records"]
    compiled = record["compiledRelease"]
    assert compiled["tag"] == ["compiled"]
    assert compiled["date"] == max(r["date"] for r in record["releases"])
    assert compiled["tender"]["status"] == "complete"  # the later update wins
    assert compiled["planning"]["budget"]["amount"]["amount"] == 20000000
    assert [a["id"] for a in compiled["awards"]] == list(ORDERS)
    assert sum(a["value"]["amount"] for a in compiled["awards"]) == 22664000
    roles = {p["id"]: p["roles"] for p in compiled["parties"]}
    assert roles["coalition-drone-coalition"] == ["buyer"]
    assert "procuringEntity" in roles["country-GB"]
    names = {p["id"]: p["name"] for p in compiled["parties"]}
    for party, party_roles in roles.items():
        if names[party] in {supplier for supplier, *_ in ORDERS.values()}:
            assert {"supplier", "tenderer"} <= set(party_roles)
        elif party.startswith("supplier-"):
            assert party_roles == ["tenderer"]  # the fourth offer won nothing


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_generated_coalitions_pass_the_validator(demo: Coalition, seed: int) -> None:
    found = generate(seed)
    releases = release_package(actor=TEST, coalition=found.coalition)
    records = record_package(actor=TEST, coalition=found.coalition)
    _valid(releases)
    _valid(records)
    assert len(records["records"]) == 6  # one per competition
    stages = {r["id"][len(r["ocid"]) + 1 :].split("-")[0] for r in releases["releases"]}
    assert {"planning", "tender", "award", "contract"} <= stages
    awards = [a for r in releases["releases"] for a in r.get("awards", [])]
    assert len(awards) == found.orders
    paid = [
        t
        for r in releases["releases"]
        for c in r.get("contracts", [])
        for t in c.get("implementation", {}).get("transactions", [])
    ]
    assert len(paid) == found.payments
    # Every amount is exact to the minor unit, as a JSON number.
    text = package_json(releases)
    for t in json.loads(text, parse_float=Decimal)["releases"]:
        for c in t.get("contracts", []):
            for tx in c.get("implementation", {}).get("transactions", []):
                assert (tx["value"]["amount"], tx["value"]["currency"]) in {
                    (from_minor(m, cur), cur) for m, cur in found.amounts
                }


def test_generated_data_has_implementation_with_every_milestone_status(demo: Coalition) -> None:
    statuses: set[str] = set()
    for seed in (1, 2, 3, 4):
        records = record_package(actor=TEST, coalition=generate(seed).coalition)
        for record in records["records"]:
            for contract in record["compiledRelease"].get("contracts", []):
                for m in contract.get("implementation", {}).get("milestones", []):
                    statuses.add(m["status"])
    assert statuses == {"met", "notMet"}  # every due date of 2025 has passed


def _hidden_texts(found: Any) -> list[str]:
    """How a hidden amount could be written: as a JSON number (integer or decimal)."""
    texts = []
    for minor, currency in found.unit_prices + found.amounts:
        amount = from_minor(minor, currency)
        texts.append(json.dumps(int(amount) if amount == amount.to_integral() else float(amount)))
    return texts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_confidential_prices_and_suppliers_appear_nowhere(demo: Coalition, seed: int) -> None:
    found = generate(seed, confidential_prices=True, confidential_suppliers=True)
    for build in (release_package, record_package):
        package = build(actor=TEST, coalition=found.coalition)
        _valid(package)
        text = package_json(package, indent=None)
        for name in found.supplier_names:
            assert name not in text
        numbers = set(_numbers(json.loads(text, parse_float=Decimal)))
        hidden = {Decimal(t) for t in _hidden_texts(found)}
        budgets = {
            Decimal(str(from_minor(c.budget_minor, c.currency)))
            for c in found.coalition.competitions.all()
        }
        assert numbers & hidden <= budgets  # only a budget may equal a price by chance
        values = [v for r in _releases(package) for v in _values(r)]
        assert {path for path, _ in values} <= {"tender"}  # the budget, nothing else
        assert '"suppliers"' not in text and '"payee"' not in text
        assert '"tenderers"' not in text
        assert "supplier" not in {role for p in _parties(package) for role in p["roles"]}
    # The same data, public, shows them.
    coalition_publication_set(
        actor=TEST,
        coalition=found.coalition,
        ocid_prefix="ocds-coalit",
        confidential_prices=False,
        confidential_suppliers=False,
    )
    found.coalition.refresh_from_db()
    package = release_package(actor=TEST, coalition=found.coalition)
    text = package_json(package)
    assert any(name in text for name in found.supplier_names)
    assert {path for r in _releases(package) for path, _ in _values(r)} > {"tender"}


def test_confidential_prices_alone_keep_the_suppliers(exercise: Coalition) -> None:
    exercise.confidential_prices = True
    exercise.save()
    package = release_package(actor=TEST, coalition=exercise)
    _valid(package)
    text = package_json(package, indent=None)
    for _, (supplier, _, price, total) in ORDERS.items():
        assert supplier in text
        assert f": {total}," not in text and f": {total}}}" not in text
        assert f'"amount": {price},' not in text
    assert '"amount": {"amount": 20000000, "currency": "EUR"}' in text  # the budget stays


def _numbers(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return [Decimal(value)] if isinstance(value, int | Decimal) and value is not True else []


def _releases(package: dict[str, Any]) -> list[dict[str, Any]]:
    if "releases" in package:
        return list(package["releases"])
    return [
        r for record in package["records"] for r in [*record["releases"], record["compiledRelease"]]
    ]


def _values(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every `value` field, with the path of its parent (array indexes left out)."""
    found: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "value":
                found.append((path, inner))
            found.extend(_values(inner, f"{path}/{key}".strip("/")))
    elif isinstance(value, list):
        for inner in value:
            found.extend(_values(inner, path))
    return found


def _parties(package: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for r in _releases(package) for p in r.get("parties", [])]


def test_the_prefix_is_the_coalitions_and_checked(exercise: Coalition) -> None:
    coalition_publication_set(
        actor=TEST,
        coalition=exercise,
        ocid_prefix="ocds-a1b2c3",
        confidential_prices=False,
        confidential_suppliers=False,
    )
    exercise.refresh_from_db()
    package = release_package(actor=TEST, coalition=exercise)
    assert {r["ocid"] for r in package["releases"]} == {"ocds-a1b2c3-drone-coalition-DC-ISR-2025"}
    _valid(package)
    with pytest.raises(InvalidInput, match="ocid_prefix"):
        coalition_publication_set(
            actor=TEST,
            coalition=exercise,
            ocid_prefix="OCDS-bad",
            confidential_prices=True,
            confidential_suppliers=True,
        )
    exercise.refresh_from_db()
    assert (exercise.ocid_prefix, exercise.confidential_prices) == ("ocds-a1b2c3", False)


def test_only_an_administrator_sets_the_publication(exercise: Coalition) -> None:
    from coalition.errors import Forbidden

    with pytest.raises(Forbidden):
        coalition_publication_set(
            actor=user_actor("delegate-gb"),
            coalition=exercise,
            ocid_prefix="ocds-zzzzzz",
            confidential_prices=True,
            confidential_suppliers=True,
        )
    exercise.refresh_from_db()
    assert (exercise.ocid_prefix, exercise.confidential_suppliers) == ("ocds-coalit", False)


def test_a_coalition_without_competitions_has_nothing_to_publish(demo: Coalition) -> None:
    with pytest.raises(NothingToPublish) as refused:
        release_package(actor=TEST, coalition=demo)
    assert refused.value.code == "ocds.nothing_to_publish"


def test_an_admin_sets_the_publication_in_the_back_office_and_it_is_audited(
    demo: Coalition, client: Client
) -> None:
    client.login(username="admin", password="demo")
    before = AuditEvent.objects.count()
    path = f"/admin/governance/coalition/{demo.pk}/change/"
    form = {"ocid_prefix": "ocds-dr0n3s", "confidential_prices": "on"}
    assert client.post(path, form).status_code == 302
    demo.refresh_from_db()
    assert (demo.ocid_prefix, demo.confidential_prices, demo.confidential_suppliers) == (
        "ocds-dr0n3s",
        True,
        False,
    )
    [event] = AuditEvent.objects.filter(seq__gt=before)
    assert (event.action, event.object_id) == ("coalition.publication_set", "drone-coalition")
    assert event.changes["ocid_prefix"] == "ocds-dr0n3s"
    # A malformed prefix is refused by the form and changes nothing.
    response = client.post(path, {"ocid_prefix": "ocds-x"})
    assert response.status_code == 200
    assert "an OCDS prefix" in response.content.decode()
    demo.refresh_from_db()
    assert demo.ocid_prefix == "ocds-dr0n3s"
    assert AuditEvent.objects.filter(seq__gt=before).count() == 1
    # The name, the rule and the rest stay read-only there.
    client.post(path, {"ocid_prefix": "ocds-dr0n3s", "name": "Renamed"})
    demo.refresh_from_db()
    assert demo.name == "Drone Coalition"
