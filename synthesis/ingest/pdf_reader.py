"""The .pdf reader: paragraphs from the text layer, tables from pdfplumber's table finder, page furniture left out."""

from __future__ import annotations

import functools
import gzip
import json
import logging
import re
import statistics
from pathlib import Path

from synthesis.errors import InputError
from synthesis.ingest.blocks import TABLE_CELL_SEPARATOR, meta_key, metadata_row, opens_turn
from synthesis.ingest.pdf_columns import line_spans, reading_order
from synthesis.records import HEADING, PARAGRAPH, TABLE, Block

log = logging.getLogger(__name__)

_PAGE_NUMBER = re.compile(r"(page|página|pagina)?\s*\d+(\s*(of|de|sur|/)\s*\d+)?", re.IGNORECASE)
# a line that ends in a word broken by a hyphen (not a dash after a space): the word's part and the hyphen
_LINE_END_HYPHEN = re.compile(r"([^\W\d_]+)([-\u00ad\u2010])$")
_WORD_LANGUAGES = ("en", "es", "fr")  # the languages whose words a hyphen at a line end is dropped within
# A glyph a font gives no text for, as pdfminer writes it: never text to store
_UNMAPPED = re.compile(r"\(cid:\d+\)")
# A list item's bullet at a line's start: a bullet character, or a glyph with no text set apart from the word after
# it (a bullet in a standard font that reportlab, among others, writes without a mapping; a ligature with no text,
# "(cid:12)nance", is part of its word). Dashes and numbers are not read as markers in PDFs, where every line is
# wrapped and one may start with either.
_BULLET = re.compile(r"(?:[\u2022\u25aa\u25cf\u25e6\u2023\u25a0\uf0b7]\s*|\(cid:\d+\)\s+)(?=\S)")
_MARK = re.compile(r"\d{1,3}|[*\u2020\u2021\u00b9\u00b2\u00b3\u2070-\u2079]{1,3}")  # a footnote's mark


def read_pdf(path: Path) -> tuple[list[Block], dict[str, str]]:
    """Paragraphs from the text layer: a new block at a vertical gap, a larger font, a speaker label or a bullet (not
    stored). Ruled tables (pdfplumber's table finder) become table-row blocks in their place, and so do the header's
    "Key: value" lines and rows of an unruled metadata table ("País     Bolivia"). A page in two text columns is read
    a column at a time (pdf_columns); a word hyphenated at a line end is joined; glyphs with no text and footnote
    marks in small type at a line's end are left out."""
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
    body_size = statistics.median(_size(line) for line in lines) if lines else 0
    pages = [_with_marks_placed(page, body_size) for page in pages]
    repeated = _running_heads(pages)
    right_margin = max((line["x1"] for line in lines), default=0)
    blocks: list[Block] = []
    current: list[str] = []
    previous = None
    in_header, unmapped = True, 0  # the header: the lines before the first paragraph of text
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
            row = _metadata_row(line, text) if in_header and not is_heading else None
            if row:
                if current:
                    blocks.append(_pdf_block(current, previous))
                    current, previous = [], None
                blocks.append(Block(TABLE, row))
                continue
            if not is_heading:  # as in .txt: a one-line title may open the file before the header
                in_header = in_header and not blocks and not current and not opens_turn(text)
            bullet = _BULLET.match(text)
            if bullet:
                text = text[bullet.end():]
            unmapped += len(_UNMAPPED.findall(text))
            text = re.sub(r"\s{2,}", " ", _UNMAPPED.sub("", _without_end_mark(line, text, size))).strip()
            if not text:
                continue
            gap = (line["top"] - previous["bottom"]) if previous is not None else 0
            # On a new page a paragraph goes on when the last line of the page before ran to the right margin.
            # In the left column of two, it goes on in the right column when the line ran to the column's edge.
            wrapped = previous is not None and previous["x1"] >= previous.get("_wraps_at", 0.92 * right_margin)
            new_block = (
                previous is None
                or is_heading != previous["_heading"]
                or gap > 0.6 * (line["bottom"] - line["top"])
                or (gap < 0 and not wrapped)
                or opens_turn(text)
                or bullet is not None
            )
            if new_block and current:
                blocks.append(_pdf_block(current, previous))
                current = []
            current.append(text)
            line["_heading"], line["_size"] = is_heading, size
            previous = line
    if current:
        blocks.append(_pdf_block(current, previous))
    if unmapped:
        log.warning("%s: %d glyph(s) whose font gives no text were left out (a symbol font, or a font without a "
                    "character map: check the stored text against the PDF)", path, unmapped)
    return blocks, meta


def _metadata_row(line: dict, text: str) -> str | None:
    """A header line as a metadata table row: "Key: value", or a known key and its value set apart by a gap wider
    than a space (a row of a table without rules, which pdfplumber's table finder does not see)."""
    row = metadata_row(text)
    if row or not line.get("chars"):
        return row
    parts = line_spans(line["chars"])
    if len(parts) < 2:
        return None
    # the key is as many of the text's letters as the first span has chars (the text has spaces the chars may lack)
    letters, seen, end = sum(1 for c in line["chars"] if c["x1"] <= parts[0][1] and c["text"].strip()), 0, 0
    while end < len(text) and seen < letters:
        seen += not text[end].isspace()
        end += 1
    key, value = text[:end].rstrip(":").strip(), text[end:].strip()
    return TABLE_CELL_SEPARATOR.join((key, value)) if value and meta_key(key) else None


def _without_end_mark(line: dict, text: str, size: float) -> str:
    """A line's text less a footnote mark in small type at its end ("household surveys.\u00b9" read as "surveys. 1")."""
    chars = [c for c in line.get("chars") or [] if c["text"].strip()]
    mark = ""
    while chars and chars[-1]["size"] < 0.85 * size and _MARK.fullmatch(chars[-1]["text"] + mark):
        mark = chars.pop()["text"] + mark
    if not mark or not chars or chars[-1]["text"].isdigit() or not text.endswith(mark):
        return text  # (a number in small type whose first digits are a mark's no more is not one)
    return text[:-len(mark)].rstrip()


def _with_marks_placed(page: list[dict], body_size: float) -> list[dict]:
    """The page's items with a footnote mark in small type that pdfplumber takes for a line of its own (it is raised
    above the line it opens) put at the start of the line beside it, and one that stands alone left out: else it
    ends the paragraph above ("... surveys. 1")."""
    out: list[dict] = []
    for n, item in enumerate(page):
        if "chars" not in item or not _MARK.fullmatch(item["text"].strip()) or _size(item) >= 0.85 * body_size:
            out.append(item)
            continue
        following = page[n + 1] if n + 1 < len(page) else None
        if (following is not None and "chars" in following and following["top"] < item["bottom"]
                and item["top"] < following["bottom"] and 0 <= following["x0"] - item["x1"] < body_size):
            page[n + 1] = {**following, "text": item["text"].strip() + " " + following["text"]}
    return out


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
        {**dict(zip(("x0", "top", "x1", "bottom"), table.bbox)),
         "rows": [[cell.replace("\n", " ").strip() for cell in row if cell is not None]
                  for row in table.extract() if any(row)]}
        for table in tables
    ]

    def outside_tables(line: dict) -> bool:
        middle = (line["top"] + line["bottom"]) / 2
        return not any(x0 <= line["x0"] <= x1 and top <= middle <= bottom for x0, top, x1, bottom in boxes)

    items += [line for line in page.extract_text_lines(return_chars=True) if outside_tables(line)]
    return reading_order(page, items, outside_tables)


def _pdf_block(lines: list[str], last_line: dict) -> Block:
    text = _join_lines(lines)
    if last_line["_heading"]:
        return Block(HEADING, text, 1 if last_line["_size"] > 16 else 2)
    return Block(PARAGRAPH, text)


def _join_lines(lines: list[str]) -> str:
    """A paragraph's lines joined with a space, but a word hyphenated at a line end ("develop-", "ment") joined whole:
    without the hyphen where the whole is a known word, else with it ("low-income"); a soft hyphen always goes."""
    text = lines[0]
    for before, line in zip(lines, lines[1:]):
        end = _LINE_END_HYPHEN.search(before)
        start = re.match(r"[^\W\d_]+", line)
        if end is None or start is None or not line[0].islower():
            text += " " + line
        elif end.group(2) == "\u00ad" or _is_known_word((end.group(1) + start.group()).lower()):
            text = text[:-1] + line
        else:
            text += line
    return text


@functools.cache
def _known_words(language: str) -> frozenset[str]:
    """The words (forms and lemmas) of spaCy's lemma lookup table for a language, from spacy-lookups-data; loaded
    only when a PDF has a hyphenated line end."""
    import spacy_lookups_data

    path = Path(str(getattr(spacy_lookups_data, language)["lemma_lookup"]))
    if not path.exists():  # the package ships the tables gzipped under the name it gives without .gz
        path = path.with_name(path.name + ".gz")
    with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8") as handle:
        table = json.load(handle)
    words = set(table)
    for lemma in table.values():  # a few French forms have a list of lemmas
        words.update([lemma] if isinstance(lemma, str) else lemma)
    return frozenset(words)


def _is_known_word(word: str) -> bool:
    """Whether a lower-cased word is in the lookup table of any of _WORD_LANGUAGES (English's, the smallest, first)."""
    return any(word in _known_words(language) for language in _WORD_LANGUAGES)


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
