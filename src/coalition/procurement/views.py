"""Thin web views of the planning pages (a pasted scenario, a plan run; a plan built from
the database adds what views_plans.py names)."""

import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coalition.access.actor import actor_of
from coalition.access.policy import may
from coalition.errors import DomainError, InvalidInput
from coalition.governance.selectors import coalition_get
from coalition.optimizer import spec
from coalition.optimizer.errors import ScenarioError
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.plan import Plan
from coalition.procurement import selectors
from coalition.procurement.errors import ScenarioInvalid
from coalition.procurement.models import PlanStatus
from coalition.procurement.services import plans as services
from coalition.procurement.views_format import money, number
from coalition.procurement.views_plans import built_context
from coalition.web.errors import upload_errors

EXAMPLE = spec.path(spec.EXAMPLE_SCENARIO)


def _scenario_from(request: HttpRequest) -> Any:
    upload = request.FILES.get("file")
    text = upload.read().decode("utf-8", "replace") if upload else request.POST.get("scenario", "")
    try:
        return json.loads(text)
    except (RecursionError, ValueError) as error:
        if not isinstance(error, json.JSONDecodeError):  # nested too deep, number too long
            raise InvalidInput(
                _("%(name)s: not a scenario this platform reads (%(reason)s)")
                % {"name": upload.name if upload else _("the scenario"), "reason": str(error)[:80]},
                field="scenario",
                code="scenario.invalid_json",
            ) from None
        name = upload.name if upload else _("the scenario")
        raise InvalidInput(
            _("%(name)s: invalid JSON at line %(line)s column %(col)s: %(msg)s")
            % {"name": name, "line": error.lineno, "col": error.colno, "msg": error.msg},
            field="scenario",
            code="scenario.invalid_json",
        ) from None


def _time_limit(request: HttpRequest) -> float:
    text = request.POST.get("time_limit") or str(services.DEFAULT_TIME_LIMIT)
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 600:  # also refuses nan and inf
        raise InvalidInput(_("time limit: between 1 and 600 seconds"), field="time_limit")
    return value


@login_required
def plan_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    coalitions = selectors.planning_coalitions(actor=actor)
    errors: list[str] = []
    if request.method == "POST":
        try:
            fallback = selectors.planning_coalition_default(actor=actor)
            chosen = request.POST.get("coalition") or (fallback.slug if fallback else "")
            run = services.plan_run_submit(
                actor=actor,
                coalition=coalition_get(slug=chosen),
                scenario=_scenario_from(request),
                time_limit=_time_limit(request),
                compare_separate=bool(request.POST.get("compare_separate")),
            )
        except DomainError as error:
            errors = (
                upload_errors(error) if not isinstance(error, ScenarioInvalid) else error.errors
            )
        else:
            messages.success(request, _("The plan is queued."))
            return redirect("plan", run_id=run.pk)
    context = {
        "runs": selectors.plan_run_list(actor=actor),
        "example": EXAMPLE.read_text(),
        "errors": errors,
        "may_plan": bool(coalitions),
        "coalitions": coalitions,
        "posted": request.POST.get("scenario", ""),
        "build_for": [c for c in coalitions if may(actor, "plan.build", coalition=c)],
    }
    return render(request, "procurement/plans.html", context, status=422 if errors else 200)


def _figures(plan: Plan, baseline: Plan | None) -> dict[str, Any]:
    # the value as the solver gives it (its own decimals, at most 2), grouped the reader's
    # way; the bound, a float from the solver, the same way (not 4350.000000001)
    places = min(2, max(0, -int(plan.value.as_tuple().exponent)))
    figures: dict[str, Any] = {
        "value": number(plan.value, places),
        "cost": money(plan.cost, plan.currency),
        "bound": None
        if plan.bound is None
        else number(plan.bound.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP), places),
        "gap": None if plan.gap is None else f"{number(Decimal(str(plan.gap * 100)), 3)} %",
    }
    if baseline is not None and baseline.value > 0:
        gain = (plan.value - baseline.value) / baseline.value * 100
        figures["vs_baseline"] = gain.quantize(Decimal("0.1"))
    if plan.separate is not None:
        figures["pooling_gain"] = plan.value - plan.separate.value
        figures["separate_cost"] = money(plan.separate.cost, plan.currency)
    return figures


def _charts(
    plan: Plan, baseline: Plan | None, scenario_doc: Any, funds: dict[str, str]
) -> list[str]:
    from coalition.procurement import charts  # plotly: loaded by the pages that draw

    labels = charts.Labels(funds=funds)
    shown = [charts.comparison(plan, baseline), charts.coverage(plan, labels)]
    try:
        scenario = parse_scenario(scenario_doc)
    except ScenarioError:  # stored before today's limits: leave out what needs it
        return shown
    return [*shown, charts.fund_spend(plan, scenario, labels), charts.deliveries(plan, scenario)]


@login_required
def plan_page(request: HttpRequest, run_id: int) -> HttpResponse:
    actor = actor_of(request)
    run = selectors.plan_run_get(actor=actor, run_id=run_id)
    context: dict[str, Any] = {
        "run": run,
        "active": run.status in {PlanStatus.QUEUED, PlanStatus.RUNNING},
        "statuses": PlanStatus.choices,
    } | built_context(actor, run)
    if run.plan is not None:
        plan = Plan.from_json(run.plan)
        baseline = None if run.baseline is None else Plan.from_json(run.baseline)
        context |= {
            "figures": _figures(plan, baseline),
            "charts": _charts(
                plan, baseline, run.scenario, context.get("built", {}).get("fund_names", {})
            ),
        }
    return render(request, "procurement/plan.html", context)
