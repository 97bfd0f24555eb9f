"""The drone coalition as the seed article and public reporting describe it.

Every fact names its source. Where a source gives only a month, the date is the first of
that month and the note says so; where sources disagree, the note keeps all of them.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

COALITION: dict[str, Any] = {
    "slug": "drone-coalition",
    "name": "Drone Coalition",
    "founded": date(2024, 2, 14),
    "format": "Ukraine Defense Contact Group (UDCG, 'Ramstein format') capability coalition",
    "description": (
        "Also 'Drone Capability Coalition'. Letters of intent signed on 14 Feb 2024 at the "
        "19th UDCG meeting; launch announced by Ukraine's MoD on 17 Feb 2024. Led by Latvia "
        "(chair and coordinator) and the United Kingdom (co-lead, manager of the common "
        "procurement fund). Ambition: one million FPV drones; at least 100,000 delivered by "
        "May 2025."
    ),
    "source": "udcg-loi-2024",
}

SOURCES: list[dict[str, Any]] = [
    {
        "key": "article-2025-05",
        "title": "La Turquie et la Belgique cherchent à rejoindre la « coalition des drones » "
        "pour l'Ukraine : une nouvelle étape du soutien international",
        "publisher": "press article (French), citing Latvia's MoD and minister Andris Sprūds",
        "published": date(2025, 5, 29),
        "note": "Written right after the coalition's summit of Wednesday 28 May 2025 in Riga.",
    },
    {
        "key": "udcg-loi-2024",
        "title": "Letters of intent signed at the 19th UDCG meeting",
        "publisher": "Ukraine Defense Contact Group; Ukraine's MoD announced the launch",
        "published": date(2024, 2, 14),
        "note": "Launch announced by Ukraine's MoD on 17 Feb 2024.",
    },
    {
        "key": "mou-2024-07",
        "title": "Memorandum of understanding of the Drone Coalition",
        "publisher": "Drone Coalition members",
        "published": date(2024, 7, 10),
        "note": "Management structure, procurement mechanisms and the UK-led Drone Coalition "
        "Common Fund; initial pledges of more than EUR 45 M from NL, GB, LV, NZ and SE.",
    },
    {
        "key": "riga-2024-10",
        "title": "Luxembourg admitted to the Drone Coalition by unanimous support",
        "publisher": "Drone Coalition steering committee (management group), Riga",
        "published": date(2024, 10, 31),
    },
    {
        "key": "lsm-2024-11-05",
        "title": "Latvia's 2025 drone plans",
        "publisher": "LSM (Latvian public broadcaster)",
        "published": date(2024, 11, 5),
    },
    {
        "key": "press-reports",
        "title": "Public press reporting on the Drone Coalition (2024-2025)",
        "publisher": "Ukrainian, Turkish and international press",
        "note": "Join dates of individual members, common fund size, UK MoD competitions.",
    },
    {
        "key": "norway-2025",
        "title": "Norway joins the Drone Coalition",
        "publisher": "press reports",
        "published": date(2025, 2, 12),
        "note": "Sources differ: announced 12 Feb 2025, signed 15 or 19 Feb 2025, "
        "'officially' 11 Apr 2025.",
    },
]


@dataclass(frozen=True)
class Joined:
    country: str
    start: date
    source: str
    note: str = ""
    roles: tuple[str, ...] = ()
    role_start: date | None = None  # when an extra role began later than membership


MONTH_ONLY = "the sources give the month only"

MEMBERS = [
    Joined(
        "LV",
        date(2023, 12, 1),
        "press-reports",
        f"founder, chair and coordinator; {MONTH_ONLY}",
        ("chair",),
    ),
    Joined(
        "UA",
        date(2023, 12, 1),
        "press-reports",
        f"founder and beneficiary; a full member that votes on accessions; {MONTH_ONLY}",
        ("beneficiary",),
    ),
    Joined(
        "GB",
        date(2024, 1, 1),
        "press-reports",
        f"co-lead; manages the common fund set up by the MoU of 10 Jul 2024; {MONTH_ONLY}",
        ("fund-manager",),
        date(2024, 7, 10),
    ),
    Joined("SE", date(2024, 1, 1), "press-reports", MONTH_ONLY),
    Joined("NL", date(2024, 2, 14), "udcg-loi-2024", "letter of intent"),
    Joined("DE", date(2024, 2, 14), "udcg-loi-2024", "letter of intent"),
    Joined("EE", date(2024, 2, 14), "udcg-loi-2024", "letter of intent"),
    Joined("LT", date(2024, 2, 14), "udcg-loi-2024", "letter of intent"),
    Joined("DK", date(2024, 2, 14), "udcg-loi-2024", "letter of intent"),
    Joined("CA", date(2024, 3, 7), "press-reports", "reported as 7-8 Mar 2024"),
    Joined("AU", date(2024, 3, 21), "press-reports"),
    Joined(
        "PL",
        date(2024, 6, 1),
        "press-reports",
        "date uncertain: a member by Jun 2024; signed the MoU 10-11 Jul 2024",
    ),
    Joined("IT", date(2024, 6, 1), "press-reports", f"NATO defence ministerial; {MONTH_ONLY}"),
    Joined("FR", date(2024, 6, 1), "press-reports", f"NATO defence ministerial; {MONTH_ONLY}"),
    Joined("NZ", date(2024, 7, 10), "mou-2024-07"),
    Joined("CZ", date(2024, 7, 11), "mou-2024-07", "MoU signed; announced 22 Jul 2024"),
    Joined("LU", date(2024, 10, 31), "riga-2024-10", "admitted by unanimous support, Riga"),
    Joined(
        "NO",
        date(2025, 2, 12),
        "norway-2025",
        "sources differ: announced 12 Feb, signed 15 or 19 Feb, 'officially' 11 Apr 2025",
    ),
]

SUMMIT_2025: dict[str, Any] = {
    "date": date(2025, 5, 28),
    "place": "Riga",
    "kind": "summit",
    "title": "Drone Coalition summit",
    "source": "article-2025-05",
}

CANDIDATES: list[dict[str, Any]] = [
    {
        "country": "TR",
        "submitted": date(2025, 5, 28),
        "note": "Applied at the 28 May 2025 summit. Reported later: approved by the steering "
        "committee on 2 Jun 2025; the demo leaves it pending, as the article does.",
        "source": "article-2025-05",
    },
    {
        "country": "BE",
        "submitted": date(2025, 5, 28),
        "note": "Applied at the 28 May 2025 summit. Reported later: approved by the steering "
        "committee on 2 Jun 2025; the demo leaves it pending, as the article does.",
        "source": "article-2025-05",
    },
]

ARTICLE_DATE = date(2025, 5, 28)
DEMO_PASSWORD = "demo"

# Money (finance). Where a source gives only a coalition total, it is recorded as such
# (a reported figure) and never split into invented per-country contributions.
MONEY_SOURCES: list[dict[str, Any]] = [
    {
        "key": "press-isr-2025-03",
        "title": "Reports dating the Drone Coalition's tactical reconnaissance (ISR) drone "
        "tender to March 2025",
        "publisher": "press reports",
        "note": "They date the first EUR 20 M for tactical reconnaissance drones to March 2025; "
        "the article says March 2024.",
    },
    {
        "key": "press-common-fund",
        "title": "Reports on the size of the Drone Coalition Common Fund",
        "publisher": "Ukrainian and Turkish press",
        "note": "About EUR 50 M by November 2024 and about EUR 180 M by May 2025.",
    },
]

REPORTED_FIGURES: list[dict[str, Any]] = [
    {
        "kind": "provided",
        "year": 2024,
        "amount": "1800000000",
        "approximate": True,
        "as_of": date(2025, 5, 28),
        "description": "Support to Ukraine provided by the coalition in 2024 (coalition total)",
        "note": "'about EUR 1.8 bn'; the source gives no split per member",
        "source": "article-2025-05",
    },
    {
        "kind": "planned",
        "year": 2025,
        "amount": "2750000000",
        "approximate": True,
        "as_of": date(2025, 5, 28),
        "description": "Investment planned by the coalition for 2025 (coalition total)",
        "note": "'nearly EUR 2.75 bn'; the source gives no split per member",
        "source": "article-2025-05",
    },
    {
        "kind": "allocated",
        "year": 2024,
        "amount": "20000000",
        "as_of": date(2024, 3, 1),
        "channel": "common-fund",
        "category": "tactical-recon",
        "description": "The coalition's first major contribution: tactical reconnaissance drones "
        "for Ukraine's armed forces",
        "note": "The article says March 2024 (month only: dated 1 Mar 2024); other reports "
        "date this ISR tender to March 2025 [press-isr-2025-03]. No donor is named, so none "
        "is invented.",
        "source": "article-2025-05",
    },
    {
        "kind": "pledged",
        "year": 2024,
        "amount": "45000000",
        "approximate": True,
        "as_of": date(2024, 7, 10),
        "channel": "common-fund",
        "description": "Initial pledges to the common fund from NL, GB, LV, NZ and SE",
        "note": "'more than EUR 45 M' in all; no split per country is given",
        "source": "mou-2024-07",
    },
    {
        "kind": "fund-size",
        "year": 2024,
        "amount": "50000000",
        "approximate": True,
        "as_of": date(2024, 11, 1),
        "channel": "common-fund",
        "description": "Size of the common fund by November 2024",
        "note": "month only",
        "source": "press-common-fund",
    },
    {
        "kind": "fund-size",
        "year": 2025,
        "amount": "180000000",
        "approximate": True,
        "as_of": date(2025, 5, 1),
        "channel": "common-fund",
        "description": "Size of the common fund by May 2025",
        "note": "month only",
        "source": "press-common-fund",
    },
    {
        "kind": "announced",
        "year": 2025,
        "amount": None,
        "as_of": date(2025, 5, 28),
        "country": "NO",
        "channel": "industry",
        "origin": "UA",
        "description": "Norway: additional funds specifically for the production of Ukrainian "
        "drones",
        "note": "The article gives no amount, so none is recorded, and no contribution enters "
        "the ledger until an amount is known.",
        "source": "article-2025-05",
    },
]

# Latvia's plan for 2025, the one per-member amount the sources give. Dated on the
# article's date (LSM reported the plan on 5 Nov 2024), so it counts in 2025, its year.
CONTRIBUTIONS: list[dict[str, Any]] = [
    {
        "reference": "LV-2025-drones",
        "date": ARTICLE_DATE,
        "donor": "LV",
        "channel": "national",
        "status": "pledged",
        "amount": "20000000",
        "currency": "EUR",
        "note": "Latvia's 2025 plan: EUR 20 M for drone purchases (also LSM, 5 Nov 2024)",
        "source": "article-2025-05",
    },
    {
        "reference": "LV-2025-ua-industry",
        "date": ARTICLE_DATE,
        "donor": "LV",
        "channel": "industry",
        "status": "pledged",
        "amount": "10000000",
        "currency": "EUR",
        "origin": "UA",
        "note": "Latvia's 2025 plan: EUR 10 M for joint projects with Ukrainian companies "
        "(also LSM, 5 Nov 2024)",
        "source": "article-2025-05",
    },
]
