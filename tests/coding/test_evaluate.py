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
    assert groups["macro_f1"] == 0.5  # mean over codes with support: women_girls 1.0, youth 0.0
    assert report["causes"]["micro_f1"] == 0.8
    assert report["by_language"]["es"]["n"] == 1
