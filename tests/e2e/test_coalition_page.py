import re

import pytest

from tests.e2e.conftest import set_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coalition_page_draws_the_timeline_and_switches_language(
    demo: object, live_server: object, page: object
) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))  # type: ignore[attr-defined]
    page.goto(f"{live_server.url}/coalitions/drone-coalition/")  # type: ignore[attr-defined]
    page.wait_for_selector("#timeline .main-svg")  # type: ignore[attr-defined]
    assert page.locator("#members tbody tr").count() == 18  # type: ignore[attr-defined]
    assert "Latvia" in page.inner_text("[data-testid=chair]")  # type: ignore[attr-defined]
    set_language(page, "uk")
    page.wait_for_selector("html[lang=uk]")  # type: ignore[attr-defined]
    assert "Заявки на розгляді" in page.content()  # type: ignore[attr-defined]
    set_language(page, "fr")
    page.wait_for_selector("html[lang=fr]")  # type: ignore[attr-defined]
    assert "Candidatures en attente" in page.content()  # type: ignore[attr-defined]
    page.wait_for_selector("#timeline .main-svg .xtick")  # type: ignore[attr-defined]
    ticks = " ".join(page.locator("#timeline .xtick text").all_text_contents())  # type: ignore[attr-defined]
    assert re.search(r"janv\.|avr\.|juil\.|oct\.", ticks), ticks  # French months on the axis
    assert not re.search(r"\b(Jan|Apr|Jul|Oct)\b", ticks), ticks
    assert all(u.startswith(live_server.url) for u in requests), requests  # type: ignore[attr-defined]
