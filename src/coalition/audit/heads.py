"""Signed heads: the newest event's seq, hash and signature, kept outside the database (the
witness file, the heads auditors export) so that removing the newest events shows.

A head is JSON: {"seq": 83, "hash": "<64 hex>", "signature": "<128 hex>", "public_key":
"<base64>"}. The public key in it is a convenience: a head is checked with the auditor's
own copy of the key (`coalition audit public-key`), since anyone can sign with another."""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from coalition.audit.errors import HeadInvalid
from coalition.audit.keys import public_key_text, signature_valid

_HEX = {"hash": re.compile(r"[0-9a-f]{64}"), "signature": re.compile(r"[0-9a-f]{128}")}


@dataclass(frozen=True)
class SignedHead:
    seq: int
    hash: str
    signature: str

    def to_json(self, public_key: Ed25519PublicKey | None) -> str:
        data: dict[str, object] = {"seq": self.seq, "hash": self.hash, "signature": self.signature}
        if public_key is not None:
            data["public_key"] = public_key_text(public_key)
        return json.dumps(data) + "\n"


def head_parse(text: str, source: str) -> SignedHead:
    try:
        data = json.loads(text)
    except ValueError:
        raise HeadInvalid(f"{source}: not JSON") from None
    if not isinstance(data, dict):
        raise HeadInvalid(f"{source}: not a JSON object with seq, hash and signature")
    seq = data.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise HeadInvalid(f"{source}: seq must be a whole number from 1")
    for field, pattern in _HEX.items():
        value = data.get(field)
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise HeadInvalid(f"{source}: {field} must be lower-case hex")
    return SignedHead(seq=seq, hash=data["hash"], signature=data["signature"])


def head_read(path: Path) -> SignedHead:
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as error:
        raise HeadInvalid(f"{path}: {getattr(error, 'strerror', None) or error}") from None
    return head_parse(text, str(path))


def head_signature_problem(head: SignedHead, key: Ed25519PublicKey, source: str) -> str | None:
    """The check that needs the public key alone: was this head signed with its key?"""
    if signature_valid(key, seq=head.seq, digest=head.hash, signature=head.signature):
        return None
    return f"{source}: the signature of head #{head.seq} does not verify with the public key"
