"""The .docx reader: paragraphs, headings and table rows as Word shows the document with its tracked changes
accepted."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path
from typing import Iterator

from synthesis.errors import InputError
from synthesis.ingest.blocks import TABLE_CELL_SEPARATOR, heading_level, list_item
from synthesis.records import HEADING, PARAGRAPH, TABLE, Block


def read_docx(path: Path) -> tuple[list[Block], dict[str, str]]:
    """Blocks as Word shows the document with its tracked changes accepted; text boxes follow their paragraph."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    try:
        document = docx.Document(str(path))
        blocks = list(_docx_blocks(document.element.body, document))
        title = document.core_properties.title
    # lxml's errors: a part of the package that is not well-formed XML (document, styles, core properties, ...)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, LxmlError) as error:
        raise InputError(path, f"not a readable .docx file (corrupt or not Word 2007+): {error.__class__.__name__}"
                         ) from None
    return blocks, ({"title": title} if title else {})


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Elements whose text is not part of the document as Word shows it with its changes accepted: deleted and moved-away
# text, field codes (a field's result is kept), phonetic guides, properties, and the mc:Fallback copy of content whose
# mc:Choice is read.
_DOCX_HIDDEN = frozenset([_MC + "Fallback"] + [_W + name for name in (
    "del", "moveFrom", "delText", "instrText", "delInstrText", "rt", "pPr", "rPr", "sdtPr", "sdtEndPr", "sectPr",
    "tblPr", "trPr", "tcPr", "tblGrid")])
# run content other than w:t that reads as text (as python-docx's Paragraph.text reads it; a soft hyphen reads as
# nothing, a page or column break too)
_DOCX_RUN_TEXT = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


def _docx_blocks(container, document) -> Iterator[Block]:
    """The paragraphs and table rows in ``container`` (a body, cell, text box), also inside content controls."""
    for child in _elements(container):
        if child.tag == _W + "p":
            yield from _docx_paragraph(child, document)
        elif child.tag == _W + "tbl":
            yield from (Block(TABLE, row) for row in _docx_rows(child, document))
        elif child.tag not in _DOCX_HIDDEN:  # w:sdt, w:customXml, mc:AlternateContent, ...
            yield from _docx_blocks(child, document)


def _docx_paragraph(paragraph, document) -> Iterator[Block]:
    from docx.text.paragraph import Paragraph

    boxes: list = []
    text = _docx_text(paragraph, boxes)
    style = Paragraph(paragraph, document).style
    level = heading_level((style.name if style is not None else "") or "")
    if level or list_item(text.lstrip()) is None:
        yield Block(HEADING if level else PARAGRAPH, text, level)
    else:  # a list typed by hand ("- ", "1. ", "a) "), an item a line: items without their markers, as Word's lists
        yield from (Block(PARAGRAPH, item) for item in _typed_items(text))
    for box in boxes:
        yield from _docx_blocks(box, document)


def _typed_items(text: str) -> list[str]:
    """The items of a paragraph that opens with a list marker typed by hand: each line (a soft line break ends one)
    that opens with a marker starts an item; other lines go on the item before."""
    items: list[str] = []
    for line in text.split("\n"):
        item = list_item(line.lstrip())
        if item is not None or not items:
            items.append(item if item is not None else line)
        else:
            items[-1] += "\n" + line
    return items


def _docx_text(element, boxes: list) -> str:
    """The text of a paragraph's runs, also those in insertions, fields, content controls, smart tags and custom XML;
    text boxes anchored on the way are collected in ``boxes`` (their paragraphs are blocks of their own)."""
    parts = []
    for child in _elements(element):
        if child.tag == _W + "t":
            parts.append(child.text or "")
        elif child.tag == _W + "br":
            parts.append("\n" if child.get(_W + "type", "textWrapping") == "textWrapping" else "")
        elif child.tag in _DOCX_RUN_TEXT:
            parts.append(_DOCX_RUN_TEXT[child.tag])
        elif child.tag == _W + "txbxContent":
            boxes.append(child)
        elif child.tag not in _DOCX_HIDDEN and not (child.tag == _W + "r" and _vanished(child)):
            parts.append(_docx_text(child, boxes))
    return "".join(parts)


def _vanished(run) -> bool:
    """Whether a run is hidden text (w:vanish), which Word does not show."""
    vanish = run.find(f"{_W}rPr/{_W}vanish")
    return vanish is not None and vanish.get(_W + "val", "true") not in ("0", "false", "off")


def _docx_rows(table, document) -> Iterator[str]:
    """One text per table row that has any: its cells, a merged cell once, a nested table's rows in its cell."""
    from docx.table import Table

    for row in Table(_unwrapped(table), document).rows:
        if row._tr.find(f"{_W}trPr/{_W}del") is not None:  # a deleted row (tracked change)
            continue
        grid = row.cells  # a merged cell is the same cell (the same w:tc) in each grid column it spans
        cells = [cell for n, cell in enumerate(grid) if n == 0 or cell._tc is not grid[n - 1]._tc]
        texts = [_docx_cell_text(cell._tc, document) for cell in cells]
        if any(texts):
            yield TABLE_CELL_SEPARATOR.join(texts)


def _unwrapped(table):
    """A copy of a table whose rows and cells wrapped in content controls or custom XML (a form's repeating section,
    a cell's control) are direct children again: python-docx reads rows and cells only there."""
    table = copy.deepcopy(table)
    _unwrap(table, _W + "tr")
    for row in table.iterchildren(_W + "tr"):
        _unwrap(row, _W + "tc")
    return table


def _unwrap(parent, tag: str) -> None:
    """Put the ``tag`` elements inside ``parent``'s content controls and custom XML in their wrapper's place."""
    for wrapper in list(parent.iterchildren(_W + "sdt", _W + "customXml")):
        content = wrapper.find(_W + "sdtContent") if wrapper.tag == _W + "sdt" else wrapper
        for element in [c for c in (content if content is not None else ()) if c.tag == tag]:
            wrapper.addprevious(element)
        parent.remove(wrapper)


def _docx_cell_text(cell, document) -> str:
    return "\n".join(text for text in (block.text.strip() for block in _docx_blocks(cell, document)) if text)


def _elements(node) -> Iterator:
    """The child elements of an XML node, without its comments and processing instructions."""
    return (child for child in node if isinstance(child.tag, str))
