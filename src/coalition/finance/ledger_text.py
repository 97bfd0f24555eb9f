"""What a ledger transaction is, in words people read: the contribution's reference and
step, the order, the payment. The transaction's key stays in exports and the API only."""

from django.utils.translation import gettext as _

from coalition.finance.models import LedgerTransaction, Status

REVERSAL = "~reversal"


def kind_label(kind: str) -> str:
    labels = {
        "pledged": _("pledge"),
        "committed": _("commitment"),
        "disbursed": _("disbursement"),
        "obligated": _("obligation"),
        "paid": _("payment"),
        "released": _("release"),
        "reversal": _("correction"),
    }
    return labels.get(kind, kind)


def _status(value: str) -> str:
    base = value.split("~", 1)[0]
    return str(Status(base).label) if base in Status.values else base


def _from_key(key: str) -> str | None:
    """The description a key's pattern gives (see contributions.step_key, orders and
    payments); None for a key of another shape."""
    parts = key.split(":")
    if len(parts) >= 4 and parts[1] == "contribution":
        reference = ":".join(parts[2:-1])
        return _("Contribution %(reference)s: %(status)s") % {
            "reference": reference,
            "status": _status(parts[-1]),
        }
    if len(parts) >= 4 and parts[0] == "order":
        if parts[-1] == "released":
            return _("Order %(reference)s closed: what was left released") % {"reference": parts[2]}
        return _("Order %(reference)s: money set aside") % {"reference": parts[2]}
    if len(parts) >= 3 and parts[0] == "payment":
        return _("Payment %(reference)s") % {"reference": ":".join(parts[2:])}
    return None


def describe(tx: LedgerTransaction) -> str:
    """A readable description of `tx`: the key's meaning, the memo's detail."""
    key = tx.idempotency_key
    if key.endswith(REVERSAL):
        original = key.removesuffix(REVERSAL)
        said = _from_key(original) or _("an earlier entry")
        return _("Correction of: %(description)s") % {"description": said}
    found = _from_key(key)
    if found is None:
        return tx.memo or kind_label(tx.kind)
    said = found
    detail = tx.memo.split("(", 1)[1].rstrip(")") if "(" in tx.memo else ""
    if tx.kind in {"obligated", "paid", "released"} and detail:
        return f"{said} ({detail})"  # the supplier's name
    return said
