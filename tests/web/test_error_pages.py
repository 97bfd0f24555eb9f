"""Unknown pages, refusals and crashes answer in the site's layout and the reader's
language; the API's unknown addresses stay JSON."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db

NOT_FOUND = {
    "en": ("Page not found", "There is no page at this address."),
    "fr": ("Page introuvable", "pas de page à cette adresse."),
    "uk": ("Сторінку не знайдено", "цією адресою немає сторінки."),
}


@pytest.mark.parametrize("language", ["en", "fr", "uk"])
def test_an_unknown_page_is_a_translated_404_in_the_site_layout(
    demo: object, client: Client, language: str
) -> None:
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    title, text = NOT_FOUND[language]
    assert f"<h1>{title}</h1>" in html and text in html
    assert f'<html lang="{language}">' in html
    assert '<header class="top">' in html and 'data-testid="site-nav"' in html
    assert "/no-such-page/" in html


def test_an_unknown_api_address_stays_json(demo: object, client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    response = client.get("/api/v1/coalitions/no-such-coalition")
    assert response.status_code == 404 and "detail" in response.json()


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Something went wrong"),
        ("fr", "Une erreur est survenue"),
        ("uk", "Щось пішло не так"),
    ],
)
def test_the_500_page_is_translated_and_in_the_layout(language: str, title: str) -> None:
    request = RequestFactory().get("/coalitions/x/")
    with translation.override(language):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert f"<h1>{title}</h1>" in html and '<header class="top">' in html


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Not allowed"), ("fr", "Non autorisé"), ("uk", "Не дозволено")],  # noqa: RUF001
)
def test_the_403_page_is_translated_and_in_the_layout(
    demo: object, language: str, title: str
) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    with translation.override(language):
        response = permission_denied(request, PermissionDenied())
    html = response.content.decode()
    assert response.status_code == 403
    assert f"<h1>{title}</h1>" in html and '<header class="top">' in html
