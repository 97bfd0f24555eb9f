"""Every ISO 3166-1 country, from pycountry (a maintained list, not a typed one)."""

import pycountry

from coalition.governance.models import Country


def countries_load() -> int:
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    existing = set(Country.objects.values_list("code", flat=True))
    created = Country.objects.bulk_create(
        Country(code=code, name=name)
        for code, name in sorted(names.items())
        if code not in existing
    )
    return len(created)
