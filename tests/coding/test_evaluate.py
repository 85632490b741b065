from synthesis.coding.codebook import load_codebook
from synthesis.coding.evaluate import score
from synthesis.records import Coding, LabelledText


def _coding(groups=(), causes=()):
    return Coding(tuple(groups), tuple(causes), (), {}, {})


def test_micro_macro_and_per_code_scores_by_hand():
    gold = [LabelledText("1", "a", ("women_girls",), ("discrimination",), "en"),
            LabelledText("2", "b", ("women_girls", "youth"), (), "en"),
            LabelledText("3", "c", (), ("geography",), "es")]
    predicted = [_coding(["women_girls"], ["discrimination"]), _coding(["women_girls"], ["geography"]),
                 _coding(["youth"], ["geography"])]
    report = score(gold, predicted, load_codebook())
    groups = report["groups"]
    assert groups["per_code"]["women_girls"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}
    assert groups["per_code"]["youth"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert (groups["micro_precision"], groups["micro_recall"]) == (0.6667, 0.6667)
    assert groups["macro_f1"] == 0.5  # mean over codes in gold or predictions: women_girls 1.0, youth 0.0
    assert report["causes"]["micro_f1"] == 0.8
    assert report["by_language"]["es"]["n"] == 1


def test_macro_f1_counts_a_code_predicted_but_never_true_and_one_language_has_its_own_scores():
    gold = [LabelledText("1", "a", ("women_girls",), (), "en"), LabelledText("2", "b", (), (), "en")]
    predicted = [_coding(["women_girls"]), _coding(["older_people"])]
    report = score(gold, predicted, load_codebook())
    assert report["groups"]["per_code"]["older_people"]["support"] == 0
    assert report["groups"]["macro_f1"] == 0.5  # women_girls 1.0, older_people 0.0 (a false positive)
    assert report["causes"]["macro_f1"] == 0.0  # nothing in gold, nothing predicted
    assert report["by_language"]["en"]["groups"]["micro_f1"] == report["groups"]["micro_f1"]
