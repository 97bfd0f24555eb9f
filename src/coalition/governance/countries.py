"""Every ISO 3166-1 country, from pycountry (a maintained list, not a typed one)."""

from typing import Any

import pycountry

from coalition.governance.models import Country


def countries_load(model: Any = Country, using: str = "default") -> int:
    """Add the countries that are missing (none, usually); `model` may be a migration's."""
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    existing = set(model.objects.using(using).values_list("code", flat=True))
    created = model.objects.using(using).bulk_create(
        model(code=code, name=name) for code, name in sorted(names.items()) if code not in existing
    )
    return len(created)
