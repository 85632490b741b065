"""The .pdf reader: paragraphs from the text layer, tables from pdfplumber's table finder, page furniture left out."""

from __future__ import annotations

import functools
import gzip
import json
import re
import statistics
from pathlib import Path

from synthesis.errors import InputError
from synthesis.ingest.blocks import TABLE_CELL_SEPARATOR, opens_turn
from synthesis.ingest.pdf_columns import reading_order
from synthesis.records import HEADING, PARAGRAPH, TABLE, Block


_PAGE_NUMBER = re.compile(r"(page|página|pagina)?\s*\d+(\s*(of|de|sur|/)\s*\d+)?", re.IGNORECASE)
# a line that ends in a word broken by a hyphen (not a dash after a space): the word's part and the hyphen
_LINE_END_HYPHEN = re.compile(r"([^\W\d_]+)([-\u00ad\u2010])$")
_WORD_LANGUAGES = ("en", "es", "fr")  # the languages whose words a hyphen at a line end is dropped within


def read_pdf(path: Path) -> tuple[list[Block], dict[str, str]]:
    """Paragraphs from the text layer: a new block at a vertical gap, a larger font, or a speaker label.
    Ruled tables (pdfplumber's table finder) become table-row blocks in their place. A page in two text columns is
    read a column at a time (pdf_columns); a word hyphenated at a line end is joined."""
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
            # In the left column of two, it goes on in the right column when the line ran to the column's edge.
            wrapped = previous is not None and previous["x1"] >= previous.get("_wraps_at", 0.92 * right_margin)
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
