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
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
