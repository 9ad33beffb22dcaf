"""A row's stored file goes with the row once the deletion commits (``plans.models.delete_stored_files``):
prepared PDFs deleted with their plan, packs, a recommendation's evidence. Nothing stays in
storage unlisted; a deletion rolled back keeps the file."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from plans.models import MeetingPack, PdfRequest
from tests import factories as f


def _stored(row, field="file", name="kept.pdf"):
    getattr(row, field).save(name, ContentFile(b"%PDF-1.7 OFFICIAL-SENSITIVE text"), save=True)
    stored = getattr(row, field).name
    assert default_storage.exists(stored)
    return stored


@pytest.fixture
def prepared(plan, chair):
    return PdfRequest.objects.create(plan=plan, created_by=chair, state=PdfRequest.State.DONE, marking="OFFICIAL")


def test_a_prepared_pdf_deleted_with_its_plan_leaves_no_file(prepared, plan, django_capture_on_commit_callbacks):
    stored = _stored(prepared)
    with django_capture_on_commit_callbacks(execute=True):
        plan.delete()
    assert not PdfRequest.objects.exists()
    assert not default_storage.exists(stored)


def test_a_deleted_pack_leaves_no_file(plan, chair, django_capture_on_commit_callbacks):
    pack = MeetingPack.objects.create(
        plan=plan, kind=MeetingPack.Kind.SCRUTINY, created_by=chair, state=MeetingPack.State.DONE
    )
    stored = _stored(pack)
    with django_capture_on_commit_callbacks(execute=True):
        pack.delete()
    assert not default_storage.exists(stored)


def test_a_deleted_review_takes_its_recommendations_evidence(partnership, django_capture_on_commit_callbacks):
    recommendation = f.RecommendationFactory(review__partnership=partnership)
    stored = _stored(recommendation, "evidence_file", "evidence.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        recommendation.review.delete()
    assert not default_storage.exists(stored)


def test_a_deletion_rolled_back_keeps_the_file(prepared, django_capture_on_commit_callbacks):
    stored, pk = _stored(prepared), prepared.pk
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        prepared.delete()
        raise RuntimeError("the deletion fails after the row went")
    assert callbacks == []
    assert PdfRequest.objects.filter(pk=pk).exists()
    assert default_storage.exists(stored)


def test_a_row_without_a_file_is_deleted_without_asking_storage(prepared, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        prepared.delete()
    assert callbacks == []
