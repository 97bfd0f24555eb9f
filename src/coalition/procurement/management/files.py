"""What the procurement import commands share with `coalition pledges import`: the
coalition by default, the file read as a stream, and a refusal as exit code 2 with each
row's error on stderr (docs/CONTRACT.md)."""

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from django.core.management.base import CommandError

from coalition.errors import DomainError
from coalition.governance.models import Coalition
from coalition.governance.selectors import coalition_get

DEFAULT = "drone-coalition"

T = TypeVar("T")


def coalition_of(slug: str | None) -> Coalition:
    """The coalition named, or the only one, or the drone coalition."""
    if slug:
        return coalition_get(slug=slug)
    only = list(Coalition.objects.all()[:2])
    if len(only) == 1:
        return only[0]
    return coalition_get(slug=DEFAULT)


def file_import(file: str, run: Callable[[BinaryIO, str], T]) -> T:
    """`run(stream, name)` on the file opened for reading; a file that cannot be opened
    or that a rule of the domain refuses exits 2 with the message (every error's file,
    row and column; nothing was written)."""
    path = Path(file)
    try:
        stream = path.open("rb")  # read as a stream, within the import limits
    except OSError as error:
        raise CommandError(f"{file}: {error.strerror}", returncode=2) from error
    try:
        with stream:
            return run(stream, path.name)
    except DomainError as error:
        raise CommandError(error.message, returncode=2) from error
