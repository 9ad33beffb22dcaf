"""Create and revoke the personal tokens used by the analyst feed (listed on the account page)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..models import ApiToken
from ..token_services import create_api_token, revoke_api_token
from ..voice import Form
from .confirm import confirm_page


class TokenForm(Form):
    name = forms.CharField(
        label="Name this token",
        max_length=100,
        error_messages={"required": "Enter a name for this token"},
        help_text="So you know where it is used, e.g. 'Power BI dashboard'.",
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_create(request):
    """GET: the form; POST: make the token and show it, once."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = create_api_token(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("name", error)
        else:
            return render(
                request,
                "partners/tokens_created.html",
                {"token": token, "raw": raw, "page_title": "Your new token"},
            )
    return render(request, "partners/tokens_new.html", {"form": form, "page_title": "Create a feed token"})


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    """Asks first (GET), then revokes one of the user's own tokens (POST), for good."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "GET":
        return confirm_page(
            request,
            partnership=None,
            title=f"Revoke the token ‘{token.name}’?",
            consequences=[
                "Whatever uses it (a dashboard or a script) stops getting data at once.",
                "To carry on, you would create a new token and change it where the old one was used.",
            ],
            button="Revoke token",
            cancel_url=reverse("account"),
            undo=False,
            refusal="This token was revoked already." if token.revoked_at else None,
        )
    revoke_api_token(token=token)
    messages.success(request, f"The token '{token.name}' was revoked; it no longer works.")
    return redirect("account")
