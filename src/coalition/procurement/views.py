"""Thin web views of the planning page."""

import json
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coalition.errors import DomainError
from coalition.optimizer import spec
from coalition.optimizer.errors import ScenarioError
from coalition.optimizer.parse import parse_scenario
from coalition.optimizer.plan import Plan
from coalition.procurement import charts, selectors, services
from coalition.procurement.models import PlanStatus

EXAMPLE = spec.path(spec.EXAMPLE_SCENARIO)


def _scenario_from(request: HttpRequest) -> Any:
    upload = request.FILES.get("file")
    text = upload.read().decode("utf-8", "replace") if upload else request.POST.get("scenario", "")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        name = upload.name if upload else _("the scenario")
        raise DomainError(
            _("%(name)s: invalid JSON at line %(line)s column %(col)s: %(msg)s")
            % {"name": name, "line": error.lineno, "col": error.colno, "msg": error.msg}
        ) from None


@login_required
def plan_list_page(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    if request.method == "POST":
        if not selectors.may_plan(request.user):
            return HttpResponse(_("Auditors read plans; they do not run them."), status=403)
        try:
            scenario = _scenario_from(request)
            time_limit = float(request.POST.get("time_limit") or services.DEFAULT_TIME_LIMIT)
            if not 0 < time_limit <= 600:
                raise DomainError(_("time limit: between 1 and 600 seconds"))
            run = services.plan_run_submit(
                actor=request.user,  # type: ignore[arg-type]
                scenario=scenario,
                time_limit=time_limit,
                compare_separate=bool(request.POST.get("compare_separate")),
            )
        except (DomainError, ValueError) as error:
            errors = getattr(error, "errors", None) or [getattr(error, "message", str(error))]
        else:
            messages.success(request, _("The plan is queued."))
            return redirect("plan", run_id=run.pk)
    context = {
        "runs": selectors.plan_run_list(),
        "example": EXAMPLE.read_text(),
        "errors": errors,
        "may_plan": selectors.may_plan(request.user),
        "posted": request.POST.get("scenario", ""),
    }
    return render(request, "procurement/plans.html", context, status=422 if errors else 200)


def _figures(plan: Plan, baseline: Plan | None) -> dict[str, Any]:
    figures: dict[str, Any] = {"value": plan.value, "cost": str(plan.cost)}
    if baseline is not None and baseline.value > 0:
        gain = (plan.value - baseline.value) / baseline.value * 100
        figures["vs_baseline"] = gain.quantize(Decimal("0.1"))
    if plan.separate is not None:
        figures["pooling_gain"] = plan.value - plan.separate.value
    return figures


def _charts(plan: Plan, baseline: Plan | None, scenario_doc: Any) -> list[str]:
    shown = [charts.comparison(plan, baseline), charts.coverage(plan)]
    try:
        scenario = parse_scenario(scenario_doc)
    except ScenarioError:  # stored before today's limits: leave out what needs it
        return shown
    return [*shown, charts.fund_spend(plan, scenario), charts.deliveries(plan, scenario)]


@login_required
def plan_page(request: HttpRequest, run_id: int) -> HttpResponse:
    try:
        run = selectors.plan_run_get(run_id=run_id)
    except DomainError as error:
        raise Http404(error.message) from error
    context: dict[str, Any] = {
        "run": run,
        "active": run.status in {PlanStatus.QUEUED, PlanStatus.RUNNING},
    }
    if run.plan is not None:
        plan = Plan.from_json(run.plan)
        baseline = None if run.baseline is None else Plan.from_json(run.baseline)
        context |= {
            "figures": _figures(plan, baseline),
            "charts": _charts(plan, baseline, run.scenario),
        }
    return render(request, "procurement/plan.html", context)
