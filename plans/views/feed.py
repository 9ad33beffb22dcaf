"""The analyst feed: a plan's actions and updates as CSV or JSON for Power BI and Excel to refresh from.

Authenticated by a personal token (``Authorization: Bearer <token>``, or ``?token=`` for tools
that cannot send headers; see docs/import-export.md for the risk) rather than the session, so
the URL works from a refresh schedule. The token's owner sees what they would see signed in:
OFFICIAL-SENSITIVE notes only if they may read them.
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from partners.access import partnership_role
from partners.token_services import authenticate_api_token

from ..models import ActionPlan
from ..rollup import ROLLUP_COLUMNS, rollup_rows
from ..transfer import columns as c
from ..transfer.export import csv_text, export_rows


def _raw_token(request):
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.GET.get("token", "")


def _unauthorised():
    response = HttpResponse(
        "A valid feed token is needed: create one on your account page and send it as "
        "'Authorization: Bearer <token>'.\n",
        status=401,
        content_type="text/plain; charset=utf-8",
    )
    response["WWW-Authenticate"] = 'Bearer realm="plan feed"'
    return response


@require_GET
@never_cache
def plan_feed(request, slug, fmt):
    """actions.csv, updates.csv, rollup.csv (plans/rollup.py: the plan, each priority and
    issue, derived ratings labelled as such) or plan.json (all three) for the plan ``slug``."""
    user = authenticate_api_token(_raw_token(request))
    if user is None:
        return _unauthorised()
    plan = ActionPlan.objects.select_related("partnership").filter(slug=slug).first()
    role = None if plan is None else partnership_role(user, plan.partnership_id)
    if role is None or plan.is_hidden_from(role):
        raise Http404("No such plan")
    if fmt == "rollup.csv":
        response = HttpResponse(csv_text(ROLLUP_COLUMNS, rollup_rows(plan)), content_type="text/csv; charset=utf-8")
        return _feed_headers(response)
    action_rows, update_rows = export_rows(plan, user)
    if fmt == "actions.csv":
        response = HttpResponse(csv_text(c.ACTION_COLUMNS, action_rows), content_type="text/csv; charset=utf-8")
    elif fmt == "updates.csv":
        response = HttpResponse(csv_text(c.UPDATE_COLUMNS, update_rows), content_type="text/csv; charset=utf-8")
    elif fmt == "plan.json":
        payload = {
            "plan": {"slug": plan.slug, "title": plan.full_title, "partnership": plan.partnership.name},
            "actions": action_rows,
            "updates": update_rows,
            "rollup": rollup_rows(plan),
        }
        response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    else:
        raise Http404("No such format")
    return _feed_headers(response)


def _feed_headers(response):
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
