"""An OFFICIAL-SENSITIVE action's text in PDFs (the direct plan PDF and meeting packs, chosen
by the requesting or producing user's role) and through the roll-over, which also carries
an action's measures into the next plan's measures of the same name."""

import pytest
from django.urls import reverse

from actions.models import WITHHELD_TEXT, Action, Marking, Rag
from plans.models import MeetingPack
from tests import factories as f

from .pdf_helpers import pdf_text

SECRET = "Covert patrols around the Meadowbank flats"


@pytest.fixture(autouse=True)
def _render_in_process(settings):
    settings.PDF_RENDER_IN_PROCESS = True


@pytest.fixture
def secret(issue, team):
    return f.ActionFactory(issue=issue, text=SECRET, marking=Marking.OFFICIAL_SENSITIVE, owner_teams=[team])


def _pdf(client, plan, **params):
    response = client.get(reverse("plans:pdf", args=[plan.slug]), {"download": 1, "include_closed": "on", **params})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


def test_plan_pdf_withholds_the_text_from_an_officer_of_another_team(client_for, other_officer, plan, action, secret):
    text = _pdf(client_for(other_officer), plan)
    assert "withheld" in text and "Meadowbank" not in text
    assert action.text in text


def test_plan_pdf_for_the_chair_carries_the_text_only_when_sensitive_material_is_included(
    client_for, chair, plan, secret
):
    client = client_for(chair)
    assert "Meadowbank" not in _pdf(client, plan)
    included = _pdf(client, plan, include_sensitive="on")
    assert "Meadowbank" in included and "OFFICIAL-SENSITIVE" in included


def _produce(client, plan, meeting, **data):
    return client.post(reverse("plans:pack_create", args=[plan.slug, meeting.pk]), {"include_closed": "on", **data})


def _download(client, plan, meeting, pack):
    response = client.get(reverse("plans:pack_download", args=[plan.slug, meeting.pk, pack.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return pdf_text(body)


def test_a_pack_made_by_the_chair_with_sensitive_material_carries_the_text_and_is_marked(
    client_for, chair, officer, plan, secret
):
    meeting = f.MeetingFactory(partnership=plan.partnership, title="RAG meeting, October")
    client = client_for(chair)
    _produce(client, plan, meeting, include_sensitive="on")
    _produce(client, plan, meeting)
    sensitive, official = MeetingPack.objects.order_by("pk")
    assert (sensitive.marking, official.marking) == ("OFFICIAL-SENSITIVE", "OFFICIAL")
    assert "Meadowbank" in _download(client, plan, meeting, sensitive)
    official_text = _download(client_for(officer), plan, meeting, official)
    assert "withheld" in official_text and "Meadowbank" not in official_text


def test_the_pdf_data_withholds_by_the_readers_rights(other_officer, officer, plan, secret):
    from plans.pdf.data import load_plan_data
    from plans.pdf.options import PdfOptions

    options = PdfOptions(include_sensitive=True, include_closed=True)
    [row] = load_plan_data(plan, options, user=other_officer).priorities[0].issues[0].actions
    assert (row.text, row.is_sensitive) == (WITHHELD_TEXT, True)
    owner_data = load_plan_data(plan, options, user=officer)
    assert owner_data.priorities[0].issues[0].actions[0].text == SECRET
    assert owner_data.marking == "OFFICIAL-SENSITIVE"


# Roll-over ---------------------------------------------------------------------------------------


@pytest.fixture
def finished(plan, team):
    priority = f.PriorityFactory(plan=plan, number=1, title="Reduce anti-social behaviour")
    issue = f.IssueFactory(priority=priority, title="Improve feelings of safety")
    asb = f.MeasureFactory(priority=priority, name="ASB incidents")
    calls = f.MeasureFactory(priority=priority, name="Calls to 101")
    carried = f.ActionFactory(
        issue=issue, text=SECRET, rag=Rag.RED, marking=Marking.OFFICIAL_SENSITIVE, owner_teams=[team]
    )
    carried.measures.add(asb, calls)
    return plan, carried


@pytest.fixture
def next_plan(partnership):
    plan = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    priority = f.PriorityFactory(plan=plan, number=1, title="Reduce anti-social behaviour")
    f.IssueFactory(priority=priority, title="Improve feelings of safety")
    f.MeasureFactory(priority=priority, name="  asb INCIDENTS ")
    return plan


def _data(target, actions):
    return {"target": target.pk, "actions": [a.pk for a in actions]}


def test_roll_over_confirmation_says_which_measures_map(client_for, admin, finished, next_plan):
    plan, carried = finished
    response = client_for(admin).post(reverse("plans:roll_over", args=[plan.slug]), _data(next_plan, [carried]))
    html = response.content.decode()
    assert response.status_code == 200
    assert [(m.measure.name, m.into and m.into.name) for m in response.context["preview"].measures] == [
        ("ASB incidents", "  asb INCIDENTS "),
        ("Calls to 101", None),
    ]
    assert "Maps" in html and "No match: not carried" in html
    assert SECRET in html  # the admin reads it


def test_roll_over_carries_the_marking_and_the_matching_measures_once(client_for, admin, finished, next_plan):
    plan, carried = finished
    client = client_for(admin)
    url = reverse("plans:roll_over_confirm", args=[plan.slug])
    client.post(url, _data(next_plan, [carried]))
    client.post(url, _data(next_plan, [carried]))
    [copy] = Action.objects.filter(issue__priority__plan=next_plan)
    assert copy.marking == Marking.OFFICIAL_SENSITIVE
    assert [m.name for m in copy.measures.all()] == ["  asb INCIDENTS "]
    assert copy.measures.get().priority.plan == next_plan


def test_the_carried_copy_stays_withheld_from_an_officer_of_another_team(
    client_for, admin, other_officer, finished, next_plan
):
    plan, carried = finished
    client_for(admin).post(reverse("plans:roll_over_confirm", args=[plan.slug]), _data(next_plan, [carried]))
    copy = Action.objects.get(issue__priority__plan=next_plan)
    html = client_for(other_officer).get(copy.get_absolute_url()).content.decode()
    assert WITHHELD_TEXT in html and "Meadowbank" not in html


def test_an_aims_measure_maps_onto_itself_and_a_priority_measure_of_the_name_comes_first(
    finished, next_plan, partnership
):
    from plans import cycle

    plan, carried = finished
    aim = f.StrategicAimFactory(strategy=f.StrategyFactory(partnership=partnership, start_year=2024, end_year=2027))
    rate = f.MeasureFactory(aim=aim, priority=None, name="Rate of all crime")
    f.MeasureFactory(aim=aim, priority=None, name="ASB incidents")  # the strategy's, beside the next priority's
    carried.measures.add(rate)
    mappings = {m.measure.name: m.into for m in cycle.measure_mappings([carried], next_plan)}
    assert mappings["Rate of all crime"] == rate
    assert mappings["ASB incidents"].priority.plan == next_plan
