"""After a write every reader misses the cache at once: one thread of the process builds
the value while the others asking for the same key wait for it (coalition.api_cache)."""

import threading

import pytest
from django.core.cache import cache

from coalition.api_cache import built_once

KEY = "built-once-test"


@pytest.fixture(autouse=True)
def _empty() -> None:
    cache.delete(KEY)


def _run(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_many_threads_missing_at_once_build_once() -> None:
    entered, release = threading.Event(), threading.Event()
    builds: list[int] = []
    got: list[str] = []

    def build() -> str:
        builds.append(1)
        entered.set()
        release.wait()
        return "body"

    first = threading.Thread(target=lambda: got.append(built_once(KEY, build)))
    first.start()
    entered.wait()  # the first is building: the others find it so, or find its value
    others = [threading.Thread(target=lambda: got.append(built_once(KEY, build))) for _ in range(8)]
    for thread in others:
        thread.start()
    release.set()
    first.join()
    for thread in others:
        thread.join()
    assert builds == [1]
    assert got == ["body"] * 9
    assert cache.get(KEY) == "body"


def test_when_the_builder_fails_the_others_build_for_themselves() -> None:
    entered, release = threading.Event(), threading.Event()
    failures: list[Exception] = []
    got: list[str] = []

    def failing() -> str:
        entered.set()
        release.wait()
        raise RuntimeError("the database went away")

    def first() -> None:
        try:
            built_once(KEY, failing)
        except RuntimeError as error:
            failures.append(error)

    builder = threading.Thread(target=first)
    builder.start()
    entered.wait()
    others = [threading.Thread(target=lambda: got.append(built_once(KEY, lambda: "body")))]
    others[0].start()
    release.set()
    builder.join()
    others[0].join()
    assert [str(e) for e in failures] == ["the database went away"]
    assert got == ["body"]


def test_a_value_not_to_keep_is_returned_and_not_kept() -> None:
    assert built_once(KEY, lambda: "download", keep=lambda _v: False) == "download"
    assert cache.get(KEY) is None
    assert built_once(KEY, lambda: "page") == "page"
    assert built_once(KEY, lambda: "not built again") == "page"
