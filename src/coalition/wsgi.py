"""WSGI entry point for `coalition serve` (gunicorn) and any other WSGI server."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
application = get_wsgi_application()


def _settle() -> None:
    """Import every view now and move what start-up made out of the garbage collector's
    sight. A full collection of a server process walks about 160,000 start-up objects
    (85 ms, longer with the cores busy) while all of its threads wait: under load that
    was most of the reads' p99 (bench/api.py). Start-up objects live as long as the
    process, so freezing them loses nothing."""
    get_resolver().url_patterns  # noqa: B018  (imports every view module)
    gc.collect()
    gc.freeze()


_settle()
