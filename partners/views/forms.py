"""The one form page of the administration screens (directory, people, groups, yearly cycle)."""

from django.shortcuts import render


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
