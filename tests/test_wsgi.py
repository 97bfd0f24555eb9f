"""The WSGI application leaves start-up's objects out of the garbage collector's walks
(coalition.wsgi): a server process's full collection no longer stops its threads for
tens of milliseconds."""

import subprocess
import sys

PROBE = """
import gc
import coalition.wsgi
frozen = gc.get_freeze_count()
gc.collect()
print(frozen, len(gc.get_objects()))
"""


def test_start_up_objects_are_frozen_and_views_loaded() -> None:
    found = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    frozen, walked = (int(n) for n in found.stdout.split())
    assert frozen > 50_000  # Django, the apps, their views and plotly's modules
    assert walked < frozen / 5  # what a full collection still walks
