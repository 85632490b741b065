"""The offline review sheet (``synthesis.review.sheets``) through `synthesis review export|import`: what a reviewer
does to a sheet in Excel or LibreOffice, and what the import makes of it."""

from __future__ import annotations

import re
import zipfile

from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import fill_review_sheet as _fill
from synthesis.cli import app
from synthesis.review.sheets import COLUMNS, EDITABLE
from synthesis.store import Store

runner = CliRunner()


def _export(url: str, sheet, *options: str) -> list[list]:
    result = runner.invoke(app, ["review", "export", "--xlsx", str(sheet), "--db", url, *options])
    assert result.exit_code == 0, result.output
    return [[c.value for c in row] for row in load_workbook(sheet)["review"].iter_rows(min_row=2)]


def _import(url: str, sheet, reviewer: str = "o"):
    return runner.invoke(app, ["review", "import", str(sheet), "--reviewer", reviewer, "--db", url])


def _reviews(url: str, rows: list[list]) -> dict[int, list]:
    with Store(url) as store:
        return {row[0]: store.review_history(row[0]) for row in rows}


def test_a_sort_of_some_columns_is_refused_and_stores_nothing(coded_store_url, tmp_path):
    # sorting columns C:M only ("continue with the current selection") moved each row's text and codes away from its
    # segment_id and base: every row was stored, on the wrong segment
    sheet = tmp_path / "review.xlsx"
    rows = _export(coded_store_url, sheet, "--limit", "3")
    text = COLUMNS.index("text")
    _fill(sheet, {1: {"text": rows[1][text], "groups": "children", "reviewed": "yes"},
                  2: {"text": rows[0][text], "groups": "youth", "reviewed": "yes"}, 3: {"reviewed": "yes"}})
    result = _import(coded_store_url, sheet)
    assert result.exit_code == 1
    assert f"row 2: the text is not segment {rows[0][0]}'s (were the rows sorted with only some columns selected?)" \
           in result.output
    assert f"row 3: the text is not segment {rows[1][0]}'s" in result.output and "row 4" not in result.output
    assert all(history == [] for history in _reviews(coded_store_url, rows).values())
    # a sort of whole rows keeps each text with its segment: the rows import
    _fill(sheet, {1: {"text": rows[0][text]}, 2: {"text": rows[1][text]}})
    assert _import(coded_store_url, sheet).exit_code == 0


def test_the_sheet_cannot_be_sorted_and_only_the_editable_cells_are_open(coded_store_url, tmp_path):
    # a sort of the editable columns only (groups ... reviewed) moves codes onto other rows with nothing in the row to
    # tell: the sheet is protected against sorting, and only the cells a reviewer fills in are unlocked
    sheet = tmp_path / "review.xlsx"
    _export(coded_store_url, sheet, "--limit", "3")
    review = load_workbook(sheet)["review"]
    assert review.protection.sheet and review.protection.sort and not review.protection.formatColumns
    header = [c.value for c in review[1]]
    for column in COLUMNS:
        assert review.cell(row=2, column=header.index(column) + 1).protection.locked is (column not in EDITABLE)


def test_the_usual_marks_of_a_reviewed_row_count_and_an_unknown_one_is_an_error(coded_store_url, tmp_path):
    # only yes/y/x/1/true counted: "done", "oui", "✓" and the like dropped the row without a word
    sheet = tmp_path / "review.xlsx"
    marks = ["done", "OK.", "✓", "oui", "Sí", " Yes! ", "✔", "maybe"]
    rows = _export(coded_store_url, sheet, "--limit", str(len(marks)))
    _fill(sheet, {number: {"groups": "children", "reviewed": mark} for number, mark in enumerate(marks, 1)})
    result = _import(coded_store_url, sheet)
    assert result.exit_code == 1
    assert "row 9: reviewed is 'maybe'; write yes to store the row, or leave it empty" in result.output
    assert all(history == [] for history in _reviews(coded_store_url, rows).values())
    _fill(sheet, {len(marks): {"reviewed": "non"}})  # a "no" in French: not reviewed, yet edited, so reported
    result = _import(coded_store_url, sheet)
    assert result.exit_code == 0, result.output
    assert f"{len(marks) - 1} reviews imported" in result.output
    assert "row 9: its codes or memo were edited but it is not marked reviewed" in result.output


def test_edited_rows_left_unmarked_are_reported_and_a_sheet_without_marks_imports_nothing(coded_store_url, tmp_path):
    # corrections made without a mark in `reviewed` gave "0 reviews imported", exit 0
    sheet = tmp_path / "review.xlsx"
    rows = _export(coded_store_url, sheet, "--limit", "4")
    _fill(sheet, {1: {"groups": "children, youth"}, 2: {"memo": "check the translation"}})
    result = _import(coded_store_url, sheet)
    assert result.exit_code == 1
    assert re.search(r"no row is marked reviewed \(2 rows have edited codes or memo: 2, 3\), nothing imported",
                     result.output)
    _fill(sheet, {3: {"reviewed": "yes"}})
    result = _import(coded_store_url, sheet)
    assert result.exit_code == 0, result.output
    assert "1 reviews imported" in result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert [w.split(":")[1] for w in warnings] == [f" {sheet} row 2", f" {sheet} row 3"]
    assert "row 5" not in result.output  # a row left as exported is no edit
    assert _reviews(coded_store_url, rows)[rows[2][0]][0].reviewer == "o"


def test_rows_past_the_size_a_program_recorded_are_read(coded_store_url, tmp_path):
    # openpyxl's read-only mode trusts the sheet's <dimension>: rows below a stale one were never read, and "A1" made
    # the header look wrong
    sheet = tmp_path / "review.xlsx"
    rows = _export(coded_store_url, sheet, "--limit", "5")
    _fill(sheet, {number: {"reviewed": "yes"} for number in range(1, 6)})
    for recorded in ("A1:M3", "A1"):
        stale = tmp_path / f"stale-{recorded.replace(':', '')}.xlsx"
        with zipfile.ZipFile(sheet) as source, zipfile.ZipFile(stale, "w") as target:
            for item in source.infolist():
                data = source.read(item)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{recorded}"'.encode(), data)
                target.writestr(item, data)
        assert f'<dimension ref="{recorded}"'.encode() in zipfile.ZipFile(stale).read("xl/worksheets/sheet1.xml")
        result = _import(coded_store_url, stale, reviewer=f"r{len(recorded)}")
        assert result.exit_code == 0, result.output
        assert "5 reviews imported" in result.output
    assert all(len(history) == 2 for history in _reviews(coded_store_url, rows).values())


def test_a_sheet_imported_again_skips_the_rows_stored_before(coded_store_url, tmp_path):
    # after a partial import, every row imported before was "reviewed or re-coded since the export": the whole sheet,
    # with the rows reviewed since, was refused
    sheet = tmp_path / "review.xlsx"
    rows = _export(coded_store_url, sheet, "--limit", "4")
    _fill(sheet, {1: {"groups": "children", "memo": "first pass", "reviewed": "yes"}, 2: {"reviewed": "yes"}})
    assert "2 reviews imported" in _import(coded_store_url, sheet).output
    _fill(sheet, {3: {"causes": "governance", "reviewed": "yes"}})
    result = _import(coded_store_url, sheet)
    assert result.exit_code == 0, result.output
    assert "1 reviews imported from" in result.output and "(2 rows imported before were skipped)" in result.output
    assert [len(history) for history in _reviews(coded_store_url, rows).values()] == [1, 1, 1, 0]
    # a row changed since it was imported is still refused: its first review would be overwritten unseen
    _fill(sheet, {1: {"groups": "youth"}, 4: {"reviewed": "yes"}})
    result = _import(coded_store_url, sheet)
    assert result.exit_code == 1
    assert f"row 2: you stored another review of segment {rows[0][0]} since the export" in result.output
    assert [len(history) for history in _reviews(coded_store_url, rows).values()] == [1, 1, 1, 0]


def test_control_characters_are_left_out_of_the_sheet_and_the_row_still_imports(coded_store_url, tmp_path):
    # openpyxl refused them: one such text (pasted into a survey, pulled out of a PDF) stopped the export
    from synthesis.config import Config
    from synthesis.ingest import ingest_paths

    source = tmp_path / "pasted.txt"
    source.write_text("Women\x08 and girls in remote villages\x1b[0m are excluded \x02from services.\n")
    with Store(coded_store_url) as store:
        ingest_paths([source], store, Config(db_url=coded_store_url))
    sheet = tmp_path / "review.xlsx"
    rows = _export(coded_store_url, sheet, "--limit", "1000")
    text = COLUMNS.index("text")
    (number,) = [n for n, row in enumerate(rows, 1) if str(row[text]).startswith("Women and girls in remote")]
    assert rows[number - 1][text] == "Women and girls in remote villages[0m are excluded from services."
    _fill(sheet, {number: {"groups": "women_girls, rural_remote", "reviewed": "yes"}})
    result = _import(coded_store_url, sheet)
    assert result.exit_code == 0, result.output
    (review,) = _reviews(coded_store_url, [rows[number - 1]])[rows[number - 1][0]]
    assert review.labels["groups"] == ["rural_remote", "women_girls"]


def test_export_never_replaces_a_file_unasked_and_bad_places_are_one_line_errors(coded_store_url, tmp_path):
    # a filled-in sheet was overwritten in silence; a folder, a path under a file or another name gave tracebacks
    sheet = tmp_path / "review.xlsx"
    _export(coded_store_url, sheet, "--limit", "2")
    _fill(sheet, {1: {"reviewed": "yes"}})
    again = runner.invoke(app, ["review", "export", "--xlsx", str(sheet), "--limit", "2", "--db", coded_store_url])
    assert again.exit_code == 1
    assert again.output.strip() == f"error: {sheet}: exists already (a sheet filled in there would be lost); " \
                                   "import it first, or use --force to replace it"
    assert load_workbook(sheet)["review"]["M2"].value == "yes"
    rows = _export(coded_store_url, sheet, "--limit", "2", "--force")
    assert [row[-1] for row in rows] == [None, None]
    (tmp_path / "folder.xlsx").mkdir()
    for place, reason in ((tmp_path / "folder.xlsx", "is a folder"),
                          (sheet / "under.xlsx", f"cannot be written: {sheet} is a file, not a folder"),
                          (tmp_path / "review.csv", "give a file name ending in .xlsx")):
        result = runner.invoke(app, ["review", "export", "--xlsx", str(place), "--db", coded_store_url])
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
        assert len(result.output.splitlines()) == 1 and reason in result.output, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.xlsx", "project.sqlite", "review.xlsx"]


def test_codes_by_label_or_in_any_case_and_errors_that_say_what_to_do(coded_store_url, tmp_path):
    # a label was split into words ("Women, and, girls"), a wrong case was an unknown code, a cleared base was
    # "reviewed or re-coded since the export", and every other file was "not a readable .xlsx workbook"
    sheet = tmp_path / "review.xlsx"
    rows = _export(coded_store_url, sheet, "--limit", "6")
    _fill(sheet, {1: {"groups": "Women and girls; Refugees, displaced people and migrants", "reviewed": "yes"},
                  2: {"groups": "CHILDREN (0.96), Youth", "causes": "governance", "reviewed": "yes"},
                  3: {"groups": "Women_Girl", "reviewed": "yes"},
                  4: {"groups": "governance", "reviewed": "yes"},
                  5: {"base": "", "reviewed": "yes"}})
    result = _import(coded_store_url, sheet)
    assert result.exit_code == 1
    assert "row 4: groups: 'Women_Girl' is not a group code or label of the codebook (did you mean women_girls?)" \
           in result.output
    assert "row 5: groups: governance is a cause code; put it in the causes column" in result.output
    assert "row 6: the base cell is empty; it must keep what the export wrote" in result.output
    assert "row 2" not in result.output and "row 3" not in result.output
    _fill(sheet, {3: {"reviewed": ""}, 4: {"reviewed": ""}, 5: {"base": rows[4][1]}})
    assert _import(coded_store_url, sheet).exit_code == 0
    reviews = _reviews(coded_store_url, rows)
    assert reviews[rows[0][0]][0].labels["groups"] == ["displaced_migrants", "women_girls"]
    assert reviews[rows[1][0]][0].labels == {"groups": ["children", "youth"], "causes": ["governance"]}
    (tmp_path / "review.csv").write_text("segment_id,base\n")
    (tmp_path / "folder.xlsx").mkdir()
    for path, reason in ((tmp_path / "gone.xlsx", "no such file"), (tmp_path / "folder.xlsx", "is a folder"),
                         (tmp_path / "review.csv", "a CSV file: save the sheet as .xlsx")):
        result = _import(coded_store_url, path)
        assert result.exit_code == 1 and result.output.strip().startswith(f"error: {path}: {reason}"), result.output


def test_export_for_a_reviewer_without_an_account_is_refused(coded_store_url, tmp_path):
    # a queue for "Anna" held the items "ana" had reviewed, and the typo showed only at import
    from synthesis.review import auth

    with Store(coded_store_url) as store:
        auth.add_user(store, "ana", "reviewer", "correct horse battery")
    sheet = tmp_path / "review.xlsx"
    result = runner.invoke(app, ["review", "export", "--xlsx", str(sheet), "--reviewer", "Anna", "--db",
                                 coded_store_url])
    assert result.exit_code == 1 and "no review app account is named 'Anna' (accounts: ana)" in result.output
    assert not sheet.exists()
    _export(coded_store_url, sheet, "--reviewer", "ana", "--limit", "1")
