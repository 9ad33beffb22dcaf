"""The plan PDF is a tagged PDF (PDF/UA-1) whether rendered in one process or in parts
merged afterwards (``plans/pdf/parallel.py``, ``plans/pdf/merge.py``).

There is no veraPDF here: the checks read the structure with pypdf and the marked content
with pdfplumber, and ask poppler's ``pdfinfo`` when it is installed."""

import datetime
import io
import re
import shutil
import subprocess

import pdfplumber
import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from actions.models import Rag
from partners.pdf import render_pdf
from plans.pdf import parallel
from plans.pdf.merge import merge_tagged, write_compact
from plans.pdf.options import PdfOptions
from plans.pdf.render import render_plan
from tests import factories as f

from .pdf_helpers import note, pdf_pages

TITLE = "Testshire Community Safety Action Plan 2025 - 2026"
PRIORITIES = 3
ACTIONS = 3


@pytest.fixture
def three_priorities(plan, team):
    """Three priorities of three actions, each action with a note."""
    for p in range(1, PRIORITIES + 1):
        priority = f.PriorityFactory(plan=plan, number=p, title=f"Priority title {p}")
        issue = f.IssueFactory(priority=priority, title=f"Issue of priority {p}")
        for a in range(1, ACTIONS + 1):
            action = f.ActionFactory(issue=issue, text=f"Tagged action {p}.{a}", owner_teams=[team])
            note(action, f"Progress note {p}.{a}", datetime.date(2025, 6, a), rag=Rag.GREEN)
    return plan


@pytest.fixture
def merges(monkeypatch):
    """Counts the merges of the parallel path, to prove a render took it."""
    calls = []

    def counting(pdfs):
        calls.append(len(pdfs))
        return merge_tagged(pdfs)

    monkeypatch.setattr(parallel, "merge_tagged", counting)
    return calls


def render_in_parts(plan, settings, merges):
    settings.PDF_PARALLEL_MIN_ACTIONS = 2
    result = render_plan(plan, PdfOptions())
    assert merges == [1 + PRIORITIES]  # the front and one part per priority
    return result


def render_in_one_piece(plan, settings, merges):
    settings.PDF_PARALLEL_MIN_ACTIONS = 0
    result = render_plan(plan, PdfOptions())
    assert merges == []
    return result


RENDERS = [render_in_one_piece, render_in_parts]


# Reading the structure --------------------------------------------------------------


def number_tree(node):
    node = node.get_object()
    nums = node.get("/Nums", [])
    pairs = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for kid in node.get("/Kids", []):
        pairs.update(number_tree(kid))
    return pairs


def kids(element):
    value = element.get("/K", [])
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return list(value) if isinstance(value, ArrayObject) else [value]


class Structure:
    """The structure tree of a PDF, walked in order, with the text of each marked-content
    sequence (read by pdfplumber, per page and MCID)."""

    def __init__(self, pdf):
        self.reader = PdfReader(io.BytesIO(pdf))
        self.root = self.reader.trailer["/Root"]
        self.pages = {page.indirect_reference.idnum: number for number, page in enumerate(self.reader.pages)}
        with pdfplumber.open(io.BytesIO(pdf)) as plumber:
            self.chars = [page.chars for page in plumber.pages]
        self.marked_text = {}  # (page index, MCID) -> text
        for number, chars in enumerate(self.chars):
            for char in chars:
                if char.get("mcid") is not None:
                    key = (number, char["mcid"])
                    self.marked_text[key] = self.marked_text.get(key, "") + char["text"]
        self.elements = []  # (element, page index of its /Pg or inherited one)
        self.mcids = []  # (page index, MCID, element) in the structure's order
        self.bad_pg = []
        self.bad_parents = []
        tree = self.root["/StructTreeRoot"]
        for kid in kids(tree):
            self.walk(kid, tree.indirect_reference, None)

    def walk(self, ref, parent_ref, page):
        element = ref.get_object()
        if element.get("/P") != parent_ref:
            self.bad_parents.append(element.get("/S"))
        if "/Pg" in element:
            page = self.pages.get(getattr(element.raw_get("/Pg"), "idnum", None))
            if page is None:
                self.bad_pg.append(element.get("/S"))
        self.elements.append((element, page))
        for kid in kids(element):
            if isinstance(kid, int):
                self.mcids.append((page, int(kid), ref))
                continue
            target = kid.get_object()
            if target.get("/Type") == "/MCR":
                self.mcids.append((self.pages[target.raw_get("/Pg").idnum], int(target["/MCID"]), ref))
            elif target.get("/Type") == "/OBJR":
                assert target["/Obj"].get_object()["/StructParent"] is not None
            else:
                self.walk(kid, ref, page)

    def types(self):
        return {str(element["/S"]) for element, _page in self.elements}

    def text(self):
        """The document's text in the structure's reading order."""
        return " ".join(self.marked_text.get((page, mcid), "") for page, mcid, _element in self.mcids)

    def tables(self):
        """Each /Table element's element types and text."""
        found = []
        for element, _page in self.elements:
            if element["/S"] == "/Table":
                inner = Structure.__new__(Structure)
                inner.__dict__.update(self.__dict__, elements=[], mcids=[], bad_parents=[], bad_pg=[])
                for kid in kids(element):
                    if isinstance(kid, IndirectObject):
                        inner.walk(kid, element.indirect_reference, None)
                found.append((inner.types(), inner.text()))
        return found


def content_mcids(page):
    """The MCIDs used in a page's content stream."""
    return {int(m) for m in re.findall(rb"/MCID\s+(\d+)", page.get_contents().get_data())}


def assert_tagged(result):
    """The checks every plan PDF must pass, merged or not. Returns its structure."""
    pdf = result.pdf
    structure = Structure(pdf)
    reader, root = structure.reader, structure.root

    assert root["/MarkInfo"]["/Marked"].value is True
    assert str(root["/Lang"]) == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == TITLE
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert TITLE in xmp

    assert len(reader.pages) == result.pages
    texts = pdf_pages(pdf)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text

    # Every page is in the parent tree, and each MCID of its content has its element there.
    tree = root["/StructTreeRoot"]
    parent_tree = number_tree(tree["/ParentTree"])
    keys = [page["/StructParents"] for page in reader.pages]
    assert len(set(keys)) == len(keys)
    for page, key in zip(reader.pages, keys, strict=True):
        assert key in parent_tree
        elements = parent_tree[key].get_object()
        for mcid in content_mcids(page):
            assert mcid < len(elements)
            element = elements[mcid].get_object()
            assert isinstance(element, DictionaryObject)
            assert "/S" in element
    if "/ParentTreeNextKey" in tree:
        assert tree["/ParentTreeNextKey"] > max(parent_tree)

    # The tree: parents right, every /Pg a page of this document, each MCID used once.
    assert structure.elements
    assert structure.bad_parents == []
    assert structure.bad_pg == []
    marked = [(page, mcid) for page, mcid, _element in structure.mcids]
    assert len(marked) == len(set(marked))

    # Table headers name cells that exist, and ids are unique.
    ids = [str(element["/ID"]) for element, _page in structure.elements if "/ID" in element]
    assert len(ids) == len(set(ids))
    for element, _page in structure.elements:
        for header in element.get("/A", {}).get("/Headers", []) if isinstance(element.get("/A"), dict) else []:
            assert str(header) in ids

    # Text outside the structure is an artifact (the page header, footer and numbers).
    for number, chars in enumerate(structure.chars):
        untagged = "".join(c["text"] for c in chars if c.get("mcid") is None and c.get("tag") != "Artifact")
        assert untagged == "", f"page {number + 1}: {untagged!r}"
    return structure


# Tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("render", RENDERS, ids=["one piece", "in parts"])
def test_plan_pdf_is_tagged_with_its_tables_in_order(three_priorities, settings, merges, render):
    result = render(three_priorities, settings, merges)
    structure = assert_tagged(result)

    assert {"/Document", "/Table", "/TR", "/TH", "/TD"} <= structure.types()
    text = "".join(structure.text().split())
    actions = [f"Taggedaction{p}.{a}" for p in range(1, PRIORITIES + 1) for a in range(1, ACTIONS + 1)]
    positions = [text.find(action) for action in actions]
    assert -1 not in positions
    assert positions == sorted(positions)

    # Each priority's table keeps its rows, headings and cells.
    tables = [(types, "".join(text.split())) for types, text in structure.tables()]
    for p in range(1, PRIORITIES + 1):
        table = next(types for types, text in tables if f"Taggedaction{p}.1" in text)
        assert {"/TR", "/TH", "/TD"} <= table


def test_page_numbers_of_a_merged_plan_are_artifacts(three_priorities, settings, merges):
    result = render_in_parts(three_priorities, settings, merges)
    structure = Structure(result.pdf)
    for number, chars in enumerate(structure.chars, start=1):
        stamped = [c for c in chars if c.get("mcid") is None]
        assert f"Page {number} of {len(structure.chars)}" in "".join(c["text"] for c in stamped)
        assert {c.get("tag") for c in stamped} == {"Artifact"}
    assert "Page 1 of" not in structure.text()


def test_merged_parent_tree_keys_follow_on_from_part_to_part(three_priorities, settings, merges):
    reader = PdfReader(io.BytesIO(render_in_parts(three_priorities, settings, merges).pdf))
    keys = [page["/StructParents"] for page in reader.pages]
    assert keys == list(range(len(reader.pages)))
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    assert tree["/ParentTreeNextKey"] == len(reader.pages)
    assert len(tree["/K"]) == 1
    assert tree["/K"][0].get_object()["/S"] == "/Document"


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("render", RENDERS, ids=["one piece", "in parts"])
def test_poppler_reads_the_pdf_as_tagged(three_priorities, settings, merges, render, tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(render(three_priorities, settings, merges).pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    assert re.search(r"^Tagged:\s+yes", info, re.MULTILINE)
    assert re.search(r"^Pages:\s+\d+", info, re.MULTILINE)


def link_part(text):
    html = (
        f'<html lang="en-GB"><head><title>Links</title></head><body>'
        f'<p>{text} <a href="https://example.org/{text}">a link to {text}</a></p></body></html>'
    )
    return render_pdf(html)[0]


def test_merging_keeps_links_in_the_structure():
    writer = merge_tagged([link_part("first"), link_part("second")])
    out = io.BytesIO()
    write_compact(writer, out)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    parent_tree = number_tree(tree["/ParentTree"])
    links = []
    for page in reader.pages:
        assert page["/StructParents"] in parent_tree
        for annotation in page["/Annots"]:
            annotation = annotation.get_object()
            element = parent_tree[annotation["/StructParent"]].get_object()
            assert element["/S"] == "/Link"
            objr = [kid.get_object() for kid in element["/K"] if isinstance(kid, IndirectObject)]
            assert objr[0]["/Obj"].get_object() == annotation
            assert objr[0]["/Pg"].get_object() == page.get_object()
            links.append(annotation["/A"]["/URI"])
    assert links == ["https://example.org/first", "https://example.org/second"]
    assert len(set(parent_tree)) == len(parent_tree)
    assert tree["/ParentTreeNextKey"] == max(parent_tree) + 1


def test_compact_writing_packs_objects_in_streams():
    writer = merge_tagged([link_part("first"), link_part("second")])
    plain, compact = io.BytesIO(), io.BytesIO()
    writer.write(plain)
    write_compact(writer, compact)
    assert b"/ObjStm" in compact.getvalue()
    assert len(compact.getvalue()) < len(plain.getvalue())
    assert [p.extract_text() for p in PdfReader(compact).pages] == [p.extract_text() for p in PdfReader(plain).pages]
