"""The official OCDS validator, libcoveocds, run offline: the standard's schema and
codelists come from the archive kept in tests/data/ocds (a copy of the standard's tag
1__1__5), never from the web. While it runs, any attempt to open a network connection
fails the check (libcoveocds would otherwise download the schema)."""

import functools
import json
import socket
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

STANDARD_ZIP = Path(__file__).resolve().parent.parent / "data" / "ocds" / "standard-1__1__5.zip"
SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/"


class NetworkUsed(AssertionError):
    pass


@functools.cache
def _standard_file(name: str) -> Any:
    with zipfile.ZipFile(STANDARD_ZIP) as archive:
        text = archive.read(f"standard-1__1__5/schema/{name}").decode()
    return json.loads(text.replace("{{lang}}", "en").replace("{{version}}", "1.1"))


def _standard_loader(uri: str, **kwargs: Any) -> Any:
    """jsonref's loader for the standard's own schema URLs: from the archive. (With a
    record package, libcoveocds dereferences the record package schema, which names the
    versioned release schema by its URL, through jsonref's default loader: the web.)"""
    if uri.startswith(SCHEMA_URL):
        return _standard_file(uri.removeprefix(SCHEMA_URL))
    raise NetworkUsed(f"the OCDS validation asked for {uri}")


@contextmanager
def no_network() -> Iterator[None]:
    """Refuse every outgoing connection made from Python while inside; the standard's
    schema files that jsonref would download come from the archive."""
    import jsonref

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise NetworkUsed(f"the OCDS validation tried the network: {args!r}")

    replace_refs = jsonref.replace_refs
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket.socket, "connect_ex", refuse)
        patch.setattr(socket, "create_connection", refuse)
        patch.setattr(
            jsonref,
            "replace_refs",
            lambda obj, **kw: replace_refs(obj, **{"loader": _standard_loader, **kw}),
        )
        yield


def ocds_validate(package: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(schema errors, failed further checks) of a release or record package: the schema
    errors are libcoveocds's `validation_errors`; the failed checks gather its
    `additional_checks` (e.g. empty fields), `conformance_errors` (e.g. a malformed
    ocid prefix), closed codelists given values outside them, and a schema that could not
    be read. Both empty: the package passes."""
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    config = LibCoveOCDSConfig(
        {"standard_zip": STANDARD_ZIP.as_uri(), "context": "api", "additional_checks": "all"}
    )
    with no_network():
        context = ocds_json_output(json_data=package, lib_cove_ocds_config=config)
    failed: dict[str, Any] = {}
    for key in (
        "additional_checks",
        "conformance_errors",
        "additional_closed_codelist_values",
        "json_deref_error",
        "deprecated_fields",
        "additional_fields",
    ):
        if context.get(key):
            failed[key] = context[key]
    return list(context["validation_errors"]), failed
