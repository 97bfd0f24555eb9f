"""What pooling buys, in one sentence a minister reads: units on time and money, in the
reader's language."""

import pytest
from django.utils import translation

from coalition.procurement.views_plans import _proof, pooling_sentence


def _plan(pooled: list[int], alone: list[int], cost: str, separate_cost: str) -> dict:
    def coverage(covered: list[int]) -> list[dict]:
        return [
            {"requirement": f"R-{n}", "covered": c, "quantity": 500} for n, c in enumerate(covered)
        ]

    return {
        "value": sum(pooled) * 10,
        "cost": cost,
        "coverage": coverage(pooled),
        "separate": {
            "value": sum(alone) * 10,
            "cost": separate_cost,
            "orders": [],
            "coverage": coverage(alone),
        },
    }


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "en",
            "Pooling covers 18 more units on time than each fund buying alone, "
            "for €\u00a013,500.00 more.",
        ),
        (
            "fr",
            "La mise en commun couvre à temps 18 unités de plus que chaque fonds achetant "
            "seul, pour €\u00a013\u00a0500,00 de plus.",
        ),
    ],
)
def test_more_units_for_more_money(language: str, sentence: str) -> None:
    plan = _plan([300, 118], [300, 100], "513500.00", "500000.00")
    with translation.override(language):
        assert pooling_sentence(plan, "EUR") == sentence


def test_more_units_for_less_money_and_one_unit() -> None:
    plan = _plan([301], [300], "400000.00", "450000.00")
    with translation.override("en"):
        assert pooling_sentence(plan, "EUR") == (
            "Pooling covers 1 more unit on time than each fund buying alone, "
            "for €\u00a050,000.00 less."
        )


def test_the_same_units_for_less_money() -> None:
    plan = _plan([300], [300], "420000.00", "450000.00")
    with translation.override("en"):
        assert pooling_sentence(plan, "EUR") == (
            "Pooling covers the same needs on time as each fund buying alone, "
            "for €\u00a030,000.00 less."
        )


@pytest.mark.parametrize(
    ("row", "said"),
    [
        ({"status": "optimal", "gap": 0.0}, "proven optimal"),
        ({"status": "feasible", "gap": 0.0}, "value proven"),
        ({"status": "feasible", "gap": 0.000019}, "within 0.0019 % of the best"),
    ],
)
def test_each_one_more_million_says_how_sure_it_is(row: dict, said: str) -> None:
    with translation.override("en"):
        assert _proof(row) == said
