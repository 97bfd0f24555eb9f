"""A TOTP enrolment offer: a new secret, carried signed through the set-up form so that
showing the set-up page writes nothing; its QR code as inline SVG (no image request)."""

from base64 import b32encode
from typing import Any
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.core import signing
from django.utils.translation import gettext as _
from django_otp.util import random_hex

from coalition.accounts.errors import TotpEnrolmentExpired

_SALT = "coalition.accounts.totp-enrolment"
OFFER_MAX_AGE = 15 * 60  # seconds to scan the code and type the first one
ISSUER = "coalition"


def new_offer() -> tuple[str, str]:
    """(hex key, the key signed for the form)."""
    key = random_hex(20)
    return key, signing.dumps(key, salt=_SALT)


def offer_key(signed: str) -> str:
    """The key of a signed offer; refused when forged or older than OFFER_MAX_AGE."""
    try:
        return str(signing.loads(signed, salt=_SALT, max_age=OFFER_MAX_AGE))
    except signing.BadSignature:
        raise TotpEnrolmentExpired(
            _("The set-up form has expired or was altered: scan the new code."), field="offer"
        ) from None


def secret_text(key: str) -> str:
    """The base32 secret an authenticator app takes when typed in, in groups of four."""
    text = b32encode(bytes.fromhex(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(user: Any, key: str) -> str:
    label = quote(f"{ISSUER}:{user.get_username()}")
    query = urlencode({"secret": secret_text(key).replace(" ", ""), "issuer": ISSUER})
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str) -> str:
    """The QR code as an inline <svg> element (a path, no script, no style)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    text: str = image.to_string(encoding="unicode")
    return text
