"""Models of the procurement domain: needs, suppliers, competitions and their offers, and
the optimiser's plan runs."""

from coalition.procurement.models.competitions import (
    Competition,
    CompetitionStatus,
    Offer,
    OfferTier,
    Review,
    Supplier,
    TrialOutcome,
    TrialResult,
)
from coalition.procurement.models.needs import Priority, Requirement, RequirementStatus
from coalition.procurement.models.plans import PlanRun, PlanStatus

__all__ = [
    "Competition",
    "CompetitionStatus",
    "Offer",
    "OfferTier",
    "PlanRun",
    "PlanStatus",
    "Priority",
    "Requirement",
    "RequirementStatus",
    "Review",
    "Supplier",
    "TrialOutcome",
    "TrialResult",
]
