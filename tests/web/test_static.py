"""Fast pages (issue 12, "slow first paint"): static files, plotly.js among them, are served
gzipped under content-hashed names with year-long cache headers once collected (`coalition
serve` collects them); pages load plotly after the content (coalition/charts.js, itself
deferred, loads it once the page has loaded), and the charts carry no inline script: their
figures are JSON data blocks that charts.js draws."""

import json
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from coalition.demo.services import exercise_load
from coalition.governance.models import Coalition
from coalition.procurement.models import PlanRun
from coalition.web import charts

SLUG = "/coalitions/drone-coalition"
YEAR = 365 * 24 * 3600
SCRIPT = re.compile(r"<script\b([^>]*)>", re.S)


def _not_found(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=404)


def test_collected_static_files_are_gzipped_hashed_and_cached_for_a_year(tmp_path: Path) -> None:
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "coalition.web.staticfiles.HashedStaticStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        plotly = staticfiles_storage.url("vendor/plotly-basic.min.js")
        css = staticfiles_storage.url("coalition/site.css")
        assert re.fullmatch(r"/static/vendor/plotly-basic\.min\.[0-9a-f]{12}\.js", plotly), plotly
        assert re.fullmatch(r"/static/coalition/site\.[0-9a-f]{12}\.css", css), css
        served = WhiteNoiseMiddleware(_not_found)
        for url in (plotly, css):
            zipped = served(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br"))
            assert zipped.status_code == 200
            assert zipped["Content-Encoding"] == "gzip", url
            assert "immutable" in zipped["Cache-Control"], zipped["Cache-Control"]
            age = re.search(r"max-age=(\d+)", zipped["Cache-Control"])
            assert age and int(age.group(1)) >= YEAR
            plain = served(RequestFactory().get(url))
            assert plain.status_code == 200 and "Content-Encoding" not in plain
        zipped = served(RequestFactory().get(plotly, HTTP_ACCEPT_ENCODING="gzip"))
        plain = served(RequestFactory().get(plotly))
        assert int(zipped["Content-Length"]) < int(plain["Content-Length"]) / 2.5  # 1.2 -> 0.4 MB


def test_before_collectstatic_the_plain_names_are_served(client: Client) -> None:
    """A fresh checkout and the tests: no manifest, the apps' folders under plain names."""
    assert staticfiles_storage.url("vendor/plotly.min.js") == "/static/vendor/plotly.min.js"
    response = client.get("/static/vendor/plotly.min.js")
    assert response.status_code == 200
    assert b"plotly" in b"".join(response.streaming_content)[:5000].lower()  # type: ignore[attr-defined]
    assert client.get("/static/coalition/charts.js").status_code == 200


@pytest.mark.django_db
def test_chart_pages_load_plotly_deferred_with_no_inline_script(
    demo: Coalition, client: Client
) -> None:
    exercise_load(demo)
    run = PlanRun.objects.filter(coalition=demo).order_by("id").first()
    assert run is not None
    client.force_login(_user("delegate-gb"))
    for path in (
        f"{SLUG}/",
        f"{SLUG}/finance/",
        f"{SLUG}/finance/members/GB/",
        f"{SLUG}/reconciliation/",
        f"/plans/{run.pk}/",
    ):
        html = client.get(path).content.decode()
        head = html[: html.index("</head>")]
        # plotly.js is loaded by charts.js once the page has loaded, never by a tag.
        assert re.search(
            r'<script src="/static/coalition/charts.js" '
            r'data-plotly-src="/static/vendor/plotly-basic.min.js" defer></script>',
            head,
        ), path
        assert '<script src="/static/vendor/plotly' not in html, path
        assert "Plotly.newPlot" not in html, path
        for attributes in SCRIPT.findall(html):
            # Each script is a deferred file or a data block: none blocks the page, and
            # a Content-Security-Policy without 'unsafe-inline' will hold.
            deferred = "src=" in attributes and re.search(r"\b(defer|async)\b", attributes)
            data = 'type="application/json"' in attributes
            assert deferred or data, (path, attributes)
        assert html.count('class="plotly-graph-div"') == html.count("data-plotly="), path
        assert "data-plotly=" in html, path


def test_a_chart_is_a_div_and_its_figure_as_json_that_cannot_close_its_script() -> None:
    title = "</script><script>alert(1)</script> & <!--"
    html = charts.render(go.Figure(go.Bar(x=["a"], y=[1]), layout={"title": title}), height=300)
    assert html.count("</script>") == 1 and "<!--" not in html
    div = re.search(r'<div class="plotly-graph-div" id="([^"]+)"', html)
    assert div is not None
    chart_id = div.group(1)
    block = re.search(
        rf'<script type="application/json" data-plotly="{chart_id}">(.*)</script>', html, re.S
    )
    assert block is not None
    figure = json.loads(block.group(1))
    assert figure["layout"]["title"]["text"] == title
    assert figure["layout"]["height"] == 300 and 'style="height:300px' in html
    assert figure["config"] == {"displaylogo": False, "responsive": True}
    assert figure["data"][0]["type"] == "bar"


def _user(username: str) -> object:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_a_timeline_is_one_trace_per_colour_with_its_rows_in_order() -> None:
    rows = [
        {"label": label, "start": "2024-01-01", "end": "2025-01-01", "color": colour}
        for label, colour in (
            ("LV", "#111"),
            ("LV · chair", "#222"),
            ("GB", "#111"),
            ("UA", "#111"),
        )
    ]
    html = charts.timeline(rows, title="Members")
    block = re.search(r'<script type="application/json" data-plotly="[^"]+">(.*)</script>', html)
    assert block is not None
    figure = json.loads(block.group(1))
    assert [t["line"]["color"] for t in figure["data"]] == ["#111", "#222"]
    assert figure["data"][0]["y"] == ["LV", "LV", None, "GB", "GB", None, "UA", "UA", None]
    assert figure["layout"]["yaxis"]["categoryarray"] == ["LV", "LV · chair", "GB", "UA"]
    assert figure["layout"]["height"] == 300


def test_no_template_carries_an_inline_event_handler() -> None:
    """`onchange="this.form.submit()"` moved the page when a keyboard user only browsed the
    options (WCAG 3.2.2), and a strict Content-Security-Policy blocks inline handlers."""
    import coalition

    root = Path(coalition.__file__).parent
    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
    found = [
        f"{path.relative_to(root)}: {match.group(0)[:60]}"
        for path in root.rglob("templates/**/*.html")
        for match in handler.finditer(path.read_text())
    ]
    assert found == []


def test_the_pages_plotly_is_the_basic_bundle_of_the_python_package_s_version() -> None:
    """The pages draw bars and lines only: plotly.js's basic bundle (1.2 MB, 0.4 MB
    gzipped) instead of the full one (4.8 MB) parses in a fraction of the time on a first
    visit. It must be the plotly.js that the installed plotly package writes figures for."""
    import plotly

    folder = Path(plotly.__file__).parent / "package_data"
    full = (folder / "plotly.min.js").read_text()[:400]
    basic = Path(__file__).parents[2] / "src/coalition/web/static/vendor/plotly-basic.min.js"
    head = basic.read_text()[:400]
    version = re.compile(r"plotly\.js(?: \(basic - minified\))? (v\d+\.\d+\.\d+)")
    assert version.search(head) and version.search(full)
    assert version.search(head).group(1) == version.search(full).group(1)  # type: ignore[union-attr]
    assert basic.stat().st_size < 1_300_000
    used = set()
    for module in (Path(__file__).parents[2] / "src/coalition").rglob("*.py"):
        used |= set(re.findall(r"\bgo\.(Bar|Scatter|Pie|[A-Z][a-z]+)\(", module.read_text()))
    assert used <= {"Bar", "Scatter", "Pie", "Figure"}, used  # the basic bundle's traces
