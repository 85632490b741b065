"""build_reports on a real coded store: files, verbatim quotes, Word structure, reviews, determinism."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import datetime, timezone

import docx
import pytest
from sqlalchemy import select

from conftest import REPO
from synthesis.config import Config
from synthesis.report import build_reports
from synthesis.report.redact import _PII, Redaction, apply_redactions
from synthesis.store import Store
from synthesis.store.schema import documents, segments
from synthesis.store.reviews import NewReview

CREATED = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def env(tmp_path, report_store_template):
    """(config, store URL) on a private copy of the report test store."""
    store_file, corpus = report_store_template
    target = tmp_path / "project.sqlite"
    target.write_bytes(store_file.read_bytes())
    url = f"sqlite:///{target}"
    config = Config(corpus_dir=corpus, out_dir=tmp_path / "out", db_url=url, templates_dir=REPO / "report_templates",
                    report_min_units=4)
    return config, url


def build(config, url, **kwargs):
    kwargs.setdefault("created", CREATED)
    with Store(url) as store:
        return build_reports(config, store, **kwargs)


def evidence(summary) -> list[dict]:
    return [json.loads(line) for line in summary.evidence.read_text(encoding="utf-8").splitlines()]


def test_writes_the_global_report_a_profile_per_country_and_the_evidence(env):
    summary = build(*env)
    names = sorted(p.name for p in summary.country_reports)
    assert names == ["bol-bolivia.docx", "fji-fiji.docx", "ken-kenya.docx"]
    assert summary.global_report.exists() and summary.evidence.exists()
    assert not list(summary.reports_dir.glob(".partial-*"))
    assert "Fiji" in summary.little_data and "Kenya" not in summary.little_data


def test_every_quote_is_verbatim_at_its_offsets(env):
    config, url = env
    summary = build(config, url)
    rows = evidence(summary)
    assert rows and any(r["redacted"] for r in rows)
    with Store(url) as store:
        for row in rows:
            source = store.document_text(row["document_id"])[row["start"]:row["end"]]
            spans = [tuple(s) for s in row["redactions"]]
            for start, end, _ in spans:  # only personal data was replaced
                assert _PII.fullmatch(store.document_text(row["document_id"])[start:end].rstrip(".,"))
            printed = apply_redactions(source, [Redaction(*s) for s in spans], row["start"])
            assert printed == row["text"], row["quote_id"]
            assert row["redacted"] == bool(spans)
            assert (config.corpus_dir / row["source_file"]).exists()


def test_printed_quotes_match_the_evidence_index(env):
    summary = build(*env)
    by_id = {r["quote_id"]: r for r in evidence(summary)}
    for path in [summary.global_report, *summary.country_reports]:
        document = docx.Document(path)
        paragraphs = document.paragraphs
        quotes = [(p.text, paragraphs[i + 1].text) for i, p in enumerate(paragraphs) if p.style.name == "Quote"]
        for text, citation in quotes:
            quote_id = re.search(r"\[(Q\d+)\]$", citation).group(1)
            assert text.strip("“”").removesuffix("” […]") == by_id[quote_id]["text"], quote_id
            assert path.relative_to(summary.reports_dir).as_posix() in by_id[quote_id]["reports"]
    assert "[email removed]" in summary.evidence.read_text(encoding="utf-8")


def test_a_consultation_quote_is_cited_by_its_respondent_and_question(env):
    # thousands of respondents share one export: a paragraph number and offsets did not say whose answer it was
    config, url = env
    summary = build(config, url)
    rows = evidence(summary)
    answers = [r for r in rows if r["source_file"].startswith("consultation/")]
    dialogue = [r for r in rows if r["source_file"].startswith("dialogues/")]
    assert answers and dialogue
    with Store(url) as store, store.engine.connect() as connection:
        for row in answers:
            key, sheet_row = connection.execute(select(documents.c.key, documents.c.row).where(
                documents.c.id == row["document_id"])).one()
            question = connection.execute(select(segments.c.question).where(
                segments.c.id == row["segment_id"])).scalar_one()
            assert (row["respondent"], row["row"], row["question"]) == (key, sheet_row, question)
    assert all("respondent" not in r for r in dialogue)
    more = next(r for r in answers if r["respondent"] == "2000000001")
    assert more["row"] == 3 and more["source_file"] == "consultation/more.csv"  # the header and a sub-label row
    citations = [p.text for p in docx.Document(summary.global_report).paragraphs
                 if p.style.name != "Quote" and re.search(r"\[Q\d+\]$", p.text)]
    assert any(re.search(r"consultation/more\.csv, respondent 2000000001, \S.* \[Q\d+\]$", c) for c in citations)
    assert any(re.search(r"dialogues/ken-kenya\.docx, ¶ \d+ \[Q\d+\]$", c) for c in citations)


def test_caption_numbers_run_on_without_gaps(env):
    # the template's numbers were counted when it was made: a table a report leaves out left "Table 6", "Table 8"
    summary = build(*env)
    for path in [summary.global_report, *summary.country_reports]:
        captions = [p.text for p in docx.Document(path).paragraphs if p.style.name == "Caption"]
        for kind in ("Table", "Figure"):
            numbers = [int(re.match(rf"{kind} (\d+):", c).group(1)) for c in captions if c.startswith(kind)]
            assert numbers == list(range(1, len(numbers) + 1)), (path.name, kind, captions)
        assert any(c.startswith("Table") for c in captions)


def test_reports_are_word_native(env):
    summary = build(*env)
    for path in [summary.global_report, summary.country_reports[0]]:
        document = docx.Document(path)
        styles = {p.style.name for p in document.paragraphs}
        assert {"Title", "Heading 1", "Heading 2", "Caption", "Quote"} <= styles, path
        body = document.element.body.xml
        assert 'TOC \\o "1-3"' in body and "SEQ Figure" in body and "SEQ Table" in body
        assert "{{" not in body and "{%" not in body
        footer = document.sections[0].footer._element.xml
        assert "PAGE" in footer and "NUMPAGES" in footer
        assert document.tables and all(t.style.name == "Light List" for t in document.tables)
        drawings = document.element.body.findall(".//{*}docPr")
        assert drawings and all(len(d.get("descr", "")) > 20 for d in drawings)
        properties = document.core_properties
        assert properties.title and properties.subject and properties.created == CREATED
    document = docx.Document(summary.global_report)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["Executive summary", "Method", "Who is being left behind"]
    assert headings[-3:] == ["Annex A: Countries", "Annex B: Coding frame", "Annex C: Evidence index"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "DRAFT" in text and "coded segments" in text and "reviewed by a person" in text
    assert "Disability and access to services" in text
    assert "No representative quote is stored for this theme." in text  # the theme without quotes
    # the theme's facts once, from its profile: sources, the codes on a tenth of its segments or more, key words
    assert re.search(r"\n(\d+) segments from Kenya: \1 from the dialogues and 0 from the consultation\. Groups coded "
                     r"most often: persons with disabilities \(100%\) and children \(\d+%\)\. Key words: disability, "
                     r"clinic\.\n", text)
    # women and girls on under a tenth of the theme; "(none)" is no country
    assert re.search(r"\n\d+ segments from Kenya\. Key words: women\.\n", text)
    assert "Access to schools and clinics." not in text  # the description says the same again
    assert len(document.inline_shapes) == 5


def test_a_country_with_little_data_says_so(env):
    summary = build(*env)
    fiji = next(p for p in summary.country_reports if p.name == "fji-fiji.docx")
    text = "\n".join(p.text for p in docx.Document(fiji).paragraphs)
    assert "Little data" in text


def _group_row(path, label):
    for table in docx.Document(path).tables:
        for row in table.rows:
            if row.cells[0].text == label:
                return [c.text for c in row.cells]
    return None


def test_reviews_override_predictions_and_are_counted(env):
    config, url = env
    before = build(config, url)
    assert before.reviewed_units == 0
    assert _group_row(before.global_report, "LGBTQI people")[-1] == "0"
    with Store(url) as store:
        unit = next(u for u in store.report_units() if u.country == "Kenya")
        store.add_reviews([NewReview(unit.segment_id, "tester", {"groups": ["lgbtqi"], "causes": ["governance"]})],
                          store.model_version_in_use())
    after = build(config, url)
    assert after.reviewed_units == 1
    assert _group_row(after.global_report, "LGBTQI people")[1:] == ["1 of 3", "1", "0", "1"]
    text = "\n".join(p.text for p in docx.Document(after.global_report).paragraphs)
    assert f"1 of {after.coded_units:,} coded segments" in text


def _parts(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_same_store_same_documents(env, tmp_path):
    config, url = env
    first = build(config, url)
    second = build(config.model_copy(update={"out_dir": tmp_path / "again"}), url)
    for a, b in [(first.global_report, second.global_report), (first.country_reports[0], second.country_reports[0])]:
        parts_a, parts_b = _parts(a), _parts(b)
        assert parts_a.keys() == parts_b.keys()
        for name in parts_a:
            assert parts_a[name] == parts_b[name], name
    assert first.evidence.read_bytes() == second.evidence.read_bytes()
    later = build(config.model_copy(update={"out_dir": tmp_path / "later"}), url, created=None)
    assert _parts(later.country_reports[0])["word/media/image1.png"] == _parts(first.country_reports[0])[
        "word/media/image1.png"]


def test_one_country_keeps_the_other_reports_evidence(env):
    config, url = env
    full = build(config, url)
    rows = evidence(full)
    one = build(config, url, country="ken")
    assert one.global_report is None and [p.name for p in one.country_reports] == ["ken-kenya.docx"]
    assert evidence(one) == rows
    # a name as the reports compare them (case, accents), or another language's name of the country
    for name, profile in (("KÉNYA", "ken-kenya.docx"), ("Fidji", "fji-fiji.docx")):
        assert [p.name for p in build(config, url, country=name).country_reports] == [profile]


def test_a_full_set_removes_the_profiles_it_wrote_of_countries_no_longer_stored(env):
    # a profile of a country whose dialogue was removed stayed beside the new set; a writer's own copies stay
    config, url = env
    full = build(config, url)
    countries = full.reports_dir / "countries"
    gone, copy, lock = countries / "jam-jamaica.docx", countries / "ken-kenya-edited.docx", countries / "~$n-kenya.docx"
    for path in (gone, copy, lock):
        path.write_bytes(b"x")
    listing = full.reports_dir / ".profiles"
    listing.write_text(listing.read_text(encoding="utf-8") + "countries/jam-jamaica.docx\n", encoding="utf-8")
    build(config, url, country="ken")  # one country's profile: the others are left as they are
    assert gone.exists()
    again = build(config, url)
    assert sorted(p.name for p in countries.iterdir()) == sorted(
        [p.name for p in again.country_reports] + [copy.name, lock.name])
    assert "jam-jamaica" not in listing.read_text(encoding="utf-8")


@pytest.mark.parametrize("kinds", [("cause",), ("group", "mention"), ("group", "cause", "mention")],
                         ids=["no causes", "no groups", "nothing coded"])
def test_a_store_without_codes_still_gets_its_reports(env, kinds):
    """Matrices with no rows are left out (the template skips a missing figure) instead of failing the reports."""
    import sqlite3

    config, url = env
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        connection.execute(f"DELETE FROM predictions WHERE kind IN ({', '.join('?' * len(kinds))})", kinds)
    summary = build(config, url)
    assert summary.global_report.exists() and len(summary.country_reports) == 3
    names = [shape._inline.docPr.get("name") for shape in docx.Document(summary.global_report).inline_shapes]
    assert "Figure: causes_by_group" not in names
    if "group" in kinds:
        assert "Figure: heatmap" not in names and "Figure: cooccurrence" not in names
    else:
        assert "Figure: heatmap" in names


def test_a_country_written_up_in_two_documents_gets_one_profile(env, tmp_path):
    from synthesis.ingest import ingest_paths

    config, url = env
    second = tmp_path / "ken-part2.txt"
    second.write_text("National dialogue - Kenya, second day\n=====\n\nCountry: Kenya\nDate: 2017-01-16\n\n"
                      "Refugees in Dadaab cannot move freely to find work.\n", encoding="utf-8")
    with Store(url) as store:
        ingest_paths([second], store, config)
    summary = build(config, url)
    assert sorted(p.name for p in summary.country_reports) == ["bol-bolivia.docx", "fji-fiji.docx", "ken-kenya.docx"]
    rows = {r.cells[0].text: r.cells[1].text for t in docx.Document(summary.reports_dir / "countries/ken-kenya.docx"
                                                                       ).tables for r in t.rows}
    assert rows["Dialogue"] == "National dialogue - Kenya; National dialogue - Kenya, second day"
    assert rows["Date"] == "2017-01-15; 2017-01-16"
    text = "\n".join(p.text for p in docx.Document(summary.global_report).paragraphs)
    assert "National dialogues were held in 3 countries" in text


@pytest.mark.parametrize("failure, raised", [(PermissionError(13, "Permission denied"), "ReportError"),
                                             (KeyboardInterrupt(), "KeyboardInterrupt")], ids=["locked", "ctrl-c"])
def test_a_failed_move_leaves_every_earlier_report_as_it_was(env, monkeypatch, failure, raised):
    import os

    import synthesis.report as report
    from synthesis.errors import ReportError

    config, url = env
    first = build(config, url)
    files = sorted(p for p in first.reports_dir.rglob("*") if p.is_file())
    before = {p: p.read_bytes() for p in files}
    moves, replace = [], os.replace

    def failing_replace(source, target):
        moves.append(target)
        if str(target).endswith("evidence.jsonl") and ".partial-" in str(source):  # the last file moved in
            raise failure
        replace(source, target)

    monkeypatch.setattr(report.os, "replace", failing_replace)
    with pytest.raises((ReportError, KeyboardInterrupt)) as caught:
        build(config, url, created=datetime(2027, 1, 1, tzinfo=timezone.utc))  # other dates: other bytes
    assert type(caught.value).__name__ == raised
    assert len(moves) > len(files)  # the other files had been moved in before the failure
    assert {p: p.read_bytes() for p in files} == before
    assert sorted(p for p in first.reports_dir.rglob("*") if p.is_file()) == files  # nothing staged or set aside
    monkeypatch.undo()
    second = build(config, url, created=datetime(2027, 1, 1, tzinfo=timezone.utc))
    assert {p: p.read_bytes() for p in files} != before  # replaced this time, and nothing of the old set kept
    assert sorted(p for p in second.reports_dir.rglob("*") if p.is_file()) == files
    assert sorted(p.name for p in second.reports_dir.iterdir()) == [".profiles", "countries", "evidence.jsonl",
                                                                     "global_synthesis.docx"]


def test_a_folder_under_a_reports_name_is_refused_and_kept(env):
    from synthesis.errors import ReportError

    config, url = env
    folder = config.out_dir / "reports" / "global_synthesis.docx"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(ReportError, match="global_synthesis.docx: a folder has the name this report is written"):
        build(config, url)
    assert (folder / "notes.txt").read_text() == "mine"
    assert not (config.out_dir / "reports" / "evidence.jsonl").exists()
    assert sorted(p.name for p in (config.out_dir / "reports").iterdir()) == ["countries", "global_synthesis.docx"]


def test_profile_names_are_safe_and_do_not_depend_on_the_other_countries():
    from synthesis.report import _profile_names
    from synthesis.report.data import Dialogue
    from synthesis.store import DialogueRow

    def dialogue(country):
        return Dialogue(DialogueRow(1, country, "", "", "", "", "ar", "x.txt", "txt"), "", "x.txt", 0)

    names = _profile_names((dialogue("مصر"), dialogue("Kenya"), dialogue("فلسطين"), dialogue("Guinea-Bissau"),
                            dialogue("Guinea Bissau")))
    assert names["Kenya"] == "countries/kenya.docx"
    assert all(re.fullmatch(r"countries/country-[0-9a-f]{6}\.docx", names[c]) for c in ("مصر", "فلسطين"))
    assert all(re.fullmatch(r"countries/guinea-bissau-[0-9a-f]{6}\.docx", names[c])
               for c in ("Guinea-Bissau", "Guinea Bissau"))
    assert len(set(names.values())) == 5
    # a country's name does not depend on the others: only those sharing one get a hash
    assert _profile_names((dialogue("فلسطين"),)) == {"فلسطين": names["فلسطين"]}
    assert _profile_names((dialogue("Guinea Bissau"),)) == {"Guinea Bissau": "countries/guinea-bissau.docx"}
    row = DialogueRow(1, "Somalia", "KEN/../SOM", "", "", "", "en", "x.txt", "txt")
    assert _profile_names((Dialogue(row, "", "x.txt", 0),)) == {"Somalia": "countries/kensom-somalia.docx"}


def test_report_alone_cites_sources_relative_to_the_corpus_run_read(env, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from synthesis.cli import app

    config, url = env
    monkeypatch.chdir(tmp_path)  # the default corpus folder is not the one `run` read
    settings = tmp_path / "s.toml"
    settings.write_text(f'templates_dir = "{REPO / "report_templates"}"\n')
    result = CliRunner().invoke(app, ["report", "--db", url, "--out", str(tmp_path / "alone"), "--config",
                                      str(settings), "-q"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (tmp_path / "alone/reports/evidence.jsonl").read_text().splitlines()]
    assert rows and all(not row["source_file"].startswith("/") for row in rows)
    assert {row["source_file"].split("/")[0] for row in rows} <= {"dialogues", "consultation"}


def test_a_report_run_sweeps_the_staging_folders_a_killed_run_left(env):
    # every killed run left a hidden .partial-* folder (a half report set) that no later run removed
    import os
    import time

    from synthesis.staging import STALE_SECONDS

    config, url = env
    reports = config.out_dir / "reports"
    left, live = reports / ".partial-killed", reports / ".replaced-another-run"
    for folder in (left, live):
        folder.mkdir(parents=True)
        (folder / "global_synthesis.docx").write_bytes(b"half")
    long_ago = time.time() - STALE_SECONDS - 60
    os.utime(left, (long_ago, long_ago))
    build(config, url)
    assert not left.exists() and live.exists()


def test_counts_of_one_read_in_the_singular(env):
    # a corpus of one dialogue country said "brings together 1 national dialogues", "National dialogues: 1
    # countries", "held in 1 countries" and "in up to 1 free-text questions"
    from dataclasses import replace

    from synthesis.report.country_report import country_context
    from synthesis.report.data import load_report_data
    from synthesis.report.global_report import global_context
    from synthesis.report.narrative import Narrator
    from synthesis.report.quotes import QuoteMaker

    config, url = env
    narrator = Narrator(config.templates_dir)
    with Store(url) as store:
        data = load_report_data(config, store)
        [kenya] = [d for d in data.dialogues if d.country == "Kenya"]
        data = replace(data, dialogues=(replace(kenya, respondents=1),),
                       respondents=replace(data.respondents, country={"Kenya": 1}),
                       questions=dict(list(data.questions.items())[:1]))
        quote = QuoteMaker(data, store, config.report_quote_chars)
        report = global_context(data, quote, narrator, config, CREATED)
        profile = country_context(data.dialogues[0], data, quote, narrator, config, CREATED)
    text = " ".join([*report.summary.paragraphs, *report.method.paragraphs, *report.consultation.paragraphs])
    assert "brings together 1 national dialogue and" in text and "from 1 country to an online" in text
    assert "held in 1 country." in text and re.search(r"from 1 country answered .* in up to 1 free-text question \(",
                                                       text)
    assert report.summary.rows[0].a == "1 country" and report.summary.rows[1].a.endswith(" from 1 country")
    assert " 1 countries" not in text and not re.search(r"\b1 (national dialogues|free-text questions)", text)
    assert profile.voices.paragraphs[0].startswith("1 consultation respondent lives in Kenya;")


def test_narrative_counts_agree_with_their_nouns():
    from synthesis.report.narrative import Narrator, counted

    assert [counted(1, "country", "countries"), counted(1234, "dialogue"), counted(0, "theme")] == [
        "1 country", "1,234 dialogues", "0 themes"]
    narrator = Narrator(REPO / "report_templates")
    assert narrator.paragraphs("themes.j2", themes=["one"])[0].startswith("The tool grouped similar passages into 1 "
                                                                          "theme.")
    assert narrator.paragraphs("voices.j2", n=1)[0].startswith("Up to 1 answer per language,")
    assert narrator.paragraphs("country_summary.j2", country="Togo", units=1, coded=0, little=True, minimum=30,
                               respondents=1, answers=1, groups=[]) == [
        "Little data: the Togo dialogue yielded only 1 segment (fewer than 30), 0 of them coded. Read the figures "
        "below as indications, not findings.", "1 consultation respondent lives in Togo (1 answer)."]
