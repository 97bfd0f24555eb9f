"""The purchase pages' forms. They only shape what is typed (a number is a number, a
date a date); the services check everything else and their refusals are put beside the
fields by coalition.web.errors.form_error."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.procurement.models import Priority

TIERS = 3  # price tiers the offer form offers; a file holds any number
DATE = {"type": "date"}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class RequirementForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=100)
    category = forms.ChoiceField(label=_("Category"))
    quantity = forms.IntegerField(label=_("Quantity (units)"), min_value=1)
    weight = forms.DecimalField(
        label=_("Weight"),
        help_text=_("What one unit on time is worth against the other needs"),
        initial=1,
        max_digits=16,
        decimal_places=6,
    )
    needed_by = forms.DateField(label=_("Needed by"), widget=forms.DateInput(DATE))
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = categories  # type: ignore[attr-defined]


class CompetitionForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=100)
    category = forms.ChoiceField(label=_("Category"))
    budget = forms.DecimalField(label=_("Budget"), max_digits=20, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR")
    bid_deadline = forms.DateField(label=_("Bid deadline"), widget=forms.DateInput(DATE))
    trial_quantity = forms.IntegerField(
        label=_("Trial quantity"),
        help_text=_("At most this many units from a supplier without a passed test"),
        min_value=0,
        initial=0,
        required=False,
    )

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = categories  # type: ignore[attr-defined]


class OfferForm(forms.Form):
    """One offer by hand: the columns of an offers file, and up to TIERS price tiers."""

    offer = forms.CharField(label=_("Offer reference"), max_length=100)
    supplier = forms.CharField(label=_("Supplier"), max_length=200)
    supplier_country = forms.ChoiceField(label=_("Supplier's country"))
    origin = forms.ChoiceField(label=_("Made in"))
    capacity_per_30_days = forms.IntegerField(label=_("Units per 30 days"), min_value=1)
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=0)
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(DATE)
    )

    def __init__(self, *args: Any, countries: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("supplier_country", "origin"):
            self.fields[name].choices = countries  # type: ignore[attr-defined]
        for n in range(1, TIERS + 1):
            self.fields[f"min_quantity_{n}"] = forms.IntegerField(
                label=_("Tier %(n)s: from (units)") % {"n": n}, min_value=1, required=n == 1
            )
            self.fields[f"unit_price_{n}"] = forms.DecimalField(
                label=_("Tier %(n)s: unit price") % {"n": n},
                max_digits=20,
                decimal_places=2,
                required=n == 1,
            )

    def tiers(self) -> list[tuple[int, str]]:
        data = self.cleaned_data
        return [
            (data[f"min_quantity_{n}"], str(data[f"unit_price_{n}"]))
            for n in range(1, TIERS + 1)
            if data.get(f"min_quantity_{n}") is not None and data.get(f"unit_price_{n}") is not None
        ]

    def offer_fields(self) -> dict[str, object]:
        data = self.cleaned_data
        names = ("offer", "supplier", "supplier_country", "origin")
        fields: dict[str, object] = {name: data[name] for name in names}
        fields["capacity_per_30_days"] = data["capacity_per_30_days"]
        fields["lead_time_days"] = data["lead_time_days"]
        fields["valid_until"] = data["valid_until"].isoformat() if data["valid_until"] else ""
        return fields


class ReviewForm(forms.Form):
    """On the competition page beside the offer form: its own element ids."""

    offer = forms.ChoiceField(label=_("Offer"))
    score = forms.TypedChoiceField(
        label=_("Score"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        help_text=_("5: best"),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: Any, offers: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "review_%s")
        super().__init__(*args, **kwargs)
        self.fields["offer"].choices = offers  # type: ignore[attr-defined]


class BuildForm(forms.Form):
    competitions = forms.MultipleChoiceField(
        label=_("Closed competitions"), widget=forms.CheckboxSelectMultiple
    )
    on = forms.DateField(
        label=_("Balances of the funds on"),
        widget=forms.DateInput(DATE),
        help_text=_("The money available in the funds on this day pays for the plan"),
    )

    def __init__(self, *args: Any, competitions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competitions"].choices = competitions  # type: ignore[attr-defined]


class AmendForm(forms.Form):
    quantity = forms.IntegerField(label=_("New quantity (fewer units)"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class CancelForm(forms.Form):
    """On the order page beside the amendment form: its own element ids."""

    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "cancel_%s")
        super().__init__(*args, **kwargs)
