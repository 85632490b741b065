"""Reading consultation exports (.csv, .xlsx) as survey tools write them, streaming rows in batches.

Columns are found through a small YAML mapping (``consultation_mapping.yaml``), headers compared as ``_key`` folds
them; a column it places nowhere, and does not list as ignored, is named in one warning per file. A second header row
of sub-labels ("Response", "Open-Ended Response", "Respuesta abierta") is detected and skipped. Bad rows are reported
one line each and skipped; a file without the required columns is skipped whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import yaml

from synthesis.errors import ConfigError, InputError
from synthesis.language import language_code
from synthesis.segment import SurveyRow, normalise

log = logging.getLogger(__name__)
DEFAULT_MAPPING = Path(__file__).with_name("consultation_mapping.yaml")
csv.field_size_limit(16 * 1024 * 1024)


# typographic marks as typed from a keyboard: a mapping typed with "'" finds the export's "Tranche d’âge"
_TYPED = str.maketrans({**dict.fromkeys("\u2018\u2019\u201a\u201b\u02bc\u2032\u00b4`", "'"),
                        **dict.fromkeys("\u201c\u201d\u201e\u00ab\u00bb", '"'),
                        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-")})


def _key(header: str) -> str:
    """A header, alias or value as compared: case, accents, typographic apostrophes, quotes and dashes folded, and white
    space (no-break spaces too) as one space where it parts two words, none beside a mark ("de côté ?" is "de cote?",
    as French typography spaces it and a keyboard may not)."""
    text = unicodedata.normalize("NFKD", str(header or "").translate(_TYPED)).casefold()
    text = " ".join("".join(c for c in text if not unicodedata.combining(c)).split())
    return re.sub(r" ?([^\w ]) ?", r"\1", text)


@dataclass(frozen=True)
class Mapping:
    id: tuple[str, ...]
    attributes: dict[str, tuple[str, ...]]
    questions: dict[str, tuple[str, ...]]
    subheader_labels: frozenset[str]
    values: dict[str, dict[str, str]]  # attribute -> folded written value (``_key``) -> canonical value
    ignored: frozenset[str] = frozenset()  # columns read by no one, and not worth a warning (folded)

    @classmethod
    def load(cls, path: Path | None = None) -> "Mapping":
        """The mapping at ``path`` (the bundled one by default). The survey tools' own sub-labels and ignored columns
        are those of the bundled mapping too, so that a team's copy made before a tool's label was added reads it."""
        path = path or DEFAULT_MAPPING
        try:
            raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
            tools = raw if Path(path) == DEFAULT_MAPPING else yaml.safe_load(DEFAULT_MAPPING.read_text("utf-8"))
            return cls(
                id=tuple(raw["id"]),
                attributes={k: tuple(v) for k, v in raw["attributes"].items()},
                questions={k: tuple(v) for k, v in raw["questions"].items()},
                subheader_labels=_listed("subheader_labels", raw, tools),
                ignored=_listed("ignored_columns", raw, tools),
                values={
                    attr: {_key(written): canonical for canonical, writtens in table.items() for written in writtens}
                    for attr, table in (raw.get("values") or {}).items()
                },
            )
        except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as error:
            raise ConfigError(f"{path}: not a valid survey column mapping ({error.__class__.__name__}: {error})")

    def columns(self, header: list[str], path: Path) -> tuple[int, dict[str, int], dict[str, int]]:
        """Positions of the id column, attribute columns and question columns in ``header``."""
        index = {}
        for i, name in enumerate(header):
            index.setdefault(_key(name), i)
        find = lambda aliases: next((index[_key(a)] for a in aliases if _key(a) in index), None)  # noqa: E731
        id_column = find(self.id)
        questions = {q: i for q, aliases in self.questions.items() if (i := find(aliases)) is not None}
        missing = ([self.id[0]] if id_column is None else []) + ([] if questions else ["any free-text question"])
        if missing:
            raise InputError(path, f"missing required column(s): {', '.join(missing)} (see the survey column mapping)")
        attributes = {a: i for a, aliases in self.attributes.items() if (i := find(aliases)) is not None}
        self._warn_unmapped(header, {id_column, *attributes.values(), *questions.values()}, path)
        return id_column, attributes, questions

    def _warn_unmapped(self, header: list[str], placed: set[int], path: Path) -> None:
        """One warning naming the columns that the mapping places nowhere: a question whose header is written otherwise
        than its aliases would else be left out without a word. Blank headers and ``ignored_columns`` are no news."""
        unmapped = [name for i, name in enumerate(header)
                    if i not in placed and _key(name) and _key(name) not in self.ignored]
        if unmapped:
            log.warning("%s: %d column(s) not in the survey column mapping, not read: %s (add each as an alias of its "
                        "question or attribute, or to ignored_columns)", path, len(unmapped),
                        "; ".join(f"'{' '.join(name.split())}'" for name in unmapped))


def _listed(key: str, raw: dict, tools: dict) -> frozenset[str]:
    """A list of the mapping with the bundled mapping's, folded."""
    return frozenset(_key(value) for value in [*(raw.get(key) or []), *tools[key]])


def read_survey(
    path: Path, fmt: str, mapping: Mapping, batch_size: int, on_problem: Callable[[InputError], None]
) -> Iterator[list[SurveyRow]]:
    """Batches of respondents. Row numbers are the spreadsheet row numbers (headers included), as a user
    opening the file sees them."""
    rows = _csv_rows(path) if fmt == "csv" else _xlsx_rows(path)
    header = next(rows, None)
    if header is None:
        raise InputError(path, "no header row")
    header = [str(h or "").strip() for h in header]
    id_column, attributes, questions = mapping.columns(header, path)
    first = next(rows, None)
    line_offset = 1
    if first is not None and _is_subheader(first, mapping, id_column):
        first, line_offset = next(rows, None), 2
    data = itertools.chain([first] if first is not None else [], rows)
    seen: set[str] = set()
    batch: list[SurveyRow] = []
    for number, cells in enumerate(data, start=1):
        sheet_row = number + line_offset
        if not any(_cell(cells, i) for i in range(len(cells))):
            continue  # a blank line, or a spreadsheet row formatted but empty: no respondent to lose
        if len(cells) != len(header) and fmt == "csv":
            on_problem(InputError(path, f"{len(cells)} fields, expected {len(header)}; row skipped", row=sheet_row))
            continue
        cell = lambda i: _cell(cells, i)  # noqa: E731
        respondent = cell(id_column)
        if not respondent:
            on_problem(InputError(path, "empty respondent id; row skipped", row=sheet_row))
            continue
        if respondent in seen:
            on_problem(InputError(path, f"duplicate respondent id {respondent}; row skipped", row=sheet_row))
            continue
        seen.add(respondent)
        values = {a: mapping.values.get(a, {}).get(_key(cell(i)), normalise(cell(i))) for a, i in attributes.items()}
        if "language" in values:  # "English (UK)", "es-MX" -> "en", "es"; the mapping names the tools' own labels
            values["language"] = language_code(values["language"])
        batch.append(
            SurveyRow(
                row=sheet_row,
                respondent_id=respondent,
                country=values.pop("country", ""),
                language=values.pop("language", ""),
                attributes=values,
                answers=[(q, cell(i)) for q, i in questions.items()],
            )
        )
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _is_subheader(cells: list, mapping: Mapping, id_column: int) -> bool:
    values = [_key(str(c or "")) for c in cells]
    has_id = id_column < len(values) and values[id_column]  # a short or blank row has none
    return not has_id and all(not v or v in mapping.subheader_labels for v in values)


def _cell(cells: list, i: int) -> str:
    """A cell's text, stripped; a NUL character shows nothing and PostgreSQL stores none, so cells lose it as
    texts do (``segment.INVISIBLE``)."""
    return "" if i >= len(cells) or cells[i] is None else str(cells[i]).replace("\x00", "").strip()


def _csv_rows(path: Path) -> Iterator[list[str]]:
    encoding = _csv_encoding(path)
    if encoding != "utf-8-sig":
        log.warning("%s: not UTF-8; read as %s", path, encoding)
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        sample = handle.read(64 * 1024)
        handle.seek(0)
        try:  # only the delimiter is guessed: a guessed quote character misreads an answer 'in single quotes'
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
        try:
            yield from csv.reader(handle, csv.excel, delimiter=delimiter)
        except csv.Error as error:
            raise InputError(path, f"malformed CSV: {error}") from None


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when every byte decodes; otherwise Windows-1252, which survey tools and Excel
    write on Windows and which reads Latin-1 text the same way."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        try:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _xlsx_rows(path: Path) -> Iterator[list]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise InputError(path, f"not a readable .xlsx workbook: {error.__class__.__name__}") from None
    try:
        if not workbook.worksheets:
            raise InputError(path, "the workbook has no worksheet")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs record a stale size of the sheet, which read-only mode would trust
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:  # sheets are parsed as they are read: damage shows here, not when the workbook opens
                row = next(rows)
            except StopIteration:
                return
            except Exception as error:  # the XML parser's and openpyxl's many types
                raise InputError(path, f"not a readable .xlsx workbook: {error.__class__.__name__}: {error}") from None
            yield list(row)
    finally:
        workbook.close()
