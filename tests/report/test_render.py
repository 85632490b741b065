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
    assert "KEN (Kenya)" in " ".join(result.output.split())  # before: "known: KEN, , " (names without a code blank)
    (templates / "global_synthesis.docx").unlink()
    result = CliRunner().invoke(app, args + ["--quiet"])
    assert result.exit_code == 1 and "global_synthesis.docx: report template not found" in result.output


def _track_changes(docx_path, first_deleted: str, count: int, after: str, inserted: str) -> None:
    """Edit the template as Word does with Track Changes on: delete ``count`` paragraphs from the one whose text is
    ``first_deleted``, insert a paragraph of ``inserted`` after the one whose text is ``after``."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    mark = {f"{w}id": "900", f"{w}author": "Writer", f"{w}date": "2026-12-01T00:00:00Z"}
    with zipfile.ZipFile(docx_path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    paragraphs = list(root.iter(f"{w}p"))
    texts = ["".join(t.text or "" for t in paragraph.iter(f"{w}t")) for paragraph in paragraphs]
    deleted = paragraphs[texts.index(first_deleted):texts.index(first_deleted) + count]
    for paragraph, text in zip(paragraphs, texts):
        if paragraph in deleted:
            for run in paragraph.findall(f"{w}r"):
                wrapper = etree.Element(f"{w}del", mark)
                run.addprevious(wrapper)
                wrapper.append(run)
                for t in run.findall(f"{w}t"):
                    t.tag = f"{w}delText"
            properties = paragraph.find(f"{w}pPr")
            if properties is None:
                properties = etree.Element(f"{w}pPr")
                paragraph.insert(0, properties)
            run_properties = properties.find(f"{w}rPr")
            if run_properties is None:
                run_properties = etree.SubElement(properties, f"{w}rPr")
            etree.SubElement(run_properties, f"{w}del", mark)
        elif text == after:
            new = etree.Element(f"{w}p")
            etree.SubElement(etree.SubElement(etree.SubElement(new, f"{w}ins", mark), f"{w}r"), f"{w}t").text = inserted
            paragraph.addnext(new)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(docx_path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_templates_tracked_changes_are_accepted_not_carried_into_the_report(setup):
    from docx import Document

    config, templates = setup
    # a writer, with Track Changes on, deleted the consultation section's heading and paragraphs and added a line
    _track_changes(templates / "global_synthesis.docx", "The online consultation", 4, "Executive summary",
                   "Draft of {{ cover.date }}")
    report = run(config).global_report
    document = Document(report)
    xml = document.element.body.xml
    # before: the section was still rendered (as deleted text) and both edits reached the report as tracked changes
    assert "<w:del " not in xml and "<w:ins " not in xml and "w:delText" not in xml
    texts = [p.text for p in document.paragraphs]
    assert "The online consultation" not in texts and "Coding and its accuracy" in texts
    assert not any("people from" in t and "answered the online consultation" in t for t in texts)
    date = texts[texts.index("Executive summary") + 1]
    assert date.startswith("Draft of ") and "{{" not in date
