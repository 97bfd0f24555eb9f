"""Errors of the procurement domain; the API and the views map their families to HTTP."""

from coalition.errors import Conflict, InvalidInput, NotFound


class ScenarioInvalid(InvalidInput):
    """A scenario that breaks scenario.schema.json; `errors` name every JSON path."""

    code = "scenario.invalid"

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors), field="scenario")
        self.errors = errors


class PlanRunNotFound(NotFound):
    code = "plan.not_found"


class PlanCoalitionRequired(InvalidInput):
    code = "plan.coalition_required"


class RequirementNotFound(NotFound):
    code = "requirement.not_found"


class CompetitionNotFound(NotFound):
    code = "competition.not_found"


class OfferNotFound(NotFound):
    code = "offer.not_found"


class SupplierNotFound(NotFound):
    code = "supplier.not_found"


class OrderNotFound(NotFound):
    code = "order.not_found"


class DuplicateReference(Conflict):
    """A reference already used in the coalition (or the competition)."""

    code = "reference.taken"


class CompetitionInvalid(InvalidInput):
    code = "competition.invalid"


class CompetitionState(Conflict):
    """The competition's status does not allow this (offers after the deadline, a
    second closing, a plan from a competition still open)."""

    code = "competition.state"


class OfferInvalid(InvalidInput):
    code = "offer.invalid"


class ReviewInvalid(InvalidInput):
    code = "review.invalid"


class TrialInvalid(InvalidInput):
    code = "trial.invalid"


class PlanNotApprovable(Conflict):
    """A plan that cannot become orders: not built from the database, not done, already
    approved, or no longer within the funds' balances (the message says what changed)."""

    code = "plan.not_approvable"


class OrderInvalid(InvalidInput):
    code = "order.invalid"


class OrderState(Conflict):
    code = "order.state"


class DeliveryBatchNotFound(NotFound):
    code = "delivery_batch.not_found"


class InspectionInvalid(InvalidInput):
    """An inspection that names no items, unknown items, or lacks (or wrongly has) a
    reason."""

    code = "inspection.invalid"


class ItemDecided(Conflict):
    """An item already accepted or rejected: a decision is never made twice."""

    code = "inspection.decided"


class PaymentInvalid(InvalidInput):
    code = "payment.invalid"


class PaymentRefused(Conflict):
    """A payment the order cannot take now: before any acceptance
    (payment.before_acceptance) or beyond accepted x unit price (payment.exceeds_accepted)."""

    code = "payment.refused"


class PaymentReferenceTaken(Conflict):
    """The reference of another payment (or of the same one with other figures)."""

    code = "payment.reference_taken"
