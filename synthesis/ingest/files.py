"""Finding input files, describing them (format, size, SHA-256) and the corpus manifest."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import unicodedata
from pathlib import Path

from synthesis.errors import InputError
from synthesis.records import CONSULTATION, DIALOGUE, SourceFile

FORMATS = {".docx": "docx", ".pdf": "pdf", ".txt": "txt", ".md": "md", ".markdown": "md",
           ".csv": "csv", ".xlsx": "xlsx"}
SURVEY_FORMATS = {"csv", "xlsx"}
_NOT_INPUT = {"manifest.csv"}
# Types of documents and sheets a folder scan reports as unsupported (a transcript saved as .doc would otherwise be
# lost without a word), with what to save them as; other types (images, archives, code) are passed over quietly.
_UNSUPPORTED = {
    **dict.fromkeys((".doc", ".docm", ".dot", ".dotx", ".rtf", ".odt", ".fodt", ".pages", ".wpd", ".wps",
                     ".html", ".htm"), "save it as .docx or .pdf"),
    **dict.fromkeys((".xls", ".xlsm", ".xlsb", ".ods", ".numbers", ".tsv"), "save it as .xlsx or .csv"),
    ".json": "",
}
# Raised when a reader or the segmenter changes what is stored from a file: stored files read by older readers are
# then read again (1: session 27's .docx, speaker-turn, encoding, CSV and sentence fixes; 2: PDF pages in two
# columns read a column at a time, words hyphenated at a line end joined; 3: list items in .txt and PDFs blocks of
# their own without their marker, PDF glyphs with no text mapping left out, "Country: ..." header lines of .docx,
# .pdf and .md files and unruled PDF metadata tables read as metadata; 4: Markdown footnotes under a heading of their
# own, their references left out of the text; list items typed by hand in .docx paragraphs without their markers;
# Spanish and French speaker labels such as Facilitateur, Intervenante, Participantes, Co-facilitadora read as turns).
READER_REVISION = 4
log = logging.getLogger(__name__)


def collect_files(paths: list[Path]) -> tuple[list[Path], list[InputError]]:
    """Expand folders (recursively) into input files; unreadable or unsupported paths become errors.

    In a folder, README files, ``manifest.csv``, hidden files, names starting with "_", Word's lock files ("~$...")
    and files of types that are no documents (images, archives, ...) are passed over; documents and sheets of a type
    no reader reads (.doc, .rtf, .odt, .xls, ...) are errors, as when named. Whether an .xlsx beside a .csv of the
    same name is a copy of it is for ``ingest_paths`` to judge (``csv_twins``).
    """
    files: list[Path] = []
    problems: list[InputError] = []
    for path in paths:
        if not path.exists():
            problems.append(InputError(path, "no such file or folder"))
        elif path.is_dir():
            found = _folder_inputs(path)
            files.extend(f for f in found if f.suffix.lower() in FORMATS)
            problems.extend(_unsupported(f) for f in found if f.suffix.lower() not in FORMATS)
        elif path.suffix.lower() not in FORMATS:
            problems.append(_unsupported(path))
        else:
            files.append(path)
    seen: set[Path] = set()
    unique = [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]
    return unique, problems


def _unsupported(path: Path) -> InputError:
    hint = _UNSUPPORTED.get(path.suffix.lower())
    return InputError(path, f"unsupported file type '{path.suffix or '(none)'}' "
                            f"(expected one of {', '.join(sorted(set(FORMATS)))}){'; ' + hint if hint else ''}")


def _folder_inputs(folder: Path) -> list[Path]:
    """The files in a folder that are inputs or documents of an unsupported type, in name order."""
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith((".", "_", "~$")) for part in relative.parts) or not path.is_file():
            continue
        name = path.name.lower()
        if name in _NOT_INPUT or name.startswith("readme"):
            continue
        if path.suffix.lower() in FORMATS or path.suffix.lower() in _UNSUPPORTED:
            found.append(path)
    return found


def csv_twins(files: list[Path]) -> dict[Path, Path]:
    """The .xlsx files among ``files`` that have a .csv of the same name beside them, each with that .csv: the two
    downloads a survey tool offers of one export, or two exports that only share a name."""
    csvs = {f.with_suffix("").resolve(): f for f in files if f.suffix.lower() == ".csv"}
    return {f: csvs[key] for f in files
            if f.suffix.lower() == ".xlsx" and (key := f.with_suffix("").resolve()) in csvs}


def describe(path: Path, max_document_mb: float) -> SourceFile:
    """Format, kind, size and SHA-256 of ``path``; empty or oversized files raise ``InputError``."""
    fmt = FORMATS[path.suffix.lower()]
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:  # bytes another system wrote (an unzipped Windows archive): no store can hold them
        raise InputError(os.fsencode(path).decode("utf-8", "replace"),
                         "the file name is not valid UTF-8 (from an archive made on another system?); rename the "
                         "file") from None
    try:
        size = path.stat().st_size
        if size == 0:
            raise InputError(path, "empty file (0 bytes)")
        if fmt not in SURVEY_FORMATS and size > max_document_mb * 1024 * 1024:
            raise InputError(path, f"file is {size / 1024 / 1024:.1f} MB, over the {max_document_mb:g} MB limit "
                                   "for a transcript (max_document_mb)")
        sha256 = file_sha256(path)
    except PermissionError:
        raise InputError(path, "permission denied") from None
    return SourceFile(path=display_path(path), name=path.name, format=fmt,
                      kind=CONSULTATION if fmt in SURVEY_FORMATS else DIALOGUE,
                      sha256=sha256, size=size, reader_revision=READER_REVISION)


def manifest_sha256(meta: dict[str, str]) -> str:
    """A hash of the manifest row a transcript is read with ("" for none), stored with it: a row corrected, cleared
    or deleted since reads the file again."""
    if not meta:
        return ""
    return hashlib.sha256(json.dumps(sorted(meta.items()), ensure_ascii=False).encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def display_path(path: Path) -> str:
    """The path as stored: relative to the working directory when inside it, else absolute."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


class Manifests:
    """Metadata from ``manifest.csv`` files in a file's folder or the folders above it.

    Columns: file (relative to the manifest's folder), country, iso, date, organisation, language, doc_type, title.
    """

    def __init__(self) -> None:
        self._cache: dict[Path, dict[Path, dict[str, str]]] = {}

    def lookup(self, path: Path) -> dict[str, str]:
        resolved = path.resolve()
        key = _path_key(resolved)
        for folder in resolved.parents:
            entries = self._load(folder)
            if key in entries:
                return entries[key]
        return {}

    def _load(self, folder: Path) -> dict[str, dict[str, str]]:
        """The manifest's rows by file (as ``_path_key`` names it). A manifest Excel saved in Windows-1252 is read
        as such; rows naming no file there are reported, one line each, and a manifest that cannot be read is
        reported and passed over: the documents keep the metadata their own headers give."""
        if folder not in self._cache:
            manifest = folder / "manifest.csv"
            entries: dict[str, dict[str, str]] = {}
            if manifest.is_file():
                try:
                    entries = _manifest_entries(manifest)
                except (OSError, csv.Error) as error:
                    log.warning("%s: cannot be read (%s); its metadata is not used", manifest,
                                getattr(error, "strerror", None) or error)
            self._cache[folder] = entries
        return self._cache[folder]


def _manifest_entries(manifest: Path) -> dict[str, dict[str, str]]:
    raw = manifest.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        log.warning("%s: not UTF-8; read as cp1252", manifest)
    entries: dict[str, dict[str, str]] = {}
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for row in reader:
        name = (row.get("file") or "").strip()
        if not name:
            continue
        target = _existing(manifest.parent / name)
        if target is None:
            log.warning("%s row %d: no file %r in %s (check its spelling and case); row not used", manifest,
                        reader.line_num, name, manifest.parent)
            continue
        values = {k: (v or "").strip() for k, v in row.items() if k and k != "file" and isinstance(v, str)}
        entries[_path_key(target)] = {k: v for k, v in values.items() if v}
    return entries


def _existing(path: Path) -> Path | None:
    """The file ``path`` names, also where the file system spells its name in another Unicode form; else None."""
    if path.is_file():
        return path.resolve()
    wanted = unicodedata.normalize("NFC", path.name)
    try:
        return next((p.resolve() for p in path.parent.iterdir()
                     if unicodedata.normalize("NFC", p.name) == wanted and p.is_file()), None)
    except OSError:
        return None


def _path_key(path: Path) -> str:
    """A file's path as a manifest row and the file system both spell it: macOS writes names decomposed (NFD)."""
    return unicodedata.normalize("NFC", path.as_posix())
