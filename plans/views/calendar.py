"""The statutory calendar of a partnership: its duties (with update deadlines and meetings) by
month, the duties added, changed, removed and marked done, and the ``.ics`` feed with its
secret address.

Members of the partnership see the calendar and subscribe to it; its administrators add,
change and remove duties and set their owners; a duty's owner and the administrators mark it
done (``StatutoryDuty.owner``). The feed answers a secret address without a session
(``calendar_services.authenticate_calendar_token``): a wrong, revoked or old one is a 404.
"""

import datetime
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partners.access import get_partnership_for_user
from partners.views.forms import form_page, render_form_page

from .. import calendar_services as services
from ..calendar_entries import Show, by_month, calendar_entries
from ..calendar_feed import feed_ics
from ..calendar_forms import DefaultDutiesForm, DutyDoneForm, DutyForm
from ..calendar_models import CalendarFeedToken, StatutoryDuty

FORM = "plans/calendar/form.html"


def _calendar_url(partnership):
    return reverse("plans:calendar", args=[partnership.slug])


def _get_duty(request, slug, pk, *, for_admin=False, for_owner=False):
    """``(partnership, rights, duty)``: 404 outside the partnership or for another
    partnership's duty; 403 unless an admin (``for_admin``), or the owner or an admin
    (``for_owner``)."""
    partnership, rights = get_partnership_for_user(request, slug, for_admin=for_admin)
    duty = get_object_or_404(StatutoryDuty.objects.select_related("owner"), pk=pk, partnership=partnership)
    if for_owner and not (rights.is_admin or duty.owner_id == request.user.pk):
        raise PermissionDenied("Only the duty's owner or a partnership administrator may mark it done.")
    return partnership, rights, duty


def _plan_year(request, today):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return services.plan_year_of(today)
    return year if 1998 <= year <= 2100 else services.plan_year_of(today)


@login_required
@require_safe
def calendar_page(request, slug):
    """The partnership's duties, update deadlines and meetings of one plan year, by month;
    "overdue" lists every duty past its date and not done, whatever the year."""
    partnership, rights = get_partnership_for_user(request, slug)
    today = timezone.localdate()
    show = request.GET.get("show", Show.ALL)
    if show not in dict(Show.CHOICES):
        show = Show.ALL
    year = _plan_year(request, today)
    if show == Show.OVERDUE:
        start = end = None
    else:
        start, end = datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
    entries = calendar_entries(partnership, show=show, start=start, end=end, today=today)
    overdue = StatutoryDuty.objects.filter(partnership=partnership).overdue(today=today).count()
    context = {
        "partnership": partnership,
        "is_admin": rights.is_admin,
        "months": by_month(entries),
        "show": show,
        "shows": Show.CHOICES,
        "year": year,
        "years_label": f"1 April {year} to 31 March {year + 1}",
        "overdue_count": overdue,
        "has_duties": StatutoryDuty.objects.filter(partnership=partnership).exists(),
        "page_title": f"Statutory calendar: {partnership.name}",
    }
    return render(request, "plans/calendar/calendar.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def duty_add(request, slug):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    form = DutyForm(request.POST or None, partnership=partnership)
    return form_page(
        request,
        partnership,
        form,
        partial(services.duty_save, partnership=partnership),
        saved=lambda duty: f"“{duty.title}” was added to the calendar.",
        next_url=lambda duty: duty.get_absolute_url(),
        error_field="due_date",
        title="Add a duty",
        cancel_url=_calendar_url(partnership),
        template=FORM,
    )


@login_required
@require_http_methods(["GET", "POST"])
def duty_edit(request, slug, pk):
    partnership, _, duty = _get_duty(request, slug, pk, for_admin=True)
    initial = {
        "kind": duty.kind,
        "title": duty.title,
        "due_date": duty.due_date,
        "owner": duty.owner,
        "notes": duty.notes,
    }
    form = DutyForm(request.POST or None, initial=initial, partnership=partnership)
    return form_page(
        request,
        partnership,
        form,
        partial(services.duty_save, partnership=partnership, duty=duty),
        saved="The duty was saved.",
        next_url=duty.get_absolute_url(),
        error_field="due_date",
        title=f"Change {duty.title}",
        cancel_url=_calendar_url(partnership),
        template=FORM,
    )


@login_required
@require_http_methods(["GET", "POST"])
def duty_delete(request, slug, pk):
    partnership, _, duty = _get_duty(request, slug, pk, for_admin=True)
    if request.method == "POST":
        services.duty_delete(duty=duty)
        messages.success(request, f"“{duty.title}” was removed from the calendar.")
        return redirect(_calendar_url(partnership))
    return render(
        request,
        "plans/calendar/confirm.html",
        {
            "partnership": partnership,
            "page_title": f"Remove {duty.title}",
            "consequences": [f"Due {duty.due_date:%-d %B %Y}. Its history stays in the Django admin."],
            "button": "Remove the duty",
            "cancel_url": _calendar_url(partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def duties_defaults(request, slug):
    """This year's standard duties, with their default dates, added at once (admins)."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    today = timezone.localdate()
    form = DefaultDutiesForm(request.POST or None, initial={"year": _plan_year(request, today)})
    if request.method == "POST" and form.is_valid():
        added = services.duties_add_defaults(partnership=partnership, year=form.cleaned_data["year"])
        if added:
            messages.success(
                request, f"{len(added)} dut{'y was' if len(added) == 1 else 'ies were'} added. Set their owners."
            )
        else:
            messages.info(request, "The standard duties of that year were already in the calendar: nothing was added.")
        return redirect(_calendar_url(partnership) + f"?year={form.cleaned_data['year']}")
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else _plan_year(request, today)
    return render_form_page(
        request,
        partnership,
        form,
        title="Add this year's duties",
        cancel_url=_calendar_url(partnership),
        submit_label="Add these duties",
        template="plans/calendar/defaults.html",
        defaults=services.default_duties(year),
    )


@login_required
@require_http_methods(["GET", "POST"])
def duty_done(request, slug, pk):
    """Mark a duty done, with the date and the evidence; then offer next year's."""
    partnership, _, duty = _get_duty(request, slug, pk, for_owner=True)
    form = DutyDoneForm(
        request.POST or None,
        initial={"done_on": duty.done_on or timezone.localdate(), "evidence": duty.evidence},
    )

    def next_url(duty):
        if services.next_year_duty(duty) is None:
            return reverse("plans:duty_repeat", args=[partnership.slug, duty.pk])
        return duty.get_absolute_url()

    return form_page(
        request,
        partnership,
        form,
        partial(services.duty_mark_done, duty=duty, user=request.user),
        saved=f"“{duty.title}” was marked done.",
        next_url=next_url,
        error_field="done_on",
        title=f"Change what was done: {duty.title}" if duty.is_done else f"Mark {duty.title} done",
        cancel_url=_calendar_url(partnership),
        submit_label="Save" if duty.is_done else "Mark done",
        template="plans/calendar/done_form.html",
        intro=f"Due {duty.due_date:%-d %B %Y}.",
        duty=duty,
    )


@login_required
@require_POST
def duty_not_done(request, slug, pk):
    """Undo "mark done" (the same people may): the duty is due again; what was recorded stays
    in its history."""
    partnership, _, duty = _get_duty(request, slug, pk, for_owner=True)
    if services.duty_mark_not_done(duty=duty):
        messages.success(
            request, f"“{duty.title}” was marked as not done. What was recorded before stays in its history."
        )
    else:
        messages.info(request, f"“{duty.title}” was not marked done: nothing was changed.")
    return redirect(duty.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def duty_repeat(request, slug, pk):
    """Next year's copy of a duty (the same date a year later): offered after marking it done."""
    partnership, _, duty = _get_duty(request, slug, pk, for_owner=True)
    if request.method == "POST":
        following, created = services.duty_repeat(duty=duty)
        if created:
            messages.success(request, f"“{following.title}” was added, due {following.due_date:%-d %B %Y}.")
        else:
            messages.info(request, f"“{following.title}” was already in the calendar.")
        return redirect(following.get_absolute_url())
    return render(
        request,
        "plans/calendar/repeat.html",
        {
            "partnership": partnership,
            "duty": duty,
            "next_date": duty.next_due_date(),
            "existing": services.next_year_duty(duty),
            "page_title": "Add next year's duty?",
            "cancel_url": _calendar_url(partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_subscribe(request, slug):
    """The person's secret feed address: made (shown once), replaced or revoked."""
    partnership, _ = get_partnership_for_user(request, slug)
    context = {"partnership": partnership, "page_title": "Subscribe to the calendar", "raw_url": ""}
    if request.method == "POST":
        what = request.POST.get("do")
        if what == "revoke":
            services.calendar_token_revoke(user=request.user, partnership=partnership)
            messages.success(request, "Your calendar address was turned off. Calendars that used it stop updating.")
            return redirect(reverse("plans:calendar_subscribe", args=[partnership.slug]))
        if what != "create":
            return render(request, "plans/calendar/subscribe.html", context | {"token": None}, status=400)
        _, raw = services.calendar_token_create(user=request.user, partnership=partnership)
        context["raw_url"] = request.build_absolute_uri(feed_path(partnership, raw))
    context["token"] = CalendarFeedToken.objects.filter(
        user=request.user, partnership=partnership, revoked_at__isnull=True
    ).first()
    return render(request, "plans/calendar/subscribe.html", context)


def feed_path(partnership, raw):
    return reverse("plans:calendar_feed", args=[partnership.slug]) + f"?token={raw}"


@require_safe
@never_cache
def calendar_feed(request, slug):
    """The ``.ics`` feed: no session, the secret address's token decides (404 otherwise)."""
    token = services.authenticate_calendar_token(request.GET.get("token", ""))
    if token is None or token.partnership.slug != slug:
        raise Http404("No such calendar")
    response = HttpResponse(
        feed_ics(token.partnership, site_url=settings.SITE_URL), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{token.partnership.slug}-calendar.ics"'
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
