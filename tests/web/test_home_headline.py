"""A newcomer's home page: what the platform is for, and each coalition's figures at a
glance (members today, applications to decide, the latest support the sources give, items
delivered), each figure from the pages behind it."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from coalition.demo.services import exercise_load
from coalition.governance.models import Coalition

pytestmark = pytest.mark.django_db


def figures(html: str) -> dict[str, str]:
    found = re.findall(r'<dd data-figure="([a-z]+)">(.*?)</dd>', html, re.S)
    return {name: re.sub(r"\s+", " ", value).strip() for name, value in found}


def test_the_newcomer_sees_what_it_is_and_the_coalition_s_figures(
    demo: Coalition, client: Client
) -> None:
    html = client.get("/").content.decode()
    assert 'data-testid="intro"' in html
    shown = figures(html)
    assert shown["members"] == "18"
    assert shown["pending"] == "2"  # Türkiye and Belgium
    assert shown["support"].startswith("≈ EUR 2,750,000,000 ")  # 2025, planned (the article)
    assert 'href="/coalitions/drone-coalition/#source-article-2025-05"' in shown["support"]
    assert "Support, 2025 (planned)" in html
    assert "delivered" not in shown  # nothing delivered without the purchase exercise


def test_deliveries_appear_once_there_are_some(demo: Coalition, client: Client) -> None:
    exercise_load(demo)
    # Zoria 2,800, Steppe Eye 180, Polder 104 (four of them rejected and replaced).
    assert figures(client.get("/").content.decode())["delivered"] == "3,084"


def test_in_french(demo: Coalition, client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    html = client.get("/").content.decode()
    assert "Membres aujourd\u2019hui" in html
    assert re.match(r"≈ EUR 2\s750\s000\s000 <a", figures(html)["support"])


def test_a_logged_in_delegate_gets_the_figures_without_the_introduction(
    demo: Coalition, client: Client
) -> None:
    client.force_login(get_user_model().objects.get(username="delegate-lv"))
    html = client.get("/").content.decode()
    assert 'data-testid="intro"' not in html and figures(html)["members"] == "18"
