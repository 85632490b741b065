"""What the document readers share: how a table row's cells are joined, Word's heading styles, where a speaker's turn
or a list item opens, and the "Key: value" lines of a document's header."""

from __future__ import annotations

import re

from synthesis.segment import normalise, split_speaker

TABLE_CELL_SEPARATOR = " | "
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
# A list item's marker at a line's start: a bullet or dash, "1." or "1)", "a)"; the marker is not stored, as Markdown
# and Word lists store none. Numbers have at most two digits, so that a year at a wrapped line's start ("2017. ") is
# no list item.
_LIST_MARKER = re.compile(r"(?:[-*•–]|\d{1,2}[.)]|[a-z]\))\s+(?=\S)")


def heading_level(style: str) -> int:
    if style == "Title":
        return 1
    match = re.fullmatch(r"Heading (\d)", style)
    return int(match.group(1)) if match else 0


def opens_turn(line: str) -> bool:
    """Whether a line opens a speaker's turn ("Participant (woman, 34): ..."), as the segmenter reads one; the label
    must be capitalised, as transcripts write it, so that a wrapped sentence going on with "participants: " does not
    break its paragraph."""
    text = normalise(line)
    return text[:1].isupper() and bool(split_speaker(text)[0])


def list_item(line: str) -> str | None:
    """The text of a line that opens a list item ("- Train teachers.", "2) Train teachers."), without its marker;
    None for any other line."""
    match = _LIST_MARKER.match(line)
    return line[match.end():] if match else None


def metadata_row(line: str) -> str | None:
    """A header line "Key: value" with a known metadata key as a table row ("Key | value"), else None."""
    if not re.match(r"[^:]{1,30}:\s+\S", line) or line.split(":")[0].strip().lower() not in META_KEYS:
        return None
    return TABLE_CELL_SEPARATOR.join(part.strip() for part in line.split(":", 1))
