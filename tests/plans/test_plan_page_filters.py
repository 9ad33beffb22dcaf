"""The plan page puts the plan first: the count and the filters in force lead, the filter
form folds away (open while filters are in force or wrong), each filter in force is a tag
whose link removes that one filter."""

import re
from html import unescape

import pytest
from django.urls import reverse

from actions.models import Rag
from actions.services import action_add_update
from tests import factories as f


def _url(plan, query=""):
    return reverse("plans:detail", args=[plan.slug]) + query


def _details_tag(text):
    return re.search(r'<details class="govuk-details app-filters"[^>]*>', text).group(0)


def _tags(text):
    """{tag text: link} of the filters in force."""
    found = re.findall(
        r'<a class="app-filter-tag" href="([^"]*)">'
        r'<span class="govuk-visually-hidden">Remove filter: </span>([^<]*)</a>',
        text,
    )
    return {unescape(label): unescape(href) for href, label in found}


@pytest.fixture
def rated(issue, team, officer):
    red = f.ActionFactory(issue=issue, text="Red action", owner_teams=[team])
    action_add_update(action=red, author=officer, text="red note", rag=Rag.RED)
    amber = f.ActionFactory(issue=issue, text="Amber action", owner_teams=[team])
    action_add_update(action=amber, author=officer, text="amber note", rag=Rag.AMBER)
    return red, amber


def test_without_filters_the_form_is_folded_away_and_no_tag_is_shown(client_for, officer, plan, rated):
    text = client_for(officer).get(_url(plan)).text
    assert " open" not in _details_tag(text)
    assert _tags(text) == {}
    assert "2 actions" in text


def test_the_plan_comes_before_the_filter_form(client_for, officer, plan, rated):
    text = client_for(officer).get(_url(plan)).text
    assert text.index('id="results"') < text.index("Filter actions") < text.index("Red action")


def test_with_filters_the_form_is_open_and_each_filter_is_a_tag(client_for, officer, plan, rated):
    text = client_for(officer).get(_url(plan, "?rag=red&rag=amber&stale=1&q=action")).text
    assert " open" in _details_tag(text)
    assert set(_tags(text)) == {
        "RAG rating: Red",
        "RAG rating: Amber",
        "Needs an update",
        "Search actions: “action”",
    }


def test_a_tags_link_removes_only_its_own_filter(client_for, officer, plan, rated):
    tags = _tags(client_for(officer).get(_url(plan, "?rag=red&rag=amber&q=action")).text)
    assert tags["RAG rating: Red"] == _url(plan, "?rag=amber&q=action#results")
    assert tags["Search actions: “action”"] == _url(plan, "?rag=red&rag=amber#results")


def test_following_a_tags_link_widens_the_results(client_for, officer, plan, rated):
    client = client_for(officer)
    tags = _tags(client.get(_url(plan, "?rag=red")).text)
    assert "1 matching action" in client.get(_url(plan, "?rag=red")).text
    text = client.get(tags["RAG rating: Red"].split("#")[0]).text
    assert "2 actions" in text
    assert "Amber action" in text


def test_owner_and_priority_tags_name_the_choice(client_for, officer, plan, priority, team, rated):
    text = client_for(officer).get(_url(plan, f"?owner=team-{team.pk}&priority={priority.number}")).text
    assert set(_tags(text)) == {f"Owner: {team.name}", f"Priority: 1. {priority.title}"}


def test_a_wrong_filter_opens_the_form_and_makes_no_tag(client_for, officer, plan, rated):
    text = client_for(officer).get(_url(plan, "?rag=purple&rag=red")).text
    assert "There is a problem" in text
    assert " open" in _details_tag(text)
    assert "RAG rating: Purple" not in text


def test_the_count_and_the_pdf_link_stay_outside_the_folded_form(client_for, officer, plan, rated):
    text = client_for(officer).get(_url(plan, "?rag=red")).text
    form_start = text.index('<details class="govuk-details app-filters"')
    form_end = text.index("</details>", form_start)
    assert text.index("1 matching action") < form_start
    assert text.index("Download this plan as a PDF") < form_start
    assert form_end < text.index("Red action")
