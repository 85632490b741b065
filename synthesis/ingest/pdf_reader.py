"""The .pdf reader: paragraphs from the text layer, tables from pdfplumber's table finder, page furniture left out."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

from synthesis.errors import InputError
from synthesis.ingest.blocks import TABLE_CELL_SEPARATOR, opens_turn
from synthesis.records import HEADING, PARAGRAPH, TABLE, Block


_PAGE_NUMBER = re.compile(r"(page|página|pagina)?\s*\d+(\s*(of|de|sur|/)\s*\d+)?", re.IGNORECASE)


def read_pdf(path: Path) -> tuple[list[Block], dict[str, str]]:
    """Paragraphs from the text layer: a new block at a vertical gap, a larger font, or a speaker label.
    Ruled tables (pdfplumber's table finder) become table-row blocks in their place."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(path) as pdf:
            pages = [_page_items(page) for page in pdf.pages]
            meta = {"title": pdf.metadata.get("Title", "")} if pdf.metadata.get("Title") else {}
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise InputError(path, "encrypted PDF: remove the password and ingest it again") from None
        raise InputError(path, f"not a readable PDF (corrupt?): {cause.__class__.__name__}") from None
    lines = [item for page in pages for item in page if "rows" not in item]
    if not lines and not any(item.get("rows") for page in pages for item in page):
        raise InputError(path, "PDF has no text layer (a scanned image?): run OCR on it first")
    repeated = _running_heads(pages)
    body_size = statistics.median(_size(line) for line in lines) if lines else 0
    right_margin = max((line["x1"] for line in lines), default=0)
    blocks: list[Block] = []
    current: list[str] = []
    previous = None
    for page in pages:
        for line in _without_furniture(page, repeated):
            if "rows" in line:  # a table: flush the paragraph, then one block per row
                if current:
                    blocks.append(_pdf_block(current, previous))
                    current, previous = [], None
                blocks.extend(Block(TABLE, TABLE_CELL_SEPARATOR.join(row)) for row in line["rows"])
                continue
            text = line["text"].strip()
            if not text or text in repeated:
                continue
            size = _size(line)
            is_heading = size > body_size * 1.15
            gap = (line["top"] - previous["bottom"]) if previous is not None else 0
            # On a new page a paragraph goes on when the last line of the page before ran to the right margin.
            wrapped = previous is not None and previous["x1"] >= 0.92 * right_margin
            new_block = (
                previous is None
                or is_heading != previous["_heading"]
                or gap > 0.6 * (line["bottom"] - line["top"])
                or (gap < 0 and not wrapped)
                or opens_turn(text)
            )
            if new_block and current:
                blocks.append(_pdf_block(current, previous))
                current = []
            current.append(text)
            line["_heading"], line["_size"] = is_heading, size
            previous = line
    if current:
        blocks.append(_pdf_block(current, previous))
    return blocks, meta


def _without_furniture(page: list[dict], repeated: set[str]) -> list[dict]:
    """The page's items less the running heads and page numbers above its first or below its last line of text or
    table: a number on a line of its own in between ("2030") is text."""
    start, end = 0, len(page)
    while start < end and _is_furniture(page[start], repeated):
        start += 1
    while end > start and _is_furniture(page[end - 1], repeated):
        end -= 1
    return page[start:end]


def _is_furniture(item: dict, repeated: set[str]) -> bool:
    if "rows" in item:
        return False
    text = item["text"].strip()
    return not text or text in repeated or bool(_PAGE_NUMBER.fullmatch(text))


def _page_items(page) -> list[dict]:
    """The page's text lines and tables in reading order; lines inside a table are left to the table."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    # pdfplumber gives None for the grid places a merged cell spans beyond its first: each cell is kept once
    items = [
        {"top": table.bbox[1], "rows": [[cell.replace("\n", " ").strip() for cell in row if cell is not None]
                                        for row in table.extract() if any(row)]}
        for table in tables
    ]
    for line in page.extract_text_lines(return_chars=True):
        middle = (line["top"] + line["bottom"]) / 2
        if not any(x0 <= line["x0"] <= x1 and top <= middle <= bottom for x0, top, x1, bottom in boxes):
            items.append(line)
    return sorted(items, key=lambda item: item["top"])


def _pdf_block(lines: list[str], last_line: dict) -> Block:
    text = " ".join(lines)
    if last_line["_heading"]:
        return Block(HEADING, text, 1 if last_line["_size"] > 16 else 2)
    return Block(PARAGRAPH, text)


def _size(line: dict) -> float:
    chars = line.get("chars") or []
    return statistics.median(c["size"] for c in chars) if chars else line["bottom"] - line["top"]


def _running_heads(pages: list[list[dict]]) -> set[str]:
    """Lines that open or close most pages (running headers and footers)."""
    if len(pages) < 2:
        return set()
    counts: dict[str, int] = {}
    for page in pages:
        edge = {line["text"].strip() for line in page[:1] + page[-1:] if "text" in line}
        for text in edge:
            counts[text] = counts.get(text, 0) + 1
    return {text for text, n in counts.items() if n >= max(2, len(pages) // 2 + 1)}
