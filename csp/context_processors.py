"""Context every page needs: the site name, the navigation and the partnership in view."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

# (label, url name, who sees it): "all" signed-in users, "admin" for partnership admins,
# "several" for people with a role in two or more partnerships.
NAVIGATION = [
    ("Plans", "home", "all"),
    ("Search", "actions:search", "all"),
    ("County view", "plans:county", "several"),
]


def site(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        path = request.path
        for label, url_name, audience in NAVIGATION:
            if audience == "staff" and not user.is_staff:
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
    return {
        "site_name": settings.SITE_NAME,
        "nav_items": items,
        "current_partnership": getattr(request, "current_partnership", None),
    }
