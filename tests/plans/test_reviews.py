"""Reviews and their recommendations: who sees a review's details (administrators and named
readers), the pages that write them, and the tracker and its CSV."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Marking
from partners.models import Role
from plans.models import Recommendation, Review, ReviewKind, ReviewMarking
from tests import factories as f

SECRET = "Adult Q was known to three agencies"
TODAY = timezone.localdate()


@pytest.fixture
def reader(partnership):
    """A chair the partnership names as a reader."""
    user = f.UserFactory(username="reader")
    f.RoleFactory(user=user, partnership=partnership, role=Role.Kind.CHAIR)
    return user


@pytest.fixture
def review(partnership, reader):
    return f.ReviewFactory(partnership=partnership, reference="DHR 2025/03", title=SECRET, readers=[reader])


@pytest.fixture
def rec(review, council):
    return f.RecommendationFactory(
        review=review, agency=council, number=1, text="Train GP receptionists in routine enquiry"
    )


def _detail(review):
    return reverse("plans:review", args=[review.partnership.slug, review.pk])


def _rec_url(name, rec):
    return reverse(name, args=[rec.review.partnership.slug, rec.review_id, rec.pk])


# --- who reads a review ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "reader"])
def test_administrators_and_named_readers_see_the_details(client_for, request, review, rec, who):
    response = client_for(request.getfixturevalue(who)).get(_detail(review))
    assert response.status_code == 200
    assert SECRET in response.text and rec.text in response.text


@pytest.mark.parametrize("who", ["chair", "officer", "outsider"])
def test_everybody_else_gets_not_found(client_for, request, review, who):
    assert client_for(request.getfixturevalue(who)).get(_detail(review)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, review):
    response = client.get(_detail(review))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_review_marked_official_is_read_by_every_member(client_for, officer, review):
    Review.objects.filter(pk=review.pk).update(marking=ReviewMarking.OFFICIAL)
    assert client_for(officer).get(_detail(review)).status_code == 200


def test_readable_by_is_the_one_rule(partnership, other_partnership, admin, chair, officer, reader, outsider, review):
    official = f.ReviewFactory(partnership=partnership, marking=ReviewMarking.OFFICIAL)
    elsewhere = f.ReviewFactory(partnership=other_partnership, readers=[reader])
    assert set(Review.objects.readable_by(admin)) == {review, official}
    assert set(Review.objects.readable_by(reader)) == {review, official}  # not elsewhere: no role there
    assert set(Review.objects.readable_by(chair)) == {official}
    assert set(Review.objects.readable_by(officer)) == {official}
    assert set(Review.objects.readable_by(outsider)) == {elsewhere}


def test_the_list_shows_every_member_the_reference_but_the_title_only_to_readers(client_for, chair, reader, review):
    url = reverse("plans:reviews", args=["testshire"])
    page = client_for(chair).get(url).text
    assert '<h1 class="govuk-heading-xl">Reviews</h1>' in page
    assert "DHR 2025/03" in page and SECRET not in page and _detail(review) not in page
    assert SECRET in client_for(reader).get(url).text


def test_a_sensitive_note_of_an_official_review_is_kept_from_other_members(client_for, officer, reader, rec):
    Review.objects.filter(pk=rec.review_id).update(marking=ReviewMarking.OFFICIAL)
    f.RecommendationNoteFactory(recommendation=rec, text="Named family moved", marking=ReviewMarking.OFFICIAL_SENSITIVE)
    f.RecommendationNoteFactory(recommendation=rec, text="Training booked", marking=ReviewMarking.OFFICIAL)
    page = client_for(officer).get(_detail(rec.review)).text
    assert "Training booked" in page and "Named family moved" not in page
    assert "Named family moved" in client_for(reader).get(_detail(rec.review)).text


def test_the_detail_page_queries_do_not_grow_with_recommendations(
    client_for, admin, review, council, django_assert_max_num_queries
):
    client = client_for(admin)
    for number in range(1, 3):
        f.RecommendationNoteFactory(
            recommendation=f.RecommendationFactory(review=review, agency=council, number=number)
        )
    with django_assert_max_num_queries(20) as few:
        client.get(_detail(review))
    for number in range(3, 13):
        f.RecommendationNoteFactory(
            recommendation=f.RecommendationFactory(review=review, agency=council, number=number)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_detail(review))


# --- adding and changing -----------------------------------------------------------------------


def _review_post(**overrides):
    return {
        "reference": "DHR 2026/01",
        "kind": ReviewKind.objects.get_or_create(name="Learning review", partnership=None)[0].pk,
        "title": "Adult R",
        "status": "notified",
        "notified_on": "3/4/2026",
        "marking": "official_sensitive",
        **overrides,
    }


def test_an_administrator_adds_a_review(client_for, admin, partnership):
    response = client_for(admin).post(reverse("plans:review_add", args=["testshire"]), _review_post())
    review = Review.objects.get(reference="DHR 2026/01")
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    assert review.notified_on == datetime.date(2026, 4, 3)
    assert review.history.first().history_user == admin


def test_a_reference_taken_is_refused_whatever_its_case(client_for, admin, review):
    response = client_for(admin).post(
        reverse("plans:review_add", args=["testshire"]), _review_post(reference="dhr 2025/03")
    )
    assert response.status_code == 400
    assert "already has a review" in response.text and "govuk-error-summary" in response.text


def test_a_kind_of_another_partnership_cannot_be_chosen(client_for, admin, other_partnership):
    kind = f.ReviewKindFactory(partnership=other_partnership)
    response = client_for(admin).post(reverse("plans:review_add", args=["testshire"]), _review_post(kind=kind.pk))
    assert response.status_code == 400


def test_a_chair_who_reads_may_not_change_the_review(client_for, reader, review):
    assert client_for(reader).get(reverse("plans:review_edit", args=["testshire", review.pk])).status_code == 403


def test_an_administrator_names_the_readers(client_for, admin, officer, reader, review):
    url = reverse("plans:review_readers", args=["testshire", review.pk])
    response = client_for(admin).post(url, {"readers": [officer.pk]})
    assert response.status_code == 302
    assert list(review.readers.all()) == [officer]


def test_a_person_of_another_partnership_cannot_be_named(client_for, admin, outsider, review):
    url = reverse("plans:review_readers", args=["testshire", review.pk])
    assert client_for(admin).post(url, {"readers": [outsider.pk]}).status_code == 400


def _rec_post(agency, **overrides):
    return {"agency": agency.pk, "text": "Audit referrals", "status": "agreed", "due_date": "1/9/2026", **overrides}


def test_an_administrator_adds_recommendations_numbered_in_turn(client_for, admin, rec, council):
    response = client_for(admin).post(
        reverse("plans:recommendation_add", args=["testshire", rec.review_id]), _rec_post(council)
    )
    assert response.status_code == 302
    assert rec.review.recommendations.get(text="Audit referrals").number == 2


def test_the_agency_must_be_a_current_partner(client_for, admin, review):
    stranger = f.OrganisationFactory(name="Not a partner")
    url = reverse("plans:recommendation_add", args=["testshire", review.pk])
    assert client_for(admin).post(url, _rec_post(stranger)).status_code == 400


def test_not_accepted_needs_a_reason(client_for, admin, rec, council):
    url = _rec_url("plans:recommendation_edit", rec)
    response = client_for(admin).post(url, _rec_post(council, status="not_accepted"))
    assert response.status_code == 400 and "Enter the reason" in response.text
    response = client_for(admin).post(
        url, _rec_post(council, status="not_accepted", reason="Superseded by the national review")
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "not_accepted"


# --- notes and evidence ------------------------------------------------------------------------


def test_a_reader_adds_a_note_and_the_recommendation_is_in_progress(client_for, reader, rec):
    url = _rec_url("plans:recommendation_note_add", rec)
    response = client_for(reader).post(url, {"date": "1/12/2026", "text": "Training booked", "marking": "official"})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "in_progress" and rec.notes.get().author == reader


def test_a_note_in_the_future_is_refused(client_for, reader, rec):
    url = _rec_url("plans:recommendation_note_add", rec)
    future = TODAY + datetime.timedelta(days=3)
    response = client_for(reader).post(
        url, {"date": f"{future.day}/{future.month}/{future.year}", "text": "x", "marking": "official"}
    )
    assert response.status_code == 400


def test_a_chair_who_is_not_named_cannot_add_a_note_even_to_an_official_review(client_for, chair, rec):
    Review.objects.filter(pk=rec.review_id).update(marking=ReviewMarking.OFFICIAL)
    url = _rec_url("plans:recommendation_note_add", rec)
    assert client_for(chair).post(url, {"date": "1/12/2026", "text": "x", "marking": "official"}).status_code == 403


PDF = b"%PDF-1.7\n% evidence\n"


def test_evidence_is_uploaded_accepted_and_downloaded(client_for, reader, rec):
    client = client_for(reader)
    upload = SimpleUploadedFile("Adult Q policy.pdf", PDF, content_type="application/pdf")
    response = client.post(_rec_url("plans:recommendation_evidence", rec), {"note": "Policy adopted", "file": upload})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "implemented" and "Adult" not in rec.evidence_file.name
    download = client.get(_rec_url("plans:recommendation_evidence_download", rec))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client.post(_rec_url("plans:recommendation_accept", rec)).status_code == 302
    rec.refresh_from_db()
    assert rec.status == "evidence_accepted" and rec.evidence_accepted_by == reader


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evidence.exe", b"MZ", "must be a PDF"),
        ("evidence.pdf", b"<html>", "is not a PDF file"),
    ],
)
def test_evidence_of_the_wrong_type_is_refused(client_for, reader, rec, name, content, message):
    response = client_for(reader).post(
        _rec_url("plans:recommendation_evidence", rec), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400 and message in response.text


def test_evidence_too_large_is_refused(client_for, reader, rec, monkeypatch):
    monkeypatch.setattr("plans.review_forms.EVIDENCE_MAX_BYTES", 10)
    upload = SimpleUploadedFile("big.pdf", PDF)
    assert client_for(reader).post(_rec_url("plans:recommendation_evidence", rec), {"file": upload}).status_code == 400


def test_empty_evidence_is_refused(client_for, reader, rec):
    response = client_for(reader).post(_rec_url("plans:recommendation_evidence", rec), {"note": " "})
    assert response.status_code == 400 and "Describe the evidence" in response.text


def test_an_officer_reader_may_record_but_not_accept_evidence(client_for, officer, rec):
    rec.review.readers.add(officer)
    Recommendation.objects.filter(pk=rec.pk).update(status="implemented", evidence_note="Done")
    assert client_for(officer).post(_rec_url("plans:recommendation_accept", rec)).status_code == 403


# --- carrying into the plan --------------------------------------------------------------------


def test_an_administrator_carries_a_recommendation_into_the_plan(client_for, admin, rec, issue):
    response = client_for(admin).post(
        _rec_url("plans:recommendation_carry", rec), {"issue": issue.pk, "marking": "official_sensitive"}
    )
    rec.refresh_from_db()
    action = rec.action
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert action.issue == issue and action.marking == Marking.OFFICIAL_SENSITIVE
    assert list(action.owner_organisations.all()) == [rec.agency] and action.target_date == rec.due_date
    assert client_for(admin).get(_detail(rec.review)).text.count(action.get_absolute_url()) == 1


def test_an_issue_of_another_partnership_cannot_be_chosen(client_for, admin, rec, other_partnership):
    elsewhere = f.IssueFactory(priority=f.PriorityFactory(plan=f.PlanFactory(partnership=other_partnership)))
    response = client_for(admin).post(
        _rec_url("plans:recommendation_carry", rec), {"issue": elsewhere.pk, "marking": "official"}
    )
    assert response.status_code == 400 and not Action.objects.filter(issue=elsewhere).exists()


def test_a_recommendation_is_carried_once(client_for, admin, rec, issue):
    client = client_for(admin)
    client.post(_rec_url("plans:recommendation_carry", rec), {"issue": issue.pk, "marking": "official"})
    client.post(_rec_url("plans:recommendation_carry", rec), {"issue": issue.pk, "marking": "official"})
    assert Action.objects.filter(issue=issue).count() == 1


# --- the tracker and its CSV -------------------------------------------------------------------


@pytest.fixture
def tracked(review, council, police):
    late = f.RecommendationFactory(
        review=review, agency=police, number=2, text="Late one", due_date=TODAY - datetime.timedelta(days=5)
    )
    f.RecommendationFactory(
        review=review, agency=police, number=3, text="Later one", due_date=TODAY + datetime.timedelta(days=50)
    )
    f.RecommendationFactory(review=review, agency=council, number=4, text="Done one", status="implemented")
    return late


def test_the_tracker_lists_open_recommendations_by_agency_overdue_first(client_for, reader, tracked):
    page = client_for(reader).get(reverse("plans:review_tracker", args=["testshire"])).text
    assert "Done one" not in page
    assert page.index("Late one") < page.index("Later one")
    assert "1 overdue" in page


def test_the_tracker_shows_a_member_who_may_not_read_nothing_of_the_review(client_for, chair, tracked):
    page = client_for(chair).get(reverse("plans:review_tracker", args=["testshire"])).text
    assert '<h1 class="govuk-heading-xl">Review tracker</h1>' in page
    assert "Late one" not in page and "DHR 2025/03" not in page


def test_the_csv_holds_the_same_rows_formula_safe(client_for, reader, chair, tracked):
    Recommendation.objects.filter(pk=tracked.pk).update(text="=HYPERLINK(1)")
    url = reverse("plans:review_tracker_csv", args=["testshire"])
    text = client_for(reader).get(url).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "Later one" in text and "Done one" not in text
    chair_text = client_for(chair).get(url).content.decode("utf-8-sig")
    assert chair_text.startswith("Agency,") and "DHR" not in chair_text


def test_the_tracker_queries_do_not_grow_with_recommendations(
    client_for, reader, review, council, django_assert_max_num_queries
):
    client = client_for(reader)
    url = reverse("plans:review_tracker", args=["testshire"])
    f.RecommendationFactory(review=review, agency=council, number=1)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for number in range(2, 12):
        f.RecommendationFactory(
            review=review, agency=f.MembershipFactory(partnership=review.partnership).organisation, number=number
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_action_page_names_the_review_only_to_those_who_may_read_it(client_for, admin, chair, rec, action):
    Recommendation.objects.filter(pk=rec.pk).update(action=action)
    url = reverse("actions:detail", args=[action.pk])
    assert "From review DHR 2025/03, recommendation 1" in client_for(admin).get(url).text
    page = client_for(chair).get(url).text
    assert action.text in page and "DHR 2025/03" not in page


def test_the_demo_has_a_fictional_review_in_every_state(db):
    from csp.loaders.demo import load_demo

    load_demo(password="demo-password-for-tests")
    review = Review.objects.get(partnership__slug="exampleshire", reference="DHR 2025/01")
    states = set(review.recommendations.values_list("status", flat=True))
    assert {"agreed", "in_progress", "implemented", "evidence_accepted", "not_accepted"} <= states
    assert review.recommendations.filter(action__isnull=False).count() == 1
    assert set(review.readers.values_list("username", flat=True)) == {"admin", "chair"}


def test_the_list_queries_do_not_grow_with_reviews(
    client_for, chair, partnership, council, django_assert_max_num_queries
):
    client = client_for(chair)
    url = reverse("plans:reviews", args=["testshire"])
    f.RecommendationFactory(review=f.ReviewFactory(partnership=partnership), agency=council, number=1)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(8):
        f.RecommendationFactory(review=f.ReviewFactory(partnership=partnership), agency=council, number=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).text.count("DHR 20") == 9


def test_an_administrator_changes_a_review(client_for, admin, review):
    url = reverse("plans:review_edit", args=["testshire", review.pk])
    assert client_for(admin).get(url).status_code == 200
    response = client_for(admin).post(
        url, _review_post(reference="DHR 2025/03", status="published", marking="official")
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "published" and review.marking == "official"
