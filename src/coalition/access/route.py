"""A row of the access matrix (matrix.py): a route, the policy action that decides it, and
the context and body its requests carry, built from the samples (the demo's objects)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coalition.access.actor import Actor

# What the policy is asked, and what is sent: from the samples (the demo's objects) and
# the actor (a delegation sends a pledge of its own country).
Context = Callable[[dict[str, Any], Actor], dict[str, Any]]
Body = Callable[[dict[str, Any], Actor], dict[str, Any]]


def none(samples: dict[str, Any], actor: Actor) -> dict[str, Any]:
    return {}


def coalition(samples: dict[str, Any], actor: Actor) -> dict[str, Any]:
    return {"coalition": samples["coalition"]}


def with_(**extra: Callable[[dict[str, Any], Actor], Any]) -> Context:
    def context(samples: dict[str, Any], actor: Actor) -> dict[str, Any]:
        values = {k: v(samples, actor) for k, v in extra.items()}
        return {"coalition": samples["coalition"], **values}

    return context


def fixed(body: dict[str, Any]) -> Body:
    return lambda samples, actor: body


@dataclass(frozen=True)
class Route:
    surface: str  # "api" or "page"
    method: str
    path: str  # with {placeholders} from the samples
    name: str  # the URL name, for the check that every route has a row
    action: str
    context: Context = none
    body: Body | None = None
    upload: bool = False  # the body is a file (multipart): a pledge file unless `extra` names one
    denied: int | None = None  # the status of a refusal, when not the policy's 403/404
    first: str | None = None  # an action asked before `action` (seeing the object at all)
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def url(self, samples: dict[str, Any]) -> str:
        return self.path.format(**samples)


SLUG = "/coalitions/{slug}"
API = "/api/v1"
