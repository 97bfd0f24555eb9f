import os

from django.contrib import admin
from django.urls import include, path

from coalition.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("coalition.web.urls")),
    path("", include("coalition.accounts.urls")),
    path("", include("coalition.governance.urls")),
    path("", include("coalition.reporting.urls")),
    path("", include("coalition.finance.urls")),
    path("", include("coalition.procurement.urls")),
    path("", include("coalition.audit.urls")),
]

# bench/api.py's floor (a bare JsonResponse), routed only for that benchmark's server.
if os.environ.get("COALITION_BENCH_FLOOR") == "1":
    urlpatterns.append(path("", include("coalition.web.bench_floor")))

# A body Django refuses to read (too large, too many fields): a 413 with a code, not a bare 400.
handler400 = "coalition.web.http_guards.bad_request"
