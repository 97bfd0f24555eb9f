from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.finance.models import STATUS_ORDER, Channel, Status
from coalition.finance.money import is_currency


class PledgeFileForm(forms.Form):
    file = forms.FileField(
        label=_("Pledge file (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ContributionForm(forms.Form):
    """A contribution's step by hand; the service checks it (same rules as a file)."""

    reference = forms.CharField(label=_("Reference"), max_length=100)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    donor = forms.ChoiceField(label=_("Donor"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, decimal_places=3, max_digits=20)
    # No default: a GBP pledge must not be recorded as EUR because nobody changed a field.
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        help_text=_("The ISO 4217 code of the amount as the donor gave it, e.g. GBP, EUR, SEK."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "size": 4}),
    )
    category = forms.ChoiceField(label=_("Earmark: category"), required=False)
    origin = forms.CharField(label=_("Earmark: origin"), max_length=2, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(
        self,
        *args: object,
        donors: list[tuple[str, str]],
        categories: list[tuple[str, str]] | None = None,
        fixed: dict[str, object] | None = None,
        from_status: str | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["donor"].choices = donors  # type: ignore[attr-defined]
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("none")),
            *(categories or []),
        ]
        for name, value in (fixed or {}).items():
            self.fields[name].initial = value
            self.fields[name].disabled = True
        # A new contribution starts at the first step; an existing one offers its next
        # step first (its current one stays, to correct it).
        self.fields["status"].initial = STATUS_ORDER[0]
        if from_status is not None:
            at = STATUS_ORDER.index(from_status)
            allowed = STATUS_ORDER[at:]
            self.fields["status"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Status.choices if value in allowed
            ]
            self.fields["status"].initial = STATUS_ORDER[min(at + 1, len(STATUS_ORDER) - 1)]

    def clean_currency(self) -> str:
        code = str(self.cleaned_data["currency"]).strip().upper()
        if not is_currency(code):
            raise forms.ValidationError(
                _("“%(code)s” is not an ISO 4217 currency code."), params={"code": code}
            )
        return code


class LedgerFilterForm(forms.Form):
    """The fund ledger's filters: a date that is not a date, or a From after Until, is an
    error beside its field, never silently dropped."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("start", _("“From” is after “Until”: choose an earlier date."))
        return data
