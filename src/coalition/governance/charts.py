"""The governance pages' charts: members and roles over time, an accession tally.
(plotly is imported here, so only the pages that draw load it.)"""

from datetime import date

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from coalition.governance import selectors
from coalition.governance.models import Coalition, Role
from coalition.governance.tally import Tally
from coalition.web.charts import render, timeline

ROLE_COLORS = {
    "member": "#1f5fa8",
    "chair": "#c77c02",
    "fund-manager": "#2a8a4a",
    "beneficiary": "#0057b7",
    "candidate": "#9a9a9a",
    "observer": "#7a5ea8",
}


def membership_timeline(coalition: Coalition, today: date) -> str:
    rows = [
        {
            "label": f"{m.country.flag} {m.country.name}"
            + ("" if m.role == Role.MEMBER else f" · {m.get_role_display()}"),
            "start": m.start,
            "end": m.end or today,
            "color": ROLE_COLORS.get(m.role, "#555"),
            "hover": f"{m.country.name}: {m.get_role_display()} {m.start:%Y-%m-%d} → "
            + (f"{m.end:%Y-%m-%d}" if m.end else _("today")),
        }
        for m in selectors.membership_history(coalition=coalition)
    ]
    return timeline(rows, title=_("Members and roles over time"))


def tally_chart(tally: Tally, required: int) -> str:
    figure = go.Figure(
        go.Bar(
            x=[_("approve"), _("reject"), _("not voted")],
            y=[tally.approve, tally.reject, tally.not_voted],
            marker_color=["#1e7b34", "#b3261e", "#9a9a9a"],
            text=[tally.approve, tally.reject, tally.not_voted],
            textposition="auto",
        )
    )
    figure.add_hline(
        y=required,
        line_dash="dash",
        line_color="#1e7b34",
        annotation_text=_("approvals required: %(n)s") % {"n": required},
    )
    figure.update_layout(
        title=_("Tally"), yaxis={"range": [0, tally.electorate + 1], "dtick": 2}, showlegend=False
    )
    return render(figure, height=320)
