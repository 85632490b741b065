"""Ingestion: files in, normalised documents and segments with exact provenance stored.

``ingest_paths`` is the stage's public API. Each file is read, segmented and written in one store transaction;
a bad file or row is skipped with one logged line and the rest carries on. Stored files gone from an ingested
folder are removed from the store.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Iterator

from synthesis.config import Config
from synthesis.errors import InputError
from synthesis.ingest.documents import read_blocks
from synthesis.ingest.files import (SURVEY_FORMATS, Manifests, collect_files, csv_twins, describe, display_path,
                                    file_sha256, manifest_sha256)
from synthesis.ingest.survey import Mapping, read_survey
from synthesis.language import language_code
from synthesis.progress import SILENT, Progress
from synthesis.records import DIALOGUE, IngestSummary, ParsedDocument, SourceFile
from synthesis.segment import Segmenter
from synthesis.store import Store
from synthesis.store.corpus import CHANGED, DUPLICATE, NOW_A_COPY, UNCHANGED

log = logging.getLogger(__name__)

__all__ = ["ingest_paths"]


def ingest_paths(
    paths: list[Path], store: Store, config: Config, progress: Progress = SILENT, run_id: int | None = None
) -> IngestSummary:
    """Ingest files and folders into ``store``; returns what was ingested, unchanged and skipped."""
    summary = IngestSummary()
    files, problems = collect_files([Path(p) for p in paths])
    for problem in problems:
        _skip(summary, problem)
    segmenter = Segmenter(config.languages, config.min_detect_chars)
    mapping = Mapping.load(config.survey_mapping)
    manifests = Manifests()
    _remove_missing(store, [Path(p) for p in paths], files, summary)  # first: a renamed file is then new, not a copy
    twins = csv_twins(files)
    with progress.task("Ingesting files", total=len(files)) as task:
        for path in files:
            try:
                if path in twins and _is_copy(path, twins[path], mapping, store):
                    task.advance()
                    continue
                source = describe(path, config.max_document_mb)
                meta = manifests.lookup(path)
                if source.kind == DIALOGUE:  # (a manifest row names a transcript's metadata only)
                    source = replace(source, manifest_sha256=manifest_sha256(meta))
                state, other = _state(store, source, meta)
                if state == NOW_A_COPY:  # as a first ingest of the folder would: one copy stored, the other not
                    store.remove_source(source.path)
                    summary.unchanged += 1
                    log.warning("%s: now the same as %s; its earlier version was removed from the store",
                                source.path, other)
                elif state in (UNCHANGED, DUPLICATE):
                    summary.unchanged += 1
                    if state == DUPLICATE:
                        log.info("%s: same content as %s, already ingested", source.path, other)
                    else:  # its rows skipped when it was read are still missing: said again, as a bad file is
                        for line in store.skipped_rows(source.path):
                            log.warning("%s (the file is unchanged since it was read)", line)
                            summary.problems.append(line)
                            summary.rows_skipped += 1
                else:
                    skipped: list[str] = []
                    batches = _parse(path, source, segmenter, mapping, meta, config, summary, progress, skipped)
                    documents, segments = store.write_source(source, batches, run_id, skipped)
                    summary.ingested += 1
                    summary.replaced += state == CHANGED
                    summary.documents += documents
                    summary.segments += segments
            except InputError as error:
                _skip(summary, error)
            task.advance()
    return summary


def _is_copy(xlsx: Path, csv: Path, mapping: Mapping, store: Store) -> bool:
    """Whether an .xlsx beside a .csv of the same name is a copy of it: no respondent in it that the .csv lacks (both
    downloads a survey tool offers; ingesting both would count each respondent twice). A copy is passed over (and an
    earlier version of it stored when it held others is removed); where it has respondents of its own, both files are
    ingested, with a warning if some respondents are in both. Answers that differ in a copy are warned about: the
    .csv's are kept."""
    try:
        theirs, ours = (_answers(path, fmt, mapping) for path, fmt in ((csv, "csv"), (xlsx, "xlsx")))
    except InputError:
        return False  # one of them is unreadable: the .xlsx is read on its own, and its problems reported
    shared = ours.keys() & theirs.keys()
    if len(shared) < len(ours):
        if shared:
            log.warning("%s: %d of its %d respondent ids are also in %s beside it; both files are ingested, so those "
                        "respondents count twice (keep one export, or rename one if they are different surveys)",
                        display_path(xlsx), len(shared), len(ours), display_path(csv))
        return False
    differ = sum(ours[key] != theirs[key] for key in shared)
    if differ:
        log.warning("%s: the same respondents as %s beside it, but %d of them with other answers; passed over as a "
                    "copy of it (the .csv's answers are used; delete or rename the one that is out of date)",
                    display_path(xlsx), display_path(csv), differ)
    else:
        log.info("%s: the same respondents and answers as %s; passed over as a copy of it", display_path(xlsx),
                 display_path(csv))
    if display_path(xlsx) in store.source_paths():
        store.remove_source(display_path(xlsx))
        log.warning("%s: now a copy of %s; its earlier version was removed from the store", display_path(xlsx),
                    display_path(csv))
    return True


def _answers(path: Path, fmt: str, mapping: Mapping) -> dict[str, list[tuple[str, str]]]:
    """A survey export's answers by respondent id, as the survey reader reads them (bad rows left out). The reader's
    warnings (unmapped columns, encoding) are not given here: reading the file itself gives them, once."""
    reader_log = logging.getLogger(read_survey.__module__)
    level = reader_log.level
    reader_log.setLevel(logging.ERROR)
    try:
        return {row.respondent_id: row.answers
                for rows in read_survey(path, fmt, mapping, 1000, lambda error: None) for row in rows}
    finally:
        reader_log.setLevel(level)


def _state(store: Store, source: SourceFile, meta: dict[str, str]) -> tuple[str, str | None]:
    """What to do with a file found: the store's state of it (``corpus.source_state``), except that a file whose
    manifest row changed is read again, and a file is a copy of another only while that one still holds its text."""
    state, other = store.source_state(source)
    if state == UNCHANGED and _manifest_changed(store, source, meta):
        return CHANGED, None  # a corrected country or date is read again with the file
    if state == NOW_A_COPY and not _still_holds(other, source.sha256):
        return CHANGED, None  # the other file changed too: this one's text is stored under its own name
    return state, other


def _remove_missing(store: Store, paths: list[Path], files: list[Path], summary: IngestSummary) -> None:
    """Remove the stored files under the ingested folders that are gone from them (deleted, or renamed: the new name
    is then ingested as a new file), one line each; their reviews are kept, unlinked. Stored paths are relative to
    the working folder of the run that stored them (``files.display_path``), so a folder's stored files are judged
    only where some of them are named as this run names the files it found there: from another working folder,
    nothing is removed."""
    stored = store.source_paths()
    found = {display_path(f) for f in files}
    for folder in (p for p in paths if p.is_dir()):
        prefix = display_path(folder)
        inside = [s for s in stored if s not in found and _under(s, prefix)]
        if not inside or not found.intersection(s for s in stored if _under(s, prefix)):
            continue
        for gone in (s for s in inside if not Path(s).exists()):
            store.remove_source(gone)
            summary.removed += 1
            log.warning("%s: no longer in %s; removed from the store (its reviews are kept)", gone, prefix)


def _under(stored: str, prefix: str) -> bool:
    """Whether a stored path names a file in the folder whose stored form is ``prefix`` ("." for the working one)."""
    if prefix == ".":
        return not stored.startswith(("/", "../"))
    return stored.startswith(prefix.rstrip("/") + "/")


def _still_holds(stored: str, sha256: str) -> bool:
    """Whether the file stored as ``stored`` still has the content ``sha256`` (it may have changed in this run)."""
    try:
        return file_sha256(Path(stored)) == sha256
    except OSError:
        return False


def _manifest_changed(store: Store, source: SourceFile, meta: dict[str, str]) -> bool:
    """Whether a transcript's manifest row now says other than what was stored from it."""
    if source.kind != DIALOGUE or not meta:
        return False
    stored = store.document_metadata(source.path)
    given = {name: value.replace("\x00", "") for name, value in meta.items()}
    if given.get("language"):
        given["language"] = language_code(given["language"])
    return any(stored.get(name, "") != value for name, value in given.items())


def _skip(summary: IngestSummary, error: InputError) -> None:
    log.warning("%s", error)
    summary.problems.append(str(error))
    if error.row is None:
        summary.skipped += 1
    else:
        summary.rows_skipped += 1


def _parse(
    path: Path, source: SourceFile, segmenter: Segmenter, mapping: Mapping, meta: dict[str, str],
    config: Config, summary: IngestSummary, progress: Progress, skipped: list[str],
) -> Iterator[list[ParsedDocument]]:
    """The file's documents in batches; a survey export's bad rows are reported and added to ``skipped``."""
    def bad_row(error: InputError) -> None:
        _skip(summary, error)
        skipped.append(str(error))

    if source.format in SURVEY_FORMATS:
        with progress.task(f"Reading {source.name}") as task:
            for rows in read_survey(path, source.format, mapping, config.batch_size, bad_row):
                yield segmenter.respondents(rows)
                task.advance(len(rows))
        return
    blocks, found = read_blocks(path, source.format)
    meta = {**found, **meta}
    if meta.get("language"):  # "Spanish", "es-PE" -> "es": one code per language in the store
        meta["language"] = language_code(meta["language"])
    yield [segmenter.dialogue(path.stem, blocks, meta)]
