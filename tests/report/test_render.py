"""Bad templates and outputs: one-line ReportErrors naming the file, and no half-written report left behind."""

from __future__ import annotations

import shutil
import zipfile

import pytest
from typer.testing import CliRunner

from conftest import REPO
from synthesis.cli import app
from synthesis.config import Config
from synthesis.errors import ReportError
from synthesis.report import build_reports
from synthesis.store import Store


@pytest.fixture
def setup(tmp_path, report_store_template):
    store_file, corpus = report_store_template
    (tmp_path / "project.sqlite").write_bytes(store_file.read_bytes())
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "report_templates", templates)
    config = Config(corpus_dir=corpus, out_dir=tmp_path / "out", db_url=f"sqlite:///{tmp_path / 'project.sqlite'}",
                    templates_dir=templates)
    return config, templates


def run(config):
    with Store(config.store_url) as store:
        return build_reports(config, store)


def _break(docx_path, old: str, new: str) -> None:
    _rewrite(docx_path, "word/document.xml", old, new)


def test_a_missing_template_names_the_file(setup):
    config, templates = setup
    (templates / "country_profile.docx").unlink()
    with pytest.raises(ReportError, match=r"country_profile\.docx: report template not found"):
        run(config)


def test_a_template_that_is_not_a_word_file(setup):
    config, templates = setup
    (templates / "global_synthesis.docx").write_text("not a zip")
    with pytest.raises(ReportError, match=r"global_synthesis\.docx: not a Word document"):
        run(config)


def _rewrite(docx_path, part: str, old: str, new: str) -> None:
    with zipfile.ZipFile(docx_path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert old in parts[part].decode()
    parts[part] = parts[part].decode().replace(old, new, 1).encode()
    with zipfile.ZipFile(docx_path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("content_type", ["wordprocessingml.template.main+xml", "ms-word.document.macroEnabled"])
def test_a_word_template_or_macro_file_renamed_docx_is_named_so(setup, content_type):
    config, templates = setup
    _rewrite(templates / "country_profile.docx", "[Content_Types].xml", "wordprocessingml.document.main+xml",
             content_type if content_type.endswith("xml") else f"{content_type}.main+xml")
    with pytest.raises(ReportError, match=r"country_profile\.docx: a Word template or macro-enabled file, not a "
                                          r"Word document: save it in Word as a Word Document \(\.docx\)"):
        run(config)


def test_a_damaged_document_body_is_named_so(setup):
    config, templates = setup
    _rewrite(templates / "global_synthesis.docx", "word/document.xml", "</w:body>", "</w:bdy>")
    with pytest.raises(ReportError, match=r"global_synthesis\.docx: a damaged Word document \(word/document\.xml: "):
        run(config)


def test_a_jinja_syntax_error_names_the_template_and_paragraph_and_leaves_no_report(setup):
    config, templates = setup
    _break(templates / "country_profile.docx", "{{ r.label }}", "{{ r.label }")
    # the paragraph's text, not docxtpl's line of XML, which a Word user cannot see
    with pytest.raises(ReportError, match=r"country_profile\.docx: template syntax error: unexpected '}' \(in the "
                                          r"paragraph “[^”]*\{\{ r\.label \}[^”]*”\)$") as error:
        run(config)
    assert "\n" not in str(error.value)
    reports = config.out_dir / "reports"
    assert not list(reports.rglob("*.docx")) and not list(reports.glob(".partial-*"))
    assert not (reports / "evidence.jsonl").exists()


def test_a_condition_begun_in_a_paragraph_and_ended_in_a_table_cell_is_an_error_not_a_truncated_report(setup):
    # docxtpl's recovering XML parser used to drop everything after the broken tag: a report of its title only
    config, templates = setup
    first = run(config)
    before = first.global_report.read_bytes()
    _break(templates / "global_synthesis.docx", "{{ cover.title }}", '{{ cover.title }}{% if cover.title == "x" %}')
    _break(templates / "global_synthesis.docx", "<w:t>Figure</w:t>", "<w:t>Figure{% endif %}</w:t>")
    with pytest.raises(ReportError, match=r"global_synthesis\.docx: the filled-in template is not a valid Word "
                                          r"document: a tag such as \{% if %\}"):
        run(config)
    assert first.global_report.read_bytes() == before


@pytest.mark.parametrize("where", ["docx", "narrative"])
def test_an_expression_that_fails_in_python_is_a_one_line_template_error(setup, where):
    config, templates = setup
    if where == "docx":
        _break(templates / "global_synthesis.docx", "{{ cover.title }}", "{{ cover.title|sum }}")
        expected = r"global_synthesis\.docx: template error: TypeError: unsupported operand"
    else:
        (templates / "narrative" / "groups.j2").write_text("{{ 1 // 0 }}\n")
        expected = r"groups\.j2: template error: ZeroDivisionError: integer division or modulo by zero$"
    with pytest.raises(ReportError, match=expected) as error:
        run(config)
    assert "\n" not in str(error.value)


def test_a_narrative_syntax_error_names_the_file_and_line(setup):
    config, templates = setup
    (templates / "narrative" / "groups.j2").write_text("fine\n{% if groups %}\nno end\n")
    with pytest.raises(ReportError, match=r"groups\.j2 line \d+: template syntax error"):
        run(config)


def test_an_earlier_report_survives_a_failed_run(setup):
    config, templates = setup
    first = run(config)
    before = first.global_report.read_bytes()
    _break(templates / "country_profile.docx", "{{ r.label }}", "{{ r.label }")
    with pytest.raises(ReportError):
        run(config)
    assert first.global_report.read_bytes() == before


def test_an_output_folder_that_cannot_be_written(setup):
    config, _ = setup
    config.out_dir.parent.mkdir(parents=True, exist_ok=True)
    config.out_dir.write_text("a file where the folder should be")
    with pytest.raises(ReportError, match="cannot write reports"):
        run(config)


def test_the_report_command(setup):
    config, templates = setup
    args = ["report", "--db", config.store_url, "--out", str(config.out_dir), "--templates", str(templates)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "4 reports written" in result.output and "evidence.jsonl" in result.output
    result = CliRunner().invoke(app, args + ["--country", "XYZ"])
    assert result.exit_code == 1 and result.output.startswith("error: XYZ: no dialogue country")
    (templates / "global_synthesis.docx").unlink()
    result = CliRunner().invoke(app, args + ["--quiet"])
    assert result.exit_code == 1 and "global_synthesis.docx: report template not found" in result.output
