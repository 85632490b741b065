"""Reading texts to code and gold files: JSONL, CSV or TXT, with one clear error per bad line.

Rows are numbered by the file's physical lines (a CSV record that spans lines has the number of its first line).
Ids are echoed as given; where a text has none, its line number stands in. Ids are unique, compared as text (1 and
"1" are one id, which output read as text could not tell apart; gold ids are kept as that text).
"""

from __future__ import annotations

import csv
import json
import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from synthesis.coding.codebook import CAUSE, GROUP, LANGUAGES, Codebook
from synthesis.encodings import bom_encoding
from synthesis.errors import InputError
from synthesis.records import LabelledText
from synthesis.language import language_code
from synthesis.segment import INVISIBLE

MAX_TEXT_CHARS = 100_000
_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE), None)
FORMATS = (".jsonl", ".json", ".csv", ".txt")


# languages given by name, as exports and spreadsheets write them


@dataclass(frozen=True)
class TextItem:
    line: int
    id: str | int | float  # as given (a JSON string or number), else the line number
    text: str
    fields: dict = field(default_factory=dict)  # the whole JSON object of a JSONL line
    stand_in: bool = False  # the id is the line number: the text has none
    language: str = ""  # as given ("en", "es", "fr"; lower-cased), else empty: detected


def read_texts(path: Path, on_problem: Callable[[InputError], None]) -> Iterator[TextItem]:
    """Items to code from .jsonl ({"id","text"[,"language"]}), .csv (id,text[,language] columns) or .txt (one text
    per line)."""
    check_source(path)
    suffix = path.suffix.lower()
    readers = {".jsonl": _jsonl, ".json": _jsonl, ".csv": _csv, ".txt": _txt}
    seen: dict[str, TextItem] = {}  # id (as text) -> the item that has it
    for item in readers[suffix](path, on_problem):
        problem = _check(item, seen)
        if problem:
            on_problem(InputError(path, problem, row=item.line))
            continue
        seen[_id_text(item.id)] = item
        yield item


def check_source(path: Path) -> None:
    """Raise ``InputError`` for a missing file or a type we cannot read (before any work is done)."""
    if path.is_dir():
        raise InputError(path, "is a folder: name a .jsonl, .csv or .txt file")
    if not path.exists():
        raise InputError(path, "no such file")
    if not path.is_file():  # a device, a pipe
        raise InputError(path, "not a regular file: name a .jsonl, .csv or .txt file")
    if path.stat().st_size == 0:  # said before a model is loaded for it
        raise InputError(path, "an empty file: no texts in it")
    if path.suffix.lower() not in FORMATS:
        raise InputError(path, f"unsupported file type '{path.suffix}': texts to code come as .jsonl, .csv or .txt")


def _id_text(given: str | int | float) -> str:
    """An id as compared, and as a gold line keeps it: 1 and "1" are the same id, 1.0 and "1.0" another."""
    return str(given)


def _check(item: TextItem, seen: dict[str, TextItem]) -> str | None:
    first = seen.get(_id_text(item.id))
    if first is not None:
        stand_in = next((f" (row {i.line} has no id: its line number stands in)" for i in (first, item)
                         if i.stand_in), "")
        return f"duplicate id {item.id!r} (also on row {first.line}){stand_in}"
    if not item.text.strip() or not item.text.translate(_INVISIBLE).strip():  # nothing that shows
        return "empty text"
    if len(item.text) > MAX_TEXT_CHARS:
        return f"text is {len(item.text):,} characters, over the {MAX_TEXT_CHARS:,} limit"
    for what, value in (("text", item.text), ("id", item.id)):
        try:
            if isinstance(value, str):
                value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: JSON can spell one ("\ud800"), UTF-8 cannot hold it
            return f"{what} holds an unpaired surrogate (\\ud800-\\udfff), which is not a character"
    # format characters are text too: the joiner in an emoji sequence, right-to-left marks
    printable = sum(ch.isprintable() or ch.isspace() or unicodedata.category(ch) == "Cf" for ch in item.text[:2000])
    if printable < 0.9 * min(len(item.text), 2000):
        return "text looks like binary data"
    return None


def _lines(path: Path, on_problem, lone_cr: bool = False) -> Iterator[tuple[int, str]]:
    """The file's numbered lines, decoded one by one (a bad one is reported, the others read); ``lone_cr``: a
    carriage return alone also ends a line, as in old Mac text files."""
    with open(path, "rb") as handle:
        encoding = bom_encoding(handle.read(4))
    if encoding is not None:  # Notepad's "Unicode": UTF-16 with a byte-order mark
        yield from _wide_lines(path, encoding, lone_cr)
        return
    number = 0
    with open(path, "rb") as handle:
        for raw in handle:
            raw = raw.removesuffix(b"\n").removesuffix(b"\r")
            for piece in raw.split(b"\r") if lone_cr else (raw,):
                number += 1
                try:
                    yield number, piece.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError:
                    on_problem(InputError(path, "invalid UTF-8", row=number))


def _wide_lines(path: Path, encoding: str, lone_cr: bool) -> Iterator[tuple[int, str]]:
    try:
        text = path.read_bytes().decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(path, f"not valid {encoding.upper()} (byte {error.start}): save it as UTF-8") from None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    number = 0
    for line in lines:
        line = line.removesuffix("\r")
        for piece in line.split("\r") if lone_cr else (line,):
            number += 1
            yield number, piece


def _jsonl(path: Path, on_problem) -> Iterator[TextItem]:
    for number, line in _lines(path, on_problem):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError) as error:  # also JSON nested too deeply or a number too long to read
            on_problem(InputError(path, _not_json(line, error), row=number))
            continue
        if isinstance(value, list):
            on_problem(InputError(path, "a JSON array, not an object: JSONL holds one {\"id\", \"text\"} object a "
                                        "line", row=number))
            continue
        if not isinstance(value, dict) or not isinstance(value.get("text"), str):
            on_problem(InputError(path, "no \"text\" string", row=number))
            continue
        given = value.get("id", number)
        if isinstance(given, bool) or not isinstance(given, (str, int, float)) or given != given or given in (
                math.inf, -math.inf):  # NaN and infinities cannot be written back as JSON
            on_problem(InputError(path, "the \"id\" must be a string or a number", row=number))
            continue
        language, problem = _language(value.get("language"))
        if problem:
            on_problem(InputError(path, problem, row=number))
            continue
        yield TextItem(number, given, value["text"], value, stand_in="id" not in value, language=language)


def _not_json(line: str, error: Exception) -> str:
    if isinstance(error, RecursionError):
        return "not JSON this tool can read (nested too deeply)"
    if not isinstance(error, json.JSONDecodeError):  # Python reads no integer of over 4,300 digits
        return "not JSON this tool can read (a number thousands of digits long)"
    if line.strip() in ("{", "["):  # the first line of pretty-printed JSON
        return (f"not JSON ({error.msg}): JSONL holds one whole {{\"id\", \"text\"}} object a line, not JSON "
                "spread over several lines")
    return f"not JSON ({error.msg})"


def _csv(path: Path, on_problem) -> Iterator[TextItem]:
    # streamed; undecodable bytes become lone surrogates, so one bad row does not shift or merge the others
    with open(path, "rb") as raw:
        wide = bom_encoding(raw.read(4))
    if wide is not None:
        raise InputError(path, f"a {wide.upper()} file: save it as CSV UTF-8 (comma delimited)")
    handle = open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")
    first = handle.readline()
    # the column names in any case; separated by semicolons where commas give no 'text' column (as spreadsheets
    # export in languages that write a decimal comma)
    delimiter = next((d for d in ",;" if "text" in _names(first, d)), ",")
    handle.seek(0)
    reader = csv.reader(handle, strict=True, delimiter=delimiter)
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # over-long texts get the per-row limit's message, not a parse error
    try:
        header = next(reader, None)
        names = [name.strip().lower() for name in header or ()]
        if "text" not in names:
            raise InputError(path, "a CSV to code needs a 'text' column (and optionally 'id'), separated by commas or "
                                   "semicolons")
        twice = sorted({n for n in names if names.count(n) > 1} & {"id", "text", "language"})
        if twice:  # "Text" and "text": which one was meant cannot be told
            raise InputError(path, f"the header names the '{twice[0]}' column twice (in any case): rename one")
        text_at, id_at = names.index("text"), names.index("id") if "id" in names else None
        language_at = names.index("language") if "language" in names else None
        end = reader.line_num
        while True:
            start = end + 1
            try:
                row = next(reader, None)
            except csv.Error as error:
                end = reader.line_num
                if "end of data" in str(error):
                    reason = (f"unreadable CSV ({error}): a quoted field is left open, so the rest of the file "
                              "was not read")
                else:
                    lines = f" (lines {start}-{end} not read)" if end > start else ""
                    reason = f"unreadable CSV ({error}){lines}"
                on_problem(InputError(path, reason, row=start))
                continue
            end = reader.line_num
            if row is None:
                return
            if not row:
                continue  # a blank line
            if any(_undecodable(value) for value in row):
                on_problem(InputError(path, "invalid UTF-8", row=start))
                continue
            if text_at >= len(row):  # a row short of fields: say so, not "empty text"
                on_problem(InputError(path, f"{len(row)} field{'s' * (len(row) != 1)}, no 'text' field (column "
                                            f"{text_at + 1} of the header)", row=start))
                continue
            value = row[text_at]
            given = row[id_at] if id_at is not None and id_at < len(row) else ""
            language, problem = _language(row[language_at] if language_at is not None and language_at < len(row)
                                          else None)
            if problem:
                on_problem(InputError(path, problem, row=start))
                continue
            yield TextItem(start, given or start, value, stand_in=not given, language=language)
    finally:
        csv.field_size_limit(limit)
        handle.close()


def _names(line: str, delimiter: str) -> list[str]:
    """The column names of a CSV header ``line`` split at ``delimiter``, stripped and lower-cased."""
    try:
        return [name.strip().lower() for name in next(csv.reader([line], delimiter=delimiter), [])]
    except csv.Error:
        return []


def _undecodable(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def _txt(path: Path, on_problem) -> Iterator[TextItem]:
    """One text a line, its id the line's number; blank lines at the end of the file (as editors leave them) are
    no texts, a blank line before another text is an empty text."""
    blank: list[TextItem] = []
    for number, line in _lines(path, on_problem, lone_cr=True):
        item = TextItem(number, number, line, stand_in=True)
        if not line.strip():
            blank.append(item)
            continue
        yield from blank
        blank = []
        yield item


def read_labelled(path: Path, codebook: Codebook | None = None) -> list[LabelledText]:
    """Gold lines {"id","text","groups","causes"[,"language"]}; with ``codebook``, every code must be one of its
    ids. Any bad line raises ``InputError`` naming the first one (gold data is used whole or not at all)."""
    if path.suffix.lower() not in (".jsonl", ".json"):
        check_source(path)
        raise InputError(path, "gold files are JSONL: one {\"id\", \"text\", \"groups\", \"causes\"} object a line")
    items = []
    problems: list[InputError] = []
    for item in read_texts(path, problems.append):
        value = item.fields
        problem = _gold_problem(value, codebook)
        if problem:
            problems.append(InputError(path, problem, row=item.line))
            continue
        items.append(LabelledText(_id_text(item.id), item.text, tuple(value["groups"]), tuple(value["causes"]),
                                  item.language))
    if problems:
        more = f" (and {len(problems) - 1} more bad lines)" if len(problems) > 1 else ""
        raise InputError(path, problems[0].reason + more, row=problems[0].row)
    if not items:
        raise InputError(path, "no gold lines")
    return items


def _language(given) -> tuple[str, str | None]:
    """A given language as the engine's code ("en", "es", "fr"; "" where none is given: it is detected), read from
    a code with or without a region ("en-GB", "es_ES") or a name ("English", "Español", "Français"); else a
    problem."""
    if given is None:
        return "", None
    if not isinstance(given, str):
        return "", "\"language\" must be a string such as \"en\""
    language = language_code(given)
    if not language or language in LANGUAGES:
        return language, None
    return "", (f"\"language\" {given!r} is not one the engine reads ({', '.join(LANGUAGES)}; leave it out to "
                "detect it)")


def _gold_problem(value: dict, codebook: Codebook | None) -> str | None:
    groups, causes = value.get("groups"), value.get("causes")
    if not isinstance(groups, list) or not isinstance(causes, list):
        return "gold lines need \"groups\" and \"causes\" lists"
    if not all(isinstance(code, str) for code in groups + causes):
        return "codes in \"groups\" and \"causes\" must be strings"
    if codebook is not None:
        for kind, key, codes in ((GROUP, "groups", groups), (CAUSE, "causes", causes)):
            known = {c.id for c in codebook.codes if c.kind == kind}
            unknown = [code for code in codes if code not in known]
            if unknown:
                return f"unknown code {unknown[0]!r} in \"{key}\" (not a {kind} code of codebook {codebook.name})"
    return None
