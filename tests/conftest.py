"""Shared fixtures: store URLs for SQLite and PostgreSQL, builders for small real input files."""

from __future__ import annotations

import csv
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = REPO.parent / "shared"
CORPUS = REPO / "corpora" / "lnob-2016"
POSTGRES_URL = os.environ.get("SYNTHESIS_TEST_POSTGRES_URL")


def pytest_collection_modifyitems(items):
    """The end-to-end tests first: under `make test`'s two workers, the longest test (the whole corpus, about two
    minutes) then runs beside the others instead of alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is None)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'project.sqlite'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """A fresh, empty store on each backend. PostgreSQL tests get a new database, dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'project.sqlite'}"
        return
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must set SYNTHESIS_TEST_POSTGRES_URL (.ci/run starts a local PostgreSQL)")
        pytest.skip("SYNTHESIS_TEST_POSTGRES_URL is not set; .ci/run starts a local PostgreSQL for these tests")
    name = f"synthesis_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(admin, name)
        admin.dispose()


def _drop_database(admin, name: str, tries: int = 40) -> None:
    """Drop a test database. FORCE ends our own connections to it, but a role that is no superuser may not end an
    autovacuum worker's (CI once failed: "must be a member of the role whose process is being terminated"): such a
    worker is done within moments, so the drop is tried again."""
    import time

    from sqlalchemy.exc import DBAPIError

    for attempt in range(tries):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            if attempt == tries - 1:
                raise
            time.sleep(0.25)


def make_docx(path: Path, title: str, meta: list[tuple[str, str]], items: list[tuple[str, str]]) -> Path:
    """A real Word file: Title, a two-column metadata table, then ("h1"|"p"|"turn", text) items.
    A turn's text is "Role: words" and is written with the label in bold, as transcripts are."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_paragraph(title, style="Title")
    table = document.add_table(rows=0, cols=2)
    for key, value in meta:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = key, value
    for kind, value in items:
        if kind == "h1":
            document.add_heading(value, level=1)
        elif kind == "turn":
            label, words = value.split(": ", 1)
            paragraph = document.add_paragraph()
            paragraph.add_run(label + ":").bold = True
            paragraph.add_run(" " + words)
        else:
            document.add_paragraph(value)
    document.save(path)
    return path


def fill_review_sheet(path: Path, edits: dict[int, dict]) -> tuple[list[list], list]:
    """Set cells of a review sheet's data rows (1 = first data row) by column name, as a reviewer would; returns the
    data rows and the header after the edits."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    for row, values in edits.items():
        for column, value in values.items():
            sheet.cell(row=row + 1, column=header.index(column) + 1, value=value)
    book.save(path)
    return [[c.value for c in r] for r in sheet.iter_rows(min_row=2)], header


def make_pdf(path: Path, paragraphs: list[str], heading: str | None = None) -> Path:
    """A real text-layer PDF written with reportlab."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    flow = [Paragraph(heading, styles["Heading1"])] if heading else []
    flow += [Paragraph(p, styles["BodyText"]) for p in paragraphs]
    SimpleDocTemplate(str(path)).build(flow)
    return path


def write_survey_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig", subheader: bool = True) -> Path:
    """A consultation export in the bundled layout (question row, then a sub-label row, then data)."""
    header = ["Respondent ID", "Survey language", "Country of residence", "What is your gender?",
              "What is your age?", "Which groups are most excluded in your locality?", "Why are they excluded?"]
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        if subheader:
            writer.writerow(["", "Response", "Response", "Response", "Response", "Open-Ended Response",
                             "Open-Ended Response"])
        writer.writerows(rows)
    return path


@pytest.fixture(scope="session")
def small_model(tmp_path_factory):
    """A coding model trained by `synthesis train` on the small fixture gold (for CLI and pipeline tests)."""
    from typer.testing import CliRunner

    from synthesis.cli import app

    root = tmp_path_factory.mktemp("small-model")
    lines = (FIXTURES / "gold_small.jsonl").read_text(encoding="utf-8").splitlines()
    gold = root / "gold"
    gold.mkdir()
    for name, part in (("train", lines[:30]), ("dev", lines[30:36]), ("test", lines[36:])):
        (gold / f"{name}.jsonl").write_text("\n".join(part) + "\n", encoding="utf-8")
    config = root / "synthesis.toml"
    config.write_text(f'cache_dir = "{root / "cache"}"\nreal_eval = "{root / "none.jsonl"}"\n')
    result = CliRunner().invoke(app, ["train", "--gold", str(gold), "--output", str(root / "model"),
                                      "--config", str(config)])
    assert result.exit_code == 0, result.output
    return root / "model"


@pytest.fixture(scope="session")
def coded_store_template(tmp_path_factory, small_model):
    """A SQLite store with the fixture dialogue and consultation ingested and coded by ``small_model``
    (built once; use ``coded_store_url`` for a private copy)."""
    from synthesis import pipeline
    from synthesis.config import Config

    root = tmp_path_factory.mktemp("coded-store")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("dialogue.txt", "consultation.csv"):
        (corpus / name).write_bytes((FIXTURES / name).read_bytes())
    config = Config(corpus_dir=corpus, out_dir=root / "out", model_dir=small_model,
                    cache_dir=small_model.parent / "cache", real_eval=root / "none.jsonl")
    result = pipeline.run(config)
    assert result.coding["segments_coded"] > 0
    return root / "out" / "project.sqlite"


@pytest.fixture
def coded_store_url(tmp_path, coded_store_template) -> str:
    """A private copy of the coded fixture store."""
    target = tmp_path / "project.sqlite"
    target.write_bytes(coded_store_template.read_bytes())
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def report_store_template(tmp_path_factory, small_model):
    """A coded SQLite store for report tests: a Kenya dialogue (.docx, with recommendations), the Bolivia
    fixture (.md), a two-paragraph Fiji dialogue (little data), consultation answers with personal data,
    and two themes (one without quotes). Returns (store file, corpus folder)."""
    import shutil

    from synthesis import pipeline
    from synthesis.config import Config
    from synthesis.store import Store, ThemeRow

    root = tmp_path_factory.mktemp("report-store")
    dialogues, consultation = root / "corpus" / "dialogues", root / "corpus" / "consultation"
    dialogues.mkdir(parents=True)
    consultation.mkdir()
    make_docx(dialogues / "ken-kenya.docx", "National dialogue - Kenya",
              [("Country", "Kenya"), ("Date", "2017-01-15"), ("Convened by", "PACJA")],
              [("h1", "Opening plenary"),
               ("p", "Persons with disabilities in Turkana cannot reach the clinic, and pastoralist women walk for "
                     "hours to fetch water. Older people are left alone when the herds move."),
               ("turn", "Participant (disability network, Marsabit): Deaf children are kept at home because no "
                        "teacher signs. Girls with disabilities face violence and nobody records it."),
               ("turn", "Participant (youth group, Kibera): Young people in the informal settlements have no jobs "
                        "and the police treat them as criminals. Call our office on +254 712 345 678."),
               ("h1", "Recommendations"),
               ("turn", "Rapporteur: The county government should train teachers in sign language and fund "
                        "mobile clinics for pastoralist women and persons with disabilities."),
               ("p", "To the national government: count refugees and displaced people in every survey, and give "
                     "older people a universal pension.")])
    shutil.copy(FIXTURES / "dialogue.md", dialogues / "bol-bolivia.md")
    (dialogues / "fji-fiji.txt").write_text(
        "Fiji dialogue\n\nWomen in the outer islands were not consulted after the cyclone.\n\n"
        "Rapporteur: Persons with disabilities need accessible evacuation centres.\n", encoding="utf-8")
    (root / "corpus" / "manifest.csv").write_text(
        "file,country,iso,date,organisation,language,doc_type,title\n"
        "dialogues/ken-kenya.docx,Kenya,KEN,2017-01-15,PACJA,en,national dialogue report,National dialogue - Kenya\n"
        "dialogues/bol-bolivia.md,Bolivia,BOL,2016-11-25,Unitas,es,national dialogue report,Diálogo - Bolivia\n"
        "dialogues/fji-fiji.txt,Fiji,FJI,2016-11-14,FCOSS,en,national dialogue report,Talanoa - Fiji\n", encoding="utf-8")
    shutil.copy(FIXTURES / "consultation.csv", consultation / "consultation.csv")
    write_survey_csv(consultation / "more.csv", [
        ["2000000001", "English", "Kenya", "Female", "20-40",
         "Women with disabilities in rural villages. Write to jane.doe@example.org for our report.",
         "Stigma and poverty keep them at home; see https://example.net/report-2016 for details."],
        ["2000000002", "English", "Kenya", "Male", "Over 80",
         "Older people and orphans in the slums of Nairobi, ID 12345678.", "No money for school fees."],
        ["2000000003", "Español", "Bolivia", "Mujer", "40-60",
         "Las mujeres indígenas del altiplano y las personas con discapacidad.",
         "La discriminación y la distancia a los servicios."],
    ])
    config = Config(corpus_dir=root / "corpus", out_dir=root / "out", model_dir=small_model,
                    cache_dir=small_model.parent / "cache", real_eval=root / "none.jsonl")
    pipeline.run(config)
    with Store(config.store_url) as store:
        units = [u for u in store.report_units()]
        kenya = [u.segment_id for u in units if u.country == "Kenya" and u.document_kind == "dialogue"]
        answers = [u.segment_id for u in units if u.document_kind == "consultation"]
        run_id = store.start_run("themes", {})
        store.replace_themes(run_id, [
            ThemeRow(0, "Disability and access to services", "generated", ("disability", "clinic"), len(kenya),
                     "Access to schools and clinics.", {"country": {"Kenya": len(kenya)}, "kind": {"dialogue": len(kenya)},
                                                       "group": {"disability": len(kenya), "children": 1}},
                     [0.0], tuple(kenya[:3])),
            ThemeRow(1, "Exclusion in the consultation", "generated", ("women",), len(answers), "",
                     {"country": {"Kenya": 2, "(none)": 3}, "group": {"women_girls": 2}}, [1.0], ()),
        ], [(sid, 0, 0.9) for sid in kenya] + [(sid, 1, 0.8) for sid in answers])
        store.finish_run(run_id, "ok", {})
    return root / "out" / "project.sqlite", root / "corpus"
