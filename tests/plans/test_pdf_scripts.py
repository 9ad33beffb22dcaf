"""What officers paste prints: non-Latin scripts and emoji in real fonts (no empty boxes),
and a very long unbroken string wraps inside its cell instead of running off the page.
Needs Debian's fonts-noto-core and fonts-noto-color-emoji (README prerequisites; .ci/run)."""

import datetime
import shutil
import subprocess

import pdfplumber
import pytest
from django.db import transaction
from django.urls import reverse

from plans.pdf.options import PdfOptions
from plans.pdf.render import render_plan
from tests import factories as f

from .pdf_helpers import note

SCRIPTS = {
    "Greek": ("Καλημέρα κόσμε", "Noto-Sans"),
    "Cyrillic": ("Здравствуйте", "Noto-Sans"),
    "Arabic": ("مرحبا بالعالم", "Noto-Sans-Arabic"),
    "Devanagari": ("नमस्ते दुनिया", "Noto-Sans-Devanagari"),
    "Bengali": ("স্বাগতম", "Noto-Sans-Bengali"),
    "Tamil": ("வணக்கம்", "Noto-Sans-Tamil"),
    "Gurmukhi": ("ਸਤ ਸ੍ਰੀ ਅਕਾਲ", "Noto-Sans-Gurmukhi"),
    "emoji": ("🚓👍", "Noto-Color-Emoji"),
}
LONG = "Z" * 10_000

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdffonts"), reason="needs poppler-utils (pdffonts)"),
]


@pytest.fixture(scope="module")
def pdf(django_db_setup, django_db_blocker, tmp_path_factory):
    """One render of a plan whose notes hold every script and a 10,000-character word."""
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    if "Noto Sans Arabic" not in families or "Noto Color Emoji" not in families:
        pytest.fail("The PDF fonts are missing: apt-get install fonts-noto-core fonts-noto-color-emoji (README)")
    with django_db_blocker.unblock(), transaction.atomic():
        partnership = f.PartnershipFactory(slug="scripts")
        plan = f.PlanFactory(partnership=partnership, slug="scripts-2025-2026")
        issue = f.IssueFactory(priority=f.PriorityFactory(plan=plan, number=1))
        action = f.ActionFactory(issue=issue, text="Community languages")
        day = datetime.date(2025, 6, 1)
        for name, (text, _) in SCRIPTS.items():
            note(action, f"{name}: {text}", day)
        note(action, LONG, day)
        result = render_plan(plan, PdfOptions())
        transaction.set_rollback(True)
    path = tmp_path_factory.mktemp("pdf") / "scripts.pdf"
    path.write_bytes(result.pdf)
    return path


def _fonts_of(path, text, *, first_page=0):
    """The fonts the characters of ``text`` were printed in (their PDF names)."""
    wanted = {char for char in text if not char.isspace()}
    with pdfplumber.open(path) as document:
        pages = document.pages[first_page:]
        return {c["fontname"].split("+")[-1] for page in pages for c in page.chars if set(c["text"]) & wanted}


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_script_is_printed_in_a_font_that_has_it(pdf, script):
    text, font = SCRIPTS[script]
    assert _fonts_of(pdf, text) == {font}


def test_latin_text_and_digits_stay_in_arimo(pdf):
    """Digits are emoji keycap bases too: the emoji font must not take them. (The table's
    pages only: the summary's chart names its own fonts.)"""
    assert _fonts_of(pdf, "Community languages 0123456789/", first_page=1) == {"Arimo", "Arimo-Bold"}


def test_every_font_is_embedded(pdf):
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    assert rows
    assert all(row[-5] == "yes" for row in rows)  # the "emb" column


def test_greek_and_cyrillic_come_back_as_text(pdf):
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Καλημέρα" in text
    assert "Здравствуйте" in text


def test_a_ten_thousand_character_word_wraps_inside_the_page(pdf):
    with pdfplumber.open(pdf) as document:
        printed = [(char["x1"], page.width) for page in document.pages for char in page.chars if char["text"] == "Z"]
    assert len(printed) == len(LONG)  # all of it printed, none cut off
    assert max(x1 for x1, _ in printed) <= min(width for _, width in printed)


def test_the_contacts_pdf_prints_a_name_in_arabic_and_wraps_a_long_address(client_for, officer, partnership, tmp_path):
    f.ContactFactory(
        partnership=partnership, name="مركز المجتمع", website="https://example.org/" + "x" * 170
    )  # the longest the field holds
    response = client_for(officer).get(reverse("partners:contacts_pdf", args=[partnership.slug]))
    assert response.status_code == 200
    path = tmp_path / "contacts.pdf"
    path.write_bytes(response.content)
    assert _fonts_of(path, "مركز المجتمع") == {"Noto-Sans-Arabic-Bold"}  # a name is bold
    with pdfplumber.open(path) as document:
        page = document.pages[0]
        assert max(char["x1"] for char in page.chars) <= page.width
