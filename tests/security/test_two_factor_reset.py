"""A lost phone: `coalition two_factor reset USERNAME` (an administrator's act) removes the
user's TOTP device, records who reset whose, and the next login of a role that needs a
second factor is sent to set up a new one. Nobody else may do it; bad input writes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts.services import totp_reset
from coalition.audit.models import AuditEvent
from coalition.errors import Forbidden
from tests.helpers import user_actor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _device(username: str) -> TOTPDevice:
    user = get_user_model().objects.get(username=username)
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@override_settings(COALITION_REQUIRE_2FA=True)
def test_the_command_removes_the_device_and_the_next_login_sets_up_a_new_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _device("delegate-lv")
    call_command("two_factor", "reset", "delegate-lv")
    assert capsys.readouterr().out.strip() == (
        "delegate-lv: two-factor device removed; set up a new one at login"
    )
    assert not TOTPDevice.objects.filter(user__username="delegate-lv").exists()
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.actor, event.object_id, event.changes) == (
        "totp.reset",
        "cli",
        "delegate-lv",
        {"devices": 1},
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username="delegate-lv"))
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/account/two-factor/")


def test_no_device_says_so_and_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    events = AuditEvent.objects.count()
    call_command("two_factor", "reset", "delegate-fr")
    assert capsys.readouterr().out.strip() == "delegate-fr: no two-factor device to remove"
    assert AuditEvent.objects.count() == events


def test_an_unknown_user_is_refused_with_exit_2_and_nothing_written() -> None:
    _device("delegate-lv")
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("two_factor", "reset", "nobody")
    assert (str(refused.value), refused.value.returncode) == ("no user named 'nobody'", 2)
    assert AuditEvent.objects.count() == events and TOTPDevice.objects.count() == 1


@pytest.mark.parametrize("username", ["delegate-lv", "delegate-gb", "auditor"])
def test_only_an_administrator_may_reset_another_s_device(username: str) -> None:
    _device("delegate-fr")
    with pytest.raises(Forbidden):
        totp_reset(actor=user_actor(username), username="delegate-fr")
    assert TOTPDevice.objects.filter(user__username="delegate-fr").count() == 1
    assert totp_reset(actor=user_actor("admin"), username="delegate-fr") == 1
