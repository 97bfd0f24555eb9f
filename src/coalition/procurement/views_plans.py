"""Thin web views of a plan built from the database: the form that builds one from closed
competitions, its approval into orders, and what its page shows with names instead of
scenario ids (what went in, what was left out, the plan, pooled against separate buying,
what one more million would buy). The services decide; refusals are shown by web.errors."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coalition.access.actor import Actor, actor_of
from coalition.errors import DomainError
from coalition.finance import selectors as finance
from coalition.governance.selectors import categories_list, coalition_get, countries_by_code
from coalition.procurement import selectors
from coalition.procurement.forms_purchase import BuildForm
from coalition.procurement.models import CompetitionStatus, PlanRun
from coalition.procurement.services import orders, plans
from coalition.procurement.views_format import (
    category_name,
    country_name,
    money,
    number,
    purchase_context,
    units,
)
from coalition.web.errors import form_error, refuse


@login_required
def plan_build_page(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    closed = selectors.competitions_list(actor=actor, coalition=coalition).filter(
        status=CompetitionStatus.CLOSED
    )
    choices = [
        (c.reference, f"{c.reference} · {category_name(c.category)} · {c.offer_count}")  # type: ignore[attr-defined]
        for c in closed
    ]
    form = BuildForm(
        request.POST or None, competitions=choices, initial={"on": timezone.localdate()}
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                run = plans.plan_build_submit(
                    actor=actor,
                    coalition=coalition,
                    competitions=form.cleaned_data["competitions"],
                    on=form.cleaned_data["on"],
                )
            except DomainError as error:
                form_error(form, error)
                status = error.status
            else:
                messages.success(request, _("The plan is built; the optimiser is on it."))
                return redirect("plan", run_id=run.pk)
    context = purchase_context(actor, coalition) | {"form": form, "closed": choices}
    return render(request, "procurement/plan_build.html", context, status=status)


@login_required
@require_POST
def plan_approve(request: HttpRequest, run_id: int) -> HttpResponse:
    actor = actor_of(request)
    run = selectors.plan_run_get(actor=actor, run_id=run_id)
    try:
        signed = orders.plan_approve(actor=actor, run_id=run.pk)
    except DomainError as error:
        refuse(request, error)
        return redirect("plan", run_id=run.pk)
    messages.success(
        request,
        ngettext(
            "Approved: %(n)d order is signed.", "Approved: %(n)d orders are signed.", len(signed)
        )
        % {"n": len(signed)},
    )
    assert run.coalition is not None  # a plan that was approved belongs to a coalition
    return redirect("orders", slug=run.coalition.slug)


def _day(text: str) -> date:
    return date.fromisoformat(text)


class Names:
    """Scenario ids of a built run to what people call them."""

    def __init__(self, actor: Actor, run: PlanRun) -> None:
        assert run.coalition is not None
        self.inputs = run.inputs
        self.currency = run.scenario.get("currency", "EUR")
        self.funds = {f.pk: f for f in finance.funds_list(actor=actor, coalition=run.coalition)}
        self.categories = {c.slug: c for c in categories_list()}
        codes = {o["origin"] for o in run.scenario.get("offers", [])}
        codes |= {f["donor"] for f in run.scenario.get("funds", [])}
        codes |= {s["origin"] for s in self.inputs.get("funds", {}).values() if s.get("origin")}
        self.countries = countries_by_code(list(codes))
        self.suppliers = {o["id"]: o["supplier"] for o in run.scenario.get("offers", [])}

    def money(self, amount: object) -> str:
        return money(str(amount), self.currency)

    def country(self, code: str) -> str:
        return country_name(self.countries.get(code), code)

    def category(self, slug: str) -> str:
        return category_name(self.categories.get(slug)) or slug

    def fund(self, sid: str) -> str:
        spec = self.inputs.get("funds", {}).get(sid)
        if spec is None:
            return sid
        fund = self.funds.get(spec["fund"])
        name = fund.name if fund is not None else sid
        earmark = [self.category(spec["category"]) if spec["category"] else ""]
        earmark.append(self.country(spec["origin"]) if spec["origin"] else "")
        said = ", ".join(e for e in earmark if e)
        return f"{name} ({said})" if said else name

    def supplier(self, offer: str) -> str:
        return self.suppliers.get(offer, offer)


def _inputs(names: Names, scenario: dict[str, Any]) -> dict[str, Any]:
    return {
        "requirements": [
            {
                "id": r["id"],
                "category": names.category(r["category"]),
                "quantity": units(r["quantity"]),
                "weight": number(
                    Decimal(str(r["weight"])), 0 if float(r["weight"]).is_integer() else 2
                ),
                "needed_by": _day(r["needed_by"]),
            }
            for r in scenario.get("requirements", [])
        ],
        "offers": [
            {
                "id": o["id"],
                "supplier": o["supplier"],
                "origin": names.country(o["origin"]),
                "tiers": [
                    (t["min_quantity"], units(t["min_quantity"]), names.money(t["unit_price"]))
                    for t in o["tiers"]
                ],
                "capacity": units(o["capacity_per_30_days"]),
                "lead_time": o["lead_time_days"],
                "cap": units(o["max_quantity"]) if "max_quantity" in o else None,
            }
            for o in scenario.get("offers", [])
        ],
        "funds": [
            {
                "name": names.fund(f["id"]),
                "donor": names.country(f["donor"]),
                "amount": names.money(f["amount"]),
            }
            for f in scenario.get("funds", [])
        ],
        "total": names.money(
            sum((Decimal(f["amount"]) for f in scenario.get("funds", [])), Decimal(0))
        ),
    }


def _more_units(plan: dict[str, Any], separate: dict[str, Any]) -> int:
    """Units on time that pooling adds (0 when the plan predates the separate coverage)."""
    if "coverage" not in separate:
        return 0
    pooled = sum(c["covered"] for c in plan.get("coverage", []))
    return pooled - sum(c["covered"] for c in separate["coverage"])


def _units_sentence(units: int, saved: Decimal, currency: str) -> str:
    figures = {"units": number(units, 0), "amount": money(abs(saved), currency)}
    if saved < 0:
        return (
            ngettext(
                "Pooling covers %(units)s more unit on time than each fund buying alone, "
                "for %(amount)s more.",
                "Pooling covers %(units)s more units on time than each fund buying alone, "
                "for %(amount)s more.",
                units,
            )
            % figures
        )
    if saved > 0:
        return (
            ngettext(
                "Pooling covers %(units)s more unit on time than each fund buying alone, "
                "for %(amount)s less.",
                "Pooling covers %(units)s more units on time than each fund buying alone, "
                "for %(amount)s less.",
                units,
            )
            % figures
        )
    return (
        ngettext(
            "Pooling covers %(units)s more unit on time than each fund buying alone, at the "
            "same cost.",
            "Pooling covers %(units)s more units on time than each fund buying alone, at the "
            "same cost.",
            units,
        )
        % figures
    )


def pooling_sentence(plan: dict[str, Any], currency: str) -> str:
    """Pooled against each fund buying alone, in one plain sentence ("" without it)."""
    separate = plan.get("separate")
    if not separate:
        return ""
    pooled, alone = Decimal(str(plan["value"])), Decimal(str(separate["value"]))
    saved = Decimal(separate["cost"]) - Decimal(plan["cost"])
    figures = {"pooled": number(pooled, 0), "alone": number(alone, 0)}
    more_units = _more_units(plan, separate)
    if pooled > alone and more_units > 0:
        return _units_sentence(more_units, saved, currency)
    if pooled > alone:
        return (
            _(
                "Pooling covers more of the needs on time than each fund buying alone: a value "
                "of %(pooled)s against %(alone)s (each unit on time counts its requirement's "
                "weight)."
            )
            % figures
        )
    if pooled == alone and saved > 0:
        return _(
            "Pooling covers the same needs on time as each fund buying alone, for %(amount)s less."
        ) % {"amount": money(saved, currency)}
    if pooled == alone:
        return _(
            "Pooling covers the same needs on time as each fund buying alone, at the same cost."
        )
    return (
        _(
            "Each fund buying alone would reach a value of %(alone)s against %(pooled)s for this "
            "plan: the optimiser stopped before it proved its best plan."
        )
        % figures
    )


def _plan_rows(names: Names, plan: dict[str, Any]) -> dict[str, Any]:
    return {
        "orders": [
            {
                "supplier": names.supplier(o["offer"]),
                "offer": o["offer"],
                "quantity": units(o["quantity"]),
                "unit_price": names.money(o["unit_price"]),
                "cost": names.money(o["cost"]),
            }
            for o in plan.get("orders", [])
        ],
        "assignments": [
            {
                "supplier": names.supplier(a["offer"]),
                "requirement": a["requirement"],
                "quantity": units(a["quantity"]),
            }
            for a in plan.get("assignments", [])
        ],
        "payments": [
            {
                "fund": names.fund(p["fund"]),
                "supplier": names.supplier(p["offer"]),
                "amount": names.money(p["amount"]),
            }
            for p in plan.get("payments", [])
        ],
        "coverage": [
            {
                "requirement": c["requirement"],
                "covered": units(c["covered"]),
                "quantity": units(c["quantity"]),
                "percent": min(100, round(100 * c["covered"] / c["quantity"]))
                if c["quantity"]
                else 0,
            }
            for c in plan.get("coverage", [])
        ],
        "cost": names.money(plan["cost"]),
        "units": units(sum(c["covered"] for c in plan.get("coverage", []))),
        "pooling": pooling_sentence(plan, names.currency),
    }


def _marginal(names: Names, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "fund": names.fund(m["fund"]),
            "raise": names.money(m["raise"]),
            "value": number(Decimal(str(m["extra_value"])), 0),
            "units": units(sum(m.get("extra_units", {}).values())),
            "by_requirement": ", ".join(
                f"{k}: {v:+d}" for k, v in sorted(m.get("extra_units", {}).items())
            ),
            "cost": names.money(m["extra_cost"]),
            "proof": _proof(m),
        }
        for m in rows
    ]


def _proof(row: dict[str, Any]) -> str:
    """How sure the figure is: the re-solve proved it, or how close to its bound it is."""
    gap = float(row.get("gap") or 0)
    if row.get("status") == "optimal":
        return _("proven optimal")
    if gap == 0:
        return _("value proven")
    return _("within %(gap)s %% of the best") % {"gap": number(Decimal(str(gap * 100)), 4)}


def marginal_of(run: PlanRun) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Each fund's "one more million", in either place it is kept: the plan's own
    `marginal` rows (plan solve --marginal), or the run's `marginal` that the worker fills
    after the plan ({"status": running|done|failed, "raise", "funds": rows, "error"})."""
    inside = (run.plan or {}).get("marginal")
    if isinstance(inside, list):
        return inside, {"status": "done"}
    kept = run.marginal
    if isinstance(kept, list):
        return kept, {"status": "done"}
    if isinstance(kept, dict):
        return list(kept.get("funds") or []), kept
    return [], {}


def built_context(actor: Actor, run: PlanRun) -> dict[str, Any]:
    """What the plan page shows of a run built from the database (empty for a pasted one)."""
    if not run.inputs or run.coalition is None:
        return {}
    names = Names(actor, run)
    built: dict[str, Any] = {
        "inputs": _inputs(names, run.scenario),
        "left_out": run.inputs.get("left_out", []),
        "built_on": run.built_on,
        "fund_names": {f["id"]: names.fund(f["id"]) for f in run.scenario.get("funds", [])},
    }
    if run.plan is not None:
        built["plan"] = _plan_rows(names, run.plan)
        rows, state = marginal_of(run)
        built["marginal"] = _marginal(names, rows)
        built["marginal_state"] = state
    return {"built": built} | purchase_context(actor, run.coalition)
