"""The principal every service and selector receives: a user with its delegation, or a
named system actor (the command line, the task worker, the demo loader) that holds only
the actions it is explicitly granted."""

from dataclasses import dataclass, field
from typing import Any

ANONYMOUS_NAME = "anonymous"


@dataclass(frozen=True)
class Actor:
    """`kind`: anonymous, delegate (speaks for `country`), beneficiary (a user of the
    beneficiary's delegation), auditor, admin (a superuser without a delegation) or
    system. A superuser with a delegation keeps its kind and `is_admin`."""

    name: str
    kind: str = "anonymous"
    user_id: int | None = None
    country: str | None = None
    is_admin: bool = False
    grants: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.kind != "anonymous"

    @property
    def is_system(self) -> bool:
        return self.kind == "system"

    @property
    def is_auditor(self) -> bool:
        return self.kind == "auditor"

    @property
    def speaks_for(self) -> str | None:
        """The country this actor votes, applies and pledges for: delegates only."""
        return self.country if self.kind == "delegate" else None

    def __str__(self) -> str:
        return self.name

    @classmethod
    def system(cls, name: str, *, grants: frozenset[str] | set[str]) -> "Actor":
        return cls(name=name, kind="system", grants=frozenset(grants))

    @classmethod
    def of(cls, user: Any) -> "Actor":
        """The actor of a Django user (anonymous when not logged in or inactive)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return ANONYMOUS
        if not getattr(user, "is_active", True):
            return ANONYMOUS
        from coalition.governance.models import Delegate

        delegate = Delegate.objects.filter(user_id=user.pk).values_list("kind", "country_id")
        found = delegate.first()
        admin = bool(user.is_superuser)
        kind, country = found if found else ("admin" if admin else "user", None)
        return cls(
            name=user.get_username(), kind=kind, user_id=user.pk, country=country, is_admin=admin
        )


ANONYMOUS = Actor(name=ANONYMOUS_NAME)


def actor_of(request: Any) -> Actor:
    """The actor of a web or API request, computed once per request and user."""
    user = getattr(request, "user", None)
    cached: tuple[object, Actor] | None = getattr(request, "_coalition_actor", None)
    key = getattr(user, "pk", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    actor = Actor.of(user)
    request._coalition_actor = (key, actor)
    return actor
