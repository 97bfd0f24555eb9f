"""Forms of the governance pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MembersOnForm(forms.Form):
    """The coalition page's "members on" date: a date that is not a date is an error beside
    its field, and the page falls back to today's members."""

    on = forms.DateField(
        label=_("Members on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
