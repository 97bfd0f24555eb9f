# ruff: noqa: E501  (a table of one-line rows reads best unwrapped)
"""The purchase's rows of the access matrix (matrix.py): requirements, suppliers, test
results, competitions, offers, reviews, programmes joining, plans built from the database,
their approval, orders. The samples name an open competition, a closed one whose plan is
built and not yet approved, a signed order and a delivered one
(tests/test_access_matrix.py makes them)."""

from typing import Any

from coalition.access.actor import Actor
from coalition.access.route import API, SLUG, Route, coalition, fixed, with_

COMPETITION = f"{API}{SLUG}/competitions/{{open_competition}}"
ORDER = f"{API}{SLUG}/orders/{{order}}"
DELIVERED = f"{API}{SLUG}/orders/{{delivered_order}}"
_PROGRAMME = with_(holder=lambda s, a: s["programme_holder"])


def _requirement(samples: dict[str, Any], actor: Actor) -> dict[str, Any]:
    return {
        "reference": "MATRIX-R",
        "category": "fpv",
        "quantity": 5,
        "weight": "1",
        "needed_by": samples["later"],
    }


def _competition(samples: dict[str, Any], actor: Actor) -> dict[str, Any]:
    return {
        "reference": "MATRIX-C",
        "category": "fpv",
        "budget": "1000",
        "currency": "EUR",
        "bid_deadline": samples["later"],
    }


def _trial(samples: dict[str, Any], actor: Actor) -> dict[str, Any]:
    return {
        "supplier": samples["supplier"],
        "category": "tactical-recon",
        "outcome": "passed",
        "date": samples["today"],
        "site": "Yavoriv",
    }


def _join(samples: dict[str, Any], actor: Actor) -> dict[str, Any]:
    return {"fund": samples["programme_id"]}


def _build(samples: dict[str, Any], actor: Actor) -> dict[str, Any]:
    return {"competitions": [samples["closed_competition"]], "time_limit": 10}


_OFFER = {
    "offer": "MATRIX-O",
    "supplier": "Matrix Air",
    "supplier_country": "PL",
    "origin": "PL",
    "currency": "EUR",
    "capacity_per_30_days": 10,
    "lead_time_days": 10,
    "tiers": [{"min_quantity": 1, "unit_price": "100"}],
}
NEEDS_FILE = (
    "needs.csv",
    "reference,category,quantity,weight,needed_by\nMATRIX-F,fpv,3,1,2099-01-01\n",
)


class _KnownManifest:
    """The manifest the matrix uploads, written when it is sent: an item already delivered
    (of a signed order), as it was delivered, so that an allowed role's import succeeds and
    changes nothing."""

    def encode(self) -> bytes:
        from coalition.procurement.models import DeliveredItem

        item = (
            DeliveredItem.objects.filter(order__status="signed")
            .select_related("order", "replaces")
            .order_by("id")
            .first()
        )
        head = "serial,order,delivered_on,lot,replaces\n"
        if item is None:
            return head.encode()
        replaces = item.replaces.serial if item.replaces else ""
        row = f"{item.serial},{item.order.reference},{item.delivered_on},{item.lot},{replaces}\n"
        return (head + row).encode()


MANIFEST_FILE = ("manifest.csv", _KnownManifest())
OFFERS_FILE = (
    "offers.csv",
    "offer,supplier,supplier_country,origin,category,min_quantity,unit_price,currency,"
    "capacity_per_30_days,lead_time_days,valid_until\n"
    "MATRIX-F,Matrix Air,PL,PL,tactical-recon,1,100,EUR,10,10,\n",
)

PURCHASE_API_ROUTES = [
    Route("api", "GET", f"{API}{SLUG}/requirements", "api-v1:requirements", "procurement.view", coalition),
    Route("api", "POST", f"{API}{SLUG}/requirements", "api-v1:requirement_create", "requirement.enter", coalition, _requirement),
    Route("api", "POST", f"{API}{SLUG}/requirements/import", "api-v1:requirements_import", "requirement.enter", coalition, upload=True, extra={"file": NEEDS_FILE}),
    Route("api", "GET", f"{API}{SLUG}/suppliers", "api-v1:suppliers", "procurement.view", coalition),
    Route("api", "POST", f"{API}{SLUG}/suppliers", "api-v1:supplier_create", "competition.manage", coalition, fixed({"name": "Matrix Air", "country": "PL"})),
    Route("api", "GET", f"{API}{SLUG}/tests", "api-v1:trials", "procurement.view", coalition),
    Route("api", "POST", f"{API}{SLUG}/tests", "api-v1:trial_create", "trial.record", coalition, _trial),
    Route("api", "GET", f"{API}{SLUG}/competitions", "api-v1:competitions", "procurement.view", coalition),
    Route("api", "POST", f"{API}{SLUG}/competitions", "api-v1:competition_create", "competition.manage", coalition, _competition),
    Route("api", "GET", COMPETITION, "api-v1:competition", "procurement.view", coalition),
    Route("api", "POST", f"{COMPETITION}/moves", "api-v1:competition_move", "competition.manage", coalition, fixed({"move": "close"})),
    Route("api", "POST", f"{COMPETITION}/participations", "api-v1:competition_join", "competition.join", _PROGRAMME, _join, note="a programme of LV"),
    Route("api", "GET", f"{COMPETITION}/offers", "api-v1:offers", "procurement.view", coalition),
    Route("api", "POST", f"{COMPETITION}/offers", "api-v1:offer_create", "competition.manage", coalition, fixed(_OFFER)),
    Route("api", "POST", f"{COMPETITION}/offers/import", "api-v1:offers_import", "competition.manage", coalition, upload=True, extra={"file": OFFERS_FILE}),
    Route("api", "POST", f"{COMPETITION}/offers/{{offer}}/reviews", "api-v1:review_create", "offer.review", coalition, fixed({"score": 4})),
    Route("api", "POST", f"{API}{SLUG}/plans", "api-v1:plan_build", "plan.build", coalition, _build),
    Route("api", "POST", f"{API}/plans/{{build_run_id}}/approve", "api-v1:plan_approve", "plan.approve", coalition, fixed({}), first="plan.view"),
    Route("api", "GET", f"{API}{SLUG}/orders", "api-v1:order_list", "procurement.view", coalition),
    Route("api", "GET", ORDER, "api-v1:order_detail", "procurement.view", coalition),
    Route("api", "GET", f"{API}{SLUG}/ocds/releases", "api-v1:ocds_releases", "procurement.view", coalition),
    Route("api", "GET", f"{API}{SLUG}/ocds/records", "api-v1:ocds_records", "procurement.view", coalition),
    Route("api", "GET", f"{API}{SLUG}/reconciliation", "api-v1:reconciliation_get", "procurement.view", coalition),
    Route("api", "POST", f"{ORDER}/amend", "api-v1:order_amend", "order.manage", coalition, fixed({"reason": "Matrix", "quantity": 300})),
    Route("api", "POST", f"{ORDER}/cancel", "api-v1:order_cancel", "order.manage", coalition, fixed({"reason": "Matrix"})),
    Route("api", "POST", f"{DELIVERED}/inspections", "api-v1:inspection_create", "delivery.inspect", coalition, lambda s, a: {"verdict": "accepted", "lot": s["lot"], "date": s["today"]}),
    Route("api", "GET", f"{DELIVERED}/inspections", "api-v1:inspection_list", "procurement.view", coalition),
    Route("api", "POST", f"{DELIVERED}/payments", "api-v1:payment_create", "order.pay", coalition, lambda s, a: {"reference": "MATRIX-P", "amount": "1000.00", "date": s["today"]}),
    Route("api", "GET", f"{DELIVERED}/payments", "api-v1:payment_list", "procurement.view", coalition),
    Route("api", "POST", f"{ORDER}/close", "api-v1:order_close", "order.manage", coalition, fixed({"reason": "Matrix"})),
    Route("api", "POST", f"{API}{SLUG}/deliveries/import", "api-v1:deliveries_import", "delivery.record", coalition, upload=True, extra={"file": MANIFEST_FILE}),
    Route("api", "GET", f"{API}{SLUG}/deliveries/batches/{{delivery_batch}}", "api-v1:delivery_batch", "procurement.view", coalition),
    Route("api", "GET", f"{DELIVERED}/items", "api-v1:order_items", "procurement.view", coalition),
]  # fmt: skip

PURCHASE_PAGE_ROUTES: list[Route] = [
    Route("page", "GET", "/purchases/", "purchases", "page.public", note="to the purchases of the coalition the user may see"),
    Route("page", "GET", f"{SLUG}/requirements/", "requirements", "procurement.view", coalition),
    Route("page", "POST", f"{SLUG}/requirements/", "requirements", "requirement.enter", coalition, lambda s, a: _requirement(s, a) | {"priority": "normal"}),
    Route("page", "POST", f"{SLUG}/requirements/import/", "requirements-import", "requirement.enter", coalition, upload=True, extra={"file": NEEDS_FILE}),
    Route("page", "GET", f"{SLUG}/competitions/", "competitions", "procurement.view", coalition),
    Route("page", "POST", f"{SLUG}/competitions/", "competitions", "competition.manage", coalition, lambda s, a: _competition(s, a) | {"trial_quantity": "0"}),
    Route("page", "GET", f"{SLUG}/competitions/{{open_competition}}/", "competition", "procurement.view", coalition),
    Route("page", "POST", f"{SLUG}/competitions/{{open_competition}}/move/", "competition-move", "competition.manage", coalition, fixed({"move": "close"})),
    Route("page", "POST", f"{SLUG}/competitions/{{open_competition}}/join/", "competition-join", "competition.join", _PROGRAMME, lambda s, a: {"fund": s["programme_id"]}, note="a programme of LV"),
    Route("page", "POST", f"{SLUG}/competitions/{{open_competition}}/offers/", "competition-offer", "competition.manage", coalition, fixed({k: v for k, v in _OFFER.items() if k not in ("tiers", "currency")} | {"min_quantity_1": 1, "unit_price_1": "100"}), first="procurement.view"),
    Route("page", "POST", f"{SLUG}/competitions/{{open_competition}}/offers/import/", "competition-offers-import", "competition.manage", coalition, upload=True, extra={"file": OFFERS_FILE}),
    Route("page", "POST", f"{SLUG}/competitions/{{open_competition}}/reviews/", "competition-review", "offer.review", coalition, lambda s, a: {"offer": s["offer"], "score": "4"}, first="procurement.view"),
    Route("page", "GET", f"{SLUG}/plans/new/", "plan-build", "procurement.view", coalition),
    Route("page", "POST", f"{SLUG}/plans/new/", "plan-build", "plan.build", coalition, lambda s, a: {"competitions": [s["closed_competition"]], "on": s["today"]}, first="procurement.view"),
    Route("page", "POST", "/plans/{build_run_id}/approve/", "plan-approve", "plan.approve", coalition, fixed({}), first="plan.view"),
    Route("page", "GET", f"{SLUG}/orders/", "orders", "procurement.view", coalition),
    Route("page", "GET", f"{SLUG}/orders/{{order}}/", "order", "procurement.view", coalition),
    Route("page", "GET", f"{SLUG}/reconciliation/", "reconciliation", "procurement.view", coalition),
    Route("page", "POST", f"{SLUG}/orders/{{order}}/amend/", "order-amend", "order.manage", coalition, fixed({"reason": "Matrix", "quantity": 300})),
    Route("page", "POST", f"{SLUG}/orders/{{order}}/cancel/", "order-cancel", "order.manage", coalition, fixed({"reason": "Matrix"})),
    Route("page", "POST", f"{SLUG}/orders/{{delivered_order}}/inspect/", "order-inspect", "delivery.inspect", coalition, lambda s, a: {"verdict": "accepted", "lot": s["lot"], "date": s["today"]}),
    Route("page", "POST", f"{SLUG}/orders/{{delivered_order}}/pay/", "order-pay", "order.pay", coalition, lambda s, a: {"reference": "MATRIX-P", "amount": "1000.00", "date": s["today"]}),
    Route("page", "POST", f"{SLUG}/orders/{{order}}/close/", "order-close", "order.manage", coalition, lambda s, a: {"reason": "Matrix", "date": s["today"]}),
    Route("page", "GET", f"{SLUG}/deliveries/", "deliveries", "procurement.view", coalition),
    Route("page", "POST", f"{SLUG}/deliveries/import/", "deliveries-import", "delivery.record", coalition, upload=True, extra={"file": MANIFEST_FILE}),
]  # fmt: skip
