"""The demo's money: every figure with its source, no invented split."""

from decimal import Decimal

import pytest

from coalition.finance.models import Contribution, LedgerTransaction, ReportedFigure
from coalition.governance.models import Coalition

pytestmark = pytest.mark.django_db


def test_every_demo_figure_keeps_its_source(demo: Coalition) -> None:
    figures = ReportedFigure.objects.filter(coalition=demo).select_related("source")
    assert {(f.kind, f.year, f.amount, f.source.key) for f in figures} == {
        ("provided", 2024, Decimal("1800000000.00"), "article-2025-05"),
        ("planned", 2025, Decimal("2750000000.00"), "article-2025-05"),
        ("allocated", 2024, Decimal("20000000.00"), "article-2025-05"),
        ("pledged", 2024, Decimal("45000000.00"), "mou-2024-07"),
        ("fund-size", 2024, Decimal("50000000.00"), "press-common-fund"),
        ("fund-size", 2025, Decimal("180000000.00"), "press-common-fund"),
        ("announced", 2025, None, "article-2025-05"),
    }
    coalition_level = figures.exclude(kind="announced")
    assert all(f.country_id is None for f in coalition_level)  # no invented split


def test_latvia_s_2025_plan_is_in_the_ledger_with_its_source(demo: Coalition) -> None:
    rows = {
        c.reference: c
        for c in Contribution.objects.filter(coalition=demo).select_related("source", "fund")
    }
    assert set(rows) == {"LV-2025-drones", "LV-2025-ua-industry"}
    drones, industry = rows["LV-2025-drones"], rows["LV-2025-ua-industry"]
    assert (drones.channel, drones.fund.name) == ("national", "National programme of Latvia")
    assert (industry.channel, industry.origin) == ("industry", "UA")
    assert drones.source is not None and drones.source.key == "article-2025-05"
    step = drones.steps.get()
    assert (step.status, step.amount, step.currency) == ("pledged", Decimal("20000000.00"), "EUR")
    assert LedgerTransaction.objects.filter(idempotency_key__contains="LV-2025").count() == 2


def test_the_march_2024_contribution_and_norway_are_honest(demo: Coalition) -> None:
    recon = ReportedFigure.objects.get(kind="allocated")
    assert "March 2025" in recon.note and recon.category == "tactical-recon"
    norway = ReportedFigure.objects.get(kind="announced")
    assert norway.amount is None and norway.country_id == "NO"
    assert not Contribution.objects.filter(donor_id="NO").exists()
