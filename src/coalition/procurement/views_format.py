"""What the purchase pages share: names instead of codes in the reader's language
(countries, capability categories), money with its currency and grouped digits, the
purchase navigation of a coalition and what its reader may do there (the access policy
decides; the services decide again on every write)."""

import gettext
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language

from coalition.access.actor import Actor
from coalition.access.policy import may
from coalition.finance.money import from_minor
from coalition.governance.models import Category, Coalition, Country

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}
# What a page may offer, by the policy's action (see coalition.access.policy).
ACTIONS = {
    "enter": "requirement.enter",
    "manage": "competition.manage",
    "review": "offer.review",
    "build": "plan.build",
    "approve": "plan.approve",
    "orders": "order.manage",
    "inspect": "delivery.inspect",
    "pay": "order.pay",
}


def number(value: Decimal | int, places: int = 2) -> str:
    """A number the reader's way: 1,234,567.50 (en), 1 234 567,50 (fr, uk)."""
    return number_format(value, decimal_pos=places, force_grouping=True)


def money(amount: Decimal | int | str, currency: str) -> str:
    """ "€ 1,200.00"; a currency without a symbol here is written by its code."""
    return f"{SYMBOLS.get(currency, currency)}\u00a0{number(Decimal(str(amount)))}"


def money_minor(minor: int, currency: str) -> str:
    return money(from_minor(minor, currency), currency)


def units(value: int) -> str:
    return number(value, 0)


@cache
def _country_names(language: str) -> gettext.NullTranslations:
    import pycountry

    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_name(country: Country | None, code: str = "") -> str:
    """The country's name in the reader's language (pycountry's translations)."""
    if country is None:
        return code
    language = (get_language() or "en")[:2]
    if language == "en":
        return country.name
    return _country_names(language).gettext(country.name)


def category_name(category: Category | None) -> str:
    return category.name_in(get_language()) if category is not None else ""


def days_left(day: date) -> int:
    return (day - timezone.localdate()).days


def purchase_context(actor: Actor, coalition: Coalition) -> dict[str, Any]:
    """The coalition, the purchase navigation and `may`: what the reader may do here."""
    allowed = {key: may(actor, action, coalition=coalition) for key, action in ACTIONS.items()}
    return {"coalition": coalition, "may": allowed}
