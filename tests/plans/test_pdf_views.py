"""The PDF options page and direct download."""

import pytest
from django.urls import reverse

from .pdf_helpers import LAST_MEETING, build_plan, pdf_text


@pytest.fixture(autouse=True)
def _render_in_process(settings):
    settings.PDF_RENDER_IN_PROCESS = True


@pytest.fixture
def built(plan, priority, issue, action, team):
    return build_plan(plan, priority, issue, action, team)


def pdf_url(plan, **params):
    from urllib.parse import urlencode

    return reverse("plans:pdf", args=[plan.slug]) + ("?" + urlencode(params) if params else "")


def test_options_page_shows_the_form(client_for, officer, plan, built):
    response = client_for(officer).get(pdf_url(plan))
    assert response.status_code == 200
    assert b"Download PDF" in response.content
    assert b"Only updates since" in response.content


def test_officer_downloads_the_plan_as_pdf(client_for, officer, plan, built):
    response = client_for(officer).get(pdf_url(plan, download=1, include_closed="on"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="testshire-2025-2026-')
    assert "Cowley Hill" in pdf_text(response.content)


def test_outsider_gets_no_pdf(client_for, outsider, plan, built):
    assert client_for(outsider).get(pdf_url(plan, download=1)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, plan, built):
    response = client.get(pdf_url(plan, download=1))
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_unknown_plan_is_not_found(client_for, officer, built):
    assert client_for(officer).get("/plans/no-such-plan/pdf/?download=1").status_code == 404


def test_officer_is_not_offered_sensitive_updates(client_for, officer, plan, built):
    response = client_for(officer).get(pdf_url(plan))
    assert response.status_code == 200
    assert b'name="include_closed"' in response.content
    assert b"include_sensitive" not in response.content


def test_officer_asking_for_sensitive_updates_gets_none(client_for, other_officer, plan, built):
    response = client_for(other_officer).get(pdf_url(plan, download=1, include_sensitive="on", include_closed="on"))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    text = pdf_text(response.content)
    assert "Cowley Hill" in text
    assert "Named suspect" not in text
    assert "1 restricted update not shown" in text


def test_chair_may_include_sensitive_updates(client_for, chair, plan, built):
    response = client_for(chair).get(pdf_url(plan, download=1, include_sensitive="on", include_closed="on"))
    assert "Named suspect" in pdf_text(response.content)


def test_since_date_filters_the_download(client_for, chair, plan, built):
    response = client_for(chair).get(pdf_url(plan, download=1, since=LAST_MEETING.isoformat(), include_closed="on"))
    text = pdf_text(response.content)
    assert "Cowley Hill" in text
    assert "Meryfield" not in text


def test_meeting_mode_without_a_date_is_refused(client_for, chair, plan, built):
    response = client_for(chair).get(pdf_url(plan, download=1, meeting_mode="on"))
    assert response.status_code == 400
    assert b"Enter the date of the last meeting" in response.content


def test_bad_date_and_tampered_priority_are_refused(client_for, chair, plan, built):
    assert client_for(chair).get(pdf_url(plan, download=1, since="31/31/2025")).status_code == 400
    assert client_for(chair).get(pdf_url(plan, download=1, priority="99")).status_code == 400
    assert client_for(chair).get(pdf_url(plan, download=1, owner="team-999999")).status_code == 400


def test_big_selection_is_offered_to_be_prepared_in_the_background(client_for, chair, plan, built, settings):
    settings.PDF_DIRECT_MAX_ACTIONS = 1
    response = client_for(chair).get(pdf_url(plan, download=1, include_closed="on"))
    assert response.status_code == 200
    assert b"Prepare the PDF" in response.content


def test_options_form_tag_renders_for_the_plan_page(rf, officer, plan, built):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = officer
    html = Template("{% load pdf_tags %}{% pdf_options_form plan %}").render(
        Context({"plan": plan, "request": request})
    )
    assert "Download as PDF" in html
    assert reverse("plans:pdf", args=[plan.slug]) in html
    assert '#my-pdfs">My PDFs</a>' in html
