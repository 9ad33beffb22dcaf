"""The published contacts PDF is rendered once per change, in the web process (no process is
started), holding a heavy-work slot, and served from the stored file afterwards: anonymous
visitors cannot make the web process render again and again."""

import io
import subprocess

import pdfplumber
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from partners import pdf as pdf_module
from partners.slots import heavy_work_slot
from tests import factories as f
from tests.render_helpers import heavier


@pytest.fixture
def published(partnership, council):
    partnership.contacts_public = True
    partnership.save()
    return f.ContactFactory(
        partnership=partnership, organisation=council, name="Borehamwood Fire Station", is_public=True
    )


@pytest.fixture
def no_process_started(monkeypatch, settings):
    settings.PDF_RENDER_IN_PROCESS = False

    def refuse(*args, **kwargs):
        raise AssertionError("a process was started")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(pdf_module, "run_child", refuse)


def _url(partnership):
    return reverse("partners:contacts_pdf", args=[partnership.slug])


def _text(response):
    with pdfplumber.open(io.BytesIO(response.content)) as document:
        return " ".join(page.extract_text() or "" for page in document.pages)


def _stored():
    return sorted(default_storage.listdir("pdf")[1]) if default_storage.exists("pdf") else []


def test_anonymous_visitor_gets_the_pdf_without_a_process_started(client, partnership, published, no_process_started):
    response = client.get(_url(partnership))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Borehamwood Fire Station" in _text(response)
    assert len(_stored()) == 1


def test_second_request_is_served_from_the_stored_file(client, partnership, published, monkeypatch):
    first = client.get(_url(partnership))

    def no_render(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(pdf_module, "render_pdf", no_render)
    second = client.get(_url(partnership))
    assert second.status_code == 200
    assert second.content == first.content


def test_changed_contacts_give_a_new_pdf_and_the_old_file_goes(client, partnership, published):
    client.get(_url(partnership))
    before = _stored()
    published.name = "Elstree Fire Station"
    published.save()
    response = client.get(_url(partnership))
    assert "Elstree Fire Station" in _text(response)
    after = _stored()
    assert len(after) == 1
    assert after != before


def test_busy_slots_give_a_retry_page_not_a_render(client, partnership, published, settings):
    settings.HEAVY_WORK_SLOTS = 1
    with heavy_work_slot(wait=False):
        response = client.get(_url(partnership))
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.PDF_DIRECT_TIMEOUT)
    assert "The PDF is not ready" in response.content.decode()
    assert "Read the contact details on the web page" in response.content.decode()
    assert _stored() == []


def test_stored_pdf_is_served_even_when_the_slots_are_busy(client, partnership, published, settings):
    settings.HEAVY_WORK_SLOTS = 1
    client.get(_url(partnership))
    with heavy_work_slot(wait=False):
        response = client.get(_url(partnership))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_out_of_memory_gives_the_retry_page(client, partnership, published, monkeypatch):
    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(pdf_module, "render_pdf", out_of_memory)
    response = client.get(_url(partnership))
    assert response.status_code == 503
    assert "The PDF is not ready" in response.content.decode()
    assert _stored() == []


def test_a_render_past_its_time_says_so_and_stores_nothing(client, partnership, published, settings):
    settings.PDF_DIRECT_TIMEOUT = 0.01
    response = client.get(_url(partnership))
    page = response.content.decode()
    assert response.status_code == 503
    assert "The PDF took longer than 0.01 seconds to produce." in page
    assert "Read the contact details on the web page" in page
    assert _stored() == []


def test_a_render_past_its_memory_says_so_and_the_next_one_renders(
    client, partnership, published, settings, monkeypatch
):
    settings.PDF_DIRECT_MAX_MEMORY_MB = 50
    real = pdf_module.render_pdf
    monkeypatch.setattr(pdf_module, "render_pdf", heavier(real))
    refused = client.get(_url(partnership))
    monkeypatch.setattr(pdf_module, "render_pdf", real)
    response = client.get(_url(partnership))
    assert refused.status_code == 503
    assert "more memory than a PDF produced while you wait may use (50 MB)" in refused.content.decode()
    assert response.status_code == 200
    assert "Borehamwood Fire Station" in _text(response)


def test_unpublished_contacts_pdf_is_still_not_found_for_anonymous_visitors(client, partnership, published):
    partnership.contacts_public = False
    partnership.save()
    response = client.get(_url(partnership))
    assert response.status_code == 404
    assert _stored() == []
