"""The offline review path: an .xlsx review sheet out of the queue, and loading a filled-in sheet back
(validated row by row; all rows are stored, or none). How cells are written and read is in ``sheet_cells``."""

from __future__ import annotations

import os
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, Protection

from synthesis.config import Config
from synthesis.errors import InputError, StoreError
from synthesis.review.codebook_edit import codebook_in_use
from synthesis.review.sheet_cells import CodeReader, cell_text, reviewed_mark, same_text
from synthesis.store import Store
from synthesis.store.reviews import ADJUDICATED, SHOWN_CHANGED, TEXT_CHANGED, NewReview, QueueFilter

COLUMNS = ("segment_id", "base", "country", "language", "source", "document", "text", "model_groups",
           "model_causes", "groups", "causes", "memo", "reviewed")
EDITABLE = ("groups", "causes", "memo", "reviewed")
MAX_MEMO = 5000
INSTRUCTIONS = (
    "Review sheet. For each row you review: correct the codes in `groups` and `causes` (code ids or labels from the "
    "`codes` sheet, separated by commas; empty means none), add a memo if you like, and put `yes` in `reviewed` (x, "
    "done, ok, oui and sí do too). Rows not marked are not stored. Only those four columns can be edited, and the "
    "sheet cannot be sorted: a sort of some columns would move your codes onto other rows (unprotect the sheet only "
    "to sort whole rows). Load it with `synthesis review import FILE --reviewer NAME`: every row is checked first, "
    "nothing is stored unless all reviewed rows are valid, and rows imported before are skipped, so a sheet can be "
    "imported again.")
_BASE = re.compile(r"\d+:\S")  # what a base token starts with (see ``synthesis.store.reviews._token``)
_ALREADY = "already imported"


class SheetError(InputError):
    """A review sheet with invalid rows: ``problems`` has one line per row."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        super().__init__(path, f"{len(problems)} problem(s), nothing imported: " + "; ".join(problems[:20]))


@dataclass(frozen=True)
class SheetImport:
    """What ``import_sheet`` did, by the sheet's row numbers."""

    stored: int
    already: tuple[int, ...] = ()  # marked rows whose review the store holds already (an earlier import): skipped
    unmarked: tuple[int, ...] = ()  # rows whose codes or memo were edited but that are not marked reviewed: left out


def _text(cell_value) -> str:
    return "" if cell_value is None else str(cell_value).strip()


def _check_account(store: Store, reviewer: str, path: Path) -> None:
    accounts = sorted(user.name for user in store.list_users())
    if accounts and reviewer not in accounts:  # "Ana" for "ana" would be a reviewer of its own in agreement figures
        raise InputError(path, f"no review app account is named {reviewer!r} (accounts: {', '.join(accounts)}); check "
                               "the spelling, or add it with `synthesis users add`")


def export_sheet(config: Config, store: Store, path: Path, reviewer: str = "", flt: QueueFilter = QueueFilter(),
                 limit: int = 500, force: bool = False) -> int:
    """Write up to ``limit`` queue items (most uncertain first) for ``reviewer`` to ``path``; returns the count.
    An existing file is replaced only with ``force`` (it may be a sheet someone filled in)."""
    _check_target(path, force)
    if reviewer:  # a queue for a misspelt name holds the items the real account reviewed already
        _check_account(store, reviewer, path)
    codebook = codebook_in_use(config, store).codebook
    version = store.model_version_in_use()
    found = store.review_queue(version, reviewer, flt, config.double_review_share, config.seed, limit=limit)
    book = Workbook()
    sheet = book.active
    sheet.title = "review"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for segment_id, _ in found:
        item = store.review_item(segment_id, version, reviewer)
        chosen = [p for p in item.predictions if p.selected]
        row = [segment_id, item.base, item.country, item.language, item.document_kind, item.document_title, item.text,
               ", ".join(f"{p.code} ({p.score:.2f})" for p in chosen if p.kind == "group"),
               ", ".join(f"{p.code} ({p.score:.2f})" for p in chosen if p.kind == "cause"),
               ", ".join(item.current.get("groups", [])), ", ".join(item.current.get("causes", [])), item.memo, ""]
        sheet.append([cell_text(v) if isinstance(v, str) else v for v in row])
        for cell in sheet[sheet.max_row][1:]:
            cell.data_type = "s"  # untrusted text: never let a leading "=" become a formula
            if COLUMNS[cell.column - 1] in EDITABLE:
                cell.number_format = "@"  # what reviewers type stays text ("3/4" in a memo is no date)
                cell.protection = Protection(locked=False)
    sheet.freeze_panes = "A2"
    # Protected (no password), with only the editable cells open: sorting is locked, as a sort of some columns only
    # (the editable ones, which say nothing of their row) would move a reviewer's codes onto other rows. Columns
    # and rows may still be resized.
    sheet.protection.sheet = True
    sheet.protection.sort = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False
    codes = book.create_sheet("codes")
    codes.append(("code", "kind", "label", "description"))
    for code in codebook.codes:
        codes.append((code.id, code.kind, cell_text(code.label), cell_text(code.description)))
    book.create_sheet("instructions").append((INSTRUCTIONS,))
    _save(book, path, force)
    return len(found)


def _check_target(path: Path, force: bool) -> None:
    """Refuse, before the queue is built, a place a sheet cannot or should not be written to."""
    if path.is_dir():
        raise InputError(path, "is a folder; give the .xlsx file to write")
    if path.suffix.casefold() != ".xlsx":
        raise InputError(path, "a review sheet is an .xlsx workbook: give a file name ending in .xlsx")
    if path.exists() and not force:
        raise InputError(path, "exists already (a sheet filled in there would be lost); import it first, or use "
                               "--force to replace it")
    for folder in path.parents:
        if folder.exists():
            if not folder.is_dir():
                raise InputError(path, f"cannot be written: {folder} is a file, not a folder")
            break


def _save(book: Workbook, path: Path, force: bool) -> None:
    """Save through a hidden file beside ``path``, renamed into place: a failed save leaves no broken sheet there."""
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(partial)
        if path.exists() and not force:  # written by someone else while the queue was read
            raise InputError(path, "exists already; use --force to replace it")
        os.replace(partial, path)
    except OSError as error:
        raise InputError(path, f"cannot be written ({error.strerror or error.__class__.__name__})") from None
    finally:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass


def _check_source(path: Path) -> None:
    """Refuse, with a reason a reviewer can act on, a file that is not an .xlsx workbook."""
    if path.is_dir():
        raise InputError(path, "is a folder, not a review sheet")
    if not path.exists():
        raise InputError(path, "no such file")
    suffix = path.suffix.casefold()
    other = {".csv": "a CSV file", ".tsv": "a tab-separated file", ".ods": "an OpenDocument (.ods) spreadsheet",
             ".xls": "an Excel 97-2003 (.xls) workbook", ".numbers": "a Numbers spreadsheet"}.get(suffix)
    if other is None and not zipfile.is_zipfile(path):
        other = "not a readable .xlsx workbook (a CSV or text file renamed?)"
    elif other is None:
        with zipfile.ZipFile(path) as archive:
            if "mimetype" in archive.namelist() and b"opendocument" in archive.read("mimetype"):
                other = "an OpenDocument spreadsheet renamed .xlsx"
    if other:
        raise InputError(path, f"{other}: save the sheet as .xlsx (Excel Workbook), keeping its sheet named review, "
                               "and import that")


def _sheet_rows(path: Path) -> list[tuple[int, dict[str, str], object]]:
    """The data rows of a sheet: (row number, cells by column, the `reviewed` cell's value as read)."""
    _check_source(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        raise InputError(path, f"not a readable .xlsx workbook ({error.__class__.__name__})") from None
    try:
        if "review" not in book.sheetnames:
            raise InputError(path, "no sheet named 'review' (write one with `synthesis review export`)")
        sheet = book["review"]
        # read-only mode stops at the size the writing program recorded, which some record too small
        sheet.reset_dimensions()
        try:  # sheets are parsed as they are read: damage shows here, not when the workbook opens
            values = list(sheet.iter_rows(min_row=1, values_only=True))
        except Exception as error:  # the XML parser's and openpyxl's many types
            raise InputError(path, f"not a readable .xlsx workbook ({error.__class__.__name__})") from None
    finally:
        book.close()
    header = tuple(_text(v) for v in (values[0] if values else ()))
    if header[:len(COLUMNS)] != COLUMNS:
        raise InputError(path, f"the header row must be: {', '.join(COLUMNS)}")
    marked = COLUMNS.index("reviewed")
    return [(number, dict(zip(COLUMNS, (_text(v) for v in row))), row[marked] if len(row) > marked else None)
            for number, row in enumerate(values[1:], 2)]


def _segment_id(written: str) -> int | None:
    return int(written) if written.isdecimal() and written.isascii() else None


def _labels(labels: dict) -> dict:
    return {"groups": sorted(labels.get("groups", [])), "causes": sorted(labels.get("causes", []))}


def _against_store(store: Store, segment_id: int, cells: dict[str, str], labels: dict, reviewer: str,
                   version: str | None) -> str | None:
    """Why a marked row cannot be stored now (``_ALREADY`` where the store holds its review already), or None."""
    base = cells.get("base", "")
    try:
        item = store.review_item(segment_id, version, reviewer)
        stale = store.stale_reason(segment_id, base, reviewer, version) if _BASE.match(base) else None
    except StoreError:
        return f"segment {segment_id} is not a unit segment of the store (segment_id edited, or its source ingested " \
               "again since the export?)"
    if not same_text(cells.get("text", ""), item.text):
        if stale == TEXT_CHANGED:
            return f"segment {segment_id} has another text since the export (its source was ingested again); export " \
                   "a fresh sheet"
        return f"the text is not segment {segment_id}'s (were the rows sorted with only some columns selected?); " \
               "sort whole rows, or export a fresh sheet"
    if not base:
        return "the base cell is empty; it must keep what the export wrote (undo the change, or export a fresh sheet)"
    if stale == TEXT_CHANGED or not _BASE.match(base):
        return f"the base cell was changed (it is not segment {segment_id}'s); it must keep what the export wrote"
    if not stale:
        return None
    own = [r for r in store.review_history(segment_id) if r.reviewer == reviewer]
    if own and _labels(own[-1].labels) == labels and own[-1].memo == cells.get("memo", ""):
        return _ALREADY
    if stale == SHOWN_CHANGED:
        return f"you stored another review of segment {segment_id} since the export (in the app, or from a sheet); " \
               "clear this row's reviewed cell to keep that one, or export a fresh sheet"
    if stale == ADJUDICATED:
        return f"an admin adjudicated segment {segment_id} since the export; clear this row's reviewed cell, or " \
               "export a fresh sheet"
    return f"the model codes segment {segment_id} otherwise since the export (retrained?); clear this row's " \
           "reviewed cell, or export a fresh sheet"


def _edited(store: Store, cells: dict[str, str], reader: CodeReader, reviewer: str, version: str | None) -> bool:
    """Whether an unmarked row's codes or memo differ from what the export wrote (the codes it starts from, and the
    reviewer's own memo)."""
    segment_id = _segment_id(cells.get("segment_id", ""))
    if segment_id is None:
        return bool(cells.get("memo"))
    try:
        item = store.review_item(segment_id, version, reviewer)
    except StoreError:
        return bool(cells.get("memo"))
    groups, group_problem = reader.read(cells.get("groups", ""), "group")
    causes, cause_problem = reader.read(cells.get("causes", ""), "cause")
    return (bool(group_problem or cause_problem) or {"groups": groups, "causes": causes} != _labels(item.current)
            or cells.get("memo", "").strip() != cell_text(item.memo).strip())


def import_sheet(config: Config, store: Store, path: Path, reviewer: str) -> SheetImport:
    """Validate every row marked reviewed, then store them all as ``reviewer``'s reviews in one transaction.
    Raises ``SheetError`` (nothing stored) when any row is invalid or stale, ``InputError`` when no row is marked."""
    if not reviewer:
        raise InputError(path, "a reviewer name is needed")
    _check_account(store, reviewer, path)
    rows = _sheet_rows(path)
    reader = CodeReader(codebook_in_use(config, store).codebook.codes)
    version = store.model_version_in_use()
    entries, problems, already, unmarked = [], [], [], []
    rows_of: dict[int, int] = {}  # segment id -> the first row that reviews it
    for number, cells, written in rows:
        done = reviewed_mark(written)
        if done is None:
            problems.append(f"row {number}: reviewed is {_text(written)!r}; write yes to store the row, or leave it "
                            "empty")
            continue
        if not done:
            # Reported, not refused: the edits stay in the sheet, to be marked and imported later, and a sheet
            # with rows still in progress can be imported. Dropping them unsaid is what loses work.
            if _edited(store, cells, reader, reviewer, version):
                unmarked.append(number)
            continue
        groups, group_problem = reader.read(cells.get("groups", ""), "group")
        causes, cause_problem = reader.read(cells.get("causes", ""), "cause")
        segment_id = _segment_id(cells.get("segment_id", ""))
        memo = cells.get("memo", "")
        if segment_id is None:
            problem = "segment_id is not a number"
        elif segment_id in rows_of:
            problem = f"segment {segment_id} is also on row {rows_of[segment_id]}; keep one of the two rows"
        elif len(memo) > MAX_MEMO:
            problem = f"memo longer than {MAX_MEMO} characters"
        else:
            problem = group_problem or cause_problem or _against_store(
                store, segment_id, cells, {"groups": groups, "causes": causes}, reviewer, version)
        if segment_id is not None:
            rows_of.setdefault(segment_id, number)
        if problem == _ALREADY:
            already.append(number)
        elif problem:
            problems.append(f"row {number}: {problem}")
        else:
            entries.append(NewReview(segment_id, reviewer, {"groups": groups, "causes": causes}, memo,
                                     cells.get("base")))
    if problems:
        raise SheetError(path, problems)
    if not entries and not already:
        edited = f" ({len(unmarked)} rows have edited codes or memo: {', '.join(map(str, unmarked[:10]))}" \
                 f"{', ...' if len(unmarked) > 10 else ''})" if unmarked else ""
        raise InputError(path, f"no row is marked reviewed{edited}, nothing imported; write yes in the reviewed cell "
                               "of each row to store")
    try:
        store.add_reviews(entries, version)
    except StoreError as error:  # a review saved in the app between the check and now
        raise SheetError(path, [str(error)]) from None
    return SheetImport(len(entries), tuple(already), tuple(unmarked))
