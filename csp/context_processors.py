"""Context every page needs: the site name, the navigation and the partnership in view."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

# (label, url name, who sees it): "all" signed-in users, or "admin" for partnership admins.
NAVIGATION = [
    ("My actions", "actions:mine", "all"),
    ("Plans", "plans:list", "all"),
]


def site(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        path = request.path
        for label, url_name, audience in NAVIGATION:
            if audience == "staff" and not user.is_staff:
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
