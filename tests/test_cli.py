import json
from pathlib import Path

import pytest

from coalition.cli import main

# The CLI closes database connections when a command ends, as it should in a real
# process; so these tests run outside the test case's wrapping transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def test_token_create_prints_one_line(demo: object, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "create", "delegate-lv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and len(out[0]) >= 40


def test_token_create_for_a_stranger_exits_2(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "create", "ghost"]) == 2
    assert "no user named 'ghost'" in capsys.readouterr().err


def test_demo_twice_without_reset_exits_2_and_changes_nothing(
    demo: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from coalition.audit.models import AuditEvent

    before = AuditEvent.objects.count()
    assert main(["demo"]) == 2
    assert AuditEvent.objects.count() == before


def test_demo_reset_starts_over(demo: object, capsys: pytest.CaptureFixture[str]) -> None:
    from coalition.governance.models import Country

    assert main(["demo", "--reset"]) == 0
    out = capsys.readouterr().out
    assert "delegate-tr" in out and "beneficiary-ua" in out
    assert Country.objects.count() == 249


def test_the_committed_openapi_schema_is_current() -> None:
    from coalition.web.management.commands.openapi import schema_text

    committed = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"
    assert json.loads(committed.read_text()) == json.loads(schema_text())


def test_usage_without_a_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
