"""The compiled release (coalition.procurement.ocds.merge), by the OCDS 1.1 merge rules,
on small releases whose compiled form is written by hand."""

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
