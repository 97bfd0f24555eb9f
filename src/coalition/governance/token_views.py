"""The page of one's own API tokens: list them, create one (its secret shown once, in the
answer to the form, never stored or put in the session), revoke one after confirming.
Everyone manages only their own here; an administrator revokes others' with
`coalition token revoke`."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coalition.access import policy
from coalition.access.actor import actor_of
from coalition.errors import DomainError
from coalition.governance.models import TokenScope
from coalition.governance.selectors_tokens import tokens_list
from coalition.governance.services.tokens import token_create, token_revoke
from coalition.web.errors import form_error


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("What the token is for, e.g. the script that uses it."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,  # least privilege unless the person asks for writes
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Expires in"),
        coerce=int,
        initial=90,
        choices=[
            (7, gettext_lazy("7 days")),
            (30, gettext_lazy("30 days")),
            (90, gettext_lazy("90 days")),
            (365, gettext_lazy("365 days")),
        ],
    )


@login_required
def tokens_page(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    policy.require(actor, "token.view")
    secret = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            secret = token_create(
                actor=actor,
                username=actor.name,
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["scope"] == TokenScope.READ,
                expires=timezone.now() + timedelta(days=form.cleaned_data["days"]),
            )
        except DomainError as error:
            form_error(form, error)
        else:
            form = TokenForm()
    now = timezone.now()
    context = {
        "tokens": [(t, t.status(now)) for t in tokens_list(actor=actor)],
        "form": form,
        "secret": secret,
    }
    return render(request, "governance/tokens.html", context)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = actor_of(request)
    policy.require(actor, "token.view")
    token = token_revoke(actor=actor, token_id=token_id)
    message = _("The token %(prefix)s… is revoked: it no longer works.")
    messages.success(request, message % {"prefix": token.prefix})
    return redirect("account-tokens")
