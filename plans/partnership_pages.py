"""The partnership-wide pages a signed-in person may open, for their home page and the list of
their plans: the statutory calendar, the reviews (and, for chairs and admins, the review
tracker) and the published plans' public pages; and the statutory duties the person owns and
has not marked done.

Only partnerships where the person holds a role: the calendar and the reviews answer 404 to
anybody else (an officer of a team another partnership granted, say), so they get no link.
The public pages are linked only while one of the partnership's plans is on one: its index
answers 404 otherwise. Two queries, whatever the number of partnerships.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from partners.access import PartnershipRights, partnership_role

from .calendar_models import StatutoryDuty
from .models import PublishedPlan


@dataclass(frozen=True)
class PartnershipPages:
    partnership: object  # partners.models.Partnership
    rights: PartnershipRights
    has_public_page: bool = False
    overdue_duties: int = 0


def partnership_pages(user, partnerships, *, today=None):
    """{partnership id: ``PartnershipPages``} for those of ``partnerships`` where ``user`` holds
    a role (a superuser everywhere)."""
    today = today or timezone.localdate()
    held = {}
    for partnership in partnerships:
        role = partnership_role(user, partnership)
        if role is not None:
            held[partnership.pk] = (partnership, PartnershipRights(role, partnership.chairs_may_author))
    if not held:
        return {}
    published = PublishedPlan.objects.public().filter(plan__partnership_id__in=held)
    public = set(published.values_list("plan__partnership_id", flat=True))
    overdue = dict(
        StatutoryDuty.objects.filter(partnership_id__in=held)
        .overdue(today=today)
        .order_by()
        .values("partnership_id")
        .annotate(n=Count("pk"))
        .values_list("partnership_id", "n")
    )
    return {
        pk: PartnershipPages(partnership, rights, pk in public, overdue.get(pk, 0))
        for pk, (partnership, rights) in held.items()
    }


def duties_to_mark_done(user, *, today=None):
    """The statutory duties ``user`` owns and has not marked done, in partnerships where they
    still hold a role, the earliest first, each with ``overdue`` set: one query."""
    today = today or timezone.localdate()
    duties = list(
        StatutoryDuty.objects.owned_by(user).not_done().select_related("partnership").order_by("due_date", "pk")
    )
    for duty in duties:
        duty.overdue = duty.is_overdue(today=today)
    return duties
