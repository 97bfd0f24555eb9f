"""The coalition page lists the members on any past day, from a date field (not only the
API's `?on=`), with the roles named in the reader's language."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGE = "/coalitions/drone-coalition/"


def members_listed(html: str) -> int:
    return html.count('data-country="')


@pytest.mark.parametrize(
    ("day", "listed"),
    [("2024-02-14", 9), ("2024-06-01", 14), ("2025-05-28", 18), ("2023-01-01", 0)],
)
def test_members_on_a_past_day(demo: object, client: Client, day: str, listed: int) -> None:
    html = client.get(PAGE, {"on": day}).content.decode()
    assert members_listed(html) == listed
    assert 'data-testid="member-count">18<' in html  # the facts stay about today
    assert f'value="{day}"' in html  # the field keeps what was asked
    assert ("Today</a>" in html) and ('data-testid="error-on"' not in html)
    assert ('data-testid="no-members"' in html) == (listed == 0)


def test_a_date_that_is_not_a_date_is_named_beside_its_field(demo: object, client: Client) -> None:
    html = client.get(PAGE, {"on": "28/05/2025x"}).content.decode()
    assert re.search(r'data-testid="error-on">Enter a valid date\.<', html)
    field = re.search(r"<input[^>]*id=\"id_on\"[^>]*>", html)
    assert field is not None and 'aria-invalid="true"' in field.group(0)
    assert "id_on_error" in field.group(0)  # aria-describedby ties the error to the field
    assert members_listed(html) == 18  # today's members, not an empty page


@pytest.mark.parametrize(
    ("language", "badges"),
    [
        ("en", ["chair", "fund manager", "beneficiary"]),
        ("fr", ["présidence", "gestionnaire du fonds", "bénéficiaire"]),
    ],
)
def test_role_badges_are_names_not_codes(
    demo: object, client: Client, language: str, badges: list[str]
) -> None:
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    html = client.get(PAGE).content.decode()
    shown = set(re.findall(r'<span class="badge">([^<]*)</span>', html))
    assert set(badges) <= shown
    assert "fund-manager" not in shown
