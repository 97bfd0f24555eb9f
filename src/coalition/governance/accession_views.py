"""Thin web views of the accession procedure: the application page, voting, applying,
withdrawing, meetings. Rules live in the services and in the access policy; refused
requests are shown by coalition.web.errors."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.access import policy
from coalition.access.actor import actor_of
from coalition.errors import DomainError
from coalition.governance import labels, selectors
from coalition.governance.errors import InvalidMeeting
from coalition.governance.models import (
    AccessionRule,
    Application,
    ApplicationStatus,
    Coalition,
    MeetingKind,
    VoteChoice,
)
from coalition.governance.services import accession, meetings
from coalition.governance.tally import StillNeeded, approvals_required, still_needed
from coalition.web.errors import refuse


def _application(request: HttpRequest, coalition: Coalition, application_id: int) -> Application:
    return selectors.application_get(
        actor=actor_of(request), coalition=coalition, application_id=application_id
    )


def _optional_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def application_page(request: HttpRequest, slug: str, application_id: int) -> HttpResponse:
    from coalition.governance import charts  # plotly: loaded by the pages that draw

    coalition = selectors.coalition_get(slug=slug)
    application = _application(request, coalition, application_id)
    today = timezone.localdate()
    rule = selectors.application_rule(application)
    tally = selectors.application_tally(application)
    pending = application.status == ApplicationStatus.PENDING
    need = still_needed(rule, tally) if pending else StillNeeded(approvals=0, votes=0)
    votes = list(application.votes.all())
    voted = {v.country_id for v in votes}
    actions = selectors.application_actions(actor_of(request), application, today)
    context = {
        "coalition": coalition,
        "application": application,
        "votes": votes,
        "not_voted": [c for c in application.electorate.all() if c.code not in voted],
        "tally": tally,
        "chart": charts.tally_chart(tally, approvals_required(rule, tally.electorate)),
        "rule_text": labels.rule_label(rule, tally.electorate),
        "still_needed": labels.still_needed_label(
            need, unanimity=rule.name == AccessionRule.UNANIMITY
        ),
        "decision": labels.decision_label(application),
        "actions": actions,
        "meetings": (
            coalition.meetings.filter(date__gte=application.submitted)
            if actions.link_meeting
            else []
        ),
    }
    return render(request, "governance/application.html", context)


def _back(slug: str, application_id: int) -> HttpResponse:
    return redirect(reverse("application", args=[slug, application_id]))


@login_required
@require_POST
def application_vote(request: HttpRequest, slug: str, application_id: int) -> HttpResponse:
    coalition = selectors.coalition_get(slug=slug)
    application = _application(request, coalition, application_id)
    vote = request.POST.get("vote", "")
    comment = request.POST.get("comment", "").strip()
    if vote == VoteChoice.REJECT and request.POST.get("confirmed") != "yes":
        actions = selectors.application_actions(
            actor_of(request), application, timezone.localdate()
        )
        if actions.vote:  # a rejection is final: it is asked again before it is cast
            rule = selectors.application_rule(application)
            context = {
                "coalition": coalition,
                "application": application,
                "comment": comment,
                "unanimity": rule.name == AccessionRule.UNANIMITY,
            }
            return render(request, "governance/confirm_reject.html", context)
    try:
        ballot = accession.application_vote(
            actor=actor_of(request), application=application, vote=vote, comment=comment
        )
    except DomainError as error:
        refuse(request, error)
    else:
        messages.success(
            request, _("Your vote is recorded: %(vote)s.") % {"vote": ballot.get_vote_display()}
        )
    return _back(slug, application_id)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, slug: str, application_id: int) -> HttpResponse:
    coalition = selectors.coalition_get(slug=slug)
    application = _application(request, coalition, application_id)
    try:
        accession.application_withdraw(actor=actor_of(request), application=application)
    except DomainError as error:
        refuse(request, error)
    else:
        messages.success(request, _("The application is withdrawn."))
    return _back(slug, application_id)


@login_required
@require_POST
def application_link_meeting(request: HttpRequest, slug: str, application_id: int) -> HttpResponse:
    coalition = selectors.coalition_get(slug=slug)
    application = _application(request, coalition, application_id)
    actor = actor_of(request)
    try:
        choice = request.POST.get("meeting", "")
        meeting = selectors.meeting_get(
            actor=actor, coalition=coalition, meeting_id=int(choice) if choice.isdigit() else 0
        )
        meetings.meeting_decision_record(actor=actor, meeting=meeting, application=application)
    except DomainError as error:
        refuse(request, error)
    else:
        messages.success(request, _("The decision is linked to the meeting."))
    return _back(slug, application_id)


@login_required
def apply_page(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = selectors.coalition_get(slug=slug)
    actor = actor_of(request)
    today = timezone.localdate()
    countries = selectors.apply_countries(actor, coalition, today)
    chair = policy.is_chair(actor, coalition)
    if request.method == "POST":
        form = request.POST
        try:
            country = selectors.country_get(code=form.get("country", ""))
            letter_date = _optional_date(form.get("letter_date", ""))
            deadline = _optional_date(form.get("deadline", ""))
            application = accession.application_submit(
                actor=actor,
                coalition=coalition,
                country=country,
                letter_reference=form.get("letter_reference", "").strip(),
                letter_date=letter_date,
                deadline=deadline,
                note=form.get("note", "").strip(),
            )
        except DomainError as error:
            refuse(request, error)
        else:
            messages.success(request, _("The application is recorded."))
            return _back(slug, application.pk)
    own = None if chair else selectors.own_pending_application(actor, coalition)
    context = {
        "coalition": coalition,
        "countries": countries,
        "chair": chair,
        "own": own,
        "tally": None if own is None else selectors.application_tally(own),
    }
    return render(request, "governance/apply.html", context)


@login_required
def meetings_page(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = selectors.coalition_get(slug=slug)
    actor = actor_of(request)
    meetings_list = selectors.meetings_list(actor=actor, coalition=coalition)
    if request.method == "POST":
        try:
            day = _optional_date(request.POST.get("date", ""))
            if day is None:
                raise InvalidMeeting(_("a meeting needs a date"), field="date")
            meetings.meeting_record(
                actor=actor,
                coalition=coalition,
                date=day,
                kind=request.POST.get("kind", ""),
                place=request.POST.get("place", "").strip(),
                title=request.POST.get("title", "").strip(),
            )
        except DomainError as error:
            refuse(request, error)
        else:
            messages.success(request, _("The meeting is recorded."))
            return redirect(reverse("meetings", args=[slug]))
    context = {
        "coalition": coalition,
        "meetings": meetings_list.order_by("-date", "-id"),
        "kinds": MeetingKind.choices,
        "chair": policy.is_chair(actor, coalition),
    }
    return render(request, "governance/meetings.html", context)
