"""A person's choice of routine emails (the update rounds' requests are always sent)."""

import functools

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ..forms import ReminderPreferenceForm
from ..models import ReminderPreference
from ..services import reminder_preference_set
from .forms import form_page


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    """Weekly or no digest of one's stale actions; linked from every optional email."""
    form = ReminderPreferenceForm(
        request.POST or None, initial={"stale_digest": ReminderPreference.digest_for(request.user)}
    )
    return form_page(
        request,
        None,
        form,
        functools.partial(reminder_preference_set, user=request.user),
        saved="Your email choice is saved.",
        next_url=reverse("account"),
        title="Emails about your actions",
        cancel_url=reverse("account"),
        template="partners/reminders.html",
    )
