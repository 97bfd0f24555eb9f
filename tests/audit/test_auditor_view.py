"""The auditor's view: the log as a page and an API (filters, pages, CSV), verifying the
chain from the web, and the days' heads exported and compared after a rewrite."""

import csv
import io
import json
import re
from datetime import UTC, date, datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.audit.keys import sign, signing_key
from coalition.audit.models import AuditDay, AuditEvent
from coalition.audit.services import audit_record
from tests.audit.support import audit, sql
from tests.helpers import api_get, api_post, bearer

pytestmark = pytest.mark.django_db

ROWS = [  # actor, action, object type, object id, day
    ("alice", "thing.made", "widget", "1", date(2026, 1, 10)),
    ("bob", "thing.made", "widget", "2", date(2026, 1, 11)),
    ("alice", "thing.broken", "widget", "1", date(2026, 1, 12)),
    ("=alice", "thing.made", "gadget", "1", date(2026, 1, 13)),
]


@pytest.fixture
def events(demo: object) -> list[int]:
    """The four events of ROWS after the demo's, dated on their days; their seqs."""
    seqs = []
    for name, action, object_type, object_id, day in ROWS:
        when = datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)
        clock = mock.patch("coalition.audit.services.timezone.now", return_value=when)
        with clock, transaction.atomic():
            actor = Actor.system(name, grants=set())
            changes = {"note": f"{action} {object_id}", "amount": "12.50"}
            event = audit_record(
                actor=actor,
                action=action,
                object_type=object_type,
                object_id=object_id,
                changes=changes,
            )
        seqs.append(event.seq)
    return seqs


def _seqs_api(client: Client, query: str) -> list[int]:
    status, body = api_get(client, f"/audit/events?{query}", "auditor")
    assert status == 200, body
    assert isinstance(body, dict)
    return [e["seq"] for e in body["events"]]


def _seqs_page(client: Client, query: str) -> list[int]:
    response = client.get(f"/audit/?{query}")
    assert response.status_code == 200
    return [int(s) for s in re.findall(r'<tr data-seq="(\d+)"', response.content.decode())]


def _login(client: Client, username: str = "auditor") -> None:
    client.force_login(get_user_model().objects.get(username=username))


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("actor=alice", [2, 0]),
        ("actor=alice&action=thing.made", [0]),
        ("object_type=widget&object_id=1", [2, 0]),
        ("action=thing.made&object_type=widget", [1, 0]),
        ("from=2026-01-11&until=2026-01-12", [2, 1]),
        ("from=2026-01-13&until=2026-01-13", [3]),
        ("until=2026-01-10", [0]),
        ("actor=nobody", []),
    ],
)
def test_the_filters_give_exactly_the_matching_events_newest_first(
    client: Client, events: list[int], query: str, wanted: list[int]
) -> None:
    expected = [events[i] for i in wanted]
    assert _seqs_api(client, query) == expected
    _login(client)
    assert _seqs_page(client, query) == expected


def test_unfiltered_the_newest_come_first_and_pages_hold_50(
    client: Client, events: list[int]
) -> None:
    _login(client)
    newest = list(AuditEvent.objects.order_by("-seq").values_list("seq", flat=True))
    assert _seqs_page(client, "") == newest[:50]
    assert _seqs_page(client, "page=2") == newest[50:100]
    assert _seqs_page(client, "page=nonsense") == newest[:50]


def test_the_api_pages_follow_next_with_the_filters(client: Client, events: list[int]) -> None:
    status, body = api_get(client, "/audit/events?actor=alice&limit=1", "auditor")
    assert status == 200 and isinstance(body, dict)
    assert body["count"] == 2
    assert [e["seq"] for e in body["events"]] == [events[2]]
    assert body["events"][0]["changes"] == {"note": "thing.broken 1", "amount": "12.50"}
    assert body["next"] == f"/api/v1/audit/events?actor=alice&before={events[2]}&limit=1"
    response = client.get(body["next"], **bearer("auditor"))
    page = response.json()
    assert [e["seq"] for e in page["events"]] == [events[0]]
    assert page["next"] is None


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("from=2026-13-01", "request.invalid"),
        ("until=yesterday", "request.invalid"),
        ("from=2026-02-01&until=2026-01-01", "audit.filter_invalid"),
        ("limit=0", "request.invalid"),
        ("limit=5000", "request.invalid"),
        ("before=abc", "request.invalid"),
        ("before=1000000000000000000000000000000", "request.invalid"),
        ("actor=a%00b", "audit.filter_invalid"),
        ("object_id=" + "9" * 5000, None),
    ],
)
def test_bad_filters_are_422_in_the_api(
    client: Client, demo: object, query: str, code: str
) -> None:
    status, body = api_get(client, f"/audit/events?{query}", "auditor")
    assert isinstance(body, dict)
    if code is None:  # nothing matches, which is an answer
        assert (status, body["count"]) == (200, 0)
    else:
        assert (status, body["code"]) == (422, code)


def test_from_after_until_names_the_field_in_the_api(client: Client, demo: object) -> None:
    status, body = api_get(client, "/audit/events?from=2026-02-01&until=2026-01-01", "auditor")
    assert status == 422 and isinstance(body, dict)
    assert body["field"] == "from"
    assert body["detail"] == "“From” (2026-02-01) is after “until” (2026-01-01)."


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2026-13-01", "from", "Not a date: give it as YYYY-MM-DD."),
        ("until=yesterday", "until", "Not a date: give it as YYYY-MM-DD."),
        ("from=2026-02-01&until=2026-01-01", "from", "is after"),
        ("actor=a%00b", "actor", "Null characters are not allowed."),
    ],
)
def test_bad_filters_are_errors_beside_their_field_on_the_page(
    client: Client, demo: object, query: str, field: str, message: str
) -> None:
    _login(client)
    for suffix in ("", "&export=csv"):  # the CSV is not given for filters that are wrong
        response = client.get(f"/audit/?{query}{suffix}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        error = re.search(rf'<p id="{field}-error" class="error"[^>]*>([^<]*)</p>', html)
        assert error is not None and message in error.group(1).replace("&ldquo;", "“")
        assert f'aria-describedby="{field}-error"' in html
        assert 'data-testid="filters-invalid"' in html
        assert "<tr data-seq" not in html


def test_the_csv_holds_every_matching_event_streamed(client: Client, events: list[int]) -> None:
    _login(client)
    response = client.get("/audit/?object_type=gadget&export=csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:7] == [
        "seq",
        "occurred_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "changes",
    ]
    event = AuditEvent.objects.get(seq=events[3])
    assert rows[1:] == [
        [
            str(event.seq),
            "2026-01-13T12:00:00+00:00",
            "'=alice",  # never run as a formula by a spreadsheet
            "thing.made",
            "gadget",
            "1",
            '{"amount": "12.50", "note": "thing.made 1"}',
            event.hash,
            event.prev_hash,
            event.signature,
        ]
    ]
    everything = client.get("/audit/?export=csv")
    assert len(b"".join(everything.streaming_content).decode().splitlines()) == (
        AuditEvent.objects.count() + 1
    )


def test_the_page_shows_when_who_what_changes_and_hash(client: Client, events: list[int]) -> None:
    _login(client)
    html = client.get("/audit/?actor=bob").content.decode()
    event = AuditEvent.objects.get(seq=events[1])
    assert "2026-01-11 12:00:00" in html
    assert "<dt>note</dt><dd>thing.made 2</dd>" in html
    assert f'title="{event.hash}">{event.hash[:12]}…</code>' in html
    assert f'<code class="full">{event.hash}</code>' in html


def test_the_nav_links_the_log_for_auditors_and_admins_only(client: Client, demo: object) -> None:
    for username, shown in (("auditor", True), ("admin", True), ("delegate-lv", False)):
        _login(client, username)
        html = client.get("/").content.decode()
        assert ('data-testid="nav-audit"' in html) is shown, username


def test_verify_answers_intact_records_the_check_and_the_days_head(
    client: Client, demo: object
) -> None:
    headers = bearer("auditor")  # creating the token is an event too
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    response = client.post("/api/v1/audit/verify", **headers)
    status, body = response.status_code, response.json()
    assert status == 200, body
    today = timezone.localdate().isoformat()
    assert body == {
        "intact": True,
        "events": last.seq,
        "seq": last.seq,
        "head": last.hash,
        "problems": [],
        "day_recorded": today,
    }
    check = AuditEvent.objects.order_by("-seq").first()
    assert check is not None and check.seq == last.seq + 1
    assert (check.actor, check.action, check.object_type, check.object_id) == (
        "auditor",
        "audit.verified",
        "audit_chain",
        today,
    )
    assert check.changes["intact"] is True and check.changes["head"] == last.hash
    day = AuditDay.objects.get()
    assert (day.seq, day.hash, day.events, day.signature) == (
        last.seq,
        last.hash,
        last.seq,
        last.signature,
    )
    # The next check of the day covers the first one's event and moves the day's head on.
    body = client.post("/api/v1/audit/verify", **headers).json()
    assert body["intact"] and body["seq"] == check.seq
    assert AuditDay.objects.get().seq == check.seq


def test_verify_names_the_event_altered_behind_the_applications_back(
    client: Client, demo: object
) -> None:
    event = AuditEvent.objects.get(seq=3)
    sql("UPDATE audit_auditevent SET actor = 'mallory' WHERE seq = 3")
    status, body = api_post(client, "/audit/verify", {}, "auditor")
    assert status == 200 and isinstance(body, dict)
    assert body["intact"] is False
    assert body["events"] == 2 and body["seq"] == 2
    assert body["problems"] == [f"event #3 ({event.action}) was altered"]
    assert body["day_recorded"] is None
    assert not AuditDay.objects.exists()
    check = AuditEvent.objects.order_by("-seq").first()
    assert check is not None and check.action == "audit.verified"
    assert check.changes["intact"] is False
    assert check.changes["problems"] == [f"event #3 ({event.action}) was altered"]


def test_the_button_verifies_and_says_what_it_found(client: Client, demo: object) -> None:
    _login(client)
    response = client.post("/audit/verify/", follow=True)
    assert response.redirect_chain == [("/audit/#verify-title", 302)]
    assert "The chain is intact:" in response.content.decode()
    sql("DELETE FROM audit_auditevent WHERE seq = 5")
    response = client.post("/audit/verify/", follow=True)
    assert "The chain is broken: event #5 was removed (4 events intact before it)." in (
        response.content.decode()
    )


def test_only_auditors_and_admins_verify(client: Client, demo: object) -> None:
    headers = bearer("delegate-lv")
    events = AuditEvent.objects.count()
    response = client.post("/api/v1/audit/verify", **headers)
    assert response.status_code == 403
    assert response.json()["code"] == "audit.verify.forbidden"
    _login(client, "delegate-gb")
    assert client.post("/audit/verify/").status_code == 403
    client.logout()
    response = client.post("/audit/verify/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert AuditEvent.objects.count() == events


def _rewrite_from(seq: int) -> None:
    """A rewrite of the chain from `seq` on by someone holding the database and the key:
    one event changed, every later hash recomputed and signed again, the head moved and
    the days' heads rewritten to match. The chain then verifies."""
    from coalition.audit.chain import stored_event_hash

    sql("UPDATE audit_auditevent SET occurred_at = %s WHERE seq = %s", ["2024-01-01 00:00:00", seq])
    key = signing_key()
    prev = AuditEvent.objects.get(seq=seq - 1).hash
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        digest = stored_event_hash(event, prev_hash=prev)
        sql(
            "UPDATE audit_auditevent SET prev_hash = %s, hash = %s, signature = %s WHERE seq = %s",
            [prev, digest, sign(key, seq=event.seq, digest=digest), event.seq],
        )
        prev = digest
    sql("UPDATE audit_audithead SET hash = %s WHERE id = 1", [prev])
    for day in AuditDay.objects.all():
        new = AuditEvent.objects.get(seq=day.seq)
        sql(
            "UPDATE audit_auditday SET hash = %s, signature = %s WHERE id = %s",
            [new.hash, new.signature, day.pk],
        )


def _earlier_days(seqs: list[int]) -> None:
    """Days' heads of earlier days, as the daily verification would have left them."""
    for number, seq in enumerate(seqs, start=1):
        event = AuditEvent.objects.get(seq=seq)
        AuditDay.objects.create(
            day=date(2026, 1, number),
            seq=seq,
            hash=event.hash,
            signature=event.signature,
            events=seq,
            recorded_at=datetime(2026, 1, number, 23, 0, tzinfo=UTC),
            recorded_by="cli",
        )


def _compare(client: Client, name: str, text: str) -> tuple[int, dict[str, object]]:
    upload = SimpleUploadedFile(name, text.encode())
    response = client.post("/api/v1/audit/heads/compare", {"file": upload}, **bearer("auditor"))
    return response.status_code, response.json()


def test_an_earlier_export_shows_a_rewritten_chain_that_verifies(
    client: Client, demo: object
) -> None:
    _earlier_days([2, 10, 20])
    assert api_post(client, "/audit/verify", {}, "auditor")[1]["intact"] is True  # type: ignore[index]
    exported = client.get("/api/v1/audit/heads", **bearer("auditor"))
    assert exported["Content-Type"] == "application/json"
    data = exported.json()
    assert [h["day"] for h in data["heads"]] == [
        timezone.localdate().isoformat(),
        "2026-01-03",
        "2026-01-02",
        "2026-01-01",
    ]
    assert data["public_key"]
    as_csv = client.get("/api/v1/audit/heads?format=csv", **bearer("auditor")).content.decode()
    assert as_csv.splitlines()[0] == "day,seq,events,hash,signature,recorded_at,recorded_by"
    today_seq = data["heads"][0]["seq"]
    for name, text in (("heads.json", exported.content.decode()), ("heads.csv", as_csv)):
        assert _compare(client, name, text) == (200, {"days": 4, "matching": 4, "mismatches": []})

    _rewrite_from(15)
    status, body = api_post(client, "/audit/verify", {}, "auditor")
    assert isinstance(body, dict) and body["intact"] is True  # the rewrite holds together
    for name, text in (("heads.json", exported.content.decode()), ("heads.csv", as_csv)):
        status, result = _compare(client, name, text)
        assert status == 200
        assert result["days"] == 4 and result["matching"] == 2
        mismatches = result["mismatches"]
        assert isinstance(mismatches, list)
        assert [(m["day"], m["seq"]) for m in mismatches] == [
            (timezone.localdate().isoformat(), today_seq),
            ("2026-01-03", 20),
        ]
        old = next(h["hash"] for h in data["heads"] if h["seq"] == 20)
        assert mismatches[1]["exported"] == old
        assert mismatches[1]["now"] == AuditEvent.objects.get(seq=20).hash != old
        assert mismatches[1]["problem"] == "event #20 has another hash now: the chain was rewritten"


def test_days_heads_removed_with_their_events_show(client: Client, demo: object) -> None:
    _earlier_days([2, 30])
    _login(client)
    exported = client.get("/audit/heads/?format=json")
    assert exported["Content-Disposition"].startswith('attachment; filename="audit-heads-')
    sql("DELETE FROM audit_auditevent WHERE seq >= 25")
    upload = SimpleUploadedFile("heads.json", exported.content)
    response = client.post("/audit/heads/compare/", {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 day of 2 no longer matches the chain:" in html
    assert '<li data-day="2026-01-02">2026-01-02: event #30 is no longer in the chain</li>' in html


def test_the_verification_checks_the_days_heads_kept(client: Client, demo: object) -> None:
    """A rewrite that leaves the days' heads alone is named by the verification itself."""
    _earlier_days([20])
    _rewrite_from(15)
    sql("UPDATE audit_auditday SET hash = %s WHERE day = '2026-01-01'", ["a" * 64])
    _, body = api_post(client, "/audit/verify", {}, "auditor")
    assert isinstance(body, dict) and body["intact"] is False
    assert any("the head of 2026-01-01" in p for p in body["problems"])


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("heads.json", "{not json", "heads.json: not JSON"),
        ("heads.json", '{"days": 3}', "not an export of daily heads"),
        ("heads.json", '{"heads": []}', "heads.json: no heads in the file"),
        ("heads.csv", "day,seq,hash\n2026-01-01,x,abc\n", "heads.csv row 1: seq must be"),
        ("heads.csv", "day,seq,hash\n2026-02-30,1,abc\n", "heads.csv row 1: day is not a date"),
        ("heads.csv", "day,seq,hash\n2026-01-01,1,abc\n", "hash must be 64 lower-case hex"),
        ("heads.csv", "", "heads.csv: the file is empty"),
        ("heads.csv", "day,seq,hash\n2026-01-01,99999999999999999999,x\n", "seq must be"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_clearly(
    client: Client, demo: object, name: str, text: str, message: str
) -> None:
    status, body = _compare(client, name, text)
    assert status == 422 and body["code"] == "audit.heads_invalid"
    assert message in str(body["detail"])
    _login(client)
    response = client.post(
        "/audit/heads/compare/", {"file": SimpleUploadedFile(name, text.encode())}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'aria-describedby="file-error"' in html
    assert 'data-testid="error-file"' in html


def test_the_command_records_the_days_head_and_exports_the_heads(demo: object) -> None:
    code, out = audit("heads")
    last = AuditEvent.objects.order_by("-seq")[1]  # before the command's own event
    assert code == 0
    assert out.strip() == (
        f"audit chain intact: {last.seq} events, head #{last.seq} {last.hash}; "
        f"the head of {timezone.localdate().isoformat()} recorded"
    )
    code, out = audit("heads", "--export", "json")
    assert code == 0 and json.loads(out)["heads"][0]["seq"] == last.seq
    code, out = audit("heads", "--export", "csv")
    assert out.splitlines()[1].startswith(
        f"{timezone.localdate().isoformat()},{last.seq},{last.seq},"
    )
    sql("UPDATE audit_auditevent SET action = 'forged' WHERE seq = 2")
    code, out = audit("heads")
    assert code == 1 and out == "audit chain broken: event #2 (forged) was altered"


def test_the_workers_daily_job_records_the_days_head_once(demo: object) -> None:
    from coalition.web.management.commands import worker

    worker._audited.clear()
    events = AuditEvent.objects.count()
    worker.periodic_jobs()
    day = AuditDay.objects.get()
    assert (day.day, day.seq, day.recorded_by) == (timezone.localdate(), events, "worker")
    check = AuditEvent.objects.order_by("-seq").first()
    assert check is not None and (check.actor, check.action) == ("worker", "audit.verified")
    worker._audited.clear()  # another worker process: today's head is there already
    worker.periodic_jobs()
    worker.periodic_jobs()
    assert AuditEvent.objects.count() == events + 1
