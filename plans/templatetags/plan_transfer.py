from django import template

register = template.Library()


@register.inclusion_tag("plans/transfer_links.html")
def plan_transfer_links(plan, rights):
    """Download links for everyone who sees the plan; the import link for its partnership's admins
    (``rights``: the reader's ``PartnershipRights``)."""
    return {"plan": plan, "can_import": rights.is_admin}
