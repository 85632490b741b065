"""Every bad input gets one clear line naming the file (and row) and the reason; the rest is ingested."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from conftest import FIXTURES, make_pdf, write_survey_csv
from synthesis.config import Config
from synthesis.ingest import ingest_paths
from synthesis.store import Store
from synthesis.store.schema import documents, respondents, segments, sources


def _ingest(paths, url):
    with Store(url) as store:
        return ingest_paths(paths, store, Config(db_url=url))


def _make_encrypted_pdf(path):
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(path.with_name("plain.pdf"), ["Confidential minutes of the dialogue."])
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    with open(path, "wb") as handle:
        writer.write(handle)
    plain.unlink()
    return path


def _make_scanned_pdf(path):
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path))
    page.rect(50, 50, 400, 600, fill=1)  # an image-like page with no text layer
    page.showPage()
    page.save()
    return path


BAD_FILES = {
    "empty.txt": (lambda p: p.write_bytes(b""), "empty file (0 bytes)"),
    "corrupt.docx": (lambda p: p.write_bytes(b"PK\x03\x04 this is not really a zip"), "not a readable .docx"),
    "corrupt.pdf": (lambda p: p.write_bytes(b"%PDF-1.4\n garbage without objects"), "not a readable PDF"),
    "locked.pdf": (_make_encrypted_pdf, "encrypted PDF"),
    "scanned.pdf": (_make_scanned_pdf, "no text layer"),
    "notes.rtf": (lambda p: p.write_text("{\\rtf1 hello}"), "unsupported file type '.rtf'"),
    "huge.txt": (lambda p: open(p, "wb").truncate(60 * 1024 * 1024), "over the 20 MB limit"),
    "no_columns.csv": (lambda p: p.write_text("name,comment\nA,B\n", encoding="utf-8"), "missing required column"),
    "blank.md": (lambda p: p.write_text("\n\n   \n", encoding="utf-8"), "no text found"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_skipped_with_one_clear_line_and_the_rest_is_ingested(tmp_path, sqlite_url, name, caplog):
    make, reason = BAD_FILES[name]
    bad = tmp_path / name
    make(bad)
    summary = _ingest([bad, FIXTURES / "dialogue.txt"], sqlite_url)
    assert (summary.ingested, summary.skipped) == (1, 1)
    [problem] = summary.problems
    assert problem.startswith(str(bad)) and reason in problem, problem
    assert "\n" not in problem and "Traceback" not in problem
    assert any(problem in record.getMessage() for record in caplog.records)
    with Store(sqlite_url) as store, store.engine.connect() as connection:
        assert connection.execute(select(sources.c.name)).scalars().all() == ["dialogue.txt"]


def test_missing_path(tmp_path, sqlite_url):
    summary = _ingest([tmp_path / "nowhere.docx", FIXTURES / "dialogue.md"], sqlite_url)
    assert summary.problems == [f"{tmp_path / 'nowhere.docx'}: no such file or folder"]
    assert (summary.ingested, summary.skipped) == (1, 1)


def test_cp1252_csv_is_read_with_its_accents(tmp_path, sqlite_url, caplog):
    path = write_survey_csv(tmp_path / "latin.csv", [
        ["1", "Español", "Perú", "Mujer", "40-60", "Las niñas indígenas", "Discriminación"],
        ["2", "Français", "Sénégal", "Femme", "20-40", "Les élèves handicapés", "Pauvreté"],
    ], encoding="cp1252")
    summary = _ingest([path], sqlite_url)
    assert summary.ok and summary.documents == 2
    assert "not UTF-8; read as cp1252" in caplog.text
    with Store(sqlite_url) as store, store.engine.connect() as connection:
        texts = connection.execute(select(segments.c.text).where(segments.c.kind == "answer")).scalars().all()
        countries = connection.execute(select(respondents.c.country)).scalars().all()
    assert "Las niñas indígenas" in texts and "Les élèves handicapés" in texts
    assert sorted(countries) == ["Perú", "Sénégal"]


def test_rows_with_wrong_field_counts_or_duplicate_ids_are_skipped_with_their_row(tmp_path, sqlite_url):
    path = write_survey_csv(tmp_path / "rows.csv", [
        ["1", "English", "Kenya", "Female", "40-60", "Pastoralist women", "Drought"],
        ["2", "English", "Kenya", "Male"],
        ["3", "English", "Kenya", "Male", "20-40", "Youth", "No jobs", "EXTRA"],
        ["1", "English", "Kenya", "Female", "40-60", "Again", "Again"],
        ["4", "English", "Uganda", "Female", "60-80", "Refugees", "Conflict"],
    ])
    summary = _ingest([path], sqlite_url)
    assert summary.documents == 2 and summary.rows_skipped == 3 and not summary.ok
    assert summary.problems == [
        f"{path} row 4: 4 fields, expected 7; row skipped",
        f"{path} row 5: 8 fields, expected 7; row skipped",
        f"{path} row 6: duplicate respondent id 1; row skipped",
    ]
    # ingested again unchanged, the skipped rows are said again (before: "1 unchanged", exit 0, the rows forgotten)
    again = _ingest([path], sqlite_url)
    assert again.unchanged == 1 and again.rows_skipped == 3 and not again.ok
    assert again.problems == summary.problems


def test_a_failing_file_keeps_its_previously_stored_version(tmp_path, sqlite_url):
    path = tmp_path / "minutes.docx"
    from conftest import make_docx

    make_docx(path, "Minutes", [("Country", "Fiji")], [("p", "Outer-island communities lost their gardens.")])
    _ingest([path], sqlite_url)
    path.write_bytes(b"PK\x03\x04 broken")
    summary = _ingest([path], sqlite_url)
    assert summary.skipped == 1
    with Store(sqlite_url) as store, store.engine.connect() as connection:
        texts = connection.execute(select(segments.c.text).where(segments.c.kind == "paragraph")).scalars().all()
    assert texts == ["Outer-island communities lost their gardens."]


def test_nul_characters_and_long_values_are_stored_on_every_backend(tmp_path, store_url):
    # PostgreSQL refuses NUL characters and values over a column's declared length; SQLite took both
    export = write_survey_csv(tmp_path / "nul.csv", [
        ["30\x0001", "Kiswahili", "Ke\x00nya", "Prefer not to say / non-binary", "between twenty and forty years",
         "Older\x00 people", "\x00"],
    ])
    transcript = tmp_path / "dialogues" / "ken.txt"
    transcript.parent.mkdir()
    transcript.write_text("Kenya dialogue\n=====\n\nCountry: Ke\x00nya\nDate: 12 to 14 March 2017, in Nairobi and "
                          "Garissa (two sessions)\n\nRefugees are\x00 left behind.\n", encoding="utf-8")
    (transcript.parent / "manifest.csv").write_text("file,organisation\nken.txt,Org\x00X\n", encoding="utf-8")
    summary = _ingest([export, transcript], store_url)
    assert summary.ok and summary.documents == 2
    with Store(store_url) as store, store.engine.connect() as connection:
        texts = connection.execute(select(segments.c.text).where(segments.c.kind.in_(["answer", "paragraph"]))).scalars().all()
        people = connection.execute(select(respondents.c.country, respondents.c.gender, respondents.c.age_band,
                                           respondents.c.language)).all()
        dates = connection.execute(select(documents.c.key, documents.c.country, documents.c.date,
                                          documents.c.organisation)).all()
    assert sorted(texts) == ["Older people", "Refugees are left behind."]
    assert people == [("Kenya", "Prefer not to say / non-binary", "between twenty and forty years", "Kiswahili")]
    assert sorted(dates) == [("3001", "Kenya", "", ""), ("ken", "Kenya", "12 to 14 March 2017, in Nairobi and "
                                                                          "Garissa (two sessions)", "OrgX")]


def _csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_blank_line_or_a_short_row_after_the_header_is_no_traceback(tmp_path, sqlite_url):
    # both raised an IndexError that stopped the whole run
    blank = _csv(tmp_path / "blank.csv", "Respondent ID,Country,groups\n\n1,Peru,Widows\n")
    short = _csv(tmp_path / "short.csv", "Country,groups,Respondent ID\nPeru\n2,Chile,Youth\n")
    summary = _ingest([blank, short, FIXTURES / "dialogue.txt"], sqlite_url)
    assert summary.ingested == 3 and summary.problems == [f"{short} row 2: 1 fields, expected 3; row skipped"]


def test_blank_rows_are_no_problems(tmp_path, sqlite_url):
    # each made a "0 fields" row error, so every run exited with a failure
    export = _csv(tmp_path / "export.csv", "Respondent ID,Country,groups\n1,Peru,Widows\n"
                                           "\n , ,\n2,Chile,Youth\n\n\n")
    summary = _ingest([export], sqlite_url)
    assert summary.ok and summary.documents == 2


def test_only_the_delimiter_of_a_csv_is_guessed(tmp_path, sqlite_url):
    # a guessed quote character (an answer 'in single quotes') made a standard row "5 fields"; with no quoted field
    # near the top, doubled quotes further down were kept doubled
    quoted = _csv(tmp_path / "quoted.csv", "Respondent ID,Country,groups,why\n1,Peru,'Los olvidados',pobreza\n"
                                           "2,Peru,\"Mujeres, niñas y ancianos\",falta de servicios\n")
    rows = "".join(f"{i},Ghana,Older people in village {i},no transport\n" for i in range(3, 1200))
    late = _csv(tmp_path / "late.csv", "Respondent ID,Country,groups,why\n" + rows +
                '5000,Ghana,"Widows, who are told ""you own nothing"" by in-laws",custom\n')
    summary = _ingest([quoted, late], sqlite_url)
    assert summary.ok and summary.documents == 2 + 1197 + 1
    with Store(sqlite_url) as store, store.engine.connect() as connection:
        texts = set(connection.execute(select(segments.c.text)).scalars())
    assert {"'Los olvidados'", "Mujeres, niñas y ancianos", 'Widows, who are told "you own nothing" by in-laws'} <= texts


@pytest.mark.parametrize("damage, reason", [
    ("sheet", "not a readable .xlsx workbook: ParseError"),
    ("no sheet", "the workbook has no worksheet"),
])
def test_a_damaged_workbook_is_one_line(tmp_path, sqlite_url, damage, reason):
    # the sheet's XML is parsed while rows are read, outside the check made when the workbook opens
    import zipfile

    import openpyxl

    good = tmp_path / "good.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Respondent ID", "Country", "groups"])
    book.active.append([1, "Peru", "Widows"])
    book.save(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                if damage == "no sheet":
                    continue
                data = data[:len(data) // 2]
            if damage == "no sheet" and item.filename == "xl/workbook.xml":
                data = data.replace(b'<sheet name="Sheet" sheetId="1" state="visible" r:id="rId1"/>', b"")
            target.writestr(item, data)
    summary = _ingest([bad, FIXTURES / "dialogue.txt"], sqlite_url)
    assert summary.ingested == 1 and len(summary.problems) == 1
    assert summary.problems[0].startswith(f"{bad}: {reason}") and "\n" not in summary.problems[0]


def test_a_manifest_saved_in_windows_1252_is_read_and_rows_naming_no_file_are_reported(tmp_path, sqlite_url,
                                                                                      caplog):
    # a cp1252 manifest stopped the run with a UnicodeDecodeError; a row for "Peru.txt" matched no "peru.txt" silently
    (tmp_path / "peru.txt").write_text("Participante: Los adultos mayores viven solos.\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_bytes("file,country,iso\nperu.txt,Perú,PER\nPeru2.txt,Perú,PER\n"
                                            .encode("cp1252"))
    summary = _ingest([tmp_path], sqlite_url)
    assert summary.ok and summary.ingested == 1
    assert "manifest.csv: not UTF-8; read as cp1252" in caplog.text
    assert "manifest.csv row 3: no file 'Peru2.txt' in" in caplog.text
    with Store(sqlite_url) as store, store.engine.connect() as connection:
        assert connection.execute(select(documents.c.country, documents.c.iso)).all() == [("Perú", "PER")]


def test_a_manifest_row_matches_a_name_macos_wrote_decomposed(tmp_path, sqlite_url):
    import unicodedata

    (tmp_path / unicodedata.normalize("NFD", "malí.txt")).write_text("Participant : Les femmes.\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,country\nmalí.txt,Mali\n", encoding="utf-8")
    assert _ingest([tmp_path], sqlite_url).ok
    with Store(sqlite_url) as store, store.engine.connect() as connection:
        assert connection.execute(select(documents.c.country)).scalars().all() == ["Mali"]


def test_a_file_name_that_is_not_utf8_is_one_line_and_the_rest_is_ingested(tmp_path, sqlite_url):
    # the store could not hold the name: a traceback at the first query, and nothing ingested
    import os

    folder = os.fsencode(tmp_path / "dialogues")
    os.mkdir(folder)
    with open(os.path.join(folder, b"Per\xfa-dialogo.txt"), "wb") as handle:
        handle.write(b"Participante: Los adultos mayores.\n")
    with open(os.path.join(folder, b"zz.txt"), "wb") as handle:
        handle.write(b"Participant: Older people.\n")
    summary = _ingest([tmp_path / "dialogues"], sqlite_url)
    assert summary.ingested == 1
    [problem] = summary.problems
    assert problem == (f"{tmp_path / 'dialogues'}/Per\ufffd-dialogo.txt: the file name is not valid UTF-8 (from an "
                       "archive made on another system?); rename the file")


def test_words_lock_files_are_passed_over(tmp_path, sqlite_url):
    (tmp_path / "~$n-kenya.docx").write_bytes(b"\x00" * 162)  # what Word leaves beside an open document
    (tmp_path / "kenya.txt").write_text("Participant: Older people.\n", encoding="utf-8")
    summary = _ingest([tmp_path], sqlite_url)
    assert summary.ok and summary.ingested == 1


def test_documents_of_an_unsupported_type_in_a_folder_are_reported_as_when_named(tmp_path, sqlite_url, caplog):
    # a transcript saved as .doc, .rtf or .odt in a corpus folder was passed over without a word
    for name in ("old-format.doc", "notes.rtf", "transcript.odt", "photo.jpg", "~$d-format.doc", "_draft.doc",
                 "README.rtf"):
        (tmp_path / name).write_bytes(b"{\\rtf1 Participant: Older people.}")
    (tmp_path / "kenya.txt").write_text("Participant: Older people.\n", encoding="utf-8")
    summary = _ingest([tmp_path], sqlite_url)
    assert (summary.ingested, summary.skipped) == (1, 3)
    named = _ingest([tmp_path / "notes.rtf"], sqlite_url).problems
    assert sorted(summary.problems) == [
        f"{tmp_path / 'notes.rtf'}: {named[0].split(': ', 1)[1]}",
        *(f"{tmp_path / name}: unsupported file type '{suffix}' (expected one of .csv, .docx, .markdown, .md, .pdf, "
          ".txt, .xlsx); save it as .docx or .pdf" for name, suffix in (("old-format.doc", ".doc"),
                                                                        ("transcript.odt", ".odt"))),
    ]
    assert "unsupported file type '.rtf'" in named[0]
    assert all(any(problem in r.getMessage() for r in caplog.records) for problem in summary.problems)
