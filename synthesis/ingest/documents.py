"""Readers for transcripts and reports: .docx (``docx_reader``), .pdf (``pdf_reader``), .txt and .md, each giving
blocks and metadata.

A reader returns ``(blocks, meta)``: headings, paragraphs and table rows in reading order, plus whatever
metadata the file itself states (a two-column metadata table, a title). Corrupt files raise ``InputError``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from synthesis.encodings import bom_encoding
from synthesis.errors import InputError
from synthesis.ingest.blocks import TABLE_CELL_SEPARATOR, labelled, list_item, meta_key, metadata_row, opens_turn
from synthesis.ingest.docx_reader import read_docx
from synthesis.ingest.pdf_reader import read_pdf
from synthesis.records import HEADING, PARAGRAPH, TABLE, Block

log = logging.getLogger(__name__)


def read_blocks(path: Path, fmt: str) -> tuple[list[Block], dict[str, str]]:
    reader = {"docx": read_docx, "pdf": read_pdf, "txt": read_txt, "md": read_markdown}[fmt]
    blocks, meta = reader(path)
    if not any(b.text.strip() for b in blocks):
        raise InputError(path, "no text found in the file")
    if fmt == "docx":  # the .txt, .md and .pdf readers read their header lines themselves (a PDF's line by line)
        blocks = _header_metadata(blocks)
    meta.update(_table_metadata(blocks))
    return blocks, meta


def _table_metadata(blocks: list[Block]) -> dict[str, str]:
    meta = {}
    for block in blocks:
        if block.kind == TABLE and block.text.count(TABLE_CELL_SEPARATOR) == 1:
            key, value = (part.strip() for part in block.text.split(TABLE_CELL_SEPARATOR))
            name = meta_key(key)  # "Pays :", French typography's space before the colon, is "pays" too
            if name and value:
                meta.setdefault(name, value)
    return meta


def _header_metadata(blocks: list[Block]) -> list[Block]:
    """The paragraphs of "Key: value" lines in a .docx's header -- before its first paragraph of text, a one-line
    title or subtitle aside -- as the table rows a metadata table gives, as .txt headers are read (``_header``)."""
    out: list[Block] = []
    in_header = True
    for block in blocks:
        lines = [line.strip() for line in block.text.split("\n") if line.strip()]
        if not in_header or block.kind != PARAGRAPH or not lines:
            out.append(block)
            continue
        header = _header(lines, opening=not any(b.text.strip() for b in out))
        if header is not None:
            out = _titled(out) + header
            in_header = _header_goes_on(header)
            continue
        # a title or subtitle (a one-line paragraph with no text or metadata before it but headings and Word's empty
        # paragraphs, spacing) may come before the metadata; a paragraph after the metadata is the text's first
        in_header = all(b.kind == HEADING or not b.text.strip() for b in out) and len(lines) == 1 \
            and _may_be_title(lines[0])
        out.append(block)
    return out


def _header(lines: list[str], opening: bool) -> list[Block] | None:
    """A paragraph's lines as header blocks, or None where they are no header. A line "Key: value" with a known key
    is a metadata table row; another line of that form ("Facilitación: Ana Pérez") a paragraph of its own, so that one
    key the tool does not know costs neither the country nor the date; the file's first line (``opening``), its title.
    The text begins at a speaker's turn: the lines from there are paragraphs, and a wrapped line of a turn that opens
    with a key ("participantes: nadie ...") is no metadata. Lines with no known key before the text, or a line of
    another form (a paragraph's wrapped line), are no header: body text that opens with "Participants: ..." and goes on
    stays text."""
    rows = [metadata_row(line) for line in lines]
    if not all(rows):  # among other lines, a key in lower case is a wrapped line's word ("la\nfecha: cambió")
        rows = [row if line[:1].isupper() else None for line, row in zip(lines, rows)]
    text = next((i for i, (line, row) in enumerate(zip(lines, rows)) if not row and opens_turn(line)), len(lines))
    if not any(rows[:text]):
        return None
    header: list[Block] = []
    for number, (line, row) in enumerate(zip(lines[:text], rows)):
        if row:
            header.append(Block(TABLE, row))
        elif labelled(line) and list_item(line) is None:  # "Summary: Women said ..." is text, also first
            header.append(Block(PARAGRAPH, line))
        elif number == 0 and opening and _may_be_title(line):
            header.append(_title(line))
        else:
            return None
    return header + [Block(PARAGRAPH, " ".join(turn)) for turn in _turns(lines[text:])]


def _header_goes_on(header: list[Block]) -> bool:
    """Whether more header lines may follow these: not after a paragraph, which may be the first of the text."""
    return all(block.kind != PARAGRAPH for block in header)


def _may_be_title(line: str) -> bool:
    """Whether a one-line first paragraph may be the file's title: no speaker's turn, no list item."""
    return not opens_turn(line) and list_item(line) is None


def _titled(blocks: list[Block]) -> list[Block]:
    """The blocks before a header's metadata lines, with a one-line paragraph that came before any metadata (the file's
    title or subtitle, the only paragraph the header lets pass) as a title; a paragraph after metadata stays text."""
    first_table = next((i for i, block in enumerate(blocks) if block.kind == TABLE), len(blocks))
    return [_title(block.text) if i < first_table and block.kind == PARAGRAPH and block.text.strip() else block
            for i, block in enumerate(blocks)]


TITLE_CHARS = 200  # a longer line is a paragraph saved on one line, as Word saves a .txt, not a title


def _title(line: str) -> Block:
    """The line that opens a file's header: a heading, which names the document, rather than a coded paragraph."""
    return Block(HEADING, line, 1) if len(line) <= TITLE_CHARS else Block(PARAGRAPH, line)


def read_txt(path: Path) -> tuple[list[Block], dict[str, str]]:
    """Blank-line separated paragraphs, underlined headings, and a header of "Key: value" lines (the metadata table,
    read only before the first paragraph, as a body paragraph "Participants: ..." is a turn; see ``_header``) that a
    one-line title may open; each line that opens with a speaker label or a list item's marker ("- ", "1. ", "a) ")
    starts a block of its own."""
    text = _read_text(path).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")  # \f: a page break
    blocks: list[Block] = []
    in_header = True
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) == 2 and re.fullmatch(r"[=\-]{3,}", lines[1]):
            blocks.append(Block(HEADING, lines[0], 1 if lines[1][0] == "=" else 2))
        elif in_header and (header := _header(lines, opening=not blocks)) is not None:
            blocks = _titled(blocks) + header
            in_header = _header_goes_on(header)
        else:
            # a first paragraph of one line is the file's title: the metadata lines may still follow it
            in_header = in_header and not blocks and len(lines) == 1 and _may_be_title(lines[0])
            blocks.extend(Block(PARAGRAPH, " ".join(turn)) for turn in _turns(lines))
    return blocks, {}


ENDS_BEFORE_LIST = (".", ":", "!", "?", ";")  # how a line before a list ends


def _turns(lines: list[str]) -> list[list[str]]:
    """Lines grouped into paragraphs: a line that opens a speaker's turn or a list item starts a new one (an item
    without its marker)."""
    groups: list[list[str]] = []
    listing = False  # the lines so far are list items: the next marker opens another
    for line in lines:
        item = list_item(line)
        # a marker opens an item after a line that ends a sentence or introduces a list, or after an item; elsewhere
        # it is a hard-wrapped line that begins with a dash ("and the roads\n- as the chief said - must be ...")
        if item is not None and groups and not listing and not groups[-1][-1].rstrip().endswith(ENDS_BEFORE_LIST):
            item = None
        listing = item is not None or (listing and not opens_turn(line))
        if not groups or opens_turn(line) or item is not None:
            groups.append([])
        groups[-1].append(line if item is None else item)
    return groups


FOOTNOTES = "Footnotes"  # the heading of a Markdown file's footnotes, as GitHub renders them


def read_markdown(path: Path) -> tuple[list[Block], dict[str, str]]:
    from markdown_it import MarkdownIt

    from mdit_py_plugins.footnote import footnote_plugin

    # footnotes as a reader sees them rendered: a reference ("[^1]") is no text of its sentence, and the notes
    # follow the document under a heading of their own (before, they were paragraphs of its last section, often
    # "Recommendations"); a note that nothing refers to, which a renderer leaves out, is read there too
    parser = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
    parser.core.ruler.disable("footnote_tail")  # the notes stay where they are written, each one read
    tokens = parser.parse(_read_text(path))
    blocks: list[Block] = []
    notes: list[Block] = []
    heading_level, in_table, row, in_header, in_note = 0, False, [], True, False
    for token in tokens:
        if token.type in ("footnote_reference_open", "footnote_reference_close"):
            in_note = token.type == "footnote_reference_open"
        elif in_note:
            if token.type == "inline":
                notes.extend(Block(PARAGRAPH, " ".join(turn)) for turn in _turns(_inline_lines(token)))
        elif token.type == "heading_open":
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
            blocks.append(Block(TABLE, TABLE_CELL_SEPARATOR.join(row)))
        elif token.type == "inline":
            lines = _inline_lines(token)
            if in_table:
                row.append(" ".join(lines).strip())
            elif heading_level:
                blocks.append(Block(HEADING, " ".join(lines), heading_level))
            elif in_header and (header := _header([line.strip() for line in lines if line.strip()], not blocks)):
                blocks = _titled(blocks) + header  # "**Country:** Kenya" too
                in_header = _header_goes_on(header)
            else:
                # as in .txt: the header ends at the first paragraph, but for a one-line title opening the file
                in_header = in_header and not blocks and len(lines) == 1 and _may_be_title(lines[0])
                blocks.extend(Block(PARAGRAPH, " ".join(turn)) for turn in _turns(lines))
    return blocks + ([Block(HEADING, FOOTNOTES, 2), *notes] if notes else []), {}


def _inline_lines(token) -> list[str]:
    """The lines of an inline token's text: a soft or a hard line break ends one."""
    lines = [""]
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            lines.append("")
        else:
            lines[-1] += child.content
    return lines


def _read_text(path: Path) -> str:
    """A text file decoded by its byte-order mark, else as UTF-8, else as Windows-1252 with a warning (which also
    counts any bytes that could not be read at all)."""
    data = path.read_bytes()
    encoding = bom_encoding(data) or "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        pass
    if encoding == "utf-8-sig":
        encoding = "cp1252"
        text = data.decode(encoding, errors="replace")
        note = "not UTF-8; read as cp1252"
    else:
        text = data.decode(encoding, errors="replace")
        note = f"not valid {encoding.upper()}"
    unreadable = text.count("\ufffd")
    log.warning("%s: %s%s", path, note, f" ({unreadable} unreadable characters stored as \ufffd)" if unreadable else "")
    return text
