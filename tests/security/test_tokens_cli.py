# ruff: noqa: E501  (a table of cases reads best one per line)
"""`coalition token create|list|revoke`: options, the listing, revocation by prefix or id,
and bad input refused with exit 2 and nothing written."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from coalition.audit.models import AuditEvent
from coalition.governance.models import ApiToken
from coalition.governance.services.tokens import token_create
from tests.helpers import TEST

pytestmark = pytest.mark.django_db


def _run(*args: str) -> list[str]:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue().splitlines()


def _stored(secret: str) -> ApiToken:
    return ApiToken.objects.get(digest=ApiToken.digest_of(secret))


def test_create_prints_only_the_token_and_defaults_to_90_days_read_write() -> None:
    before = timezone.now()
    lines = _run("create", "delegate-lv")
    assert len(lines) == 1 and len(lines[0]) == 43
    token = _stored(lines[0])
    assert (token.user.get_username(), token.name, token.scope) == ("delegate-lv", "", "read-write")
    assert token.expires is not None
    assert before + timedelta(days=90) <= token.expires <= timezone.now() + timedelta(days=90)


def test_create_with_a_name_read_only_and_an_expiry_in_days() -> None:
    before = timezone.now()
    [secret] = _run(
        "create", "auditor", "--name", "nightly export", "--read-only", "--expires-in", "7"
    )
    token = _stored(secret)
    assert (token.name, token.scope) == ("nightly export", "read")
    assert token.expires is not None
    assert before + timedelta(days=7) <= token.expires <= timezone.now() + timedelta(days=7)


def test_create_with_an_expiry_date_and_with_none() -> None:
    [dated] = _run("create", "auditor", "--expires-on", "2099-01-31")
    expected = timezone.make_aware(datetime(2099, 1, 31))
    assert _stored(dated).expires == expected
    [forever] = _run("create", "auditor", "--no-expiry")
    assert _stored(forever).expires is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "ghost"], "no user named 'ghost'"),
        (["create"], "token create needs USERNAME"),
        (["create", "auditor", "--expires-in", "0"], "--expires-in: a whole number of days, 1 or more"),
        (["create", "auditor", "--expires-on", "2025-02-30"], "--expires-on: '2025-02-30' is not a date (YYYY-MM-DD)"),
        (["create", "auditor", "--expires-on", "2001-01-01"], "the expiry must be in the future"),
        (["create", "auditor", "--expires-in", "3", "--no-expiry"], "give one of --expires-in, --expires-on and --no-expiry"),
        (["revoke"], "token revoke needs PREFIX_OR_ID"),
        (["revoke", "999999"], "no token with prefix or id '999999'"),
        (["revoke", "zzzzzzzz"], "no token with prefix or id 'zzzzzzzz'"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_and_writes_nothing(args: list[str], message: str) -> None:
    tokens, events = ApiToken.objects.count(), AuditEvent.objects.count()
    with pytest.raises(CommandError) as raised:
        _run(*args)
    assert (str(raised.value), raised.value.returncode) == (message, 2)
    assert (ApiToken.objects.count(), AuditEvent.objects.count()) == (tokens, events)


def test_list_shows_every_token_with_its_status() -> None:
    ApiToken.objects.all().delete()
    live = _stored(token_create(actor=TEST, username="delegate-lv", name="script"))
    old = _stored(token_create(actor=TEST, username="auditor", read_only=True))
    gone = _stored(token_create(actor=TEST, username="auditor", never_expires=True))
    ApiToken.objects.filter(id=old.pk).update(expires=timezone.now() - timedelta(days=1))
    used = timezone.now() - timedelta(hours=2)
    ApiToken.objects.filter(id=live.pk).update(last_used=used)
    _run("revoke", str(gone.pk))
    lines = _run("list")
    assert lines[0].split() == ["id", "prefix", "user", "name", "scope", "created", "expires", "last", "used", "status"]  # fmt: skip
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert len(rows) == 3

    def local(moment: datetime | None) -> list[str]:
        assert moment is not None
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M").split()

    live.refresh_from_db()
    old.refresh_from_db()
    assert rows[str(live.pk)] == [
        str(live.pk), live.prefix, "delegate-lv", "script", "read-write",
        *local(live.created), *local(live.expires), *local(used), "active",
    ]  # fmt: skip
    assert rows[str(old.pk)] == [
        str(old.pk), old.prefix, "auditor", "-", "read",
        *local(old.created), *local(old.expires), "-", "expired",
    ]  # fmt: skip
    assert rows[str(gone.pk)][-3:] == ["never", "-", "revoked"]
    only = _run("list", "delegate-lv")
    assert [line.split()[0] for line in only[1:]] == [str(live.pk)]


def test_revoke_by_prefix_is_audited_and_a_second_revoke_is_refused() -> None:
    secret = token_create(actor=TEST, username="delegate-lv")
    token = _stored(secret)
    events = AuditEvent.objects.count()
    assert _run("revoke", secret[:8]) == [
        f"revoked token {token.pk} ({secret[:8]}…) of delegate-lv"
    ]
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert (event.action, event.actor, event.object_id) == ("token.revoked", "cli", "delegate-lv")
    assert event.changes == {"prefix": secret[:8], "name": ""}
    with pytest.raises(CommandError) as raised:
        _run("revoke", str(token.pk))
    assert str(raised.value) == f"token {secret[:8]}… was already revoked"
    assert AuditEvent.objects.count() == events + 1
