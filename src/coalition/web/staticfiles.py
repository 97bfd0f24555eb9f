"""Static files: plotly.js served as one of them, hashed names with long cache headers.

`coalition serve` runs collectstatic, which writes each file under a content-hashed name
with its gzip variant; whitenoise then serves the hashed names compressed and "immutable"
for a year or more, so a browser fetches plotly.js (4.8 MB, 1.4 MB gzipped) once per
release. A fresh checkout and the tests have no manifest: the plain names are served
from the apps' folders (WHITENOISE_USE_FINDERS), as before.
"""

from importlib.util import find_spec
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

PLOTLY = "plotly.min.js"
PLOTLY_PREFIX = "vendor"


def _plotly_folder() -> Path:
    """The installed plotly package's data folder, found without importing plotly (a web
    process does not load it at start-up, tests/test_startup.py)."""
    spec = find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the plotly package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data"


class PlotlyFinder(BaseFinder):
    """`vendor/plotly.min.js`, straight from the installed plotly package: no copy in the
    repository, no CDN (the site works offline), hashed and compressed like our files."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(_plotly_folder()))
        self.storage.prefix = PLOTLY_PREFIX  # type: ignore[attr-defined]

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        many = find_all or bool(kwargs.get("all"))
        if path != f"{PLOTLY_PREFIX}/{PLOTLY}":
            return [] if many else None
        found = self.storage.path(PLOTLY)
        return [found] if many else found

    def list(self, ignore_patterns: Any) -> Any:
        yield PLOTLY, self.storage


class HashedStaticStorage(CompressedManifestStaticFilesStorage):
    """Content-hashed names and gzip variants once collectstatic has run; before that
    (a fresh checkout, the tests) the plain name, served from the apps' folders."""

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return str(super().stored_name(name))
        except ValueError:  # not collected yet: no manifest entry and no copy to hash
            return name
