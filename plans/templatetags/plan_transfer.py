from django import template

from ..access import can_admin_plan

register = template.Library()


@register.inclusion_tag("plans/transfer_links.html", takes_context=True)
def plan_transfer_links(context, plan):
    """Download links for everyone who sees the plan; the import link for its partnership's admins."""
    return {"plan": plan, "can_import": can_admin_plan(context["request"].user, plan)}
