"""Signed heads kept outside the database (the witness file, heads auditors export) show
that the newest events were removed even when the head row was rewound with them."""

import contextlib
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from unittest import mock

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction
from pytest_django import Settings

from coalition.audit import keys, witness
from coalition.audit.heads import SignedHead
from coalition.audit.models import AuditEvent
from coalition.audit.selectors import audit_verify
from coalition.audit.witness import witness_advance, witness_read
from coalition.cli import main as cli_main
from tests.audit.support import audit, record, sql

CaptureOnCommit = Callable[..., AbstractContextManager[object]]


@pytest.fixture
def witness_file(settings: Settings, tmp_path: Path) -> Path:
    """The witness, on for this test only, in a file of its own."""
    path = tmp_path / "witness" / "audit_witness.json"
    settings.AUDIT_WITNESS_FILE = str(path)
    return path


def _committed(capture: CaptureOnCommit, n: int) -> None:
    """n events, with what runs after each commit run (the test's transaction never ends)."""
    with capture(execute=True):
        record(n)


def _export(path: Path, *args: str) -> Path:
    code, out = audit(*args)
    assert code == 0, out
    path.write_text(out)
    return path


def _remove_the_last_event_and_rewind_the_head() -> None:
    last = AuditEvent.objects.order_by("-seq")[0]
    before = AuditEvent.objects.get(seq=last.seq - 1)
    sql("DELETE FROM audit_auditevent WHERE seq = %s", [last.seq])
    sql("UPDATE audit_audithead SET seq = %s, hash = %s WHERE id = 1", [before.seq, before.hash])


def test_the_pytest_default_is_no_witness(settings: Settings) -> None:
    assert settings.AUDIT_WITNESS_FILE == ""


@pytest.mark.django_db
def test_the_witness_holds_the_newest_head_after_each_commit(
    witness_file: Path, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    _committed(django_capture_on_commit_callbacks, 3)
    head = json.loads(witness_file.read_text())
    last = AuditEvent.objects.get(seq=3)
    assert (head["seq"], head["hash"], head["signature"]) == (3, last.hash, last.signature)
    assert witness_file.stat().st_size == 512  # one record, overwritten in place
    public = keys.configured_public_key()
    assert public is not None and head["public_key"] == keys.public_key_text(public)
    assert audit_verify().ok


@pytest.mark.django_db
def test_a_commit_of_many_events_writes_the_witness_once(
    witness_file: Path, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with (
        mock.patch.object(witness, "_overwrite", wraps=witness._overwrite) as overwrite,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        record(4)  # each in a savepoint, as services nest in a demo or an import
    assert overwrite.call_count == 1
    assert json.loads(witness_file.read_text())["seq"] == 4


@pytest.mark.django_db
def test_an_event_rolled_back_with_its_savepoint_never_reaches_the_witness(
    witness_file: Path, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    _committed(django_capture_on_commit_callbacks, 2)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record(1)
        with contextlib.suppress(RuntimeError), transaction.atomic():
            record(1)  # #4, which the savepoint's rollback takes back
            raise RuntimeError
    # The witness may lag (it holds #2: #3's write gave way to #4's), never run ahead.
    assert json.loads(witness_file.read_text())["seq"] == 2
    assert AuditEvent.objects.count() == 3
    assert audit_verify().ok


@pytest.mark.django_db
def test_removing_the_last_event_and_rewinding_the_head_is_caught_by_the_witness(
    witness_file: Path, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    _committed(django_capture_on_commit_callbacks, 5)
    _remove_the_last_event_and_rewind_the_head()
    report = audit_verify()
    assert not report.ok
    assert report.problem == (
        f"event #5 and after were removed (the witness {witness_file} holds head #5)"
    )
    assert audit("verify")[0] == 1


@pytest.mark.django_db
def test_the_same_is_caught_by_an_exported_head(tmp_path: Path) -> None:
    record(5)
    head = _export(tmp_path / "head-5.json", "head")
    assert json.loads(head.read_text())["seq"] == 5
    _remove_the_last_event_and_rewind_the_head()
    assert audit("verify")[0] == 0  # without the witness, the database agrees with itself
    code, error = audit("verify", "--head", str(head))
    assert code == 1
    assert f"event #5 and after were removed ({head} holds head #5)" in error


@pytest.mark.django_db
def test_an_exported_head_that_the_chain_holds_passes(tmp_path: Path) -> None:
    record(3)
    older = _export(tmp_path / "head-3.json", "head")
    record(2)
    newer = _export(tmp_path / "head-5.json", "head")
    key = _export(tmp_path / "chain.pub", "public-key")
    heads = ["--head", str(older), "--head", str(newer)]
    assert audit("verify", "--public-key", str(key), *heads) == (
        0,
        "audit chain intact: 5 events, signed; exported heads in it: 2\n",
    )


@pytest.mark.django_db
def test_an_exported_head_of_another_history_is_named(tmp_path: Path) -> None:
    record(3)
    head = _export(tmp_path / "head.json", "head")
    sql("DELETE FROM audit_auditevent")
    sql("DELETE FROM audit_audithead")
    record(4)  # a new history, signed by the same key
    code, error = audit("verify", "--head", str(head))
    assert (code, error) == (
        1,
        f"audit chain broken: event #3 was altered ({head} holds another hash)",
    )


@pytest.mark.django_db
def test_a_deleted_head_row_is_reported() -> None:
    record(2)
    sql("DELETE FROM audit_audithead")
    assert audit_verify().problem == "the audit head is missing"


def test_the_witness_never_goes_back(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    path = tmp_path / "witness.json"

    def head(seq: int) -> SignedHead:
        digest = f"{seq:064x}"
        return SignedHead(seq, digest, keys.sign(key, seq=seq, digest=digest))

    witness_advance(path, head(5), key.public_key())
    witness._known.clear()  # as another process, whose commit of #4 finished later
    witness_advance(path, head(4), key.public_key())
    assert witness_read(path) == head(5)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["witness.json", "witness.json.lock"]


@pytest.mark.django_db
def test_a_witness_not_signed_by_the_key_is_reported(
    witness_file: Path, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    _committed(django_capture_on_commit_callbacks, 2)
    held = json.loads(witness_file.read_text())
    held["seq"] = 1  # the signature was of #2
    witness_file.write_text(json.dumps(held))
    assert audit_verify().problem == (
        f"the witness {witness_file}: the signature of head #1 does not verify with the public key"
    )


@pytest.mark.django_db
def test_an_unreadable_witness_is_reported(witness_file: Path) -> None:
    record(1)
    witness_file.parent.mkdir(parents=True)
    witness_file.write_text("{")
    assert audit_verify().problem == f"the witness {witness_file}: not JSON"


# Checking an exported head needs the public key alone: these tests have no database
# (pytest-django refuses any query in a test not marked django_db).


def _signed_head(tmp_path: Path, key: Ed25519PrivateKey, seq: int = 7) -> Path:
    digest = "ab" * 32
    head = SignedHead(seq, digest, keys.sign(key, seq=seq, digest=digest))
    path = tmp_path / "head.json"
    path.write_text(head.to_json(key.public_key()))
    return path


def _public(tmp_path: Path, key: Ed25519PrivateKey) -> str:
    path = tmp_path / "chain.pub"
    path.write_text(keys.public_key_text(key.public_key()) + "\n")
    return str(path)


def test_a_head_signed_by_the_key_checks_without_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = Ed25519PrivateKey.generate()
    head = _signed_head(tmp_path, key)
    assert cli_main(["audit", "check-head", str(head), "--public-key", _public(tmp_path, key)]) == 0
    assert f"{head}: head #7 signed by the key" in capsys.readouterr().out


@pytest.mark.parametrize("forgery", ["another key", "another seq", "another hash", "bit flip"])
def test_a_forged_head_fails_with_the_public_key_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forgery: str
) -> None:
    key = Ed25519PrivateKey.generate()
    signer = Ed25519PrivateKey.generate() if forgery == "another key" else key
    path = _signed_head(tmp_path, signer)
    head = json.loads(path.read_text())
    if forgery == "another seq":
        head["seq"] = 8
    elif forgery == "another hash":
        head["hash"] = "cd" * 32
    elif forgery == "bit flip":
        head["signature"] = f"{int(head['signature'][0], 16) ^ 1:x}" + head["signature"][1:]
    path.write_text(json.dumps(head))
    public = _public(tmp_path, key)
    assert cli_main(["audit", "check-head", str(path), "--public-key", public]) == 1
    assert "does not verify with the public key" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not JSON"),
        ('{"seq": 0, "hash": "", "signature": ""}', "seq must be a whole number from 1"),
        ('{"seq": 3, "hash": "XY", "signature": ""}', "hash must be lower-case hex"),
    ],
)
def test_a_malformed_head_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    key = Ed25519PrivateKey.generate()
    path = tmp_path / "head.json"
    path.write_text(content)
    assert cli_main(["audit", "check-head", str(path), "--public-key", _public(tmp_path, key)]) == 2
    assert f"{path}: {message}" in capsys.readouterr().err


def test_check_head_usage_and_a_bad_key_file_are_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = Ed25519PrivateKey.generate()
    head = str(_signed_head(tmp_path, key))
    assert cli_main(["audit", "check-head", head]) == 2
    (tmp_path / "bad.pub").write_text("hello")
    assert cli_main(["audit", "check-head", head, "--public-key", str(tmp_path / "bad.pub")]) == 2
    assert "not an Ed25519 public key" in capsys.readouterr().err
    missing = str(tmp_path / "missing.pub")
    assert cli_main(["audit", "check-head", head, "--public-key", missing]) == 2


def test_the_public_key_as_pem_is_read_too(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    key = Ed25519PrivateKey.generate()
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (tmp_path / "chain.pem").write_bytes(pem)
    head = str(_signed_head(tmp_path, key))
    assert cli_main(["audit", "check-head", head, "--public-key", str(tmp_path / "chain.pem")]) == 0


@pytest.mark.django_db
def test_head_and_public_key_commands_print_what_auditors_keep() -> None:
    record(2)
    head = json.loads(audit("head")[1])
    last = AuditEvent.objects.get(seq=2)
    assert head == {
        "seq": 2,
        "hash": last.hash,
        "signature": last.signature,
        "public_key": head["public_key"],
    }
    assert audit("public-key") == (0, head["public_key"] + "\n")
