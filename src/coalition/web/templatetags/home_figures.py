"""The home page's figures at a glance for each coalition (coalition.reporting.headlines)."""

from django import template

from coalition.governance.models import Coalition
from coalition.reporting.headlines import Headline, headline

register = template.Library()


@register.simple_tag
def coalition_headline(coalition: Coalition) -> Headline:
    return headline(coalition)
