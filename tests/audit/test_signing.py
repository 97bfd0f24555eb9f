"""The chain is signed with a key that is not in the database: whoever can write the tables
can re-hash them, but cannot sign what they changed."""

import base64
import importlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.apps import apps
from django.db import connection
from pytest_django import Settings

from coalition.audit import keys
from coalition.audit.errors import KeyInvalid
from coalition.audit.models import AuditEvent
from coalition.audit.selectors import audit_verify
from tests.audit.support import audit, record, rehash_from, sql

pytestmark = pytest.mark.django_db


def test_every_event_is_signed_with_the_configured_key() -> None:
    record(3)
    public = keys.configured_public_key()
    assert public is not None
    for event in AuditEvent.objects.all():
        assert keys.signature_valid(
            public, seq=event.seq, digest=event.hash, signature=event.signature
        )


def test_rehashing_the_chain_after_editing_an_actor_is_named_by_the_signature() -> None:
    record(90)
    sql("UPDATE audit_auditevent SET actor = 'mallory' WHERE seq = 83")
    rehash_from(83)
    report = audit_verify()
    assert not report.ok
    assert report.problem == "event #83 (thing.done) was altered: its signature does not verify"
    assert audit("verify") == (1, f"audit chain broken: {report.problem}")


def test_a_rehashed_chain_with_its_signatures_copied_along_fails_too() -> None:
    record(4)
    sql("UPDATE audit_auditevent SET changes = %s WHERE seq = 2", ['{"i": 1, "amount": "0.01"}'])
    rehash_from(2)  # the old signatures stay: they sign the old hashes
    assert audit_verify().problem == (
        "event #2 (thing.done) was altered: its signature does not verify"
    )


def test_a_signature_moved_to_another_event_does_not_verify() -> None:
    record(3)
    first = AuditEvent.objects.get(seq=1).signature
    sql("UPDATE audit_auditevent SET signature = %s WHERE seq = 3", [first])
    assert audit_verify().problem == (
        "event #3 (thing.done) was altered: its signature does not verify"
    )


def test_an_unsigned_event_is_reported() -> None:
    record(3)
    sql("UPDATE audit_auditevent SET signature = '' WHERE seq = 2")
    assert audit_verify().problem == "event #2 (thing.done) is unsigned"


def test_another_public_key_fails_on_the_first_event(tmp_path: Path) -> None:
    record(2)
    other = tmp_path / "other.pub"
    other.write_text(keys.public_key_text(Ed25519PrivateKey.generate().public_key()))
    assert audit("verify", "--public-key", str(other)) == (
        1,
        "audit chain broken: event #1 (thing.done) was altered: its signature does not verify",
    )


def test_without_any_public_key_verify_exits_2(settings: Settings, tmp_path: Path) -> None:
    record(1)
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "nowhere"  # nothing configured here
    code, error = audit("verify")
    assert code == 2 and "give --public-key FILE" in error
    assert not (tmp_path / "nowhere").exists()  # verifying never makes a key


def test_the_key_file_is_generated_once_readable_by_its_owner_only(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "home" / "audit_signing_key"
    settings.AUDIT_SIGNING_KEY_FILE = path
    key = keys.signing_key()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    keys._parsed.clear()  # as a new process would read it
    assert keys.public_key_text(keys.signing_key().public_key()) == keys.public_key_text(
        key.public_key()
    )
    assert [p.name for p in path.parent.iterdir()] == ["audit_signing_key"]


def test_the_key_from_the_environment_in_base64_or_pem(settings: Settings) -> None:
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    expected = keys.public_key_text(key.public_key())
    for text in (base64.b64encode(raw).decode(), pem):
        settings.AUDIT_SIGNING_KEY = text
        assert keys.public_key_text(keys.signing_key().public_key()) == expected
    settings.AUDIT_SIGNING_KEY = "not a key"
    with pytest.raises(KeyInvalid, match="AUDIT_SIGNING_KEY: not an Ed25519 private key"):
        keys.signing_key()


def test_the_key_is_nowhere_in_the_database() -> None:
    record(2)
    key = keys.signing_key()
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    secrets = {raw.hex(), base64.b64encode(raw).decode()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent")
        cells = {str(cell) for row in cursor.fetchall() for cell in row}
    assert not any(secret in cell for secret in secrets for cell in cells)


def _sign_earlier_events() -> None:
    """As migration 0002 ran: before 0004's append-only trigger (skipped in replica mode)."""
    migration = importlib.import_module("coalition.audit.migrations.0002_signature")
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET session_replication_role = replica")
        migration.sign_earlier_events(apps, SimpleNamespace(connection=connection))
        if postgres:
            cursor.execute("SET session_replication_role = DEFAULT")


def test_the_migration_signs_the_events_written_before_signatures() -> None:
    record(5)
    sql("UPDATE audit_auditevent SET signature = ''")
    assert audit_verify().problem == "event #1 (thing.done) is unsigned"
    _sign_earlier_events()
    assert audit_verify().ok


def test_where_no_key_can_be_made_the_migration_leaves_them_unsigned(
    settings: Settings, tmp_path: Path
) -> None:
    record(2)
    sql("UPDATE audit_auditevent SET signature = ''")
    configured = settings.AUDIT_SIGNING_KEY_FILE
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.AUDIT_SIGNING_KEY_FILE = blocker / "audit_signing_key"  # cannot be created
    _sign_earlier_events()
    assert AuditEvent.objects.filter(signature="").count() == 2
    settings.AUDIT_SIGNING_KEY_FILE = configured
    assert audit_verify().problem == "event #1 (thing.done) is unsigned"
