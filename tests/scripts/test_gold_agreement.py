"""scripts/gold_agreement.py: agreement between two or more codings of the same texts, and a model's."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from synthesis.errors import InputError, ModelError

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


def test_three_coders_are_scored_pairwise_and_against_their_majority(tmp_path):
    # text 1: women_girls by all three, youth by b and c, geography by a and c; text 2: children by a alone
    first = _write(tmp_path / "a.jsonl", [("1", ["women_girls"], ["geography"]), ("2", ["children"], [])])
    second = _write(tmp_path / "b.jsonl", [("1", ["women_girls", "youth"], []), ("2", [], [])])
    third = _write(tmp_path / "c.jsonl", [("1", ["women_girls", "youth"], ["geography"]), ("2", [], [])])
    result = _run(first, second, third)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    pairs = {(p["first"], p["second"]): p for p in report["pairwise"]}
    assert set(pairs) == {(str(first), str(second)), (str(first), str(third)), (str(second), str(third))}
    assert pairs[str(first), str(second)]["groups"] == round(2 * 1 / (2 + 2), 4)
    assert pairs[str(second), str(third)]["groups"] == 1.0
    assert pairs[str(first), str(third)]["causes"] == 1.0
    assert pairs[str(second), str(third)]["causes"] == 0.0  # b chose no cause, c one
    # the majority (women_girls + youth, geography; nothing for text 2) differs from every coder
    assert report["majority"][str(first)] == {"groups": round(2 * 1 / (2 + 2), 4), "causes": 1.0}
    assert report["majority"][str(second)] == {"groups": 1.0, "causes": 0.0}
    assert report["majority"][str(third)] == {"groups": 1.0, "causes": 1.0}
    assert report["other"] == str(second) and "cohen_kappa" in report["groups"]  # the first pair, as before


def test_two_of_four_coders_are_no_majority(tmp_path):
    paths = [_write(tmp_path / f"{name}.jsonl", [("1", groups, []), ("2", ["women_girls"], [])])
             for name, groups in (("a", ["youth"]), ("b", ["youth"]), ("c", []), ("d", ["children"]))]
    report = json.loads(_run(*paths).stdout)
    # youth (two of four) is no majority: text 1 gets no code, text 2 women_girls
    assert report["majority"][str(paths[0])]["groups"] == round(2 * 1 / (1 + 2), 4)
    assert report["majority"][str(paths[2])]["groups"] == 1.0


def test_a_repeated_id_a_repeated_file_or_a_changed_text_names_the_file(tmp_path):
    first = _write(tmp_path / "a.jsonl", [("1", [], []), ("2", [], [])])
    second = _write(tmp_path / "b.jsonl", [("1", [], []), ("2", [], [])])
    twice = tmp_path / "twice.jsonl"
    twice.write_text("".join(json.dumps({"id": i, "text": f"text {i}", "groups": [], "causes": []}) + "\n"
                             for i in ("1", 2, "2")), encoding="utf-8")  # 2 and "2": one id to the coders
    changed = tmp_path / "c.jsonl"
    changed.write_text("".join(json.dumps({"id": i, "text": t, "groups": [], "causes": []}) + "\n"
                               for i, t in (("1", "text 1"), ("2", "another text"))), encoding="utf-8")
    for paths, message in (([first, second, twice], r"twice.jsonl row 3: duplicate id '2' \(also on row 2\)"),
                           ([first, second, second], "a file is named twice"),
                           ([first, second, changed], "c.jsonl: the text of id 2 differs from")):
        with pytest.raises(InputError, match=message):
            _script().agreement(paths, None, None)


def test_a_model_is_scored_against_each_coder_and_the_majority(tmp_path):
    texts = {"1": "Refugee children in the camps cannot enrol in secondary school.",
             "2": "Widows in remote mountain villages lose their land to relatives.",
             "3": "The quarterly budget was approved without changes."}

    def write(name, rows):
        path = tmp_path / name
        path.write_text("".join(json.dumps({"id": i, "text": texts[i], "groups": g, "causes": c, "language": "en"})
                                + "\n" for i, g, c in rows), encoding="utf-8")
        return path

    majority_like = write("a.jsonl", [("1", ["displaced_migrants", "children"], ["socioeconomic"]),
                                      ("2", ["women_girls", "rural_remote"], ["geography"]), ("3", [], [])])
    other = write("b.jsonl", [("1", ["children"], []), ("2", ["women_girls", "rural_remote"], ["geography"]),
                              ("3", [], [])])
    third = write("c.jsonl", [("1", ["displaced_migrants", "children"], ["socioeconomic"]),
                              ("2", ["women_girls"], ["discrimination"]), ("3", [], [])])
    result = _run(majority_like, other, third, "--model", REPO / "models/lnob-coder")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    config = json.loads((REPO / "models/lnob-coder/config.json").read_text(encoding="utf-8"))
    model = report["model"]
    assert model["version"] == config["version"]
    assert set(model["against"]) == {str(majority_like), str(other), str(third)}
    # the first coder chose exactly the majority's codes, so the model scores the same against both
    assert model["against_majority"] == model["against"][str(majority_like)]
    assert model["against"][str(majority_like)]["groups"] > model["against"][str(other)]["groups"]


def test_a_missing_model_or_a_codebook_it_does_not_share_is_one_line(tmp_path):
    first = _write(tmp_path / "a.jsonl", [("1", [], [])])
    second = _write(tmp_path / "b.jsonl", [("1", [], [])])
    result = _run(first, second, "--model", tmp_path / "no-model")
    assert result.returncode != 0 and "no-model" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    other = tmp_path / "other.yaml"  # the LNOB codebook with one group renamed
    other.write_text((REPO / "corpora/codebooks/lnob.yaml").read_text(encoding="utf-8").replace(
        "- id: women_girls", "- id: women_and_girls"), encoding="utf-8")
    with pytest.raises(ModelError, match="other.yaml"):
        _script().agreement([first, second], other, REPO / "models/lnob-coder")


def _script():
    """The script as a module, to call ``agreement`` without a process of its own."""
    spec = importlib.util.spec_from_file_location("gold_agreement", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
