"""Ledger writes as use cases, each with its audit event: one transaction, a batch (one
event for the whole batch, so bulk posting stays fast), a reversal."""

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.finance.ledger import core, store
from coalition.finance.models import LedgerTransaction


@transaction.atomic
def ledger_post(*, actor: Actor, tx: core.Transaction) -> LedgerTransaction:
    """Post one transaction; replaying its key returns the stored one, changing nothing."""
    require(actor, "ledger.post")
    result = store.post_many([tx])
    if result.created:
        audit_record(
            actor=actor,
            action="ledger.posted",
            object_type="ledger-transaction",
            object_id=tx.key,
            changes={
                "date": tx.date,
                "kind": tx.kind,
                "postings": [[p.account, p.currency, p.amount] for p in tx.postings],
                "ledger": result.ledger,
            },
        )
    return LedgerTransaction.objects.get(id=result.ids[tx.key])


@transaction.atomic
def ledger_post_many(
    *, actor: Actor, txs: Sequence[core.Transaction], label: str = "batch"
) -> store.PostResult:
    """Post a batch, all or nothing, with the same checks as one by one (balance per
    currency, idempotency keys, floors); one audit event names the batch by the sum of
    its transactions' digests (core.ledger_summary), so it stays small at any size."""
    require(actor, "ledger.post")
    result = store.post_many(txs)
    if result.created:
        audit_record(
            actor=actor,
            action="ledger.batch_posted",
            object_type="ledger-batch",
            object_id=label[:100],
            changes={
                "created": len(result.created),
                "replayed": len(result.replayed),
                "first": result.created[0],
                "last": result.created[-1],
                "ledger": result.ledger,
            },
        )
    return result


@transaction.atomic
def ledger_reverse(
    *, actor: Actor, key: str, reversal_key: str | None = None, on: date | None = None
) -> LedgerTransaction:
    """Undo a transaction by its reversal (postings are never changed)."""
    require(actor, "ledger.post")
    reversal = core.reversal(
        store.stored_transaction(key), key=reversal_key or f"{key}~reversal", on=on
    )
    result = store.post_many([reversal])
    if result.created:
        audit_record(
            actor=actor,
            action="ledger.reversed",
            object_type="ledger-transaction",
            object_id=key,
            changes={"reversal": reversal.key, "date": reversal.date, "ledger": result.ledger},
        )
    return LedgerTransaction.objects.get(id=result.ids[reversal.key])
