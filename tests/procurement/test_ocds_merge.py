"""The compiled release (coalition.procurement.ocds.merge), by the OCDS 1.1 merge rules,
on small releases whose compiled form is written by hand."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from coalition.procurement.ocds.merge import compile_releases

OCID = "ocds-abcdef-x"


def _release(rid: str, date: str, **fields: object) -> dict[str, object]:
    return {"ocid": OCID, "id": rid, "date": date, "tag": ["tender"], **fields}


def test_later_values_win_objects_merge_and_ids_merge_arrays() -> None:
    first = _release(
        "1",
        "2025-01-02T00:00:00Z",
        tender={"id": "T", "status": "active", "items": [{"id": "a", "quantity": 1}]},
        parties=[{"id": "p", "name": "P", "roles": ["buyer"]}],
    )
    second = _release(
        "2",
        "2025-01-01T00:00:00Z",  # earlier, though given later
        tender={"id": "T", "status": "planned", "title": "Old"},
    )
    third = _release(
        "3",
        "2025-01-03T00:00:00Z",
        tender={"items": [{"id": "b", "quantity": 2}, {"id": "a", "unit": {"name": "u"}}]},
        parties=[{"id": "p", "roles": ["payer"]}],
        awards=[{"id": "A", "value": {"amount": 5, "currency": "EUR"}}],
    )
    compiled = compile_releases([first, second, third])
    assert compiled == {
        "ocid": OCID,
        "id": f"{OCID}-2025-01-03T00:00:00Z",
        "date": "2025-01-03T00:00:00Z",
        "tag": ["compiled"],
        "tender": {
            "id": "T",
            "status": "active",
            "title": "Old",
            "items": [
                {"id": "a", "quantity": 1, "unit": {"name": "u"}},
                {"id": "b", "quantity": 2},
            ],
        },
        "parties": [{"id": "p", "name": "P", "roles": ["payer"]}],  # strings: replaced
        "awards": [{"id": "A", "value": {"amount": 5, "currency": "EUR"}}],
    }


def test_null_removes_and_arrays_without_ids_are_replaced() -> None:
    compiled = compile_releases(
        [
            _release("1", "2025-01-01T00:00:00Z", tender={"id": "T", "title": "x"}, x=[1, 2]),
            _release("2", "2025-01-01T00:00:00Z", tender={"title": None}, x=[3]),
        ]
    )
    assert compiled["tender"] == {"id": "T"}  # a tie keeps the given order
    assert compiled["x"] == [3]
    assert compiled["id"] == f"{OCID}-2025-01-01T00:00:00Z"


_items = st.lists(
    st.fixed_dictionaries({"id": st.sampled_from(["a", "b", "c"]), "quantity": st.integers(1, 9)}),
    max_size=3,
    unique_by=lambda x: x["id"],
)


@given(
    st.lists(
        st.tuples(st.sampled_from(["active", "complete", None]), _items),
        min_size=1,
        max_size=6,
    ),
    st.randoms(use_true_random=False),
)
def test_the_order_given_does_not_matter_only_the_dates(
    changes: list[tuple[str | None, list[dict[str, object]]]], rng: Any
) -> None:
    releases = []
    for n, (status, items) in enumerate(changes):
        tender: dict[str, object] = {"id": "T", "status": status}
        if items:
            tender["items"] = items
        releases.append(_release(str(n), f"2025-01-{n + 1:02d}T00:00:00Z", tender=tender))
    shuffled = list(releases)
    rng.shuffle(shuffled)
    compiled = compile_releases(shuffled)
    assert compiled == compile_releases(releases)
    # By hand: the last status given (a null removes it), each item as last given.
    expected_status = changes[-1][0]
    assert compiled["tender"].get("status") == expected_status
    last: dict[str, object] = {}
    for _, items in changes:
        last.update({str(item["id"]): item["quantity"] for item in items})
    got = {item["id"]: item["quantity"] for item in compiled["tender"].get("items", [])}
    assert got == last
