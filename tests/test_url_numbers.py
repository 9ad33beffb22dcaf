"""Numbers taken from a URL (ids in the path, page numbers) answer 404 or the last page,
never a 500. The overflow only shows on PostgreSQL: run with DATABASE_URL (make test-postgres)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from actions.models import Rag
from actions.services import action_add_update
from csp.converters import IdConverter

PAST_BIGINT = "99999999999999999999"  # 20 digits: more than PostgreSQL's bigint holds


def _patterns(resolver=None, prefix=""):
    """(route, converters) of every URL pattern, with the prefixes of the includes it is under."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        converters = entry.pattern.converters
        if isinstance(entry, URLResolver):
            for sub_route, sub_converters in _patterns(entry, route):
                yield sub_route, {**converters, **sub_converters}
        elif isinstance(entry, URLPattern):
            yield route, converters


def test_every_id_in_a_path_is_an_id_not_a_plain_int():
    plain = [
        route for route, converters in _patterns() if any(isinstance(c, IntConverter) for c in converters.values())
    ]
    assert plain == []
    assert any(isinstance(c, IdConverter) for _, converters in _patterns() for c in converters.values())


def test_an_id_past_bigint_is_not_found_on_every_page(client_for, superuser, plan):
    client = client_for(superuser)
    routes = [
        route for route, converters in _patterns() if any(isinstance(c, IdConverter) for c in converters.values())
    ]
    for route in routes:
        url = "/" + re.sub(r"<id:\w+>", PAST_BIGINT, route).replace("<slug:slug>", plan.partnership.slug)
        assert client.get(url).status_code == 404, url


def test_the_largest_id_still_resolves_to_a_view_that_answers_404(client_for, superuser, db):
    response = client_for(superuser).get(reverse("actions:detail", args=[2**63 - 1]))
    assert response.status_code == 404


@pytest.fixture
def school_notes(action):
    for number in range(3):
        action_add_update(action=action, text=f"School visit {number}", rag=Rag.GREEN)


def test_a_search_page_past_any_count_shows_the_last_page(school_notes, chair, client_for):
    response = client_for(chair).get(reverse("actions:search"), {"q": "school", "page": PAST_BIGINT})
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert len(response.context["results"]) == 3


def test_a_search_page_that_is_not_a_number_shows_the_first_page(school_notes, chair, client_for):
    response = client_for(chair).get(reverse("actions:search"), {"q": "school", "page": "-1; DROP"})
    assert response.status_code == 200
    assert len(response.context["results"]) == 3


@pytest.mark.parametrize("number", [PAST_BIGINT, "32768", "0"])
def test_a_priority_number_out_of_range_is_explained(school_notes, chair, client_for, number):
    response = client_for(chair).get(reverse("actions:search"), {"q": "school", "priority": number})
    assert response.status_code == 400
    assert "Priority number must be between 1 and 32767" in response.text
