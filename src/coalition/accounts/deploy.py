"""The deployment security settings read from the environment (pure: no Django import,
settings.py calls it). One switch, COALITION_TLS, turns the TLS-only ones on; plain http
on localhost (`make run`) would lose its cookies with them."""

from collections.abc import Mapping
from typing import Any

_TRUE = {"1", "true", "yes", "on"}


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name)
    return default if value is None else value.strip().lower() in _TRUE


def tls_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """Cookie flags, HSTS, the https redirect and the proxy's https header."""
    tls = _flag(env, "COALITION_TLS", False)
    proxy_header = env.get("COALITION_PROXY_SSL_HEADER", "X-Forwarded-Proto").strip()
    meta = "HTTP_" + proxy_header.upper().replace("-", "_")
    return {
        "COALITION_TLS": tls,
        "SESSION_COOKIE_SECURE": tls,
        "CSRF_COOKIE_SECURE": tls,
        "SECURE_SSL_REDIRECT": tls and _flag(env, "SECURE_SSL_REDIRECT", True),
        "SECURE_HSTS_SECONDS": int(env.get("SECURE_HSTS_SECONDS", "31536000")) if tls else 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": tls
        and _flag(env, "SECURE_HSTS_INCLUDE_SUBDOMAINS", True),
        "SECURE_HSTS_PRELOAD": tls and _flag(env, "SECURE_HSTS_PRELOAD", False),
        # Only behind a proxy that sets (or strips) this header itself: anyone else could
        # claim https with it.
        "SECURE_PROXY_SSL_HEADER": (meta, "https") if tls and proxy_header else None,
    }


def _limit(env: Mapping[str, str], name: str, default: int) -> int:
    """A count of failures, at least 1 (0 would lock everyone out at once)."""
    return max(1, int(env.get(name, str(default))))


def lockout_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """django-axes: lock an account, and separately an address, after repeated failures."""
    return {
        "AXES_ENABLED": _flag(env, "LOGIN_LOCKOUT", True),
        "AXES_FAILURE_LIMIT": _limit(env, "LOGIN_FAILURE_LIMIT", 5),
        # Higher: an office behind one NAT address shares it (coalition.accounts.lockout).
        "COALITION_ADDRESS_FAILURE_LIMIT": _limit(env, "LOGIN_ADDRESS_FAILURE_LIMIT", 30),
        "AXES_HANDLER": "coalition.accounts.lockout.LockoutHandler",
        # Hours (axes' unit) from minutes.
        "AXES_COOLOFF_TIME": int(env.get("LOGIN_COOLOFF_MINUTES", "15")) / 60,
        # Two separate counters: one per username, one per client address.
        "AXES_LOCKOUT_PARAMETERS": ["username", "ip_address"],
        # A success does not wipe the failures: one known password must not reset the address.
        "AXES_RESET_ON_SUCCESS": False,
        "AXES_HTTP_RESPONSE_CODE": 429,
        "AXES_LOCKOUT_CALLABLE": "coalition.accounts.lockout.locked_out",
        "AXES_CLIENT_IP_CALLABLE": "coalition.accounts.lockout.client_ip",
        "COALITION_CLIENT_IP_HEADER": env.get("COALITION_CLIENT_IP_HEADER", "").strip(),
        "AXES_VERBOSE": False,
    }
