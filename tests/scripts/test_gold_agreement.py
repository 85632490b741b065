"""scripts/gold_agreement.py: agreement between two codings of the same texts."""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts/gold_agreement.py"


def _write(path: Path, rows: list[tuple[str, list[str], list[str]]]) -> Path:
    path.write_text("".join(json.dumps({"id": i, "text": f"text {i}", "groups": g, "causes": c}) + "\n"
                            for i, g, c in rows), encoding="utf-8")
    return path


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True)


def test_agreement_counts_each_code(tmp_path):
    first = _write(tmp_path / "a.jsonl", [("1", ["women_girls"], ["geography"]), ("2", ["children"], []),
                                          ("3", [], ["governance"]), ("4", ["women_girls"], [])])
    second = _write(tmp_path / "b.jsonl", [("4", ["women_girls"], []), ("3", [], ["governance"]),
                                           ("2", ["youth"], []), ("1", ["women_girls"], ["geography"])])
    result = _run(first, second)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["n"] == 4
    assert report["groups"]["micro_f1"] == round(2 * 2 / (2 * 2 + 1 + 1), 4)  # 2 agreed, 1 each side alone
    assert report["groups"]["cohen_kappa"]["women_girls"] == 1.0
    assert report["groups"]["cohen_kappa"]["lgbtqi"] is None  # used by neither coder
    assert report["causes"]["micro_f1"] == 1.0


def test_a_missing_id_is_named(tmp_path):
    first = _write(tmp_path / "a.jsonl", [("1", [], []), ("2", [], [])])
    second = _write(tmp_path / "b.jsonl", [("1", [], [])])
    result = _run(first, second)
    assert result.returncode != 0 and "b.jsonl: 1 ids of" in result.stderr and "e.g. 2" in result.stderr


def test_an_unknown_code_or_a_bad_file_is_one_line_naming_it(tmp_path):
    first = _write(tmp_path / "a.jsonl", [("1", ["women_girls"], []), ("2", [], [])])
    second = _write(tmp_path / "b.jsonl", [("1", ["womens"], []), ("2", [], [])])
    result = _run(first, second)
    assert result.returncode != 0 and "b.jsonl: id 1: 'womens' is not a code" in result.stderr
    assert "Traceback" not in result.stderr
    result = _run(first, tmp_path / "absent.jsonl")
    assert result.returncode != 0 and "absent.jsonl" in result.stderr and "Traceback" not in result.stderr
    extra = _write(tmp_path / "c.jsonl", [("1", ["women_girls"], []), ("2", [], []), ("3", [], [])])
    result = _run(first, extra)
    assert result.returncode != 0 and "1 ids are not in" in result.stderr
