"""The audit chain detects edits, deletions and insertions made behind the app's back."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coalition.audit.models import AuditEvent
from coalition.audit.selectors import audit_verify
from coalition.audit.services import audit_record
from coalition.cli import main as cli_main
from tests.audit.chain_load import TESTER
from tests.audit.support import record as _record
from tests.audit.support import sql as _sql

pytestmark = pytest.mark.django_db


def test_an_untouched_chain_verifies() -> None:
    _record(5)
    assert audit_verify().ok
    assert audit_verify().events == 5


def test_audit_verify_exit_code_is_0_when_intact(capsys: pytest.CaptureFixture[str]) -> None:
    _record(3)
    assert cli_main(["audit", "verify"]) == 0
    assert "audit chain intact: 3 events" in capsys.readouterr().out


def test_editing_an_event_is_detected_and_named() -> None:
    _record(5)
    _sql("UPDATE audit_auditevent SET actor = 'mallory' WHERE seq = 3")
    report = audit_verify()
    assert not report.ok
    assert report.problem == "event #3 (thing.done) was altered"


def test_editing_the_changes_json_is_detected() -> None:
    _record(4)
    _sql("UPDATE audit_auditevent SET changes = %s WHERE seq = 2", ['{"i": 1, "amount": "99.00"}'])
    assert audit_verify().problem == "event #2 (thing.done) was altered"


def test_deleting_an_event_in_the_middle_is_detected() -> None:
    _record(5)
    _sql("DELETE FROM audit_auditevent WHERE seq = 2")
    assert audit_verify().problem == "event #2 was removed"


def test_deleting_the_newest_events_is_detected_by_the_head() -> None:
    _record(5)
    _sql("DELETE FROM audit_auditevent WHERE seq >= 4")
    assert audit_verify().problem == "event #4 and after were removed"


def test_inserting_a_forged_event_at_the_end_is_detected() -> None:
    _record(3)
    last = AuditEvent.objects.get(seq=3)
    _sql(
        "INSERT INTO audit_auditevent (seq, occurred_at, actor, action, object_type, object_id,"
        " changes, prev_hash, hash, signature)"
        " VALUES (4, %s, 'mallory', 'x', 'x', '1', '{}', %s, %s, '')",
        [last.occurred_at, last.hash, "f" * 64],
    )
    assert audit_verify().problem == "event #4 (x) was altered"


def test_inserting_a_well_hashed_event_after_the_head_is_detected_unsigned() -> None:
    from coalition.audit.chain import event_hash

    _record(3)
    last = AuditEvent.objects.get(seq=3)
    fields = dict(
        seq=4,
        occurred_at=last.occurred_at.isoformat(),
        actor="mallory",
        action="x",
        object_type="x",
        object_id="1",
        changes={},
        prev_hash=last.hash,
    )
    _sql(
        "INSERT INTO audit_auditevent (seq, occurred_at, actor, action, object_type, object_id,"
        " changes, prev_hash, hash, signature)"
        " VALUES (4, %s, 'mallory', 'x', 'x', '1', '{}', %s, %s, '')",
        [last.occurred_at, last.hash, event_hash(**fields)],
    )
    # Hashed right, but nobody without the key can sign it.
    assert audit_verify().problem == "event #4 (x) is unsigned"


def test_renumbering_to_insert_in_the_middle_is_detected() -> None:
    _record(3)
    _sql("UPDATE audit_auditevent SET seq = seq + 10 WHERE seq = 3")
    assert audit_verify().problem == "event #3 was removed"


def test_the_command_exits_1_naming_the_event() -> None:
    _record(3)
    _sql("UPDATE audit_auditevent SET action = 'forged' WHERE seq = 2")
    with pytest.raises(CommandError, match=r"event #2 \(forged\) was altered") as error:
        call_command("audit", "verify")
    assert error.value.returncode == 1


def test_the_cli_exit_code_is_1_when_broken() -> None:
    _record(2)
    _sql("DELETE FROM audit_auditevent WHERE seq = 2")
    assert cli_main(["audit", "verify"]) == 1


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError):
        audit_record(actor=TESTER, action="y", object_type="z", object_id=1, changes={})


def test_the_demo_writes_a_verifiable_chain(demo: object) -> None:
    report = audit_verify()
    assert report.ok
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "coalition.created",
        "membership.started",
        "application.submitted",
        "demo.loaded",
    } <= actions
