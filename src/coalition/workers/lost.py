"""What a domain does when the worker running one of its tasks died: each task that
tracks its work on a domain object (a plan run, a delivery batch) registers a handler, so
that the object follows its task (queued again, or failed with the reason), instead of
staying `running` for ever. The handler runs inside the recovery's transaction and
records the audit event; it returns False when its object was not running (nothing
changed: the task's own event is recorded instead)."""

from collections.abc import Callable
from typing import Any, Protocol

from coalition.access.actor import Actor


class LostHandler(Protocol):
    def __call__(
        self, *, actor: Actor, args: list[Any], kwargs: dict[str, Any], retry: bool, reason: str
    ) -> bool: ...


_HANDLERS: dict[str, LostHandler] = {}


def on_lost(task: Any) -> Callable[[LostHandler], LostHandler]:
    """Register the handler of `task` (a django-tasks Task), keyed by its import path, as
    the queue's rows name it."""

    def register(handler: LostHandler) -> LostHandler:
        _HANDLERS[task.module_path] = handler
        return handler

    return register


def handler_for(task_path: str) -> LostHandler | None:
    return _HANDLERS.get(task_path)
