"""A worked purchase example, kept apart from the reported facts (facts.py): the coalition's
first major purchase, the EUR 20 M competition for tactical reconnaissance (ISR) drones,
replayed through the procurement services from the money to signed orders.

The sources give only the EUR 20 M and its category, and disagree on the date (the
article: March 2024; press reports: March 2025, `press-isr-2025-03`). The exercise is
dated March 2025. Everything else here is invented to show the platform and says so: the
donors' split, the two national programmes' money, the beneficiary's needs, the
suppliers, their prices and test results, the reviews. Every record carries the source
`demo-exercise` or a note with the word "illustrative".

The figures below are chosen so that the plan can be checked by hand (tests/demo):
the pooled order of ISR-A reaches its 3,500-unit price, which no fund buying alone can
afford, and the plan spends the common fund and Latvia's programme to the cent, so the
unspent money stays in the Netherlands' programme alone.
"""

from datetime import date
from typing import Any

SOURCE: dict[str, Any] = {
    "key": "demo-exercise",
    "title": "Illustrative purchase exercise",
    "publisher": "coalition demo",
    "note": "Illustrative purchase exercise: suppliers, prices, needs and the donors' split "
    "are invented to show the platform; not reported facts.",
}

SOURCES_DIFFER = (
    "sources differ on the date of the EUR 20 M for tactical reconnaissance drones: the "
    "article says March 2024, press reports March 2025 [press-isr-2025-03]; the exercise "
    "is dated March 2025"
)

PLEDGED = date(2025, 2, 14)
DISBURSED = date(2025, 3, 3)
BID_DEADLINE = date(2025, 3, 21)
PLAN_DAY = date(2025, 3, 31)  # the plan is built and approved on this day
TIME_LIMIT = 10.0  # seconds for the whole solve; the scenario is proven optimal in well under 1

CATEGORY = "tactical-recon"

_SPLIT = (
    "Illustrative split of the EUR 20 M reaching the common fund for the ISR competition "
    "DC-ISR-2025 (demo exercise): the sources name NL, GB, LV, NZ and SE as the common "
    "fund's first donors [mou-2024-07] but give no split, so this share is invented; "
    f"{SOURCES_DIFFER}."
)

# Pledged on PLEDGED, disbursed on DISBURSED: (reference, donor, channel, amount, category,
# note). The common fund's five add up to EUR 20 M, EUR 15 M of it earmarked.
CONTRIBUTIONS: list[tuple[str, str, str, str, str, str]] = [
    ("EX-ISR-GB", "GB", "common-fund", "7000000.00", CATEGORY, _SPLIT),
    ("EX-ISR-NL", "NL", "common-fund", "5000000.00", CATEGORY, _SPLIT),
    ("EX-ISR-SE", "SE", "common-fund", "3000000.00", CATEGORY, _SPLIT),
    ("EX-ISR-LV", "LV", "common-fund", "2000000.00", "", _SPLIT),
    ("EX-ISR-NZ", "NZ", "common-fund", "3000000.00", "", _SPLIT),
    (
        "EX-ISR-LV-NP",
        "LV",
        "national",
        "2000000.00",
        "",
        "Illustrative money of Latvia's national programme, brought into the ISR "
        "competition DC-ISR-2025 (demo exercise); invented, and apart from Latvia's "
        "reported 2025 plan (LV-2025-drones), which stays pledged.",
    ),
    (
        "EX-ISR-NL-NP",
        "NL",
        "national",
        "3000000.00",
        "",
        "Illustrative money of the Netherlands' national programme, brought into the ISR "
        "competition DC-ISR-2025 (demo exercise); invented. What the plan leaves unspent "
        "stays here.",
    ),
]

# The programmes that join the competition, each by its own delegation's user.
JOINS: list[tuple[str, str]] = [("LV", "delegate-lv"), ("NL", "delegate-nl")]

BENEFICIARY_USER = "beneficiary-ua"

# (reference, quantity, weight, needed_by, priority, note)
REQUIREMENTS: list[tuple[str, int, str, date, str, str]] = [
    (
        "ISR-UA-1",
        1500,
        "10",
        date(2025, 6, 30),
        "critical",
        "Illustrative need (demo exercise): reconnaissance drones for brigades on the "
        "front line before the summer.",
    ),
    (
        "ISR-UA-2",
        1500,
        "6",
        date(2025, 9, 30),
        "high",
        "Illustrative need (demo exercise): replacement of the brigades' losses.",
    ),
    (
        "ISR-UA-3",
        1000,
        "3",
        date(2025, 12, 15),
        "normal",
        "Illustrative need (demo exercise): training units and reserves.",
    ),
]

COMPETITION: dict[str, Any] = {
    "reference": "DC-ISR-2025",
    "category": CATEGORY,
    "budget": "20000000",
    "currency": "EUR",
    "bid_deadline": BID_DEADLINE,
    "trial_quantity": 100,
}
CLOSE_NOTE = (
    "Illustrative purchase exercise (demo): the coalition's first major purchase, the "
    f"EUR 20 M ISR drone competition; {SOURCES_DIFFER}."
)
PLAN_NAME = "DC-ISR-2025, 31 Mar 2025 (illustrative exercise; sources differ on the date)"

# reference: (supplier, supplier's country, origin, capacity per 30 days, lead time in
# days, received on, all-units tiers (min quantity, unit price in EUR))
OFFERS: dict[str, tuple[str, str, str, int, int, date, list[tuple[int, str]]]] = {
    "ISR-A": (
        "Zoria Recon Systems (illustrative)",
        "UA",
        "UA",
        600,
        30,
        date(2025, 3, 12),
        [(1, "6500.00"), (1000, "6100.00"), (3500, "5600.00")],
    ),
    "ISR-B": (
        "Steppe Eye Drones (illustrative)",
        "UA",
        "UA",
        250,
        15,
        date(2025, 3, 14),
        [(1, "6900.00"), (400, "6400.00")],
    ),
    "ISR-C": (
        "Gauja Aerial (illustrative)",
        "LV",
        "LV",
        200,
        40,
        date(2025, 3, 17),
        [(1, "7200.00"), (300, "6700.00")],
    ),
    "ISR-D": (
        "Polder UAS (illustrative)",
        "NL",
        "NL",
        150,
        30,
        date(2025, 3, 19),
        [(1, "5900.00")],
    ),
}

TRIAL_SITE = "Test range in Ukraine (illustrative)"
TRIAL_NOTE = "Illustrative test result (demo exercise)."
# Polder UAS is not tested: its offer is capped at the competition's trial quantity.
TRIALS: list[tuple[str, date]] = [
    ("Zoria Recon Systems (illustrative)", date(2025, 3, 24)),
    ("Steppe Eye Drones (illustrative)", date(2025, 3, 25)),
    ("Gauja Aerial (illustrative)", date(2025, 3, 26)),
]

# (delegate user, offer, score, comment)
REVIEWS: list[tuple[str, str, int, str]] = [
    (
        "delegate-nl",
        "ISR-A",
        4,
        "Illustrative review (demo exercise): the lowest price for a large pooled order, "
        "and the capacity to deliver most of the year's needs.",
    ),
    (
        "delegate-se",
        "ISR-D",
        3,
        "Illustrative review (demo exercise): a good unit price, but not yet tested: no "
        "more than the trial quantity until it passes.",
    ),
]

# What arrived, was inspected and paid (all illustrative). Zoria delivers 600 a month from
# May, falls behind in September and is late on ISR-UA-1 (1,200 of its 1,220 by 30 June),
# ISR-UA-2 and ISR-UA-3; its fourth lot is accepted and not yet paid, its fifth awaits
# inspection. Steppe Eye delivers, is paid and closed. Polder UAS: four serials of its lot
# fail inspection and are replaced by a second delivery; paid in two parts, then closed.
ZORIA_ORDER, STEPPE_ORDER, POLDER_ORDER = "PO-2025-0001", "PO-2025-0002", "PO-2025-0003"

# (order, lot, serial prefix, first serial number, units, delivered on)
DELIVERIES: list[tuple[str, str, str, int, int, date]] = [
    (STEPPE_ORDER, "SE-01", "SED-ISR-", 1, 180, date(2025, 4, 28)),
    (ZORIA_ORDER, "ZR-01", "ZRS-25-", 1, 600, date(2025, 5, 2)),
    (POLDER_ORDER, "PU-01", "PUAS-", 1001, 100, date(2025, 5, 12)),
    (ZORIA_ORDER, "ZR-02", "ZRS-25-", 601, 600, date(2025, 6, 2)),
    (ZORIA_ORDER, "ZR-03", "ZRS-25-", 1201, 600, date(2025, 7, 2)),
    (ZORIA_ORDER, "ZR-04", "ZRS-25-", 1801, 600, date(2025, 8, 4)),
    (ZORIA_ORDER, "ZR-05", "ZRS-25-", 2401, 400, date(2025, 9, 15)),
]
REJECTED = ["PUAS-01007", "PUAS-01023", "PUAS-01058", "PUAS-01091"]  # Polder's failed four
REJECTION_NOTE = "Illustrative (demo exercise): the camera gimbal fails the cold-soak test."
# The replacements of the rejected four: (serial, replaces), delivered on REPLACED_ON
REPLACEMENTS = [(f"PUAS-{1101 + i:05d}", serial) for i, serial in enumerate(REJECTED)]
REPLACED_ON = date(2025, 6, 10)
INSPECTION_NOTE = "Illustrative inspection (demo exercise)."

# (order, lot or "" for serials, serials, verdict, reason, decided on)
INSPECTIONS: list[tuple[str, str, list[str], str, str, date]] = [
    (STEPPE_ORDER, "SE-01", [], "accepted", "", date(2025, 5, 2)),
    (ZORIA_ORDER, "ZR-01", [], "accepted", "", date(2025, 5, 8)),
    (POLDER_ORDER, "", REJECTED, "rejected", "failed-inspection", date(2025, 5, 16)),
    (POLDER_ORDER, "PU-01", [], "accepted", "", date(2025, 5, 16)),
    (ZORIA_ORDER, "ZR-02", [], "accepted", "", date(2025, 6, 6)),
    (POLDER_ORDER, "", [s for s, _r in REPLACEMENTS], "accepted", "", date(2025, 6, 13)),
    (ZORIA_ORDER, "ZR-03", [], "accepted", "", date(2025, 7, 7)),
    (ZORIA_ORDER, "ZR-04", [], "accepted", "", date(2025, 8, 12)),
]

# (order, reference, amount in EUR, paid on)
PAYMENTS: list[tuple[str, str, str, date]] = [
    (STEPPE_ORDER, "PAY-2025-001", "1242000.00", date(2025, 5, 15)),
    (POLDER_ORDER, "PAY-2025-002", "566400.00", date(2025, 5, 30)),
    (ZORIA_ORDER, "PAY-2025-003", "6720000.00", date(2025, 6, 20)),
    (POLDER_ORDER, "PAY-2025-004", "23600.00", date(2025, 6, 20)),
    (ZORIA_ORDER, "PAY-2025-005", "3360000.00", date(2025, 7, 25)),
]
PAYMENT_NOTE = "Illustrative payment (demo exercise)."

# (order, closed on, reason)
CLOSINGS: list[tuple[str, date, str]] = [
    (STEPPE_ORDER, date(2025, 5, 20), "Illustrative (demo exercise): delivered and paid."),
    (POLDER_ORDER, date(2025, 6, 30), "Illustrative (demo exercise): delivered and paid."),
]


def manifest(rows: list[tuple[str, str, str, int, int, date]]) -> str:
    """The deliveries as the suppliers' manifest (CSV, CONTRACT.md)."""
    lines = ["serial,order,delivered_on,lot"]
    for order, lot, prefix, first, units, day in rows:
        lines += [f"{prefix}{n:05d},{order},{day},{lot}" for n in range(first, first + units)]
    return "\n".join(lines) + "\n"


def replacement_manifest() -> str:
    lines = ["serial,order,delivered_on,lot,replaces"]
    lines += [f"{s},{POLDER_ORDER},{REPLACED_ON},PU-02,{r}" for s, r in REPLACEMENTS]
    return "\n".join(lines) + "\n"
