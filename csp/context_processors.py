"""Context every page needs: the site name, the navigation and the partnership in view."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

# (label, url name, who sees it): "all" signed-in users, "staff", "admin" for partnership admins,
# or "several" for people with a role in two or more partnerships.
NAVIGATION = [
    ("My actions", "actions:mine", "all"),
    ("Plans", "plans:list", "all"),
    ("Partners", "partners:index", "all"),
    ("People", "partners:people_index", "admin"),
    ("Search", "actions:search", "all"),
    ("County view", "plans:county", "several"),
]


def _administers_any(user):
    """Whether the user administers any partnership (superusers do all)."""
    from partners.models import Role

    if user.is_superuser:
        return True
    return bool(user.partnership_ids(Role.Kind.ADMIN))


def _has_public_page(partnership):
    """Whether one of the partnership's plans is on a public page (its index answers 404 otherwise)."""
    from plans.models import PublishedPlan

    return PublishedPlan.objects.public().filter(plan__partnership=partnership).exists()


def site(request):
    user = getattr(request, "user", None)
    items = []
    current = getattr(request, "current_partnership", None)
    current_is_admin = False
    # Asked only by the pages that show the partnership's sub-navigation.
    current_has_public_page = SimpleLazyObject(lambda: _has_public_page(current)) if current is not None else False
    if user is not None and user.is_authenticated:
        path = request.path
        for label, url_name, audience in NAVIGATION:
            if audience == "staff" and not user.is_staff:
                continue
            if audience == "admin" and not _administers_any(user):
                continue
            # The county view is for people in two or more partnerships.
            if audience == "several" and len(user.partnership_ids()) < 2 and not user.is_superuser:
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            active = path == url if url == "/" else path.startswith(url)
            items.append({"label": label, "url": url, "active": active})
        # Only the most specific match is current: /partners/people/ is "People", not "Partners".
        section = getattr(request, "nav_section", None)
        best = next((item for item in items if item["label"] == section), None) or max(
            (item for item in items if item["active"]), key=lambda item: len(item["url"]), default=None
        )
        for item in items:
            item["active"] = item is best
        if current is not None:
            from partners.access import is_partnership_admin

            current_is_admin = is_partnership_admin(user, current)
    return {
        "site_name": settings.SITE_NAME,
        "nav_items": items,
        "current_partnership": current,
        "current_partnership_is_admin": current_is_admin,
        "current_partnership_has_public_page": current_has_public_page,
    }
