"""Ingestion of every supported format into a real store, provenance, idempotency and replacement."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from conftest import FIXTURES, make_docx, make_pdf
from synthesis.config import Config
from synthesis.ingest import ingest_paths
from synthesis.store import Store
from synthesis.store.schema import documents, respondents, reviews, segments, sources


def _ingest(paths, url, **config):
    with Store(url) as store:
        return ingest_paths(paths, store, Config(db_url=url, **config))


def _rows(url, query):
    with Store(url) as store, store.engine.connect() as connection:
        return connection.execute(query).mappings().all()


def _assert_offsets_exact(url):
    rows = _rows(url, select(segments.c.start_char, segments.c.end_char, segments.c.text, documents.c.text.label("doc"))
                 .join(documents, documents.c.id == segments.c.document_id))
    assert rows
    for row in rows:
        assert row["doc"][row["start_char"]:row["end_char"]] == row["text"]


def test_docx_headings_table_metadata_and_speaker_turns(tmp_path, sqlite_url):
    path = make_docx(
        tmp_path / "ken-kenya.docx", "National Dialogue - Kenya",
        [("Country", "Kenya"), ("Date", "15 January 2017"), ("Convened by", "PACJA")],
        [("h1", "Breakout session: Turkana"),
         ("turn", "Participant (pastoralist women's group, Lodwar): The drought took our goats. Nobody came."),
         ("p", "The group agreed that distance to services is the main barrier.")],
    )
    summary = _ingest([path], sqlite_url)
    assert (summary.ingested, summary.skipped, summary.documents) == (1, 0, 1)
    [doc] = _rows(sqlite_url, select(documents))
    assert (doc["country"], doc["date"], doc["organisation"], doc["title"]) == (
        "Kenya", "15 January 2017", "PACJA", "National Dialogue - Kenya")
    [turn] = _rows(sqlite_url, select(segments).where(segments.c.kind == "turn"))
    assert turn["speaker_role"] == "participant"
    assert turn["speaker_label"] == "Participant (pastoralist women's group, Lodwar)"
    assert turn["text"] == "The drought took our goats. Nobody came."
    assert turn["section"] == "Breakout session: Turkana"
    assert turn["country"] == "Kenya" and turn["language"] == "en"
    _assert_offsets_exact(sqlite_url)


def test_pdf_paragraphs_from_the_text_layer(tmp_path, sqlite_url):
    long = ("Older people in the char islands cannot reach the pension office because the ferry stops in the "
            "monsoon, and nobody from the union council visits them during the rains. ") * 2
    path = make_pdf(tmp_path / "report.pdf", [long.strip(), "Facilitator: What would help most?"],
                    heading="Breakout session: coastal districts")
    summary = _ingest([path], sqlite_url)
    assert summary.ingested == 1
    units = _rows(sqlite_url, select(segments).where(segments.c.kind != "sentence").order_by(segments.c.id))
    assert [u["kind"] for u in units] == ["heading", "paragraph", "turn"]
    assert units[1]["text"] == long.strip()  # wrapped lines joined back into one paragraph
    assert units[2]["text"] == "What would help most?"
    _assert_offsets_exact(sqlite_url)


def test_txt_md_and_csv_fixtures(tmp_path, sqlite_url):
    summary = _ingest([FIXTURES], sqlite_url)
    assert (summary.ingested, summary.skipped, summary.rows_skipped) == (3, 0, 0)
    docs = {d["key"]: d for d in _rows(sqlite_url, select(documents))}
    assert docs["dialogue"]["country"] == "Nepal" and docs["dialogue"]["language"] == "en"
    assert docs["dialogue"]["organisation"] == "A district civil-society forum"
    assert docs["dialogue"]["title"].startswith("Community Dialogue")
    turns = _rows(sqlite_url, select(segments).where(segments.c.kind == "turn", segments.c.language == "es"))
    assert {t["speaker_role"] for t in turns} == {"facilitator", "participant", "rapporteur"}
    people = {r["external_id"]: r for r in _rows(sqlite_url, select(respondents))}
    assert len(people) == 4
    assert (people["1000000002"]["gender"], people["1000000002"]["age_band"], people["1000000002"]["language"],
            people["1000000002"]["country"]) == ("male", "60-80", "es", "Perú")
    assert (people["1000000003"]["age_band"], people["1000000003"]["row"]) == ("under_20", 5)
    answers = _rows(sqlite_url, select(segments).where(segments.c.kind == "answer"))
    assert {a["question"] for a in answers} >= {"q1_groups", "q2_why", "q5_help"}
    _assert_offsets_exact(sqlite_url)


def test_a_txt_title_line_names_the_dialogue_and_is_not_coded(tmp_path, sqlite_url):
    # the title was stored as a coded paragraph, and the report named the dialogue after its first section heading
    title = "Diálogo nacional sobre «No dejar a nadie atrás»"
    path = tmp_path / "peru.txt"
    path.write_text(f"{title}\n\nPaís: Perú\nFecha: 2 de mayo de 2017\n\nLos más excluidos\n=================\n\n"
                    "Participante 1: Las mujeres campesinas no sabemos leer.\n", encoding="utf-8")
    assert _ingest([path], sqlite_url).ok
    [doc] = _rows(sqlite_url, select(documents))
    assert (doc["title"], doc["country"], doc["date"]) == (title, "Perú", "2 de mayo de 2017")
    units = _rows(sqlite_url, select(segments).where(segments.c.kind != "sentence").order_by(segments.c.id))
    assert [(u["kind"], u["text"]) for u in units] == [
        ("heading", title), ("table", "País | Perú"), ("table", "Fecha | 2 de mayo de 2017"),
        ("heading", "Los más excluidos"), ("turn", "Las mujeres campesinas no sabemos leer.")]
    _assert_offsets_exact(sqlite_url)


def test_reingesting_unchanged_files_adds_nothing(tmp_path, sqlite_url):
    first = _ingest([FIXTURES], sqlite_url)
    before = len(_rows(sqlite_url, select(segments.c.id)))
    second = _ingest([FIXTURES], sqlite_url)
    assert (second.ingested, second.unchanged, second.segments) == (0, 3, 0)
    assert len(_rows(sqlite_url, select(segments.c.id))) == before == first.segments


def test_a_changed_file_replaces_its_old_version(tmp_path, sqlite_url):
    path = tmp_path / "note.txt"
    path.write_text("Facilitator: Refugees in the camps lack water.\n\nParticipant: And schools.\n", encoding="utf-8")
    _ingest([path], sqlite_url)
    path.write_text("Facilitator: Older people lack pensions.\n", encoding="utf-8")
    summary = _ingest([path], sqlite_url)
    assert (summary.ingested, summary.replaced) == (1, 1)
    assert len(_rows(sqlite_url, select(sources))) == 1
    texts = [r["text"] for r in _rows(sqlite_url, select(segments).where(segments.c.kind == "turn"))]
    assert texts == ["Older people lack pensions."]


def test_a_copy_of_an_ingested_file_is_not_ingested_twice(tmp_path, sqlite_url):
    shutil.copy(FIXTURES / "dialogue.txt", tmp_path / "copy.txt")
    _ingest([FIXTURES / "dialogue.txt"], sqlite_url)
    summary = _ingest([tmp_path / "copy.txt"], sqlite_url)
    assert (summary.ingested, summary.unchanged) == (0, 1)


@pytest.mark.parametrize("batch_size", [1, 3])
def test_batches_do_not_change_what_is_stored(tmp_path, batch_size):
    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    _ingest([FIXTURES / "consultation.csv"], url, batch_size=batch_size)
    assert len(_rows(url, select(respondents))) == 4
    _assert_offsets_exact(url)


def test_xlsx_export_with_two_header_rows(tmp_path, sqlite_url):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Respondent ID", "Survey language", "Country of residence", "What is your gender?",
                  "Which groups are most excluded in your locality?"])
    sheet.append([None, "Response", "Response", "Response", "Open-Ended Response"])
    sheet.append([7001, "Français", "Togo", "Femme", "Les enfants talibés et les filles des Savanes."])
    sheet.append([7002, "English", "Fiji", "Male", "Outer-island communities after the cyclone."])
    workbook.save(tmp_path / "export.xlsx")
    summary = _ingest([tmp_path / "export.xlsx"], sqlite_url)
    assert summary.ok and summary.documents == 2
    people = _rows(sqlite_url, select(respondents).order_by(respondents.c.row))
    assert [(p["external_id"], p["row"], p["gender"], p["language"]) for p in people] == [
        ("7001", 3, "female", "fr"), ("7002", 4, "male", "en")]
    _assert_offsets_exact(sqlite_url)
    # a program that records a stale size of the sheet (its <dimension>): every row is still read (before, only those
    # inside it, and a size of "A1" made the header look wrong)
    import re
    import zipfile

    for recorded in ("A1:E3", "A1"):
        stale = tmp_path / f"stale-{recorded.replace(':', '')}.xlsx"
        with zipfile.ZipFile(tmp_path / "export.xlsx") as source, zipfile.ZipFile(stale, "w") as target:
            for item in source.infolist():
                data = source.read(item)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{recorded}"'.encode(), data)
                target.writestr(item, data)
        summary = _ingest([stale], f"sqlite:///{tmp_path / (stale.stem + '.sqlite')}")
        assert summary.ok and summary.documents == 2, recorded


def _xlsx_of(csv_path, xlsx_path, change=lambda rows: rows):
    """An .xlsx holding a .csv's rows (after ``change``), ids as numbers, as Excel saves a .csv it opened."""
    import csv

    import openpyxl

    workbook = openpyxl.Workbook()
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        for row in change(list(csv.reader(handle))):
            workbook.active.append([int(cell) if cell.isdigit() else cell for cell in row])
    workbook.save(xlsx_path)
    return xlsx_path


def test_a_folder_prefers_the_csv_over_its_xlsx_copy(tmp_path, sqlite_url, caplog):
    shutil.copy(FIXTURES / "consultation.csv", tmp_path / "export.csv")
    _xlsx_of(FIXTURES / "consultation.csv", tmp_path / "export.xlsx")
    (tmp_path / "README.md").write_text("# About this folder\n")
    summary = _ingest([tmp_path], sqlite_url)
    assert (summary.ingested, summary.skipped, summary.documents) == (1, 0, 4)
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


def test_a_csv_and_its_xlsx_copy_name_an_unmapped_column_once(tmp_path, sqlite_url, caplog):
    # comparing the two files read the .csv once more, and its warnings came twice
    with_extra = tmp_path / "export.csv"
    with open(FIXTURES / "consultation.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    with open(with_extra, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([rows[0] + ["Favourite colour"], *(row + [""] for row in rows[1:])])
    _xlsx_of(with_extra, tmp_path / "export.xlsx")
    _ingest([tmp_path], sqlite_url)
    unmapped = [r for r in caplog.records if "not in the survey column mapping" in r.getMessage()]
    assert len(unmapped) == 1 and "export.csv" in unmapped[0].getMessage()


def test_an_xlsx_beside_a_csv_of_the_same_name_with_other_respondents_is_ingested_too(tmp_path, sqlite_url):
    # it was taken for a copy of the .csv by its name alone and dropped without a word: two rounds or two tools
    # exported under one name lost all but one export's respondents
    shutil.copy(FIXTURES / "consultation.csv", tmp_path / "export.csv")
    _xlsx_of(FIXTURES / "consultation.csv", tmp_path / "export.xlsx",
             lambda rows: rows[:2] + [[row[0].replace("100", "200", 1)] + row[1:] for row in rows[2:]])
    summary = _ingest([tmp_path], sqlite_url)
    assert (summary.ingested, summary.skipped, summary.documents) == (2, 0, 8)
    assert sorted(r["name"] for r in _rows(sqlite_url, select(sources))) == ["export.csv", "export.xlsx"]


def test_an_xlsx_sharing_respondents_with_its_csv_is_ingested_with_a_warning(tmp_path, sqlite_url, caplog):
    shutil.copy(FIXTURES / "consultation.csv", tmp_path / "export.csv")
    xlsx = _xlsx_of(FIXTURES / "consultation.csv", tmp_path / "export.xlsx",
                    lambda rows: rows + [["3000000001"] + rows[2][1:]])  # a later export: one more respondent
    summary = _ingest([tmp_path], sqlite_url)
    assert (summary.ingested, summary.documents) == (2, 9)
    [warning] = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warning.startswith(str(xlsx)) and "4 of its 5 respondent ids are also in" in warning and "\n" not in warning


def test_an_xlsx_that_becomes_a_copy_of_its_csv_leaves_the_store(tmp_path, sqlite_url):
    shutil.copy(FIXTURES / "consultation.csv", tmp_path / "export.csv")
    _xlsx_of(FIXTURES / "consultation.csv", tmp_path / "export.xlsx",
             lambda rows: rows[:2] + [["3000000001"] + rows[2][1:]])
    _ingest([tmp_path], sqlite_url)
    _xlsx_of(FIXTURES / "consultation.csv", tmp_path / "export.xlsx")
    _ingest([tmp_path], sqlite_url)
    assert [r["name"] for r in _rows(sqlite_url, select(sources))] == ["export.csv"]
    assert len(_rows(sqlite_url, select(respondents))) == 4


def test_a_file_changed_into_a_copy_of_another_loses_its_old_version(tmp_path, sqlite_url, caplog):
    # it was reported "unchanged", and its old text stayed in the store, cited to a file that no longer holds it
    draft, final = tmp_path / "draft.txt", tmp_path / "final.txt"
    draft.write_text("Participant: DRAFT wording about older people.\n", encoding="utf-8")
    final.write_text("Participant: Final wording about older people in rural areas.\n", encoding="utf-8")
    _ingest([tmp_path], sqlite_url)
    shutil.copy(final, draft)
    summary = _ingest([tmp_path], sqlite_url)
    assert (summary.unchanged, summary.replaced) == (2, 0) and summary.ok  # as a first ingest counts a copy
    assert "draft.txt: now the same as " in caplog.text
    assert [r["name"] for r in _rows(sqlite_url, select(sources))] == ["final.txt"]
    texts = [r["text"] for r in _rows(sqlite_url, select(segments).where(segments.c.kind == "turn"))]
    assert texts == ["Final wording about older people in rural areas."]


def test_reviews_of_identical_answers_stay_with_their_respondents_after_reingest(tmp_path, sqlite_url):
    # they all moved onto the first respondent's segment of that text
    from conftest import write_survey_csv
    from synthesis.store.reviews import NewReview

    rows = [["1", "English", "Peru", "Female", "40-60", "Older people", "Distance"],
            ["2", "English", "Peru", "Male", "20-40", "Youth", "No jobs"],
            ["3", "English", "Chile", "Female", "20-40", "Older people", "Distance"]]
    export = write_survey_csv(tmp_path / "export.csv", rows)
    _ingest([export], sqlite_url)
    query = (select(segments.c.id, documents.c.key).join(documents, documents.c.id == segments.c.document_id)
             .where(segments.c.text == "Older people"))
    with Store(sqlite_url) as store:
        for row in _rows(sqlite_url, query):
            store.add_reviews([NewReview(row["id"], f"reviewer-of-{row['key']}", {"groups": ["older_people"],
                                                                                   "causes": []}, "", None)], None)
    write_survey_csv(export, rows + [["4", "English", "Peru", "Female", "60-80", "Widows", "Land"]])
    _ingest([export], sqlite_url)
    relinked = _rows(sqlite_url, select(reviews.c.reviewer, documents.c.key)
                     .join(segments, segments.c.id == reviews.c.segment_id)
                     .join(documents, documents.c.id == segments.c.document_id).order_by(reviews.c.reviewer))
    assert [(r["reviewer"], r["key"]) for r in relinked] == [("reviewer-of-1", "1"), ("reviewer-of-3", "3")]


def test_languages_are_stored_as_codes_however_they_are_written(tmp_path, sqlite_url):
    from conftest import write_survey_csv

    folder = tmp_path / "dialogues"
    folder.mkdir()
    for name in ("col", "per"):
        (folder / f"{name}.txt").write_text(f"Facilitadora: Bienvenidos.\n\nRelatora: {name}.\n", encoding="utf-8")
    (folder / "manifest.csv").write_text("file,country,language\ncol.txt,Colombia,Spanish\nper.txt,Peru,es-PE\n",
                                         encoding="utf-8")
    export = write_survey_csv(tmp_path / "export.csv", [
        ["1", "English (UK)", "Kenya", "Female", "40-60", "Widows", "Land"],
        ["2", "es-MX", "Mexico", "Male", "20-40", "Indígenas", "Racismo"],
        ["3", "Kiswahili", "Kenya", "Male", "20-40", "Wazee", "Umaskini"]])
    assert _ingest([folder, export], sqlite_url).ok
    assert sorted(r["language"] for r in _rows(sqlite_url, select(documents.c.language))) == [
        "Kiswahili", "en", "es", "es", "es"]
    short = select(segments.c.language).where(segments.c.text == "Bienvenidos.")  # too short to detect: the given one
    assert [r["language"] for r in _rows(sqlite_url, short)] == ["es", "es"]


def test_files_deleted_or_renamed_in_an_ingested_folder_leave_the_store(tmp_path, sqlite_url, caplog):
    # their segments stayed, in the themes and reports, cited to files that no longer exist
    folder = tmp_path / "dialogues"
    folder.mkdir()
    for name in ("rwanda", "kenya", "peru"):
        (folder / f"{name}.txt").write_text(f"Participant: Older people in {name} walk far.\n", encoding="utf-8")
    _ingest([folder], sqlite_url)
    (folder / "rwanda.txt").unlink()
    (folder / "kenya.txt").rename(folder / "ken-kenya.txt")
    summary = _ingest([folder, FIXTURES / "dialogue.txt"], sqlite_url)
    assert (summary.removed, summary.ingested) == (2, 2) and summary.ok
    assert "rwanda.txt: no longer in" in caplog.text
    names = sorted(r["name"] for r in _rows(sqlite_url, select(sources)))
    assert names == ["dialogue.txt", "ken-kenya.txt", "peru.txt"]
    turns = sorted(r["text"] for r in _rows(sqlite_url, select(segments).where(segments.c.kind == "turn")))
    assert "Older people in kenya walk far." in turns and not any("rwanda" in t for t in turns)
    # a file given by itself is no folder's: ingesting another folder leaves it
    assert _ingest([folder], sqlite_url).removed == 0


def test_a_corrected_manifest_row_is_read_again_with_its_file(tmp_path, sqlite_url):
    # only the file's hash was compared: a corrected country stayed wrong in the store and the reports
    (tmp_path / "per.txt").write_text("Participante: Los adultos mayores viven solos.\n", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,country,iso,language\nper.txt,Paru,PER,Spanish\n", encoding="utf-8")
    _ingest([tmp_path], sqlite_url)
    assert _ingest([tmp_path], sqlite_url).unchanged == 1  # as it was: nothing to do
    manifest.write_text("file,country,iso,language\nper.txt,Peru,PER,Spanish\n", encoding="utf-8")
    summary = _ingest([tmp_path], sqlite_url)
    assert (summary.ingested, summary.replaced) == (1, 1)
    assert [(r["country"], r["language"]) for r in _rows(sqlite_url, select(documents))] == [("Peru", "es")]


def test_a_file_read_by_older_readers_is_read_again(tmp_path, sqlite_url):
    # an unchanged file kept what older readers had made of it (a .docx without its tracked insertions, merged turns)
    from sqlalchemy import update

    path = tmp_path / "note.txt"
    path.write_text("Facilitator: Who is left behind?\nParticipant: Older people.\n", encoding="utf-8")
    _ingest([path], sqlite_url)
    assert _ingest([path], sqlite_url).unchanged == 1
    with Store(sqlite_url) as store, store.engine.begin() as connection:
        connection.execute(update(sources).values(reader_revision=0))  # as a store of an earlier version holds it
    summary = _ingest([path], sqlite_url)
    assert (summary.ingested, summary.replaced) == (1, 1)
    assert _ingest([path], sqlite_url).unchanged == 1


def test_a_folder_ingested_from_another_working_folder_loses_nothing(tmp_path, sqlite_url, monkeypatch):
    # stored paths are relative to the working folder that stored them: read from another, they named no file, and
    # every stored source of the folder was removed (its reviews unlinked)
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "kenya.txt").write_text("Participant: Older women walk far.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _ingest([Path("data")], sqlite_url)
    monkeypatch.chdir(folder)
    summary = _ingest([Path(".")], sqlite_url)
    assert summary.removed == 0
    assert [r["path"] for r in _rows(sqlite_url, select(sources))] == ["data/kenya.txt"]


def test_a_file_given_another_files_old_text_keeps_it_when_that_file_changed_too(tmp_path, sqlite_url):
    # "now a copy" was judged on the other file's stored text: a.txt was removed, and b.txt then read anew
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Participant: In Turkana the water point is far.\n", encoding="utf-8")
    b.write_text("Participant: In Lodwar the clinic has no ramp.\n", encoding="utf-8")
    _ingest([tmp_path], sqlite_url)
    a.write_text(b.read_text(encoding="utf-8"), encoding="utf-8")
    b.write_text("Participant: In Garissa girls leave school.\n", encoding="utf-8")
    _ingest([tmp_path], sqlite_url)
    turns = sorted(r["text"] for r in _rows(sqlite_url, select(segments).where(segments.c.kind == "turn")))
    assert turns == ["In Garissa girls leave school.", "In Lodwar the clinic has no ramp."]


@pytest.mark.parametrize("edited", ["file,country,iso,language\nper.txt,,PER,Spanish\n",  # the country cleared
                                    "file,country,iso,language\n"])  # the row deleted
def test_a_manifest_value_cleared_or_a_row_deleted_reads_the_file_again(tmp_path, sqlite_url, edited):
    # only a value the manifest still gave was compared: a cleared country or a deleted row kept the old country
    (tmp_path / "per.txt").write_text("País: Perú\n\nParticipante: Los adultos mayores viven solos.\n",
                                      encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,country,iso,language\nper.txt,Paru,PER,Spanish\n", encoding="utf-8")
    _ingest([tmp_path], sqlite_url)
    assert [r["country"] for r in _rows(sqlite_url, select(documents))] == ["Paru"]
    assert _ingest([tmp_path], sqlite_url).unchanged == 1
    manifest.write_text(edited, encoding="utf-8")
    summary = _ingest([tmp_path], sqlite_url)
    assert (summary.ingested, summary.replaced) == (1, 1)
    assert [r["country"] for r in _rows(sqlite_url, select(documents))] == ["Perú"]  # as the file itself says
    assert _ingest([tmp_path], sqlite_url).unchanged == 1
