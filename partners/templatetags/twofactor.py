from django import template

from .. import twofactor

register = template.Library()


@register.inclusion_tag("partners/account_security.html", takes_context=True)
def account_security(context):
    """The signed-in person's authenticator apps, recovery codes and sessions, for the account page."""
    request = context["request"]
    user = request.user
    return {
        "devices": list(twofactor.devices_of(user)),
        "passkeys": list(twofactor.passkeys_of(user)),
        "codes_left": twofactor.recovery_codes_left(user),
        "required": twofactor.is_required(user),
        "by_provider": twofactor.verified_by_provider(request),
        "sessions": list(twofactor.active_sessions(user)),
        "current_key": request.session.session_key,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
