from django import template

from ..models import ApiToken

register = template.Library()


@register.inclusion_tag("partners/account_tokens.html", takes_context=True)
def account_tokens(context):
    """The signed-in user's feed tokens, for the account page."""
    user = context["request"].user
    return {"tokens": list(ApiToken.objects.filter(user=user)), "csrf_token": context.get("csrf_token")}
