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
