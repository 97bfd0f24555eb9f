"""The capability categories: a managed list (docs/CONTRACT.md's slugs), named in three
languages, renamed by administrators through the audited service."""

import pytest
from django.test import Client

from coalition.audit.models import AuditEvent
from coalition.governance.models import Category

pytestmark = pytest.mark.django_db

SLUGS = [
    "tactical-recon",
    "fpv",
    "interceptor",
    "long-range",
    "maritime",
    "ground",
    "counter-drone",
    "components",
]


def test_the_contract_s_categories_exist_in_three_languages(db: None) -> None:
    assert list(Category.objects.values_list("slug", flat=True)[:8]) == SLUGS
    recon = Category.objects.get(slug="tactical-recon")
    assert [recon.name_in(lang) for lang in ("en", "fr", "uk")] == [
        "Tactical reconnaissance",
        "Reconnaissance tactique",
        "Тактична розвідка",
    ]


def test_an_admin_renames_one_in_the_back_office_and_it_is_audited(
    demo: object, client: Client
) -> None:
    client.login(username="admin", password="demo")
    before = AuditEvent.objects.count()
    response = client.post(
        "/admin/governance/category/fpv/change/",
        {
            "name_en": "FPV strike drones",
            "name_fr": "Drones FPV",
            "name_uk": "FPV-дрони",
            "position": 1,
        },
    )
    assert response.status_code == 302
    assert Category.objects.get(slug="fpv").name_en == "FPV strike drones"
    [event] = AuditEvent.objects.filter(seq__gt=before)
    assert (event.action, event.object_id) == ("category.renamed", "fpv")
