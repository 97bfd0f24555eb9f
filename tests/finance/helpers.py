"""Helpers of the finance tests."""

from coalition.audit.models import AuditEvent
from coalition.finance.models import (
    AccountBalance,
    AccountYear,
    Contribution,
    ContributionStep,
    LedgerTransaction,
    Posting,
)


def counts() -> dict[str, int]:
    """Rows of every table an import writes to (and the audit log)."""
    return {
        "contributions": Contribution.objects.count(),
        "steps": ContributionStep.objects.count(),
        "transactions": LedgerTransaction.objects.count(),
        "postings": Posting.objects.count(),
        "balances": AccountBalance.objects.count(),
        "years": AccountYear.objects.count(),
        "audit": AuditEvent.objects.count(),
    }
