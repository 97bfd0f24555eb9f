"""The summit report: one year of a coalition on a few pages of PDF, in English, French or
Ukrainian. Public figures only (the transparency page's): members and accession news,
support in EUR, the sources' reported figures, money paid and units delivered, with two
charts drawn by the PDF library itself (no browser). The DejaVu Sans font shipped in
fonts/ (its licence beside it) renders Latin and Cyrillic alike; fpdf2 embeds only the
glyphs used."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalition.finance.money import from_minor
from coalition.governance.models import Application, Coalition, Membership, Role
from coalition.governance.selectors import (
    applications_public,
    illustrative_records_present,
    members_on,
)
from coalition.procurement.models import DeliveredItem, Payment
from coalition.procurement.views_format import country_name, number
from coalition.reporting.public import _orders as live_orders
from coalition.reporting.public import category_names, deliveries_table
from coalition.reporting.selectors import Totals, reported_figures, totals

FONTS = Path(__file__).resolve().parent / "fonts"
LANGUAGES = ("en", "fr", "uk")
FIRST_YEAR, LAST_YEAR = 1999, 2100
COLORS = {"pledged": (157, 185, 220), "committed": (31, 95, 168), "disbursed": (42, 138, 74)}


@dataclass
class Summit:
    coalition: Coalition
    year: int
    members_on: date
    members: int
    totals: Totals
    paid: dict[str, Decimal] | None  # None: prices are confidential
    ordered: int
    delivered: int
    accepted: int
    joined: list[Membership]
    left: list[Membership]
    decided: list[Application]
    pending: list[Application]
    deliveries: list[list[object]]  # category, ordered, delivered, accepted
    reported: list[str] = field(default_factory=list)
    illustrative: bool = False


def summit_data(*, coalition: Coalition, year: int) -> Summit:
    """The year's figures, in the active language."""
    today = timezone.localdate()
    end = min(date(year, 12, 31), today) if year <= today.year else date(year, 12, 31)
    paid: dict[str, Decimal] | None = None
    if not coalition.confidential_prices:
        paid = {}
        for p in Payment.objects.filter(coalition=coalition, paid_on__year=year):
            paid[p.currency] = paid.get(p.currency, Decimal(0)) + from_minor(
                p.amount_minor, p.currency
            )
    items = DeliveredItem.objects.filter(order__coalition=coalition)
    orders = live_orders(coalition)
    members = coalition.memberships.filter(role=Role.MEMBER).select_related("country")
    applications = applications_public(coalition=coalition)
    reported = []
    for f in reported_figures(coalition=coalition, year=year).order_by("kind", "id"):
        amount = (
            f"{'≈ ' if f.approximate else ''}{f.currency} {number(f.amount, 0)}"
            if f.amount is not None
            else _("no amount given")
        )
        reported.append(f"{amount}: {f.description} [{f.source.key}]")
    return Summit(
        coalition=coalition,
        year=year,
        members_on=end,
        members=len(members_on(coalition=coalition, on=end)),
        totals=totals(coalition=coalition, year=year),
        paid=paid,
        ordered=sum(o.quantity for o in orders if o.signed_on.year == year),
        delivered=items.filter(delivered_on__year=year).count(),
        accepted=items.filter(status="accepted", inspection__decided_on__year=year).count(),
        joined=list(members.filter(start__year=year).order_by("start")),
        left=list(members.filter(end__year=year).order_by("end")),
        decided=[a for a in applications if a.decided and a.decided.year == year],
        pending=[a for a in applications if a.status == "pending"],
        deliveries=[r[1:] for r in deliveries_table(coalition, orders).rows if r[0] == year],
        reported=reported,
        illustrative=illustrative_records_present(),
    )


def eur(value: Decimal) -> str:
    return f"EUR {number(value, 0)}"


class _Pdf:
    """A thin layer over fpdf2: headings, lines of text, figures and bar charts."""

    def __init__(self, title: str) -> None:
        from fpdf import FPDF  # loaded by the report alone

        self.pdf = FPDF(format="A4")
        self.pdf.set_title(title)
        self.pdf.set_creator("coalition")
        self.pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.add_page()
        self.width = self.pdf.w - self.pdf.l_margin - self.pdf.r_margin

    def heading(self, text: str, size: int = 14) -> None:
        self.pdf.ln(3)
        self.pdf.set_font("DejaVu", "B", size)
        self.pdf.multi_cell(self.width, size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.pdf.ln(1)

    def text(self, text: str, size: int = 10, bold: bool = False) -> None:
        self.pdf.set_font("DejaVu", "B" if bold else "", size)
        self.pdf.multi_cell(self.width, size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align="L")

    def figures(self, rows: list[tuple[str, str]]) -> None:
        """Label and value, two to a line, in boxes."""
        box = self.width / 2 - 2
        for index, (label, value) in enumerate(rows):
            if index % 2 == 0 and self.pdf.get_y() > self.pdf.h - 40:
                self.pdf.add_page()
            x = self.pdf.l_margin + (index % 2) * (box + 4)
            y = self.pdf.get_y()
            self.pdf.set_draw_color(200, 200, 200)
            self.pdf.rect(x, y, box, 16)
            self.pdf.set_xy(x + 2, y + 1.5)
            self.pdf.set_font("DejaVu", "", 8)
            self.pdf.cell(box - 4, 4, label)
            self.pdf.set_xy(x + 2, y + 7)
            self.pdf.set_font("DejaVu", "B", 12)
            self.pdf.cell(box - 4, 7, value)
            self.pdf.set_xy(self.pdf.l_margin, y + (18 if index % 2 else 0))
        if len(rows) % 2:
            self.pdf.set_y(self.pdf.get_y() + 18)

    def bars(self, title: str, groups: list[tuple[str, list[float]]], series: list[str]) -> None:
        """Horizontal grouped bars: per group one bar per series, scaled to the largest,
        each bar's value written beside it; a legend under the title."""
        colors = list(COLORS.values())
        bar, gap = 4.0, 3.0
        needed = 14 + len(groups) * (len(series) * bar + gap)
        if self.pdf.get_y() + needed > self.pdf.h - 15:
            self.pdf.add_page()
        self.text(title, 11, bold=True)
        x0 = self.pdf.l_margin
        y = self.pdf.get_y() + 1
        self.pdf.set_font("DejaVu", "", 8)
        for i, name in enumerate(series):
            self.pdf.set_fill_color(*colors[i % len(colors)])
            self.pdf.rect(x0 + i * 45, y, 3, 3, style="F")
            self.pdf.set_xy(x0 + i * 45 + 4, y - 0.5)
            self.pdf.cell(40, 4, name)
        y += 6
        label_w, value_w = 52.0, 32.0
        scale_w = self.width - label_w - value_w
        top = max((v for _n, values in groups for v in values), default=0.0) or 1.0
        for name, values in groups:
            self.pdf.set_xy(x0, y)
            self.pdf.set_font("DejaVu", "", 8)
            self.pdf.multi_cell(label_w - 2, 3.5, name, new_x="LMARGIN", new_y="NEXT")
            for i, value in enumerate(values):
                self.pdf.set_fill_color(*colors[i % len(colors)])
                length = max(scale_w * value / top, 0.3 if value else 0)
                if length:
                    self.pdf.rect(x0 + label_w, y + i * bar, length, bar - 0.8, style="F")
                self.pdf.set_xy(x0 + label_w + length + 1, y + i * bar - 0.3)
                self.pdf.cell(value_w, bar, number(Decimal(str(value)), 0))
            y += len(values) * bar + gap
        self.pdf.set_y(y + 2)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _country(membership_or_application: Membership | Application) -> str:
    return country_name(membership_or_application.country)


def summit_pdf(*, coalition: Coalition, year: int, language: str) -> bytes:
    """The summit report of `year` as PDF bytes, in `language` (en, fr or uk)."""
    with translation.override(language):
        s = summit_data(coalition=coalition, year=year)
        title = _("Summit report %(year)s") % {"year": year}
        doc = _Pdf(f"{coalition.name}: {title}")
        doc.heading(f"{coalition.name}: {title}", 18)
        doc.text(
            _(
                "Public figures of %(year)s, as of %(day)s. Amounts in EUR at the ECB "
                "reference rate of their date."
            )
            % {"year": year, "day": timezone.localdate().isoformat()},
            9,
        )
        if s.illustrative:
            doc.text(
                _(
                    "Includes the demo's illustrative purchase exercise (source “demo-exercise”): "
                    "its money, suppliers, prices and deliveries are invented."
                ),
                9,
                bold=True,
            )
        doc.heading(_("Headline figures"))
        t = s.totals.total
        rows = [
            (_("Members on %(day)s") % {"day": s.members_on.isoformat()}, str(s.members)),
            (_("Support pledged"), eur(t.pledged)),
            (_("Support committed"), eur(t.committed)),
            (_("Support disbursed"), eur(t.disbursed)),
        ]
        if s.paid is None:
            rows.append((_("Money paid to suppliers"), _("confidential")))
        else:
            paid = " + ".join(f"{c} {number(v, 0)}" for c, v in sorted(s.paid.items()))
            rows.append((_("Money paid to suppliers"), paid or "0"))
        rows.append((_("Units delivered"), number(s.delivered, 0)))
        rows.append((_("Units accepted"), number(s.accepted, 0)))
        rows.append((_("Units ordered"), number(s.ordered, 0)))
        doc.figures(rows)

        statuses = [_("pledged"), _("committed"), _("disbursed")]
        from coalition.finance.models import Channel

        channels = dict(Channel.choices)
        groups = [
            (str(channels.get(k, k)), [float(f.pledged), float(f.committed), float(f.disbursed)])
            for k, f in s.totals.by_channel.items()
        ]
        if groups:
            doc.bars(_("Support by channel, EUR"), groups, statuses)
        names = category_names()
        by_category = [
            (
                names.get(k, k) or _("no earmark"),
                [float(f.pledged), float(f.committed), float(f.disbursed)],
            )
            for k, f in s.totals.by_category.items()
        ]
        if by_category:
            doc.bars(_("Support by category, EUR"), by_category, statuses)
        if s.reported:
            doc.heading(_("Figures reported by sources"))
            for line in s.reported:
                doc.text(f"• {line}", 9)

        doc.heading(_("Members and accession news"))
        doc.text(
            _("Members on %(day)s: %(count)s")
            % {"day": s.members_on.isoformat(), "count": s.members}
        )
        for m in s.joined:
            doc.text(
                _("%(country)s joined on %(day)s")
                % {"country": _country(m), "day": m.start.isoformat()},
                9,
            )
        for m in s.left:
            assert m.end is not None
            doc.text(
                _("%(country)s left on %(day)s")
                % {"country": _country(m), "day": m.end.isoformat()},
                9,
            )
        for a in s.decided:
            assert a.decided is not None
            doc.text(
                _("Application of %(country)s: %(status)s on %(day)s")
                % {
                    "country": _country(a),
                    "status": a.get_status_display(),
                    "day": a.decided.isoformat(),
                },
                9,
            )
        for a in s.pending:
            doc.text(
                _("Application of %(country)s pending since %(day)s")
                % {"country": _country(a), "day": a.submitted.isoformat()},
                9,
            )
        if not (s.joined or s.left or s.decided or s.pending):
            doc.text(_("No accession news this year."), 9)

        doc.heading(_("Spending and deliveries"))
        if s.deliveries:
            doc.bars(
                _("Units per category"),
                [(str(r[0]), [float(str(v)) for v in r[1:]]) for r in s.deliveries],
                [_("ordered"), _("delivered"), _("accepted")],
            )
        else:
            doc.text(_("No order, delivery or acceptance this year."), 9)
        if s.paid is None:
            doc.text(_("Prices and payments are confidential: the coalition keeps them so."), 9)
        if coalition.confidential_suppliers:
            doc.text(_("Suppliers are confidential: none is named."), 9)
        return doc.output()
