"""The capability categories the platform starts with (docs/CONTRACT.md lists the slugs),
written by a migration; administrators may add and rename."""

from typing import Any

CATEGORIES: list[tuple[str, str, str, str]] = [
    ("tactical-recon", "Tactical reconnaissance", "Reconnaissance tactique", "Тактична розвідка"),
    ("fpv", "FPV strike", "Frappe FPV", "FPV-ураження"),
    ("interceptor", "Interceptor", "Intercepteur", "Перехоплювач"),
    ("long-range", "Long-range strike", "Frappe à longue portée", "Далекобійне ураження"),
    ("maritime", "Maritime", "Maritime", "Морські"),
    ("ground", "Ground robotic", "Robotique terrestre", "Наземні роботизовані"),
    ("counter-drone", "Counter-drone / EW", "Lutte anti-drone / GE", "Протидія дронам / РЕБ"),
    (
        "components",
        "Components and spare parts",
        "Composants et pièces",
        "Компоненти та запчастини",
    ),
]


def categories_load(model: Any, using: str = "default") -> int:
    """Add the starting categories that are missing; returns how many were added."""
    existing = set(model.objects.using(using).values_list("slug", flat=True))
    created = model.objects.using(using).bulk_create(
        model(slug=slug, name_en=en, name_fr=fr, name_uk=uk, position=index)
        for index, (slug, en, fr, uk) in enumerate(CATEGORIES)
        if slug not in existing
    )
    return len(created)
