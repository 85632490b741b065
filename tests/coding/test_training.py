"""Training's inputs: the real-text evaluation file beside the gold splits."""

import json

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from synthesis.cli import app
from synthesis.coding.codebook import load_codebook
from synthesis.coding.training import data_sha256, real_eval_items
from synthesis.config import Config
from synthesis.errors import InputError
from synthesis.language import LanguageDetector
from synthesis.records import LabelledText
from synthesis.segment import normalise

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
    # a file the user named that is not there is not scored, with a note (a typo is not passed over in silence)
    items, note = real_eval_items(Config(real_eval=beside_shared / "none.jsonl"), load_codebook(),
                                  LanguageDetector(("en", "fr")))
    assert items is None and note == f"real_eval not scored: {beside_shared / 'none.jsonl'} not found"


def test_the_default_real_eval_is_passed_over_quietly_where_it_is_absent(tmp_path, monkeypatch):
    (tmp_path / "main").mkdir()
    monkeypatch.chdir(tmp_path / "main")  # no ../shared, as on many machines
    assert real_eval_items(Config(), load_codebook(), LanguageDetector(("en", "fr"))) == (None, "")


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
    # the card describes this codebook and data, not the bundled corpus's (before: "English, Spanish and French
    # patterns", "UNDP's five factors", a second coder's file and a real-text table it did not have)
    card = " ".join((beside_shared / "model" / "README.md").read_text(encoding="utf-8").split())
    assert "the codebook's English patterns find candidate mentions" in card and "Languages: English patterns" in card
    for untrue in ("Spanish", "second-coder", "real-text table", "illustrative corpus", "without their accents"):
        assert untrue not in card
    assert "root causes (UNDP's five factors)" in card  # its causes are the five factors


def test_the_training_data_hash_covers_each_texts_language():
    # the language picks the phrases a text is matched with: another language, another model and version
    english = [LabelledText("1", "Los mayores", ("older_people",), (), "en")]
    spanish = [LabelledText("1", "Los mayores", ("older_people",), (), "es")]
    assert data_sha256(english) != data_sha256(spanish)


def test_reviewed_texts_that_are_scored_are_not_trained_on(tmp_path, monkeypatch):
    # a reviewer may correct a segment that is also a gold test text: training on it inflated the test score
    from synthesis.coding import training

    gold = tmp_path / "gold"
    gold.mkdir()
    lines = (FIXTURES / "gold_small.jsonl").read_text(encoding="utf-8").splitlines()
    for name, part in (("train", lines[:30]), ("dev", lines[30:36]), ("test", lines[36:])):
        (gold / f"{name}.jsonl").write_text("\n".join(part) + "\n", encoding="utf-8")
    test_text = json.loads(lines[36])["text"]
    # as ingest stores it: white space folded, no invisible characters, NFC
    stored = "\u00ad".join("  ".join(test_text.split()).split(" ", 1))
    reviews = [LabelledText("r1", stored, (), ()),
               LabelledText("r2", "Widows in the hills cannot inherit land.", ("women_girls",), ("discrimination",))]
    trained_on = []
    fit = training.CodingModel.fit
    monkeypatch.setattr(training.CodingModel, "fit", lambda self, train, dev, causes_only=(): (
        trained_on.extend(i.text for i in train), fit(self, train, dev, causes_only))[1])
    config = Config(gold_dir=gold, cache_dir=tmp_path / "cache", real_eval=tmp_path / "none.jsonl")
    info = training.train(config, tmp_path / "model", extra=reviews)
    assert (info["reviews_used"], info["reviews_held_out"]) == (1, 1)
    assert "Widows in the hills cannot inherit land." in trained_on
    assert not any(normalise(t) == normalise(test_text) for t in trained_on)
    card = (tmp_path / "model" / "README.md").read_text(encoding="utf-8")
    assert "1 more reviewed texts are dev, test or real-text texts and were not trained on" in " ".join(card.split())


def test_the_model_card_lists_a_codebooks_sub_codes_under_their_codes(tmp_path):
    from synthesis.coding.model_card import model_card

    path = tmp_path / "mine.yaml"
    path.write_text(CODEBOOK.replace("causes:\n", "  - {id: widows, label: Widows, parent: women, "
                                                  "patterns: {en: [widows]}}\ncauses:\n")
                    + "  - {id: land_law, label: Land law, parent: governance, patterns: {en: [land law]}}\n",
                    encoding="utf-8")
    codebook = load_codebook(path)
    scores = {"per_code": {}, "micro_precision": 1.0, "micro_recall": 1.0, "micro_f1": 1.0, "macro_f1": 1.0}
    info = {"version": "mine-1", "codebook_sha256": "0" * 64, "train_size": 3, "dev_size": 1, "test_size": 1,
            "training_data_sha256": "1" * 64}
    card = model_card(info, {"test": {"groups": scores, "causes": scores}}, codebook, {"gold": "gold"})
    assert "## Sub-codes" in card
    assert "- `women` (Women): `widows` (Widows)" in card
    assert "- `governance` (governance): `land_law` (Land law)" in card
    # before, a codebook's sub-codes were in no part of the card; a codebook without any gets no such section
    (tmp_path / "plain.yaml").write_text(CODEBOOK, encoding="utf-8")
    plain = load_codebook(tmp_path / "plain.yaml")
    metrics = {"test": {"groups": scores, "causes": scores}}
    assert "## Sub-codes" not in model_card(info, metrics, plain, {"gold": "gold"})
