"""The order page's forms after delivery: accept or reject a lot or serials (a rejection
asks for its reason and a confirmation), record a payment, close the order. They shape
what is typed; the services decide the rest."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.procurement.models import RejectionReason

DATE = {"type": "date"}


class AcceptForm(forms.Form):
    lot = forms.CharField(label=_("Lot"), required=False, max_length=100)
    serials = forms.CharField(
        label=_("Or serials"),
        required=False,
        help_text=_("One per line, or separated by commas"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)
    date = forms.DateField(label=_("Inspected on"), widget=forms.DateInput(DATE))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "accept_%s")
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def serial_list(self) -> list[str]:
        text = self.cleaned_data.get("serials") or ""
        return [s for s in text.replace(",", "\n").split() if s]


class RejectForm(AcceptForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)
    confirm = forms.BooleanField(
        label=_("I confirm: these items are rejected, and this cannot be undone")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reject_%s")
        super().__init__(*args, **kwargs)


class PayForm(forms.Form):
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        help_text=_("The bank's or the fund's reference: a payment is recorded once"),
    )
    amount = forms.DecimalField(label=_("Amount"), max_digits=16, decimal_places=2, min_value=0)
    date = forms.DateField(label=_("Paid on"), widget=forms.DateInput(DATE))
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "pay_%s")
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
    date = forms.DateField(label=_("Closed on"), widget=forms.DateInput(DATE))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "close_%s")
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
