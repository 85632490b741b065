"""Training's inputs: the real-text evaluation file beside the gold splits."""

import json

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from synthesis.cli import app
from synthesis.coding.codebook import load_codebook
from synthesis.coding.training import real_eval_items
from synthesis.config import Config
from synthesis.errors import InputError
from synthesis.language import LanguageDetector

CODEBOOK = """name: mine
groups:
  - {id: women, label: Women, patterns: {en: [women, woman]}}
  - {id: older, label: Older people, patterns: {en: [older people, pension]}}
causes:
""" + "".join(f"  - {{id: {c}, label: {c}}}\n" for c in
              ("discrimination", "geography", "governance", "socioeconomic", "shocks_fragility"))
LNOB_LABELLED = '{"id": "r1", "text": "Rural women walk far.", "groups": ["rural_remote"], "causes": []}\n'


@pytest.fixture
def beside_shared(tmp_path, monkeypatch):
    """A working folder whose default real_eval (../shared/eval/real_dev.jsonl) holds texts labelled with the
    LNOB codes, and a codebook of one's own there."""
    (tmp_path / "shared" / "eval").mkdir(parents=True)
    (tmp_path / "shared" / "eval" / "real_dev.jsonl").write_text(LNOB_LABELLED, encoding="utf-8")
    work = tmp_path / "main"
    work.mkdir()
    (work / "mine.yaml").write_text(CODEBOOK, encoding="utf-8")
    monkeypatch.chdir(work)
    return work


def test_the_default_real_eval_is_skipped_when_its_labels_are_not_the_codebooks(beside_shared):
    codebook = load_codebook(beside_shared / "mine.yaml")
    items, skipped = real_eval_items(Config(), codebook, LanguageDetector(("en", "fr")))
    assert items is None
    assert skipped == ("real_eval not scored: ../shared/eval/real_dev.jsonl is labelled with codes the codebook mine "
                       "does not have (rural_remote)")
    items, skipped = real_eval_items(Config(), load_codebook(), LanguageDetector(("en", "fr")))  # the LNOB codebook
    assert [i.id for i in items] == ["r1"] and items[0].language == "en" and skipped == ""


def test_a_broken_default_real_eval_is_still_an_error(beside_shared):
    # only labels a codebook of one's own does not have are a reason to leave the file out
    real = beside_shared.parent / "shared" / "eval" / "real_dev.jsonl"
    real.write_text(LNOB_LABELLED * 2, encoding="utf-8")
    with pytest.raises(InputError, match="row 2: duplicate id 'r1'"):
        real_eval_items(Config(), load_codebook(beside_shared / "mine.yaml"), LanguageDetector(("en", "fr")))
    real.write_text(LNOB_LABELLED.replace('"groups": ["rural_remote"]', '"groups": ["governance"]'), encoding="utf-8")
    with pytest.raises(InputError, match="unknown code 'governance' in \"groups\""):  # a cause as a group
        real_eval_items(Config(), load_codebook(), LanguageDetector(("en", "fr")))


def test_a_real_eval_the_user_named_must_fit_the_codebook(beside_shared):
    config = Config(real_eval=beside_shared.parent / "shared" / "eval" / "real_dev.jsonl")
    with pytest.raises(InputError, match="row 1: unknown code 'rural_remote'"):
        real_eval_items(config, load_codebook(beside_shared / "mine.yaml"), LanguageDetector(("en", "fr")))
    assert real_eval_items(Config(real_eval=beside_shared / "none.jsonl"), load_codebook(),
                           LanguageDetector(("en", "fr"))) == (None, "")


def test_train_with_a_codebook_of_ones_own_beside_the_default_real_eval(beside_shared):
    # before, training ran and then failed on ../shared/eval/real_dev.jsonl, a file the user never named
    gold = beside_shared / "gold"
    gold.mkdir()
    keep = {"women_girls": "women", "older_people": "older"}
    lines = []
    for line in (FIXTURES / "gold_small.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        item["groups"] = [keep[g] for g in item["groups"] if g in keep]
        lines.append(json.dumps(item))
    for name, part in (("train", lines[:30]), ("dev", lines[30:36]), ("test", lines[36:])):
        (gold / f"{name}.jsonl").write_text("\n".join(part) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "--gold", str(gold), "--codebook", "mine.yaml", "--output", "model"])
    assert result.exit_code == 0, result.output
    assert ("note: real_eval not scored: ../shared/eval/real_dev.jsonl is labelled with codes the codebook mine does "
            "not have (rural_remote)") in " ".join(result.output.split())
    config = json.loads((beside_shared / "model" / "config.json").read_text())
    assert config["version"].startswith("mine-") and "real_dev" not in json.loads(
        (beside_shared / "model" / "metrics.json").read_text())
