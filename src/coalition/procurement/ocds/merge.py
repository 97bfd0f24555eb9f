"""Compiling the releases of one contracting process into its compiled release, by the
OCDS 1.1 merge rules: releases in date order (a tie keeps the given order), a later
value replaces an earlier one, objects merge field by field, arrays of objects that all
have an `id` merge item by item on it, any other array is replaced whole, and a null
removes the field. The releases' own `id`, `date` and `tag` are not merged: the compiled
release is `<ocid>-<latest date>`, dated the latest release, tagged `compiled`. Pure
Python, no Django."""

from typing import Any

OMITTED = ("id", "date", "tag")


def _identified(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(x, dict) and "id" in x for x in value)
    )


def _merge_value(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        return merge_object(old, new)
    if _identified(old) and _identified(new):
        merged = {str(x["id"]): x for x in old}
        for item in new:
            key = str(item["id"])
            merged[key] = merge_object(merged[key], item) if key in merged else _clean(item)
        return list(merged.values())
    return _clean(new)


def _clean(value: Any) -> Any:
    """A copy without nulls (a null in a release removes the field)."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_clean(x) for x in value]
    return value


def merge_object(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = dict(old)
    for key, value in new.items():
        if value is None:
            merged.pop(key, None)
        elif key in merged:
            merged[key] = _merge_value(merged[key], value)
        else:
            merged[key] = _clean(value)
    return merged


def compile_releases(releases: list[dict[str, Any]]) -> dict[str, Any]:
    """The compiled release of one ocid's releases (at least one)."""
    ordered = sorted(releases, key=lambda r: str(r["date"]))
    compiled: dict[str, Any] = {}
    for release in ordered:
        compiled = merge_object(compiled, {k: v for k, v in release.items() if k not in OMITTED})
    latest = str(ordered[-1]["date"])
    return {
        "ocid": compiled.pop("ocid"),
        "id": f"{ordered[-1]['ocid']}-{latest}",
        "date": latest,
        "tag": ["compiled"],
        **compiled,
    }
