"""Join tagged PDFs (WeasyPrint's PDF/UA-1 parts of a big plan) into one tagged PDF.

pypdf's ``append`` copies pages, annotations and outlines but neither the catalog's
structure tree nor the pages' ``/StructParents``. ``merge_tagged`` appends the parts, then
builds one ``/StructTreeRoot``:

- one ``/Document`` element whose kids are each part's top-level elements, in order;
- every structure element copied into the merged file with ``/P`` set to its new parent,
  ``/Pg`` pointing at the merged page and ``/OBJR`` at the merged annotation; marked-content
  ids (MCID) count per page, so the pages' content is left as it is;
- the ``/ParentTree`` number tree re-keyed: each part's keys (pages' ``/StructParents``,
  annotations' ``/StructParent``) shifted past the previous parts' keys, the pages and
  annotations updated to match, and ``/ParentTreeNextKey`` set;
- element ids (``/ID``, used by table cells' ``/Headers``) prefixed per part, as each part
  numbers them from its own objects, and listed in an ``/IDTree``;
- ``/RoleMap`` and ``/ClassMap`` merged; ``/MarkInfo``, ``/Lang``, ``/ViewerPreferences``
  and the XMP metadata (``pdfuaid:part``, ``dc:title``) taken from the first part.

Content added later (page numbers) must be marked as an artifact: see ``artifact_page``.
"""

import io
import zlib

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

STRUCT_ELEM = "/StructElem"


class StructureNotMerged(Exception):
    """A part's structure tree uses something this merge does not copy."""


def merge_tagged(pdfs):
    """A ``PdfWriter`` holding the pages of ``pdfs`` (PDF bytes, in order) and one
    structure tree made of theirs. Parts without a structure tree only add pages."""
    merged = _Merge(PdfWriter())
    for index, pdf in enumerate(pdfs):
        reader = PdfReader(io.BytesIO(pdf))
        merged.add(reader, prefix=f"part{index}-")
        # Everything needed is copied: free the part's parsed objects (the writer keeps
        # the reader itself alive), which would otherwise double the memory of the merge.
        reader.resolved_objects.clear()
    merged.finish()
    return merged.writer


def artifact_page(page, properties=b"<< /Type /Pagination /Subtype /Footer >>"):
    """``page`` with all its content marked as a pagination artifact, so that stamping it
    onto a tagged page (``merge_page``) adds no untagged content."""
    content = page.get_contents()
    stream = DecodedStreamObject()
    data = content.get_data() if content is not None else b""
    stream.set_data(b"/Artifact " + properties + b" BDC\n" + data + b"\nEMC\n")
    page[NameObject("/Contents")] = stream
    return page


def write_compact(writer, output, *, per_stream=2000):
    """Write ``writer``'s PDF to ``output`` with its non-stream objects packed in compressed
    object streams and a cross-reference stream (PDF 1.5), as WeasyPrint writes.

    pypdf writes every object on its own, uncompressed: the tens of thousands of structure
    elements of a big plan would take 8 MB of the file instead of about 1 MB."""
    if writer._encryption:
        raise ValueError("Encrypted documents are written with PdfWriter.write.")
    writer._resolve_links()
    version = max(writer.pdf_header.removeprefix("%PDF-"), "1.5")
    start = output.tell()
    output.write(f"%PDF-{version}\n".encode() + b"%\xe2\xe3\xcf\xd3\n")
    entries = [(0, 0, 65535)]  # (type, field 2, field 3) of each object, from 0
    packed = []
    for number, obj in enumerate(writer._objects, start=1):
        if obj is None:
            entries.append((0, 0, 0))
        elif isinstance(obj, StreamObject):
            entries.append((1, output.tell() - start, 0))
            _write_object(output, number, _serialise(obj))
        else:
            entries.append(None)
            packed.append(number)
    number = len(writer._objects)
    for first in range(0, len(packed), per_stream):
        number += 1
        offsets, bodies, position = [], [], 0
        for index, member in enumerate(packed[first : first + per_stream]):
            body = _serialise(writer._objects[member - 1])
            offsets.append(f"{member} {position}")
            bodies.append(body)
            position += len(body) + 1
            entries[member] = (2, number, index)
        head = " ".join(offsets).encode() + b"\n"
        data = zlib.compress(head + b"\n".join(bodies))
        dictionary = f"<< /Type /ObjStm /N {len(bodies)} /First {len(head)} /Filter /FlateDecode /Length {len(data)} >>"
        entries.append((1, output.tell() - start, 0))
        _write_object(output, number, dictionary.encode() + b"\nstream\n" + data + b"\nendstream")
    number += 1
    xref_offset = output.tell() - start
    entries.append((1, xref_offset, 0))
    width = (max(xref_offset, number).bit_length() + 7) // 8
    rows = b"".join(kind.to_bytes(1, "big") + a.to_bytes(width, "big") + b.to_bytes(2, "big") for kind, a, b in entries)
    data = zlib.compress(rows)
    trailer = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/XRef"),
            NameObject("/Size"): NumberObject(number + 1),
            NameObject("/W"): ArrayObject([NumberObject(1), NumberObject(width), NumberObject(2)]),
            NameObject("/Root"): writer.root_object.indirect_reference,
            NameObject("/Filter"): NameObject("/FlateDecode"),
            NameObject("/Length"): NumberObject(len(data)),
        }
    )
    if writer._info is not None:
        trailer[NameObject("/Info")] = writer._info.indirect_reference
    if writer._ID is not None:
        trailer[NameObject("/ID")] = writer._ID
    _write_object(output, number, _serialise(trailer) + b"\nstream\n" + data + b"\nendstream")
    output.write(f"startxref\n{xref_offset}\n%%EOF\n".encode())


class _Merge:
    def __init__(self, writer):
        self.writer = writer
        self.document = DictionaryObject(
            {NameObject("/Type"): NameObject(STRUCT_ELEM), NameObject("/S"): NameObject("/Document")}
        )
        self.document[NameObject("/K")] = ArrayObject()
        self.document_ref = writer._add_object(self.document)
        self.nums = []  # (key, value) of the merged parent tree
        self.next_key = 0
        self.ids = {}
        self.names = {}
        self.role_map = DictionaryObject()
        self.class_map = DictionaryObject()
        self.catalog = None  # what the merged catalog takes from the first tagged part

    def add(self, reader, *, prefix):
        first = len(self.writer.pages)
        self.writer.append(reader)
        self.reader, self.prefix = reader, prefix
        self.pages = {}  # reader page object number -> merged page reference
        self.annotations = {}  # reader annotation object number -> merged annotation
        self.copied = {}  # reader element object number -> merged element reference
        for number, source in enumerate(reader.pages):
            target = self.writer.pages[first + number]
            self.pages[source.indirect_reference.idnum] = target.indirect_reference
            self._map_annotations(source, target)
        root = reader.root_object
        tree = root.get("/StructTreeRoot")
        if tree is None:
            return
        tree = tree.get_object()
        if self.catalog is None:
            self.catalog = DictionaryObject()
            if "/Lang" in root:
                self.catalog[NameObject("/Lang")] = TextStringObject(root["/Lang"])
            if "/Metadata" in root:
                self.catalog[NameObject("/Metadata")] = root["/Metadata"].clone(self.writer).indirect_reference
            if reader.metadata:
                self.writer.add_metadata(dict(reader.metadata))
        self._merge_map(tree.get("/RoleMap"), self.role_map)
        self._merge_map(tree.get("/ClassMap"), self.class_map)

        for kid in _as_list(tree.get("/K")):
            element = kid.get_object()
            if element.get("/S") == "/Document":
                # The part's document element becomes the merged one.
                self.copied[kid.idnum] = self.document_ref
                top = [self._kid(grandkid, self.document_ref) for grandkid in _as_list(element.get("/K"))]
            else:
                top = [self._kid(kid, self.document_ref)]
            self.document["/K"].extend(kid for kid in top if kid is not None)

        # Re-key the part's parent tree past the previous parts' keys.
        offset, last = self.next_key, -1
        for key, value in _number_tree(tree.get("/ParentTree")):
            resolved = value.get_object()
            if isinstance(resolved, ArrayObject):  # a page: the element of each MCID
                value = ArrayObject(self._element_or_null(item) for item in resolved)
            else:  # an annotation (or another object): its element
                value = self._element(value)
            self.nums.append((offset + key, value))
            last = max(last, key)
        next_key = int(tree.get("/ParentTreeNextKey", last + 1))
        for source in reader.pages:
            if "/StructParents" in source:
                target = self.pages[source.indirect_reference.idnum].get_object()
                target[NameObject("/StructParents")] = NumberObject(offset + source["/StructParents"])
            for annotation in _as_list(source.get("/Annots")):
                original = annotation.get_object()
                copy = self.annotations.get(getattr(annotation, "idnum", None))
                if "/StructParent" in original and copy is not None:
                    copy[NameObject("/StructParent")] = NumberObject(offset + original["/StructParent"])
        self.next_key = offset + max(next_key, last + 1)

    def finish(self):
        writer = self.writer
        if self.catalog is None:
            return
        tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        tree_ref = writer._add_object(tree)
        self.document[NameObject("/P")] = tree_ref
        tree[NameObject("/K")] = ArrayObject([self.document_ref])
        nums = ArrayObject()
        for key, value in sorted(self.nums, key=lambda pair: pair[0]):
            nums += [NumberObject(key), value]
        tree[NameObject("/ParentTree")] = writer._add_object(DictionaryObject({NameObject("/Nums"): nums}))
        tree[NameObject("/ParentTreeNextKey")] = NumberObject(self.next_key)
        if self.ids:
            names = ArrayObject()
            for key in sorted(self.ids):
                names += [TextStringObject(key), self.ids[key]]
            tree[NameObject("/IDTree")] = writer._add_object(DictionaryObject({NameObject("/Names"): names}))
        if self.role_map:
            tree[NameObject("/RoleMap")] = self.role_map
        if self.class_map:
            tree[NameObject("/ClassMap")] = self.class_map

        catalog = writer._root_object
        catalog[NameObject("/StructTreeRoot")] = tree_ref
        catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
        catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/DisplayDocTitle"): BooleanObject(True)}
        )
        catalog.update(self.catalog)

    # Copying ------------------------------------------------------------------------

    def _map_annotations(self, source, target):
        """pypdf copies a page's annotations in order, leaving out links it cannot
        resolve; match them by their subtype and rectangle."""
        copies = [a.get_object() for a in _as_list(target.get("/Annots"))]
        for annotation in _as_list(source.get("/Annots")):
            original = annotation.get_object()
            for index, copy in enumerate(copies):
                if copy.get("/Subtype") == original.get("/Subtype") and copy.get("/Rect") == original.get("/Rect"):
                    self.annotations[annotation.idnum] = copies.pop(index)
                    break

    def _element(self, ref, parent=None):
        """The merged reference of the structure element ``ref`` (copied once)."""
        if not isinstance(ref, IndirectObject):
            raise StructureNotMerged(f"Structure elements must be indirect objects, not {ref!r}.")
        if ref.idnum in self.copied:
            return self.copied[ref.idnum]
        source = ref.get_object()
        if source.get("/Type", NameObject(STRUCT_ELEM)) != STRUCT_ELEM or "/S" not in source:
            raise StructureNotMerged(f"Not a structure element: {source!r}.")
        element = DictionaryObject()
        element_ref = self.writer._add_object(element)
        self.copied[ref.idnum] = element_ref
        if parent is None:  # an element not in the tree (WeasyPrint's page margins)
            original_parent = source.get("/P")
            parent = self.copied.get(getattr(original_parent, "idnum", None), self.document_ref)
        element[self._name("/P")] = parent
        for key, value in source.items():
            if key == "/P":
                continue
            if key == "/K":
                kids = ArrayObject(self._kid(kid, element_ref) for kid in _as_list(value))
                element[self._name("/K")] = ArrayObject(kid for kid in kids if kid is not None)
            elif key == "/Pg":
                element[self._name("/Pg")] = self._page(value)
            elif key == "/ID":
                identifier = TextStringObject(self.prefix + str(value))
                element[self._name("/ID")] = identifier
                self.ids[str(identifier)] = element_ref
            elif key == "/A":
                element[self._name("/A")] = self._attributes(value)
            else:
                element[self._name(key)] = self._plain(value)
        return element_ref

    def _element_or_null(self, item):
        if isinstance(item, IndirectObject):
            return self._element(item)
        return item  # null: an MCID with no element

    def _kid(self, kid, parent):
        if isinstance(kid, int):
            return kid  # an MCID on the element's page (numbers are not changed: shared)
        value = kid.get_object()
        kind = value.get("/Type")
        if kind == "/MCR":
            if "/Stm" in value:
                raise StructureNotMerged("Marked content in form XObjects (/MCR /Stm) is not merged.")
            reference = DictionaryObject({NameObject("/Type"): NameObject("/MCR"), NameObject("/MCID"): value["/MCID"]})
            if "/Pg" in value:
                reference[NameObject("/Pg")] = self._page(value.raw_get("/Pg"))
            return self.writer._add_object(reference) if isinstance(kid, IndirectObject) else reference
        if kind == "/OBJR":
            annotation = self.annotations.get(getattr(value.get("/Obj"), "idnum", None))
            if annotation is None:
                return None  # pypdf left the annotation out: so does the structure
            reference = DictionaryObject(
                {NameObject("/Type"): NameObject("/OBJR"), NameObject("/Obj"): annotation.indirect_reference}
            )
            if "/Pg" in value:
                reference[NameObject("/Pg")] = self._page(value.raw_get("/Pg"))
            return self.writer._add_object(reference) if isinstance(kid, IndirectObject) else reference
        return self._element(kid, parent)

    def _page(self, ref):
        try:
            return self.pages[ref.idnum]
        except (AttributeError, KeyError) as error:
            raise StructureNotMerged(f"/Pg {ref!r} is not a page of its part.") from error

    def _attributes(self, value):
        value = value.get_object()
        if isinstance(value, ArrayObject):  # several attribute objects, maybe with revisions
            return ArrayObject(self._attributes(item) if not isinstance(item, NumberObject) else item for item in value)
        attributes = self._plain(value)
        if "/Headers" in attributes:
            attributes[NameObject("/Headers")] = ArrayObject(
                TextStringObject(self.prefix + str(header)) for header in attributes["/Headers"]
            )
        return attributes

    def _plain(self, value):
        """A copy of a value that holds no structure elements or pages."""
        if isinstance(value, IndirectObject):
            resolved = value.get_object()
            if isinstance(resolved, DictionaryObject) and resolved.get("/Type") == STRUCT_ELEM:
                return self._element(value)
            return value.clone(self.writer)
        if isinstance(value, DictionaryObject):
            return DictionaryObject({self._name(key): self._plain(item) for key, item in value.items()})
        if isinstance(value, ArrayObject):
            return ArrayObject(self._plain(item) for item in value)
        if isinstance(value, NameObject):
            return self._name(value)
        return value.clone(self.writer)

    def _name(self, name):
        """One object per name: tens of thousands of elements share /S /Span."""
        return self.names.setdefault(name, NameObject(name))

    def _merge_map(self, source, target):
        if source is None:
            return
        for key, value in source.get_object().items():
            target.setdefault(NameObject(key), self._plain(value))


def _as_list(value):
    if value is None:
        return []
    resolved = value.get_object() if isinstance(value, IndirectObject) else value
    return list(resolved) if isinstance(resolved, ArrayObject) else [value]


def _number_tree(node):
    """(key, value) pairs of a number tree, in order."""
    if node is None:
        return
    node = node.get_object()
    nums = node.get("/Nums")
    if nums is not None:
        nums = nums.get_object()
        for index in range(0, len(nums) - 1, 2):
            yield int(nums[index]), nums[index + 1]
    for kid in _as_list(node.get("/Kids")):
        yield from _number_tree(kid)


def _serialise(obj):
    buffer = io.BytesIO()
    obj.write_to_stream(buffer)
    return buffer.getvalue()


def _write_object(output, number, body):
    output.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
