from functools import cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from coalition.governance.selectors import coalition_list
from coalition.web.page_cache import anonymous_page


@anonymous_page("page.public")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"coalitions": coalition_list()})


@cache
def _plotly_source() -> bytes:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().encode()


@require_GET
@cache_control(max_age=86400, public=True)
def plotly_js(request: HttpRequest) -> HttpResponse:
    """plotly.js from the installed plotly package: charts work offline, with no CDN."""
    return HttpResponse(_plotly_source(), content_type="application/javascript")
