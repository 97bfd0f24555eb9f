"""The audit page's forms: the log's filters (a bad date, or "from" after "until", is an
error beside its field) and the upload of an earlier export of the days' heads."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.audit.selectors_log import LogFilters


class LogFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor (username)"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=100)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: declared here, so the query reads ?from=&until=
        date_input = {"type": "date"}
        self.fields["from"] = forms.DateField(
            label=_("From"), required=False, widget=forms.DateInput(date_input, "%Y-%m-%d")
        )
        self.fields["until"] = forms.DateField(
            label=_("Until"), required=False, widget=forms.DateInput(date_input, "%Y-%m-%d")
        )
        for name in ("from", "until"):
            self.fields[name].error_messages["invalid"] = _("Not a date: give it as YYYY-MM-DD.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("until")
        if start and end and start > end:
            self.add_error(
                "from",
                _("“From” (%(start)s) is after “until” (%(end)s).")
                % {"start": start.isoformat(), "end": end.isoformat()},
            )
        return data

    def filters(self) -> LogFilters:
        """The filters of a valid form."""
        data = self.cleaned_data
        return LogFilters(
            actor=data["actor"].strip(),
            action=data["action"].strip(),
            object_type=data["object_type"].strip(),
            object_id=data["object_id"].strip(),
            start=data.get("from"),
            end=data.get("until"),
        )


class HeadsCompareForm(forms.Form):
    file = forms.FileField(label=_("An earlier export of the days' heads (JSON or CSV)"))
