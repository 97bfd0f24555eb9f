"""Attack report, defect 9 (part): changes to users and their rights in the Django admin
were not audited. Now each one leaves an event with the rights that result."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from coalition.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _change_form(user: object, **flags: bool) -> dict[str, object]:
    form: dict[str, object] = {
        "username": user.username,  # type: ignore[attr-defined]
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
        "is_active": "on",
    }
    form.update({name: "on" for name, on in flags.items() if on})
    return form


def test_making_a_delegate_superuser_in_the_admin_is_audited(demo: object, client: Client) -> None:
    de = get_user_model().objects.get(username="delegate-de")
    client.login(username="admin", password="demo")
    before = AuditEvent.objects.count()
    response = client.post(
        f"/admin/auth/user/{de.pk}/change/", _change_form(de, is_superuser=True, is_staff=True)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    de.refresh_from_db()
    assert de.is_superuser
    [event] = AuditEvent.objects.filter(seq__gt=before)
    assert (event.actor, event.action, event.object_id) == ("admin", "user.changed", "delegate-de")
    assert event.changes == {
        "superuser": True,
        "staff": True,
        "active": True,
        "groups": [],
        "permissions": [],
    }


def test_a_password_set_in_the_admin_is_audited_without_the_password(
    demo: object, client: Client
) -> None:
    de = get_user_model().objects.get(username="delegate-de")
    client.login(username="admin", password="demo")
    before = AuditEvent.objects.count()
    response = client.post(
        f"/admin/auth/user/{de.pk}/password/",
        {"password1": "a-new-long-password", "password2": "a-new-long-password"},
    )
    assert response.status_code == 302
    [event] = AuditEvent.objects.filter(seq__gt=before)
    assert (event.action, event.changes) == ("user.password_changed", {})


def test_groups_are_read_only_in_the_admin(demo: object, client: Client) -> None:
    client.login(username="admin", password="demo")
    assert client.get("/admin/auth/group/add/").status_code == 403
