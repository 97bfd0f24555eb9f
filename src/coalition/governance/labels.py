"""Sentences about an application for the web pages, in the user's language."""

from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition.governance.models import AccessionRule, Application, Meeting, MeetingKind
from coalition.governance.tally import Rule, StillNeeded, approvals_required, votes_required


def long_date(day: date) -> str:
    """ "2 June 2025": the language's DATE_FORMAT, as every page writes dates
    (coalition.formats)."""
    return date_format(day, "DATE_FORMAT")


def meeting_name(meeting: Meeting) -> str:
    """ "summit · 28 May 2025 · Riga" (the model's str has the ISO date)."""
    parts = [str(meeting.get_kind_display()), long_date(meeting.date), meeting.place]
    return " · ".join(p for p in parts if p)


def percent(fraction: Decimal) -> str:
    return format((fraction * 100).normalize(), "f") + " %"


def meeting_label(meeting: Meeting) -> str:
    """ "the steering committee of 2 June 2025", as said after "at"."""
    day = long_date(meeting.date)
    phrases = {
        MeetingKind.SUMMIT: _("at the summit of %(date)s"),
        MeetingKind.STEERING_COMMITTEE: _("at the steering committee of %(date)s"),
        MeetingKind.UDCG: _("at the UDCG meeting of %(date)s"),
    }
    return phrases.get(MeetingKind(meeting.kind), _("at the meeting of %(date)s")) % {"date": day}


def decision_label(application: Application) -> str:
    """ "approved at the steering committee of 2 June 2025", "withdrawn on 3 June 2025"."""
    if application.decided is None:
        return ""
    status = application.get_status_display()
    if application.decision_meeting is not None:
        return _("%(status)s %(where)s") % {
            "status": status,
            "where": meeting_label(application.decision_meeting),
        }
    return _("%(status)s on %(date)s") % {"status": status, "date": long_date(application.decided)}


def rule_label(rule: Rule, electorate: int) -> str:
    if rule.name == AccessionRule.UNANIMITY:
        return ngettext(
            "Unanimity: the %(n)s member of the electorate must approve; a rejection rejects.",
            "Unanimity: all %(n)s members of the electorate must approve; one rejection rejects.",
            electorate,
        ) % {"n": electorate}
    return _(
        "Qualified majority: %(threshold)s of the electorate must approve "
        "(%(approvals)s of %(n)s), and %(quorum)s must vote (%(votes)s)."
    ) % {
        "threshold": percent(rule.threshold),
        "approvals": approvals_required(rule, electorate),
        "n": electorate,
        "quorum": percent(rule.quorum),
        "votes": votes_required(rule, electorate),
    }


def still_needed_label(need: StillNeeded, *, unanimity: bool) -> str:
    parts = []
    if need.approvals:
        parts.append(
            ngettext(
                "%(n)s more approval is needed.", "%(n)s more approvals are needed.", need.approvals
            )
            % {"n": need.approvals}
        )
    if need.votes and not unanimity:
        parts.append(
            ngettext(
                "%(n)s more vote is needed for the quorum.",
                "%(n)s more votes are needed for the quorum.",
                need.votes,
            )
            % {"n": need.votes}
        )
    return " ".join(parts)
