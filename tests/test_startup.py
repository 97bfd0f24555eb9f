"""Heavy modules stay out of start-up (issue 9): a web process loads every URL and API
route without plotly, highspy, numpy or openpyxl, which only the pages that draw, the
worker's solve and the file imports load."""

import subprocess
import sys

HEAVY = ["plotly", "highspy", "numpy", "openpyxl"]


def test_routes_load_without_heavy_modules() -> None:
    code = (
        "import os, sys, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'coalition.settings';"
        "django.setup(); import coalition.urls, coalition.api;"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
