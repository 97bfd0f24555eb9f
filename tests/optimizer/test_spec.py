"""The rules live in one copy (src/coalition/optimizer/spec, also docs/spec), and what
they say about limits is what the code enforces."""

import json
import os
import re
from pathlib import Path

import jsonschema
import pytest

from coalition.optimizer import limits, spec

ROOT = Path(__file__).parents[2]
SPEC_FILES = [
    "SCENARIO.md",
    "scenario.schema.json",
    "plan.schema.json",
    spec.EXAMPLE_SCENARIO,
    spec.EXAMPLE_EXPECTED,
]


def test_docs_spec_is_a_relative_link_to_the_package_copy() -> None:
    link = ROOT / "docs" / "spec"
    assert link.is_symlink()
    assert os.readlink(link) == "../src/coalition/optimizer/spec"
    assert link.resolve() == spec.HERE.resolve()


@pytest.mark.parametrize("name", SPEC_FILES)
def test_every_spec_file_is_reachable_by_name(name: str) -> None:
    assert spec.path(name).is_file()


def test_an_unknown_spec_file_is_an_error() -> None:
    with pytest.raises(FileNotFoundError):
        spec.path("no-such.schema.json")


def test_no_other_copy_of_a_spec_file_in_the_repository() -> None:
    names = {Path(name).name for name in SPEC_FILES}
    copies = [
        path
        for top in ("src", "tests", "docs", "bench")
        for path in (ROOT / top).rglob("*")
        if path.name in names
        and not path.is_symlink()
        and spec.HERE.resolve() not in path.resolve().parents
    ]
    assert copies == []


def test_the_example_follows_the_scenario_schema() -> None:
    schema = json.loads(spec.path("scenario.schema.json").read_text())
    jsonschema.validate(json.loads(spec.path(spec.EXAMPLE_SCENARIO).read_text()), schema)


def test_no_docstring_points_outside_the_repository() -> None:
    sources = (ROOT / "src" / "coalition" / "optimizer").rglob("*.py")
    assert [p for p in sources if "shared/" in p.read_text()] == []


def _limits_table() -> dict[str, str]:
    text = spec.path("SCENARIO.md").read_text()
    section = text.split("## Limits", 1)[1]
    rows = re.findall(r"^\| (.+?) \| ([0-9.]+) \|$", section, flags=re.MULTILINE)
    return dict(rows)


def test_the_limits_section_states_the_enforced_limits() -> None:
    table = _limits_table()
    assert table == {
        "horizon: days from `start` to the latest `needed_by`": str(limits.MAX_HORIZON_DAYS),
        "`requirements`": str(limits.MAX_REQUIREMENTS),
        "`offers`": str(limits.MAX_OFFERS),
        "`funds`": str(limits.MAX_FUNDS),
        "`tiers` of an offer": str(limits.MAX_TIERS),
        "entries of a fund's `categories` or `origins`": str(limits.MAX_CODES),
        "`quantity`, `capacity_per_30_days`, `min_quantity`, `max_quantity`": str(limits.MAX_COUNT),
        "`lead_time_days`": str(limits.MAX_LEAD_TIME_DAYS),
        "`weight` (at least 0.000001)": str(limits.MAX_WEIGHT),
        "any money (`unit_price`, `amount`), and the funds' amounts together": "999999999999.99",
    }
    assert str(limits.MIN_WEIGHT) == "0.000001"
    assert limits.MAX_MONEY_CENTS == 99999999999999


def test_the_schema_states_the_enforced_limits() -> None:
    schema = json.loads(spec.path("scenario.schema.json").read_text())
    props = schema["properties"]
    req = props["requirements"]
    offer = props["offers"]["items"]["properties"]
    fund = props["funds"]["items"]["properties"]
    assert req["maxItems"] == limits.MAX_REQUIREMENTS
    assert props["offers"]["maxItems"] == limits.MAX_OFFERS
    assert props["funds"]["maxItems"] == limits.MAX_FUNDS
    assert offer["tiers"]["maxItems"] == limits.MAX_TIERS
    assert fund["categories"]["maxItems"] == fund["origins"]["maxItems"] == limits.MAX_CODES
    counts = [
        req["items"]["properties"]["quantity"],
        offer["capacity_per_30_days"],
        offer["tiers"]["items"]["properties"]["min_quantity"],
        offer["max_quantity"],
    ]
    assert all(c["maximum"] == limits.MAX_COUNT for c in counts)
    assert offer["max_quantity"]["minimum"] == 1
    assert "max_quantity" not in props["offers"]["items"]["required"]
    assert offer["lead_time_days"]["maximum"] == limits.MAX_LEAD_TIME_DAYS
    weight = req["items"]["properties"]["weight"]
    assert (weight["minimum"], weight["maximum"]) == (float(limits.MIN_WEIGHT), limits.MAX_WEIGHT)
    money = re.compile(schema["$defs"]["money"]["pattern"])
    assert money.match("999999999999.99") and money.match("000999999999999.99")
    assert not money.match("1000000000000.00")
