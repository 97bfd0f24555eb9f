"""Delivery manifests through the API and the page: a small upload imported at once, a
large one queued and run by the task worker (synchronously here: the test settings use
the immediate backend), a batch's status and errors by row, an order's serials a page at a
time, and who may upload."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from coalition.governance.models import Coalition
from coalition.procurement.models import DeliveredItem, DeliveryBatch
from coalition.procurement.services import delivery_batches
from tests.helpers import api_get, bearer
from tests.procurement.manifests import counts, day, manifest, rows_of, signed_order
from tests.procurement.purchase import BENEFICIARY, CHAIR, FUND_MANAGER

pytestmark = pytest.mark.django_db
SLUG = "/coalitions/drone-coalition"


def upload(
    client: Client, data: bytes, user: str | dict[str, str], name: str = "m.csv"
) -> tuple[int, dict]:
    """POST the file as `user` (a username, or headers made before counting)."""
    headers = bearer(user) if isinstance(user, str) else user
    response = client.post(
        f"/api/v1{SLUG}/deliveries/import",
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
        **headers,
    )
    return response.status_code, response.json() | {"_location": response.get("Location")}


def test_a_small_manifest_is_imported_in_the_request(client: Client, demo: Coalition) -> None:
    order = signed_order(demo)
    status, body = upload(client, manifest(*rows_of(order, 3)), BENEFICIARY)
    assert status == 200
    assert (body["file"], body["status"], body["rows"], body["written"], body["known"]) == (
        "m.csv",
        "done",
        3,
        3,
        0,
    )
    batch = body["batch"]
    assert (batch["status"], batch["written"], batch["errors"]) == ("done", 3, [])
    status, again = upload(client, manifest(*rows_of(order, 3)), FUND_MANAGER)
    assert (status, again["written"], again["known"], again["batch"]) == (200, 0, 3, None)


def test_a_refused_upload_names_row_and_column_and_writes_nothing(
    client: Client, demo: Coalition
) -> None:
    order = signed_order(demo)
    auth = bearer(BENEFICIARY)
    before = counts()
    status, body = upload(client, manifest(*rows_of(order, 1), f"S-2,PO-NONE,{day(-1)},"), auth)
    assert status == 422
    assert body["code"] == "file.rejected"
    assert body["errors"] == [
        {"file": "m.csv", "row": 3, "column": "order", "message": "unknown order 'PO-NONE'"}
    ]
    assert counts() == before


def test_a_member_may_not_upload(client: Client, demo: Coalition) -> None:
    order = signed_order(demo)
    auth = bearer(CHAIR)
    before = counts()
    status, body = upload(client, manifest(*rows_of(order, 1)), auth)
    assert status == 403
    assert body["detail"] == (
        "only the fund manager's or the beneficiary's delegation records deliveries"
    )
    assert counts() == before


def test_a_large_manifest_is_queued_and_run_by_the_worker(
    client: Client, demo: Coalition, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery_batches, "INLINE_BYTES", 10)
    order = signed_order(demo)
    status, body = upload(client, manifest(*rows_of(order, 4)), BENEFICIARY)
    assert status == 202
    assert body["status"] == "queued"
    url = body["batch"]["url"]
    assert body["_location"] == url
    status, batch = api_get(client, url.removeprefix("/api/v1"), BENEFICIARY)
    assert status == 200
    assert {k: batch[k] for k in ("status", "processed", "rows", "written", "known", "errors")} == {  # type: ignore[index]
        "status": "done",
        "processed": 4,
        "rows": 4,
        "written": 4,
        "known": 0,
        "errors": [],
    }
    stored = DeliveryBatch.objects.get(pk=batch["id"])  # type: ignore[index]
    assert stored.content is None
    assert DeliveredItem.objects.filter(batch=stored).count() == 4


def test_a_queued_manifest_that_is_refused_keeps_its_errors_by_row(
    client: Client, demo: Coalition, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery_batches, "INLINE_BYTES", 10)
    order = signed_order(demo)
    data = manifest(*rows_of(order, 2), f"SN-000001,{order.reference},{day(1)},L1")
    status, body = upload(client, data, BENEFICIARY)
    assert status == 202
    status, batch = api_get(client, body["batch"]["url"].removeprefix("/api/v1"), CHAIR)
    assert status == 200
    assert batch["status"] == "failed"  # type: ignore[index]
    assert batch["errors"] == [  # type: ignore[index]
        {
            "file": "m.csv",
            "row": 4,
            "column": "delivered_on",
            "message": f"{day(1)} is in the future",
        },
        {
            "file": "m.csv",
            "row": 4,
            "column": "serial",
            "message": "serial SN-000001 is also in row 2 of this file",
        },
    ]
    assert DeliveredItem.objects.count() == 0
    assert DeliveryBatch.objects.get(pk=batch["id"]).content is None  # type: ignore[index]


def test_an_unknown_batch_is_404(client: Client, demo: Coalition) -> None:
    status, body = api_get(client, f"{SLUG}/deliveries/batches/999999", BENEFICIARY)
    assert (status, body["code"]) == (404, "delivery_batch.not_found")  # type: ignore[index]


def test_an_orders_items_come_a_page_at_a_time(client: Client, demo: Coalition) -> None:
    order = signed_order(demo)
    upload(client, manifest(*rows_of(order, 5)), BENEFICIARY)
    path = f"{SLUG}/orders/{order.reference}/items?limit=2"
    status, page = api_get(client, path, CHAIR)
    assert status == 200
    assert page["count"] == 5  # type: ignore[index]
    assert [i["serial"] for i in page["items"]] == ["SN-000001", "SN-000002"]  # type: ignore[index]
    assert page["items"][0] == {  # type: ignore[index]
        "serial": "SN-000001",
        "delivered_on": day(-1).isoformat(),
        "lot": "L1",
        "status": "delivered",
        "replaces": None,
    }
    serials = []
    url: str | None = page["next"]  # type: ignore[index]
    while url:
        status, page = api_get(client, url.removeprefix("/api/v1"), CHAIR)
        serials += [i["serial"] for i in page["items"]]  # type: ignore[index]
        url = page["next"]  # type: ignore[index]
    assert serials == ["SN-000003", "SN-000004", "SN-000005"]


def login(client: Client, username: str) -> None:
    client.force_login(get_user_model().objects.get(username=username))


def test_the_page_uploads_and_shows_the_counts(client: Client, demo: Coalition) -> None:
    order = signed_order(demo)
    login(client, BENEFICIARY)
    page = client.get(f"{SLUG}/deliveries/")
    assert page.status_code == 200
    assert b'data-testid="deliveries-upload"' in page.content
    assert b"No manifest yet." in page.content
    file = SimpleUploadedFile("lot1.csv", manifest(*rows_of(order, 3)), content_type="text/csv")
    response = client.post(f"{SLUG}/deliveries/import/", {"file": file})
    batch = DeliveryBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{SLUG}/deliveries/?batch={batch.pk}"
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Done: 3 rows, 3 items recorded, 0 already there." in text
    assert 'http-equiv="refresh"' not in text
    orders_page = client.get(f"{SLUG}/orders/").content.decode()
    assert f'href="{SLUG}/deliveries/"' in orders_page


def test_the_page_shows_a_refused_file_beside_the_form(client: Client, demo: Coalition) -> None:
    order = signed_order(demo)
    login(client, FUND_MANAGER)
    data = manifest(*rows_of(order, 1), f"X 1,{order.reference},{day(-1)},")
    file = SimpleUploadedFile("bad.csv", data, content_type="text/csv")
    before = counts()
    response = client.post(f"{SLUG}/deliveries/import/", {"file": file})
    assert response.status_code == 422
    assert (
        "bad.csv row 3, column serial: &#x27;X 1&#x27; is not a serial number"
        in response.content.decode()
    )
    assert counts() == before


def test_a_running_batch_refreshes_and_a_failed_one_lists_its_errors(
    client: Client, demo: Coalition
) -> None:
    running = DeliveryBatch.objects.create(
        coalition=demo, name="big.csv", digest="", status="running", processed=15000
    )
    failed = DeliveryBatch.objects.create(
        coalition=demo,
        name="bad.csv",
        digest="",
        status="failed",
        errors=[{"file": "bad.csv", "row": 7, "column": "order", "message": "unknown order 'X'"}],
    )
    login(client, CHAIR)
    page = client.get(f"{SLUG}/deliveries/?batch={running.pk}").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Checking: 15000 rows read so far." in page
    assert 'data-testid="deliveries-upload"' not in page  # a member reads, does not upload
    page = client.get(f"{SLUG}/deliveries/?batch={failed.pk}").content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "Refused: nothing was written." in page
    assert "row 7, order: unknown order &#x27;X&#x27;" in page
