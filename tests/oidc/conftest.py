import pytest

from tests.oidc.provider import running_provider, use_provider

REDIRECT_URI = "http://testserver/sign-in/sso/callback/"
POST_LOGOUT_REDIRECT_URI = "http://testserver/sign-in/"


@pytest.fixture(scope="module")
def oidc_provider():
    """A real OpenID Connect provider on a free port, for the module's tests."""
    with running_provider(REDIRECT_URI, POST_LOGOUT_REDIRECT_URI) as provider:
        yield provider


@pytest.fixture
def sso(settings, oidc_provider):
    """Single sign-on on, against ``oidc_provider``; council.example trusted."""
    from partners.models import SsoDomain

    use_provider(settings, oidc_provider)
    SsoDomain.objects.create(domain="council.example")
    return oidc_provider
