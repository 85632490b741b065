"""What the document readers share: how a table row's cells are joined, Word's heading styles, where a speaker's turn
or a list item opens, and the "Key: value" lines of a document's header."""

from __future__ import annotations

import re
import unicodedata

from synthesis.segment import normalise, split_speaker

TABLE_CELL_SEPARATOR = " | "
# Metadata table keys as report writers label them, in English, Spanish and French: masculine, feminine and plural
# forms ("Organizada por", "Organisées par", "Organisateurs"), as the convenor's name or number decides.
_WRITTEN_KEYS = {
    "country": "country", "país": "country", "pays": "country",
    "date": "date", "dates": "date", "fecha": "date", "fechas": "date",
    "date of the meeting": "date", "fecha de la reunión": "date", "date de la réunion": "date",
    # a date and a place in one line: the date field shows both rather than neither
    "date and venue": "date", "fecha y lugar": "date", "date et lieu": "date",
    "convened by": "organisation", "organised by": "organisation", "organized by": "organisation",
    "organisation": "organisation", "organization": "organisation", "organisations": "organisation",
    "organizations": "organisation", "organiser": "organisation", "organizer": "organisation",
    "organisers": "organisation", "organizers": "organisation", "convenor": "organisation",
    "convener": "organisation", "convenors": "organisation", "conveners": "organisation",
    **{f"{verb}{end} por": "organisation" for verb in ("convocad", "organizad") for end in ("o", "a", "os", "as")},
    **{f"{verb}{end} par": "organisation" for verb in ("convoqué", "organisé") for end in ("", "e", "s", "es")},
    "organizador": "organisation", "organizadora": "organisation", "organizadores": "organisation",
    "organizadoras": "organisation", "organisateur": "organisation", "organisatrice": "organisation",
    "organisateurs": "organisation", "organisatrices": "organisation",
    "venue": "venue", "location": "venue", "place": "venue", "city": "venue", "region": "venue",
    "lugar": "venue", "ciudad": "venue", "localidad": "venue", "región": "venue", "lugar de la reunión": "venue",
    "lieu": "venue", "ville": "venue", "localité": "venue", "région": "venue", "lieu de la réunion": "venue",
    "participants": "participants", "participantes": "participants",
    "language": "language_name", "languages": "language_name", "language(s)": "language_name",
    "idioma": "language_name", "idiomas": "language_name", "idioma(s)": "language_name",
    "langue": "language_name", "langues": "language_name", "langue(s)": "language_name",
}


def _folded_key(key: str) -> str:
    """A key as looked up: without a colon or spaces at its end, in lower case, without accents, a typographic
    apostrophe as a plain one, its words apart by single spaces ("Organisée\u00a0par :" is "organisee par")."""
    bare = unicodedata.normalize("NFD", key.rstrip().rstrip(":").casefold().replace("\u2019", "'"))
    return " ".join("".join(c for c in bare if not unicodedata.combining(c)).split())


# each key also as folded, so that one typed without its accents ("Pais", "Region") is known, and a reader that looks
# a lower-cased key up here (pdf_reader) knows it too
META_KEYS = {**_WRITTEN_KEYS, **{_folded_key(key): name for key, name in _WRITTEN_KEYS.items()}}


def meta_key(key: str) -> str:
    """The metadata field a table's or a header line's key names ("País :", "ORGANIZADA POR"), or ""."""
    return META_KEYS.get(_folded_key(key), "")


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


VENUE_WORDS = 8  # a longer "Location: ..." or "City: ..." is a sentence ("Location: the meeting was held under a tree"),
# as is one of five words or more that ends like one ("City: Widows in Nairobi cannot inherit land, participants said.")


def metadata_row(line: str) -> str | None:
    """A header line "Key: value" with a known metadata key as a table row ("Key | value"), else None. A place is a
    few words: a longer value after "Location:", "City:" or "Région :" is what someone said, and is coded."""
    if not labelled(line) or not (field := meta_key(line.split(":")[0])):
        return None
    key, value = (part.strip() for part in line.split(":", 1))
    words = len(value.split())
    if field == "venue" and (words > VENUE_WORDS or words >= 5 and value.endswith((".", "!", "?"))):
        return None
    return TABLE_CELL_SEPARATOR.join((key, value))


def labelled(line: str) -> bool:
    """Whether a line has the form of a header line, "Key: value", with a short key."""
    return bool(re.match(r"[^:]{1,30}:\s+\S", line))
