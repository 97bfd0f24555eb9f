"""The password hasher: argon2id with parameters sized for a shared two-core server."""

from django.contrib.auth.hashers import Argon2PasswordHasher as _DjangoArgon2


class Argon2PasswordHasher(_DjangoArgon2):
    """RFC 9106's second recommended option with one lane: 64 MiB, 3 passes.

    Django's defaults (100 MiB, 2 passes, 8 lanes) spend about 0.15 s of CPU spread over
    eight threads; one lane keeps each attempt on one core, so concurrent logins cannot
    take both cores of a small server, at about 0.11 s of CPU each (README, "Deployment
    security settings"). The algorithm name stays "argon2": hashes made with other
    parameters still verify, and are re-hashed with these at the next login.
    """

    time_cost = 3
    memory_cost = 65536  # KiB
    parallelism = 1
