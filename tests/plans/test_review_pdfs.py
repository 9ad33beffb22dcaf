"""The review PDFs: the per-review action plan and the tracker, tagged, marked, escaped and
read in order; nothing of a review for those who may not read it."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from partners import pdf as partners_pdf
from partners.models import Role
from plans.models import ReviewMarking
from tests import factories as f
from tests.render_helpers import heavier

from .pdf_helpers import pdf_text, squash

TODAY = timezone.localdate()
TRAP = '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://127.0.0.1:9/x">'


@pytest.fixture(autouse=True)
def _in_process(settings):
    settings.PDF_RENDER_IN_PROCESS = True


@pytest.fixture
def reader(partnership):
    user = f.UserFactory(username="reader")
    f.RoleFactory(user=user, partnership=partnership, role=Role.Kind.CHAIR)
    return user


@pytest.fixture
def review(partnership, council, police, reader):
    review = f.ReviewFactory(partnership=partnership, reference="DHR 2025/03", readers=[reader])
    first = f.RecommendationFactory(
        review=review,
        agency=council,
        number=1,
        text="Train housing officers",
        due_date=TODAY - datetime.timedelta(days=3),
    )
    f.RecommendationNoteFactory(
        recommendation=first, text="First session held", date=TODAY - datetime.timedelta(days=9)
    )
    f.RecommendationFactory(review=review, agency=police, number=2, text=TRAP)
    return review


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_review_pdf_prints_its_recommendations_in_order_and_its_marking(client_for, reader, review):
    pdf = _get(client_for(reader), reverse("plans:review_pdf", args=["testshire", review.pk]))
    text = squash(pdf_text(pdf))
    assert squash("Review DHR 2025/03: action plan") in text
    assert text.count("OFFICIAL-SENSITIVE") >= 2  # header and footer
    assert "housing" in text and "session" in text
    assert text.index("session") < text.index("etc/passwd")  # recommendation 1's row before 2's
    assert squash('<img src="file:///etc/passwd">') in text  # printed as text, never fetched


def test_the_review_pdf_is_tagged_and_titled(client_for, reader, review):
    reader_pdf = PdfReader(
        io.BytesIO(_get(client_for(reader), reverse("plans:review_pdf", args=["testshire", review.pk])))
    )
    assert "/StructTreeRoot" in reader_pdf.trailer["/Root"]
    assert reader_pdf.metadata.title == "Review DHR 2025/03: action plan"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler's pdftotext is not installed")
def test_pdftotext_reads_the_tracker_by_agency_overdue_first(client_for, reader, review, tmp_path):
    path = tmp_path / "tracker.pdf"
    path.write_bytes(_get(client_for(reader), reverse("plans:review_tracker_pdf", args=["testshire"])))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Review tracker" in text and "OVERDUE" in text.upper()
    assert text.index("Testshire Borough Council") < text.index("Testshire Constabulary")


def test_a_chair_not_named_gets_no_review_pdf_and_a_tracker_without_the_review(client_for, chair, review):
    client = client_for(chair)
    assert client.get(reverse("plans:review_pdf", args=["testshire", review.pk])).status_code == 404
    text = pdf_text(_get(client, reverse("plans:review_tracker_pdf", args=["testshire"])))
    assert "Review tracker" in text and "DHR" not in text and "housing" not in text
    assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text


def test_an_official_review_prints_official(client_for, officer, review):
    review.marking = ReviewMarking.OFFICIAL
    review.save()
    text = pdf_text(_get(client_for(officer), reverse("plans:review_pdf", args=["testshire", review.pk])))
    assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text


def test_a_review_pdf_past_its_time_says_so(client_for, reader, review, settings):
    settings.PDF_DIRECT_TIMEOUT = 0.01
    response = client_for(reader).get(reverse("plans:review_pdf", args=["testshire", review.pk]))
    page = response.content.decode()
    assert response.status_code == 503
    assert "The PDF took longer than 0.01 seconds to produce." in page
    assert "Back to the reviews" in page


def test_a_review_pdf_past_its_memory_says_so_and_the_next_one_renders(
    client_for, reader, review, settings, monkeypatch
):
    client = client_for(reader)
    url = reverse("plans:review_pdf", args=["testshire", review.pk])
    settings.PDF_DIRECT_MAX_MEMORY_MB = 50
    real = partners_pdf.render_pdf
    monkeypatch.setattr(partners_pdf, "render_pdf", heavier(real))
    refused = client.get(url)
    monkeypatch.setattr(partners_pdf, "render_pdf", real)
    assert refused.status_code == 503
    assert "more memory than a PDF produced while you wait may use (50 MB)" in refused.content.decode()
    assert "housing" in pdf_text(_get(client, url))
