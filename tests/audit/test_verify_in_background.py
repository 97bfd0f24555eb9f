"""The auditor's button verifies in the task worker (the walk checks every signature:
about 30 s for 100,000 events): through the real database queue, the page says a
verification waits, offers no second one, and shows the answer once the worker is done."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_tasks_db.models import DBTaskResult

from coalition.audit.models import AuditEvent
from coalition.audit.tasks import audit_chain_verify_task
from coalition.cli import main
from tests.audit.support import sql


def _page(client: Client) -> str:
    return client.get("/audit/").content.decode()


@pytest.mark.django_db(transaction=True)  # the worker runs in autocommit, as in production
def test_the_button_queues_one_verification_which_the_worker_answers(
    demo: object, client: Client, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(get_user_model().objects.get(username="auditor"))
    events = AuditEvent.objects.count()

    response = client.post("/audit/verify/")
    assert (response.status_code, response["Location"]) == (302, "/audit/#verify-title")
    client.post("/audit/verify/")  # a second click while it waits asks nothing more
    queued = DBTaskResult.objects.filter(task_path=audit_chain_verify_task.module_path)
    assert queued.count() == 1
    page = _page(client)
    assert 'data-verification-pending="queued"' in page
    assert "A verification waits for the task worker since" in page and "(asked by auditor)" in page
    assert 'data-testid="verify" disabled' in page
    assert "audit/verification.js" in page  # the page looks again until the answer is there
    assert AuditEvent.objects.count() == events  # asking wrote nothing: the answer will

    assert main(["worker", "--once", "--interval", "0"]) == 0
    page = _page(client)
    assert "data-verification-pending" not in page and "verification.js" not in page
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None and (last.action, last.actor) == ("audit.verified", "auditor")
    # The chain as the auditor's walk found it: every event before its answer (the worker's
    # daily check, run first in the same pass, included).
    walked = last.seq - 1
    assert walked >= events
    assert f"The chain is intact: {walked} events, head #{walked}" in page
    assert "by auditor." in page


@pytest.mark.django_db(transaction=True)
def test_a_broken_chain_found_by_the_worker_is_named_on_the_page(
    demo: object, client: Client, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(get_user_model().objects.get(username="auditor"))
    sql("DELETE FROM audit_auditevent WHERE seq = 5")
    client.post("/audit/verify/")
    assert main(["worker", "--once", "--interval", "0"]) == 0
    assert "The chain is broken: event #5 was removed (4 events intact before it)." in _page(client)


@pytest.mark.django_db
def test_those_who_may_not_verify_queue_nothing(demo: object, client: Client) -> None:
    client.force_login(get_user_model().objects.get(username="delegate-gb"))
    assert client.post("/audit/verify/").status_code == 403
    assert not DBTaskResult.objects.exists()
