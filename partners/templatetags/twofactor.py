import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
        "csp_nonce": context.get("csp_nonce"),
    }


# What Django's json_script escapes, so the JSON cannot end the script element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def passkey_settings_json(context, configuration):
    """django-otp-webauthn's settings for its script, as ``json_script`` writes them plus this
    response's nonce: the Content-Security-Policy allows no inline script without one."""
    data = json.dumps(configuration, cls=DjangoJSONEncoder).translate(_ESCAPES)
    return format_html(
        '<script id="otp_webauthn_config" type="application/json" nonce="{}">{}</script>',
        context.get("csp_nonce", ""),
        mark_safe(data),  # noqa: S308 - escaped above as json_script does
    )
