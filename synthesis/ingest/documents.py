"""Readers for transcripts and reports: .docx, .pdf, .txt and .md, each giving blocks and metadata.

A reader returns ``(blocks, meta)``: headings, paragraphs and table rows in reading order, plus whatever
metadata the file itself states (a two-column metadata table, a title). Corrupt files raise ``InputError``.
"""

from __future__ import annotations

import re
import statistics
import zipfile
from pathlib import Path

from synthesis.errors import InputError
from synthesis.records import HEADING, PARAGRAPH, TABLE, Block

# Metadata table keys as report writers label them, in English, Spanish and French.
META_KEYS = {
    "country": "country", "país": "country", "pays": "country",
    "date": "date", "dates": "date", "fecha": "date", "fechas": "date",
    "convened by": "organisation", "organisation": "organisation", "organization": "organisation",
    "convocado por": "organisation", "convocada por": "organisation", "organizado por": "organisation",
    "convoqué par": "organisation", "organisé par": "organisation", "organisateur": "organisation",
    "venue": "venue", "location": "venue", "lugar": "venue", "lieu": "venue",
    "participants": "participants", "participantes": "participants",
    "language": "language_name", "idioma": "language_name", "langue": "language_name",
}
_TABLE_CELL_SEPARATOR = " | "


def read_blocks(path: Path, fmt: str) -> tuple[list[Block], dict[str, str]]:
    reader = {"docx": read_docx, "pdf": read_pdf, "txt": read_txt, "md": read_markdown}[fmt]
    blocks, meta = reader(path)
    if not any(b.text.strip() for b in blocks):
        raise InputError(path, "no text found in the file")
    meta.update(_table_metadata(blocks))
    return blocks, meta


def _table_metadata(blocks: list[Block]) -> dict[str, str]:
    meta = {}
    for block in blocks:
        if block.kind == TABLE and block.text.count(_TABLE_CELL_SEPARATOR) == 1:
            key, value = (part.strip() for part in block.text.split(_TABLE_CELL_SEPARATOR))
            name = META_KEYS.get(key.rstrip(":").lower())
            if name and value:
                meta.setdefault(name, value)
    return meta


def read_docx(path: Path) -> tuple[list[Block], dict[str, str]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(path, f"not a readable .docx file (corrupt or not Word 2007+): {error.__class__.__name__}")
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = _unique_cells(cell.text.strip() for cell in row.cells)
                if any(cells):
                    blocks.append(Block(TABLE, _TABLE_CELL_SEPARATOR.join(cells)))
            continue
        style = (item.style.name if item.style is not None else "") or ""
        level = _heading_level(style)
        blocks.append(Block(HEADING if level else PARAGRAPH, item.text, level))
    meta = {"title": document.core_properties.title} if document.core_properties.title else {}
    return blocks, meta


def _unique_cells(cells) -> list[str]:
    """Merged cells repeat their text once per grid column; keep each run once."""
    out: list[str] = []
    for cell in cells:
        if not out or cell != out[-1]:
            out.append(cell)
    return out


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    match = re.fullmatch(r"Heading (\d)", style)
    return int(match.group(1)) if match else 0


def read_txt(path: Path) -> tuple[list[Block], dict[str, str]]:
    text = _read_text(path)
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line.rstrip() for line in chunk.strip("\n").split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) == 2 and re.fullmatch(r"[=\-]{3,}", lines[1].strip()):
            blocks.append(Block(HEADING, lines[0], 1 if lines[1].strip()[0] == "=" else 2))
        elif all(re.match(r"[^:]{1,30}:\s+\S", line) and line.split(":")[0].strip().lower() in META_KEYS
                 for line in lines):
            blocks.extend(Block(TABLE, _TABLE_CELL_SEPARATOR.join(p.strip() for p in line.split(":", 1)))
                          for line in lines)
        else:
            blocks.append(Block(PARAGRAPH, " ".join(lines)))
    return blocks, {}


def read_markdown(path: Path) -> tuple[list[Block], dict[str, str]]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(_read_text(path))
    blocks: list[Block] = []
    heading_level, in_table, row = 0, False, []
    for token in tokens:
        if token.type == "heading_open":
            heading_level = int(token.tag[1])
        elif token.type == "heading_close":
            heading_level = 0
        elif token.type == "table_open":
            in_table = True
        elif token.type == "table_close":
            in_table = False
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and any(row):
            blocks.append(Block(TABLE, _TABLE_CELL_SEPARATOR.join(row)))
        elif token.type == "inline":
            text = "".join(child.content if child.type != "softbreak" else " " for child in token.children or [])
            if in_table:
                row.append(text.strip())
            elif heading_level:
                blocks.append(Block(HEADING, text, heading_level))
            else:
                blocks.append(Block(PARAGRAPH, text))
    return blocks, {}


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


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
    if not lines:
        raise InputError(path, "PDF has no text layer (a scanned image?): run OCR on it first")
    repeated = _running_heads(pages)
    body_size = statistics.median(_size(line) for line in lines)
    right_margin = max(line["x1"] for line in lines)
    blocks: list[Block] = []
    current: list[str] = []
    previous = None
    for page in pages:
        for line in page:
            if "rows" in line:  # a table: flush the paragraph, then one block per row
                if current:
                    blocks.append(_pdf_block(current, previous))
                    current, previous = [], None
                blocks.extend(Block(TABLE, _TABLE_CELL_SEPARATOR.join(row)) for row in line["rows"])
                continue
            text = line["text"].strip()
            if not text or text in repeated or _PAGE_NUMBER.fullmatch(text):
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


def _page_items(page) -> list[dict]:
    """The page's text lines and tables in reading order; lines inside a table are left to the table."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    items = [
        {"top": table.bbox[1], "rows": [_unique_cells((cell or "").replace("\n", " ").strip() for cell in row)
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
