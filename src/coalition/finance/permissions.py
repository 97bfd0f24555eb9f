"""Who may read and write the coalition's money. Admins (superusers) may do anything;
auditors read everything; a member's delegation reads, and enters contributions for its
own country only; the fund manager's delegation spends from the common fund, a member's
delegation from its own programmes. Services check; views and the API only ask."""

from datetime import date

from django.utils import timezone

from coalition.audit.services import Actor
from coalition.finance.errors import NotAllowed
from coalition.finance.models import Channel, Fund
from coalition.governance.models import Coalition, DelegateKind, Role
from coalition.governance.selectors import delegate_of, is_member_on, role_holder_on


def is_admin(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_superuser", False))


def is_system(actor: Actor) -> bool:
    """Commands and loaders act as a named system actor (a string), not as a user."""
    return isinstance(actor, str)


def can_read(user: object, coalition: Coalition) -> bool:
    """The ledger, contributions and their notes: admins, auditors, members' delegations."""
    if is_admin(user):
        return True
    delegate = delegate_of(user)
    if delegate is None:
        return False
    if delegate.kind == DelegateKind.AUDITOR:
        return True
    return delegate.country_id is not None and is_member_on(
        coalition=coalition, country_code=delegate.country_id, on=timezone.localdate()
    )


def entry_scope(actor: Actor, coalition: Coalition) -> str | None:
    """The one donor country `actor` may enter contributions for; None: any country.
    NotAllowed when the actor may enter none."""
    if is_system(actor) or is_admin(actor):
        return None
    delegate = delegate_of(actor)
    if delegate is None or delegate.kind != DelegateKind.DELEGATE or not delegate.country_id:
        raise NotAllowed("only a member's delegation or an admin may enter contributions")
    if not is_member_on(
        coalition=coalition, country_code=delegate.country_id, on=timezone.localdate()
    ):
        raise NotAllowed(f"{delegate.country_id} is not a member of {coalition.slug}")
    return delegate.country_id


def can_enter(user: object, coalition: Coalition, country: str | None = None) -> bool:
    try:
        scope = entry_scope(user, coalition)  # type: ignore[arg-type]
    except NotAllowed:
        return False
    return scope is None or country is None or scope == country


def fund_holder(fund: Fund, on: date) -> str | None:
    """The country that spends from the fund on `on`: the fund manager of the day for the
    common fund, the programme's country otherwise."""
    if fund.channel == Channel.COMMON_FUND:
        return role_holder_on(coalition=fund.coalition, role=Role.FUND_MANAGER, on=on)
    return fund.country_id


def check_spender(actor: Actor, fund: Fund, on: date) -> None:
    if is_system(actor) or is_admin(actor):
        return
    delegate = delegate_of(actor)
    holder = fund_holder(fund, on)
    if (
        delegate is None
        or delegate.kind != DelegateKind.DELEGATE
        or holder is None
        or delegate.country_id != holder
    ):
        raise NotAllowed(f"only the delegation of {holder or 'the fund holder'} spends from {fund}")
