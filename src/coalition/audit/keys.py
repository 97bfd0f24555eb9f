"""The chain's Ed25519 key. The private key never enters the database: it comes from the
setting AUDIT_SIGNING_KEY (the environment) or from a file generated once, mode 0600, at
AUDIT_SIGNING_KEY_FILE; so whoever can write the tables cannot sign what they change.

Keys as text: base64 of the 32 raw bytes (what `coalition audit public-key` prints), or PEM
(what `openssl genpkey -algorithm ed25519` writes)."""

import base64
import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from coalition.audit.chain import signed_message
from coalition.audit.errors import KeyInvalid

K = TypeVar("K", Ed25519PrivateKey, Ed25519PublicKey)

# Parsed keys by their setting and source: audit_record signs inside every write.
_parsed: dict[tuple[str, str], Ed25519PrivateKey] = {}


def signing_key() -> Ed25519PrivateKey:
    """The configured key; without AUDIT_SIGNING_KEY the key file, generated when missing."""
    key = _private_key(create=True)
    if key is None:  # pragma: no cover - create=True always gives one
        raise KeyInvalid("no audit signing key")
    return key


def _private_key(*, create: bool) -> Ed25519PrivateKey | None:
    setting = settings.AUDIT_SIGNING_KEY
    source = "AUDIT_SIGNING_KEY" if setting else str(settings.AUDIT_SIGNING_KEY_FILE)
    if (setting, source) in _parsed:
        return _parsed[(setting, source)]
    text = setting
    if not text:
        path = Path(source)
        try:
            text = path.read_text()
        except FileNotFoundError:
            if not create:
                return None
            text = _generate(path)
    _parsed[(setting, source)] = _parse(
        text, source, "private", _private_pem, Ed25519PrivateKey.from_private_bytes
    )
    return _parsed[(setting, source)]


def configured_public_key() -> Ed25519PublicKey | None:
    """The public half of the configured key; None where there is none (never generated)."""
    try:
        key = _private_key(create=False)
    except OSError as error:
        raise KeyInvalid(f"{error.filename}: {error.strerror}") from None
    return key.public_key() if key else None


def sign(key: Ed25519PrivateKey, *, seq: int, digest: str) -> str:
    return key.sign(signed_message(seq=seq, digest=digest)).hex()


def signature_valid(key: Ed25519PublicKey, *, seq: int, digest: str, signature: str) -> bool:
    try:
        key.verify(bytes.fromhex(signature), signed_message(seq=seq, digest=digest))
    except (InvalidSignature, ValueError):
        return False
    return True


def public_key_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def public_key_parse(text: str, source: str) -> Ed25519PublicKey:
    return _parse(text, source, "public", _public_pem, Ed25519PublicKey.from_public_bytes)


def _private_pem(data: bytes) -> Ed25519PrivateKey | None:
    key = serialization.load_pem_private_key(data, password=None)
    return key if isinstance(key, Ed25519PrivateKey) else None


def _public_pem(data: bytes) -> Ed25519PublicKey | None:
    key = serialization.load_pem_public_key(data)
    return key if isinstance(key, Ed25519PublicKey) else None


def _parse(
    text: str,
    source: str,
    half: str,
    from_pem: Callable[[bytes], K | None],
    from_raw: Callable[[bytes], K],
) -> K:
    text, what = text.strip(), f"an Ed25519 {half} key"
    key: K | None
    try:
        if text.startswith("-----BEGIN"):
            key = from_pem(text.encode())
        else:
            key = from_raw(base64.b64decode(text, validate=True))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        key = None
    if key is None:
        raise KeyInvalid(f"{source}: not {what} (base64 of its 32 bytes, or PEM)")
    return key


def _generate(path: Path) -> str:
    """Write a new key to `path` at once and readable by its owner only; when another
    process got there first, theirs is the key."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(pem)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another process's key is the key
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return path.read_text()
