"""The offline review path: an .xlsx review sheet out of the queue, and loading a filled-in sheet back
(validated row by row; all rows are stored, or none)."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from synthesis.config import Config
from synthesis.errors import InputError, StoreError
from synthesis.review.codebook_edit import codebook_in_use
from synthesis.store import Store
from synthesis.store.reviews import TEXT_CHANGED, NewReview, QueueFilter

COLUMNS = ("segment_id", "base", "country", "language", "source", "document", "text", "model_groups",
           "model_causes", "groups", "causes", "memo", "reviewed")
EDITABLE = ("groups", "causes", "memo", "reviewed")
YES = {"yes", "y", "x", "1", "true"}
MAX_MEMO = 5000
INSTRUCTIONS = (
    "Review sheet. For each row you review: correct the codes in `groups` and `causes` (code ids from the `codes` "
    "sheet, separated by commas; empty means none), add a memo if you like, and put `yes` in `reviewed`. Rows "
    "without `yes` are ignored. Do not edit the other columns. Load it with `synthesis review import FILE "
    "--reviewer NAME`: every row is checked first, and nothing is stored unless all reviewed rows are valid.")


class SheetError(InputError):
    """A review sheet with invalid rows: ``problems`` has one line per row."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        super().__init__(path, f"{len(problems)} problem(s), nothing imported: " + "; ".join(problems[:20]))


def _text(cell_value) -> str:
    return "" if cell_value is None else str(cell_value).strip()


def export_sheet(config: Config, store: Store, path: Path, reviewer: str = "", flt: QueueFilter = QueueFilter(),
                 limit: int = 500) -> int:
    """Write up to ``limit`` queue items (most uncertain first) for ``reviewer`` to ``path``; returns the count."""
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
               ", ".join(item.current.get("groups", [])), ", ".join(item.current.get("causes", [])), "", ""]
        sheet.append(row)
        for cell in sheet[sheet.max_row][1:]:
            cell.data_type = "s"  # untrusted text: never let a leading "=" become a formula
    sheet.freeze_panes = "A2"
    codes = book.create_sheet("codes")
    codes.append(("code", "kind", "label", "description"))
    for code in codebook.codes:
        codes.append((code.id, code.kind, code.label, code.description))
    book.create_sheet("instructions").append((INSTRUCTIONS,))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return len(found)


def _codes(value: str, kind: str, kinds: dict[str, str]) -> tuple[list[str], str | None]:
    codes = [c for c in re.split(r"[,;\s]+", value) if c]
    wrong = [c for c in codes if kinds.get(c) != kind]
    if wrong:
        return [], f"{kind} column: {', '.join(wrong)} not a {kind} code of the codebook"
    return sorted(set(codes)), None


def _stale_row(store: Store, segment_id: int, base: str, reviewer: str, version: str | None) -> str | None:
    """Why a row exported as ``base`` cannot be stored now (see ``Store.stale_reason``), in a sheet's words."""
    try:
        store.review_item(segment_id, version, reviewer)
        stale = store.stale_reason(segment_id, base, reviewer, version)
    except StoreError:
        return f"segment {segment_id} is not in the store (re-ingested since the export?)"
    if stale is TEXT_CHANGED:
        return f"segment {segment_id} has another text since the export (its source was ingested again); export a " \
               "fresh sheet"
    if stale:
        return f"segment {segment_id} was reviewed or re-coded since the export; export a fresh sheet"
    return None


def import_sheet(config: Config, store: Store, path: Path, reviewer: str) -> int:
    """Validate every row marked reviewed, then store them all as ``reviewer``'s reviews in one transaction.
    Raises ``SheetError`` (nothing stored) when any row is invalid or stale; returns the number stored."""
    if not reviewer:
        raise InputError(path, "a reviewer name is needed")
    accounts = sorted(user.name for user in store.list_users())
    if accounts and reviewer not in accounts:  # "Ana" for "ana" would be a reviewer of its own in agreement figures
        raise InputError(path, f"no review app account is named {reviewer!r} (accounts: {', '.join(accounts)}); check "
                               "the spelling, or add it with `synthesis users add`")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        raise InputError(path, f"not a readable .xlsx workbook ({error.__class__.__name__})") from None
    if "review" not in book.sheetnames:
        raise InputError(path, "no sheet named 'review' (write one with `synthesis review export`)")
    rows = book["review"].iter_rows(values_only=True)
    header = tuple(_text(v) for v in next(rows, ()))
    if header[:len(COLUMNS)] != COLUMNS:
        raise InputError(path, f"the header row must be: {', '.join(COLUMNS)}")
    kinds = {c.id: c.kind for c in codebook_in_use(config, store).codebook.codes}
    version = store.model_version_in_use()
    entries, problems = [], []
    rows_of: dict[int, int] = {}  # segment id -> the first row that reviews it
    for number, values in enumerate(rows, 2):
        cells = dict(zip(COLUMNS, (_text(v) for v in values)))
        if cells.get("reviewed", "").lower() not in YES:
            continue
        groups, group_problem = _codes(cells.get("groups", ""), "group", kinds)
        causes, cause_problem = _codes(cells.get("causes", ""), "cause", kinds)
        written = cells.get("segment_id", "")
        segment_id = int(written) if written.isdecimal() and written.isascii() else None
        if segment_id is None:
            problem = "segment_id is not a number"
        elif segment_id in rows_of:
            problem = f"segment {segment_id} is also on row {rows_of[segment_id]}; keep one of the two rows"
        elif len(cells.get("memo", "")) > MAX_MEMO:
            problem = f"memo longer than {MAX_MEMO} characters"
        else:
            problem = group_problem or cause_problem or _stale_row(store, segment_id, cells.get("base", ""), reviewer,
                                                                   version)
        if segment_id is not None:
            rows_of.setdefault(segment_id, number)
        if problem:
            problems.append(f"row {number}: {problem}")
            continue
        entries.append(NewReview(segment_id, reviewer, {"groups": groups, "causes": causes},
                                 cells.get("memo", ""), cells.get("base")))
    if problems:
        raise SheetError(path, problems)
    try:
        store.add_reviews(entries, version)
    except StoreError as error:  # a review saved in the app between the check and now
        raise SheetError(path, [str(error)]) from None
    return len(entries)
