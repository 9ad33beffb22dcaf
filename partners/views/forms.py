"""The one form page of the administration screens (directory, people, groups, yearly cycle)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def render_form_page(
    request,
    partnership,
    form,
    *,
    title,
    cancel_url,
    submit_label="Save",
    template="partners/directory_form.html",
    **extra,
):
    """A GOV.UK form page for ``partnership``: 400 when a posted form is shown again with its errors."""
    context = {
        "partnership": partnership,
        "form": form,
        "page_title": title,
        "cancel_url": cancel_url,
        "submit_label": submit_label,
        **extra,
    }
    return render(request, template, context, status=400 if form.is_bound else 200)


def form_page(request, partnership, form, save, *, saved, next_url, error_field=None, **page):
    """The round trip of a form page: a valid POST goes through ``save(**form.cleaned_data)``
    (a service, its other arguments bound with ``functools.partial``), then says ``saved``
    and redirects to ``next_url``; a refusal (``ValidationError``) shows the form again with
    the service's message on ``error_field``. ``saved`` and ``next_url`` may be functions of
    what ``save`` returned. ``page`` goes to ``render_form_page``."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(error_field, error)
        else:
            messages.success(request, saved(result) if callable(saved) else saved)
            return redirect(next_url(result) if callable(next_url) else next_url)
    return render_form_page(request, partnership, form, **page)
