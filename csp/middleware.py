"""Middleware of our own (the rest is Django's and its libraries')."""

from django.utils.cache import patch_cache_control


def private_pages(get_response):
    """Nothing shown to a signed-in person is kept by a shared browser or a proxy: their
    pages can hold OFFICIAL-SENSITIVE notes. Public pages (the published contacts page,
    signing in) stay cacheable."""

    def middleware(request):
        response = get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
