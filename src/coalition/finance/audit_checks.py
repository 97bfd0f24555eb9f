"""The money against the audit log, for `coalition audit verify`: every ledger transaction
is the one an event posted (the events carry the digests of what they posted), every
balance is the sum of its postings, every contribution step is the one its latest event
recorded. Reads only; each function returns the problems it finds, named."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import F, Sum

from coalition.finance.ledger.core import DIGEST_MODULUS, content_digest
from coalition.finance.models import AccountBalance, ContributionStep, LedgerTransaction, Posting
from coalition.finance.money import from_minor

CHUNK = 20_000
Entry = tuple[int, dict[str, Any]]  # (event seq, the event's "ledger" summary)


def _stored_digests() -> dict[str, int]:
    """Each stored transaction's digest, from its postings as the database holds them."""
    postings: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    days: dict[str, Any] = {}
    rows = Posting.objects.order_by("transaction_id").values_list(
        "transaction__idempotency_key",
        "transaction__date",
        "account__key",
        "currency",
        "amount_minor",
    )
    for key, day, account, currency, minor in rows.iterator(chunk_size=CHUNK):
        postings[key].append((account, currency, minor))
        days[key] = day
    for key, day in LedgerTransaction.objects.values_list("idempotency_key", "date"):
        days.setdefault(key, day)  # a transaction whose postings were all deleted
    return {key: content_digest(key, day, postings.get(key, [])) for key, day in days.items()}


def ledger_check(entries: Sequence[Entry]) -> list[str]:
    """The transactions each event lists hold what it posted; all of them together are
    exactly what the events posted, no more, no less."""
    stored = _stored_digests()
    problems = []
    for seq, summary in entries:
        keys = summary.get("keys")
        if keys is None:
            continue
        missing = [k for k in keys if k not in stored]
        if missing:
            problems.append(f"ledger transaction {missing[0]} (event #{seq}) was removed")
        elif sum(stored[k] for k in keys) % DIGEST_MODULUS != int(summary["digest"], 16):
            problems.append(
                f"a posting of ledger transaction {', '.join(keys)} (event #{seq}) was altered"
            )
    logged = sum(int(s["digest"], 16) for _, s in entries) % DIGEST_MODULUS
    count = sum(int(s["transactions"]) for _, s in entries)
    if not problems and (count, logged) != (len(stored), sum(stored.values()) % DIGEST_MODULUS):
        problems.append(
            f"the ledger holds {len(stored)} transactions and the audit log posted {count}: "
            "postings were added, altered or removed behind the platform's back"
        )
    return problems


def balances_check() -> list[str]:
    """Each kept balance is the sum of its account's postings in its currency, and each
    posting is dated like its transaction."""
    sums = {
        (a, c): total
        for a, c, total in Posting.objects.values_list("account_id", "currency")
        .annotate(total=Sum("amount_minor"))
        .values_list("account_id", "currency", "total")
    }
    problems = []
    for account_id, key, currency, balance in AccountBalance.objects.values_list(
        "account_id", "account__key", "currency", "balance_minor"
    ):
        total = sums.get((account_id, currency), 0)
        if balance != total:
            problems.append(
                f"the balance of {key} is {from_minor(balance, currency)} {currency}, its "
                f"postings sum to {from_minor(total, currency)}"
            )
    moved = Posting.objects.exclude(date=F("transaction__date")).values_list("id", flat=True)
    problems += [f"posting {pk} is not dated like its transaction" for pk in moved[:5]]
    return problems


def steps_check(lines: Iterable[tuple[int, str, list[Any]]]) -> list[str]:
    """Each contribution step is what the latest event about it recorded; `lines`: (event
    seq, coalition slug, [reference, status, date, amount, currency, what])."""
    expected: dict[tuple[str, str, str], tuple[int, list[Any]]] = {}
    for seq, slug, line in lines:
        if line[1] != "note":
            expected[(slug, str(line[0]), str(line[1]))] = (seq, line)
    stored = {
        (slug, ref, status): (str(day), str(from_minor(minor, currency)), currency)
        for slug, ref, status, day, minor, currency in ContributionStep.objects.values_list(
            "contribution__coalition__slug",
            "contribution__reference",
            "status",
            "date",
            "amount_minor",
            "currency",
        )
    }
    problems = []
    for slot, (seq, line) in sorted(expected.items()):
        found = stored.pop(slot, None)
        recorded = (str(line[2]), str(line[3]), str(line[4]))
        if found is None:
            problems.append(f"contribution {slot[1]} {slot[2]} (event #{seq}) was removed")
        elif found != recorded:
            problems.append(f"contribution {slot[1]} {slot[2]} (event #{seq}) was altered")
    problems += [f"contribution {ref} {status} has no audit event" for _, ref, status in stored]
    return problems
