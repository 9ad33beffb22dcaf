"""The scrutiny pack of a plan year (issue 16): who may produce it, what it prints and in which
order, that it is OFFICIAL whoever asks, tagged, and loaded in a fixed number of queries."""

import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from actions.models import Marking, PerformanceMeasure, Rag
from plans.models import MeetingPack
from plans.pdf.scrutiny import ScrutinyOptions, load_scrutiny_data, render_scrutiny, scrutiny_plan_queryset
from tests import factories as f

from .pdf_helpers import build_plan, note, pdf_pages, pdf_text, squash
from .test_pdf_tagging import Structure

SECRET_ACTION = "Disrupt the Delta Street cannabis farm run by a named family"
SECRET_NOTE = "Named suspect discussed at MARRG"
OFFICIAL_NOTE = "Event at Meryfield primary school with 140 people"


@pytest.fixture(autouse=True)
def _render_in_process(settings):
    settings.PDF_RENDER_IN_PROCESS = True


@pytest.fixture
def built(plan, priority, issue, action, team):
    made = build_plan(plan, priority, issue, action, team)
    secret = f.ActionFactory(issue=issue, text=SECRET_ACTION, owner_teams=[team], marking=Marking.OFFICIAL_SENSITIVE)
    note(
        secret, "Warrant executed on 3 May", datetime.date(2025, 5, 3), rag=Rag.RED, marking=Marking.OFFICIAL_SENSITIVE
    )
    measure = f.MeasureFactory(
        priority=priority, name="ASB incidents reported", unit="incidents", target=Decimal(100), order=1
    )
    f.MeasureValueFactory(measure=measure, period_start=datetime.date(2025, 8, 1), value=Decimal(120))
    f.MeasureValueFactory(measure=measure, period_start=datetime.date(2025, 9, 1), value=Decimal(90))
    return {
        **made,
        "secret": secret,
        "measure": measure,
        "reviews": make_reviews(plan.partnership),
        "duties": make_duties(plan.partnership),
    }


def make_duties(partnership):
    """Due in the 2025-2026 year: met on time, met late, missed and (on 20 April 2026) none
    upcoming; one upcoming at the year's end when produced earlier; one due after the year."""
    duty = f.StatutoryDutyFactory
    return [
        duty(
            partnership=partnership,
            title="Strategic assessment 2025",
            due_date=datetime.date(2025, 6, 30),
            done_on=datetime.date(2025, 6, 20),
            kind="strategic_assessment",
        ),
        duty(
            partnership=partnership,
            title="Plan sent to the PCC",
            due_date=datetime.date(2025, 7, 31),
            done_on=datetime.date(2025, 8, 12),
            kind="plan_to_pcc",
        ),
        duty(
            partnership=partnership,
            title="Scrutiny committee review",
            due_date=datetime.date(2026, 1, 31),
            kind="scrutiny_review",
        ),
        duty(
            partnership=partnership,
            title="Serious Violence strategy review",
            due_date=datetime.date(2026, 3, 31),
            kind="serious_violence_strategy_review",
        ),
        duty(partnership=partnership, title="Next year's assessment", due_date=datetime.date(2026, 6, 30)),
    ]


REVIEW_SECRETS = ("Review of the death of Adult Q", "Dr Jane Investigator", "Share risk information at MARAC")


def make_reviews(partnership, *, suffix=""):
    """An OFFICIAL-SENSITIVE DHR with four recommendations (one overdue on 20 April 2026), an
    OFFICIAL ASB case review, and a review notified after the plan's year."""
    dhr = f.ReviewFactory(
        partnership=partnership,
        reference=f"DHR 2025/01{suffix}",
        kind=f.ReviewKindFactory(name="Domestic Homicide Review"),
        title=REVIEW_SECRETS[0],
        chair=REVIEW_SECRETS[1],
        notified_on=datetime.date(2025, 5, 1),
        status="in_progress",
    )
    agency = f.OrganisationFactory(name=f"Secretshire Hospital Trust{suffix}")
    for status, due in (
        ("agreed", datetime.date(2025, 12, 1)),
        ("in_progress", datetime.date(2027, 1, 1)),
        ("implemented", datetime.date(2025, 12, 1)),
        ("evidence_accepted", None),
    ):
        f.RecommendationFactory(review=dhr, agency=agency, status=status, due_date=due, text=REVIEW_SECRETS[2])
    asb = f.ReviewFactory(
        partnership=partnership,
        reference=f"ASB-CR 2025/02{suffix}",
        kind=f.ReviewKindFactory(name="ASB Case Review"),
        marking="official",
        notified_on=datetime.date(2025, 7, 1),
        status="published",
    )
    f.RecommendationFactory(review=asb, agency=agency, status="not_accepted", reason="Covered elsewhere")
    f.ReviewFactory(partnership=partnership, reference=f"DHR 2027/01{suffix}", notified_on=datetime.date(2027, 1, 5))
    return dhr, asb


def options_url(plan):
    return reverse("plans:scrutiny", args=[plan.slug])


def pack_url(plan, pack):
    return reverse("plans:scrutiny_pack", args=[plan.slug, pack.pk])


def download_url(plan, pack):
    return reverse("plans:scrutiny_pack_download", args=[plan.slug, pack.pk])


def produce(client, at_plan, **data):
    data.setdefault("plan", at_plan.slug)
    return client.post(options_url(at_plan), data)


@pytest.fixture
def ready_pack(plan, chair):
    """A scrutiny pack already rendered (a stand-in file: these tests are about who may)."""
    pack = MeetingPack.objects.create(
        kind=MeetingPack.Kind.SCRUTINY, plan=plan, created_by=chair, state=MeetingPack.State.DONE, marking="OFFICIAL"
    )
    pack.file.save("scrutiny.pdf", ContentFile(b"%PDF-1.7 stand-in"))
    return pack


def download(client, plan, pack):
    response = client.get(download_url(plan, pack))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# Who may ---------------------------------------------------------------------------------


def test_chair_produces_a_pack_and_downloads_it(client_for, chair, plan, built):
    client = client_for(chair)
    response = produce(client, plan, committee_title="Overview and Scrutiny Committee", committee_date="27/1/2026")
    pack = MeetingPack.objects.get()
    assert response.status_code == 302
    assert response["Location"] == pack_url(plan, pack)
    assert (pack.kind, pack.meeting, pack.state, pack.marking) == ("scrutiny", None, "done", "OFFICIAL")
    assert pack.options == {"committee_title": "Overview and Scrutiny Committee", "committee_date": "2026-01-27"}
    page = client.get(pack_url(plan, pack))
    assert "Your scrutiny pack is ready" in page.text
    assert "Tuesday 27 January 2026" in page.text
    text = pdf_text(download(client, plan, pack))
    assert "For the Overview and Scrutiny Committee, Tuesday 27 January 2026" in text


def test_admin_produces_a_pack(client_for, admin, plan, built):
    assert produce(client_for(admin), plan).status_code == 302
    assert MeetingPack.objects.get().state == MeetingPack.State.DONE


def test_officer_may_not_produce_a_pack_but_may_download_one(client_for, officer, plan, ready_pack):
    pack = ready_pack
    client = client_for(officer)
    assert client.get(options_url(plan)).status_code == 403
    assert produce(client, plan).status_code == 403
    assert MeetingPack.objects.count() == 1
    assert client.get(pack_url(plan, pack)).status_code == 200
    assert download(client, plan, pack).startswith(b"%PDF")


def test_outsider_finds_nothing(client_for, outsider, plan, ready_pack):
    pack = ready_pack
    client = client_for(outsider)
    assert client.get(options_url(plan)).status_code == 404
    assert produce(client, plan).status_code == 404
    assert client.get(pack_url(plan, pack)).status_code == 404
    assert client.get(download_url(plan, pack)).status_code == 404


def test_plan_page_offers_the_pack_to_chairs_only(client_for, chair, officer, plan):
    link = f'href="{options_url(plan)}"'
    assert link in client_for(chair).get(plan.get_absolute_url()).text
    page = client_for(officer).get(plan.get_absolute_url())
    assert plan.full_title in page.text
    assert link not in page.text


# Bad input -------------------------------------------------------------------------------


def test_unknown_plan_is_not_found(client_for, chair, plan):
    assert client_for(chair).get(reverse("plans:scrutiny", args=["no-such-plan"])).status_code == 404


def test_another_partnerships_plan_cannot_be_chosen(client_for, chair, plan, other_partnership):
    theirs = f.PlanFactory(partnership=other_partnership, slug="elsewhere-2025-2026")
    response = produce(client_for(chair), plan, plan=theirs.slug)
    assert response.status_code == 400
    assert "Choose the plan year from the list" in response.text
    assert MeetingPack.objects.count() == 0


def test_an_earlier_plan_of_the_partnership_may_be_chosen(client_for, chair, plan, partnership):
    earlier = f.PlanFactory(partnership=partnership, start_year=2024, end_year=2025)
    response = produce(client_for(chair), plan, plan=earlier.slug)
    pack = MeetingPack.objects.get()
    assert (pack.plan, pack.state) == (earlier, MeetingPack.State.DONE)
    assert response["Location"] == pack_url(earlier, pack)


def test_a_date_that_is_not_a_date_is_refused(client_for, chair, plan):
    response = produce(client_for(chair), plan, committee_date="next Tuesday")
    assert response.status_code == 400
    assert "Date the committee meets must be a real date" in response.text
    assert MeetingPack.objects.count() == 0


def test_a_pack_of_another_plan_or_a_meeting_pack_is_not_found(client_for, chair, plan, partnership, ready_pack):
    client = client_for(chair)
    pack = ready_pack
    assert client.get(pack_url(plan, pack)).status_code == 200
    other = f.PlanFactory(partnership=partnership, start_year=2024, end_year=2025)
    assert client.get(pack_url(other, pack)).status_code == 404
    meeting = f.MeetingFactory(partnership=partnership)
    meeting_pack = MeetingPack.objects.create(meeting=meeting, plan=plan)
    assert client.get(pack_url(plan, meeting_pack)).status_code == 404
    assert client.get(download_url(plan, meeting_pack)).status_code == 404


# What it prints --------------------------------------------------------------------------


@pytest.fixture
def pack_text(plan, built):
    result = render_scrutiny(
        scrutiny_plan_queryset().get(pk=plan.pk),
        ScrutinyOptions(),
        now=datetime.datetime(2026, 4, 20, tzinfo=datetime.UTC),
    )
    return result, "\n".join(pdf_pages(result.pdf)[1:])  # after the cover and its contents


def test_sections_read_in_order(pack_text):
    _, text = pack_text
    order = [
        "1. Plan summary",
        "RAG ratings by priority",
        "RAG ratings over time",
        "2. Measures against targets",
        "3. Reviews and recommendations",
        "4. Statutory duties",
    ]
    found = [text.index(heading) for heading in order]
    assert found == sorted(found)


def test_summary_counts_actions_by_priority_and_month(pack_text):
    _, text = pack_text
    # Red (the sensitive action), amber, green, blue (the discharged one), not rated, total.
    assert "1. Reduce anti-social behaviour 1 0 1 1 0 3" in text
    assert "2. Tackle domestic abuse 0 0 1 0 0 1" in text
    assert "30 June 2025 1 2 0 0 0" in text
    assert "31 March 2026 1 0 2 1 0" in text


def test_measures_are_judged_against_their_targets(pack_text):
    _, text = pack_text
    assert "ASB incidents reported" in text
    assert "ASB incidents reported (incidents) Priority 1 Lower is better 100 Target met" in text


def test_reviews_are_counted_by_status_with_those_overdue(pack_text, other_partnership):
    _, text = pack_text
    # Agreed, in progress, implemented, evidence accepted, not accepted, total, overdue.
    assert "DHR 2025/01 Domestic Homicide Review In progress 1 1 1 1 0 4 1" in text
    assert "ASB-CR 2025/02 ASB Case Review Published 0 0 0 0 1 1 0" in text
    assert "All reviews 1 1 1 1 1 5 1" in text
    assert "DHR 2027/01" not in text


def test_reviews_of_another_partnership_are_not_counted(plan, built, other_partnership):
    make_reviews(other_partnership, suffix="-elsewhere")
    data = load_scrutiny_data(scrutiny_plan_queryset().get(pk=plan.pk), ScrutinyOptions())
    assert [line.reference for line in data.reviews] == ["ASB-CR 2025/02", "DHR 2025/01"]


def test_duties_of_the_year_are_met_on_time_met_late_or_missed(pack_text):
    _, text = pack_text
    assert "Met on time Met late Missed Upcoming Total\n1 1 2 0 4" in text
    assert (
        "Plan sent to the PCC Plan sent to the Police and Crime Commissioner 31 July 2025 12 August 2025 Met late"
        in text
    )
    assert "Next year's assessment" not in text


@pytest.mark.parametrize(
    ("due", "done", "state"),
    [
        (datetime.date(2026, 1, 31), datetime.date(2026, 1, 31), "Met on time"),
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 1), "Met late"),
        (datetime.date(2026, 1, 31), None, "Missed"),
        (datetime.date(2026, 2, 1), None, "Upcoming"),
    ],
)
def test_duty_state(due, done, state):
    from plans.pdf.scrutiny import duty_state

    assert duty_state(due, done, datetime.date(2026, 2, 1)) == state


def test_the_pack_is_official_and_holds_no_text_of_actions_or_updates(client_for, admin, plan, built):
    client = client_for(admin)
    produce(client, plan)
    pdf = download(client, plan, MeetingPack.objects.get())
    text = squash(pdf_text(pdf))
    assert squash(f"Scrutiny pack: {plan.full_title}") in text
    assert "OFFICIAL-SENSITIVE" not in text.replace(squash("no OFFICIAL-SENSITIVE text"), "")
    secrets = (SECRET_ACTION, SECRET_NOTE, "Warrant executed", OFFICIAL_NOTE, "Deliver Safer Street events")
    for secret in (*secrets, *REVIEW_SECRETS, "Secretshire Hospital Trust", "Covered elsewhere"):
        assert squash(secret) not in text
        assert secret.encode() not in pdf


def test_the_pack_is_tagged(pack_text, plan, tmp_path):
    result, _ = pack_text
    structure = Structure(result.pdf)
    assert structure.root["/MarkInfo"]["/Marked"].value is True
    assert str(structure.root["/Lang"]) == "en-GB"
    assert structure.reader.metadata.title == f"Scrutiny pack: {plan.full_title}"
    assert {"/Table", "/TH", "/TD", "/H2"} <= structure.types()
    assert structure.bad_parents == [] and structure.bad_pg == []
    for chars in structure.chars:
        assert "".join(c["text"] for c in chars if c.get("mcid") is None and c.get("tag") != "Artifact") == ""
    if shutil.which("pdfinfo"):
        path = tmp_path / "scrutiny.pdf"
        path.write_bytes(result.pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
        assert "Tagged:          yes" in info


def test_nothing_is_fetched_while_rendering(pack_text):
    result, _ = pack_text
    assert result.refused == ()


def test_loading_takes_the_same_queries_at_two_sizes(plan, built, issue, team, priority, django_assert_num_queries):
    small = scrutiny_plan_queryset().get(pk=plan.pk)
    with django_assert_num_queries(7) as few:
        load_scrutiny_data(small, ScrutinyOptions())
    for n in range(15):
        action = f.ActionFactory(issue=issue, text=f"More {n}", owner_teams=[team])
        note(action, "A note", datetime.date(2025, 5 + n % 6, 1), rag=Rag.GREEN)
        measure = f.MeasureFactory(priority=priority, name=f"Measure {n}", better=PerformanceMeasure.Better.HIGHER)
        f.MeasureValueFactory(measure=measure, value=n)
        review = f.ReviewFactory(partnership=plan.partnership, notified_on=datetime.date(2025, 6, 1))
        f.RecommendationFactory(review=review, status="in_progress")
        f.StatutoryDutyFactory(partnership=plan.partnership, due_date=datetime.date(2025, 9, 1 + n))
    f.PriorityFactory(plan=plan, number=3, title="A third priority")
    big = scrutiny_plan_queryset().get(pk=plan.pk)
    with django_assert_num_queries(len(few)):
        data = load_scrutiny_data(big, ScrutinyOptions())
    assert data.action_count == 19
    assert len(data.measures) == 16
    assert len(data.reviews) == 17
    assert len(data.duties) == 19


@pytest.mark.parametrize(
    ("better", "target", "value", "words"),
    [
        ("lower", 100, 90, "Target met"),
        ("lower", 100, 120, "Target not met"),
        ("higher", 50, 60, "Target met"),
        ("higher", 50, 40, "Target not met"),
        ("neither", 50, 40, "Context only"),
        ("lower", None, 40, "No target"),
    ],
)
def test_against_target_in_words(better, target, value, words):
    from plans.pdf.scrutiny import against_target

    measure = PerformanceMeasure(better=better, target=target)
    assert against_target(measure, f.MeasureValueFactory.build(value=Decimal(value))) == words
    assert against_target(measure, None) == "No value yet"


# The command -----------------------------------------------------------------------------


def run_command(*args):
    out = io.StringIO()
    call_command("scrutiny_pack", *args, stdout=out)
    return out.getvalue()


def test_command_writes_the_pack(plan, built, tmp_path):
    output = tmp_path / "scrutiny.pdf"
    printed = run_command(plan.partnership.slug, plan.slug, "--output", str(output), "--committee-date", "2026-01-27")
    pdf = output.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert "marked OFFICIAL" in printed
    assert "Tuesday 27 January 2026" in pdf_text(pdf)


def test_command_refuses_an_unknown_plan(partnership, tmp_path):
    with pytest.raises(CommandError, match="has no plan with the slug 'no-such-plan'"):
        run_command(partnership.slug, "no-such-plan", "--output", str(tmp_path / "x.pdf"))


def test_command_refuses_another_partnerships_plan(plan, other_partnership, tmp_path):
    with pytest.raises(CommandError, match="has no plan"):
        run_command(other_partnership.slug, plan.slug, "--output", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
