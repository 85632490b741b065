"""Reading texts to code and gold files: JSONL, CSV or TXT, with one clear error per bad line."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from synthesis.errors import InputError
from synthesis.records import LabelledText

MAX_TEXT_CHARS = 100_000


@dataclass(frozen=True)
class TextItem:
    line: int
    id: str
    text: str
    fields: dict = field(default_factory=dict)  # the whole JSON object of a JSONL line


def read_texts(path: Path, on_problem: Callable[[InputError], None]) -> Iterator[TextItem]:
    """Items to code from .jsonl ({"id","text"}), .csv (id,text columns) or .txt (one text per line)."""
    if not path.is_file():
        raise InputError(path, "no such file")
    suffix = path.suffix.lower()
    seen: set[str] = set()
    for item in (_jsonl(path, on_problem) if suffix in (".jsonl", ".json") else
                 _csv(path, on_problem) if suffix == ".csv" else _txt(path, on_problem)):
        problem = _check(item, seen)
        if problem:
            on_problem(InputError(path, problem, row=item.line))
            continue
        seen.add(item.id)
        yield item


def _check(item: TextItem, seen: set[str]) -> str | None:
    if item.id in seen:
        return f"duplicate id {item.id!r}"
    if not item.text.strip():
        return "empty text"
    if len(item.text) > MAX_TEXT_CHARS:
        return f"text is {len(item.text):,} characters, over the {MAX_TEXT_CHARS:,} limit"
    printable = sum(ch.isprintable() or ch.isspace() for ch in item.text[:2000])
    if printable < 0.9 * min(len(item.text), 2000):
        return "text looks like binary data"
    return None


def _lines(path: Path, on_problem) -> Iterator[tuple[int, str]]:
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                on_problem(InputError(path, "invalid UTF-8", row=number))


def _jsonl(path: Path, on_problem) -> Iterator[TextItem]:
    for number, line in _lines(path, on_problem):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            on_problem(InputError(path, f"not JSON ({error.msg})", row=number))
            continue
        if not isinstance(value, dict) or not isinstance(value.get("text"), str):
            on_problem(InputError(path, "no \"text\" string", row=number))
            continue
        yield TextItem(number, str(value.get("id", number)), value["text"], value)


def _csv(path: Path, on_problem) -> Iterator[TextItem]:
    text = "\n".join(line for _, line in _lines(path, on_problem))
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise InputError(path, "a CSV to code needs a 'text' column (and optionally 'id')")
    for number, row in enumerate(reader, start=2):
        yield TextItem(number, str(row.get("id") or number), row.get("text") or "")


def _txt(path: Path, on_problem) -> Iterator[TextItem]:
    for number, line in _lines(path, on_problem):
        yield TextItem(number, str(number), line)


def read_labelled(path: Path) -> list[LabelledText]:
    """Gold lines {"id","text","groups","causes"}; the first bad line raises ``InputError``."""
    items = []
    problems: list[InputError] = []
    for item in read_texts(path, problems.append):
        value = item.fields
        groups, causes = value.get("groups"), value.get("causes")
        if not isinstance(groups, list) or not isinstance(causes, list):
            problems.append(InputError(path, "gold lines need \"groups\" and \"causes\" lists", row=item.line))
            continue
        items.append(LabelledText(item.id, item.text, tuple(groups), tuple(causes), value.get("language", "")))
    if problems:
        raise problems[0]
    return items
