"""The command line: exit codes, one-line errors, summaries, and the README's CLI reference kept true."""

from __future__ import annotations

import re
import shutil

from typer.testing import CliRunner

from conftest import FIXTURES, REPO
from synthesis.cli import app

runner = CliRunner()


def test_ingest_prints_a_summary_and_exits_0(sqlite_url):
    result = runner.invoke(app, ["ingest", str(FIXTURES), "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("3 ingested, 0 skipped; 6 documents,")
    again = runner.invoke(app, ["ingest", str(FIXTURES), "--db", sqlite_url])
    assert "0 ingested, 0 skipped, 3 unchanged" in again.output


def test_skipped_files_make_the_exit_status_non_zero(tmp_path, sqlite_url):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(tmp_path / "empty.txt"), str(FIXTURES / "dialogue.md"),
                                 "--db", sqlite_url])
    assert result.exit_code == 1
    assert "empty.txt: empty file (0 bytes)" in result.output
    assert "1 ingested, 1 skipped" in result.output


def test_quiet_prints_only_problems(tmp_path, sqlite_url):
    result = runner.invoke(app, ["ingest", str(FIXTURES / "dialogue.md"), "--db", sqlite_url, "--quiet"])
    assert (result.exit_code, result.output) == (0, "")


def test_a_bad_store_url_is_one_line_and_exit_1():
    result = runner.invoke(app, ["ingest", str(FIXTURES / "dialogue.md"), "--db", "nonsense"])
    assert result.exit_code == 1
    assert result.output.strip() == "error: nonsense: not a database URL (expected e.g. sqlite:///build/project.sqlite)"


def test_a_bad_config_file_is_one_line_and_exit_1(tmp_path):
    config = tmp_path / "synthesis.toml"
    config.write_text("batch_sise = 10\n")
    result = runner.invoke(app, ["ingest", str(FIXTURES), "--config", str(config)])
    assert result.exit_code == 1
    assert "batch_sise" in result.output and "Extra inputs are not permitted" in result.output


def test_usage_errors_exit_2():
    assert runner.invoke(app, ["ingest"]).exit_code == 2
    assert runner.invoke(app, ["no-such-command"]).exit_code == 2


def test_run_on_a_folder_summarises_the_store(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES, corpus)
    export = corpus / "consultation.csv"  # the Nepali respondent writes the country in capitals
    export.write_bytes(export.read_bytes().replace(b",English,Nepal,", b",English,NEPAL,"))
    result = runner.invoke(app, ["run", str(corpus), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "project.sqlite").exists()
    assert re.search(r"respondents\s+│?\s*4", result.output)
    # countries as the reports count them, "NEPAL" as the dialogue's "Nepal" (it said 6, counting spellings):
    # Bolivia and Nepal with a dialogue, Kenya, Peru and Togo without
    assert re.search(r"countries\s+│?\s*5 \(2 with a dialogue\)", result.output), result.output
    # the fixtures hold too few texts for themes: the note says so on one line, as errors are (it was wrapped at 80)
    [note] = [line for line in result.output.splitlines() if line.startswith("note:")]
    assert note.endswith("one theme holds them all") and len(note) > 80


def test_every_command_has_help_and_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert commands
    for command in commands:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "--quiet" in result.output
        assert f"synthesis {command}" in readme, f"README's CLI reference misses `synthesis {command}`"
