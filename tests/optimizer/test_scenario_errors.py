"""Invalid scenarios: every error with its JSON path, through the API and the CLI (exit 2)."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from coalition.optimizer.cli import main
from coalition.optimizer.errors import ScenarioError
from coalition.optimizer.parse import parse_scenario

from .helpers import EXAMPLE, load


def _example() -> dict[str, Any]:
    return copy.deepcopy(load(EXAMPLE))


def _set(path: str, value: object, delete: bool = False) -> dict[str, Any]:
    """The example with one value replaced (or deleted) at a dotted path like offers.0.id."""
    doc = _example()
    *parents, last = path.split(".")
    node: Any = doc
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    key: Any = int(last) if last.isdigit() else last
    if delete:
        del node[key]
    else:
        node[key] = value
    return doc


CASES = [
    (_set("requirements.2.quantity", 0), "requirements[2].quantity: must be at least 1"),
    (_set("requirements.0.quantity", "300"), "requirements[0].quantity: must be an integer"),
    (_set("requirements.0.quantity", 2.5), "requirements[0].quantity: must be an integer"),
    (_set("requirements.0.colour", "red"), "requirements[0].colour: unknown key"),
    (_set("requirements.1.weight", 0), "requirements[1].weight: must be greater than 0"),
    (_set("requirements.1.weight", True), "requirements[1].weight: must be a number"),
    (_set("requirements.1.id", "R1"),
     'requirements[1].id: duplicate id "R1" (also requirements[0])'),
    (_set("requirements.0.needed_by", "30/09/2025"),
     "requirements[0].needed_by: must be an ISO date (YYYY-MM-DD)"),
    (_set("start", "2025-02-30"), "start: is not a valid date (day is out of range for month)"),
    (_set("offers.1.tiers.1.min_quantity", 1),
     "offers[1].tiers: min_quantity must be strictly increasing"),
    (_set("offers.0.tiers", []), "offers[0].tiers: must have at least one tier"),
    (_set("offers.0.tiers.0.unit_price", "12000.005"),
     "offers[0].tiers[0].unit_price: must have at most 2 decimals"),
    (_set("offers.0.tiers.0.unit_price", "-1.00"),
     "offers[0].tiers[0].unit_price: must not be negative"),
    (_set("offers.0.tiers.0.unit_price", 12000),
     'offers[0].tiers[0].unit_price: must be a decimal string such as "12000", not a number'),
    (_set("offers.0.origin", "ua"),
     "offers[0].origin: must be a 2-letter upper-case country code (ISO 3166-1 alpha-2), e.g. UA"),
    (_set("offers.2.lead_time_days", -1), "offers[2].lead_time_days: must be at least 0"),
    (_set("offers.3.supplier", None, delete=True), "offers[3].supplier: is required"),
    (_set("funds.0.amount", "lots"), 'funds[0].amount: must be a decimal string such as "1250.00"'),
    (_set("funds.1.categories", "tactical-recon"), "funds[1].categories: must be an array or null"),
    (_set("funds.2.origins", ["UA", "Ukraine"]),
     "funds[2].origins[1]: must be a 2-letter upper-case country code"),
    (_set("currency", "euro"),
     "currency: must be a 3-letter upper-case currency code (ISO 4217), e.g. EUR"),
    (_set("funds", None, delete=True), "funds: is required"),
    (_set("offers", {}), "offers: must be an array"),
    (_set("requirements.0.category", ""), "requirements[0].category: must not be empty"),
    (_set("offers.0.id", "x" * 101), "offers[0].id: must be at most 100 characters"),
]  # fmt: skip


@pytest.mark.parametrize(("doc", "message"), CASES, ids=[m.split(":")[0] for _, m in CASES])
def test_api_names_the_path(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(doc)
    assert raised.value.errors == [message]


@pytest.mark.parametrize(
    ("doc", "message"), CASES[:12], ids=[m.split(":")[0] for _, m in CASES[:12]]
)
def test_cli_exits_2_naming_file_and_path(
    doc: dict[str, Any], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    assert main(["solve", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"error: {path}: {message}\n" in err


def test_every_error_is_reported_at_once() -> None:
    doc = _example()
    doc["requirements"][0]["quantity"] = 0
    doc["offers"][0]["tiers"][0]["unit_price"] = "1.234"
    doc["funds"][0]["unexpected"] = 1
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(doc)
    assert raised.value.errors == [
        "requirements[0].quantity: must be at least 1",
        "offers[0].tiers[0].unit_price: must have at most 2 decimals",
        "funds[0].unexpected: unknown key",
    ]


def test_root_must_be_an_object() -> None:
    with pytest.raises(ScenarioError) as raised:
        parse_scenario([])
    assert raised.value.errors == ["(root): must be an object"]


def test_unreadable_and_invalid_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.json"
    assert main(["solve", str(missing)]) == 2
    assert f"error: {missing}: cannot read" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text('{"start": "2025-01-01",\n "requirements": [}')
    assert main(["check", str(broken), str(broken)]) == 2
    assert (
        f"error: {broken}: invalid JSON at line 2 column 19: Expecting value"
        in capsys.readouterr().err
    )


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["optimise", str(EXAMPLE)]) == 2
    assert main(["solve"]) == 2
    assert main(["solve", str(EXAMPLE), "--time-limit", "soon"]) == 2
    assert main(["solve", str(EXAMPLE), "--time-limit", "0"]) == 2
    err = capsys.readouterr().err
    assert "--time-limit: must be a number of seconds greater than 0" in err
    assert main(["--help"]) == 0


def test_bad_plan_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"status": "great", "value": 1}))
    assert main(["check", str(EXAMPLE), str(plan)]) == 2
    err = capsys.readouterr().err
    assert f'error: {plan}: status: must be "optimal" or "feasible"' in err
    assert f"error: {plan}: cost: is required" in err


def test_decimal_weights_are_exact() -> None:
    doc = _example()
    doc["requirements"][1]["weight"] = 0.1  # a float from a dict, not a JSON file
    scenario = parse_scenario(doc)
    assert str(scenario.requirements[1].weight) == "0.1"
