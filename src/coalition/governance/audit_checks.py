"""Votes and users against the audit log, for `coalition audit verify`: each vote is the
one its event recorded, and each user's rights (superuser, staff, active, groups,
permissions) are the ones its latest event left. Reads only."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model

from coalition.audit.chain import canonical_changes
from coalition.governance.models import Vote
from coalition.governance.services.users import user_state

Entry = tuple[int, dict[str, Any]]  # (event seq, the event's changes)
VOTE_FIELDS = ("country", "choice", "comment", "cast")


def votes_check(events: Iterable[Entry]) -> list[str]:
    recorded = {int(changes["vote"]): (seq, changes) for seq, changes in events}
    problems = []
    for vote in Vote.objects.order_by("id"):
        entry = recorded.pop(vote.pk, None)
        if entry is None:
            problems.append(f"vote {vote.pk} ({vote.country_id}) has no audit event")
            continue
        seq, changes = entry
        stored = canonical_changes(
            {
                "country": vote.country_id,
                "choice": vote.vote,
                "comment": vote.comment,
                "cast": vote.cast,
            }
        )
        if any(stored[name] != changes.get(name) for name in VOTE_FIELDS):
            problems.append(f"vote {vote.pk} ({vote.country_id}, event #{seq}) was altered")
    problems += [
        f"vote {pk} (event #{seq}) was removed" for pk, (seq, _) in sorted(recorded.items())
    ]
    return problems


def users_check(events: Iterable[tuple[int, str, str, dict[str, Any]]]) -> list[str]:
    """`events`: (seq, action, username, changes) of user.created, user.changed and
    user.deleted, in chain order; the last one of each user is what must hold."""
    latest: dict[str, tuple[int, str, dict[str, Any]]] = {}
    for seq, action, username, changes in events:
        latest[username] = (seq, action, changes)
    problems = []
    for user in get_user_model().objects.order_by("username"):
        name = user.get_username()
        entry = latest.pop(name, None)
        if entry is None or entry[1] == "user.deleted":
            problems.append(f"user {name} has no audit event: created behind the platform's back")
            continue
        seq, _, changes = entry
        state = user_state(user)
        if any(changes.get(key) != value for key, value in state.items()):
            problems.append(f"the rights of user {name} differ from event #{seq}")
    problems += [
        f"user {name} (event #{seq}) was removed"
        for name, (seq, action, _) in sorted(latest.items())
        if action != "user.deleted"
    ]
    return problems
