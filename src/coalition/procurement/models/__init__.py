"""Models of the procurement domain: needs, suppliers, competitions and their offers, and
the optimiser's plan runs."""

from coalition.procurement.models.competitions import (
    Competition,
    CompetitionStatus,
    Offer,
    OfferTier,
    Participation,
    Review,
    Supplier,
    TrialOutcome,
    TrialResult,
)
from coalition.procurement.models.deliveries import (
    BatchStatus,
    DeliveredItem,
    DeliveryBatch,
    Inspection,
    ItemStatus,
    Payment,
    RejectionReason,
    Verdict,
)
from coalition.procurement.models.needs import Priority, Requirement, RequirementStatus
from coalition.procurement.models.orders import (
    Order,
    OrderFunding,
    OrderLine,
    OrderRevision,
    OrderStatus,
)
from coalition.procurement.models.plans import PlanRun, PlanSource, PlanStatus

__all__ = [
    "BatchStatus",
    "Competition",
    "CompetitionStatus",
    "DeliveredItem",
    "DeliveryBatch",
    "Inspection",
    "ItemStatus",
    "Offer",
    "OfferTier",
    "Order",
    "OrderFunding",
    "OrderLine",
    "OrderRevision",
    "OrderStatus",
    "Participation",
    "Payment",
    "PlanRun",
    "PlanSource",
    "PlanStatus",
    "Priority",
    "RejectionReason",
    "Requirement",
    "RequirementStatus",
    "Review",
    "Supplier",
    "TrialOutcome",
    "TrialResult",
    "Verdict",
]
