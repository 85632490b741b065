from synthesis.coding.codebook import load_codebook
from synthesis.coding.evaluate import disagreements, majority, score
from synthesis.records import Coding, LabelledText, Mention


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


def test_disagreements_name_the_codes_missed_and_added_and_the_groups_no_pattern_found():
    gold = [LabelledText("1", "Rural women lack land.", ("women_girls", "rural_remote"), ("socioeconomic",), "en"),
            LabelledText("2", "Older people wait.", ("older_people",), (), "en"),
            LabelledText("3", "Nothing here.", (), (), "en")]
    women = Mention("women_girls", 6, 11, "women", 0.97)
    predicted = [
        Coding(("women_girls",), ("socioeconomic", "governance"), (women,),
               {"women_girls": 0.97, "rural_remote": 0.0}, {"socioeconomic": 0.8, "governance": 0.6}),
        Coding(("older_people",), (), (), {"older_people": 0.9}, {}),
        Coding(("youth",), (), (), {"youth": 0.7}, {})]
    records = disagreements(gold, predicted, load_codebook())
    assert [r["id"] for r in records] == ["1", "3"]  # the second text is coded as labelled
    first, third = records
    assert (first["missed_groups"], first["extra_groups"]) == (["rural_remote"], [])
    assert (first["missed_causes"], first["extra_causes"]) == ([], ["governance"])
    assert first["unmatched_groups"] == ["rural_remote"]  # no candidate at all: a gap in the phrases
    assert first["mentions"] == [{"code": "women_girls", "start": 6, "end": 11, "text": "women", "score": 0.97}]
    assert first["scores"] == {"rural_remote": 0.0, "governance": 0.6}
    assert third["extra_groups"] == ["youth"] and third["unmatched_groups"] == []


def test_majority_keeps_the_codes_more_than_half_of_the_coders_chose():
    def coder(*labels):
        return [LabelledText(str(n), f"text {n}", groups, causes, "en") for n, (groups, causes) in enumerate(labels)]

    agreed = majority([coder((("youth", "children"), ("geography",)), ((), ())),
                       coder((("youth",), ("geography", "governance")), (("women_girls",), ())),
                       coder((("children", "youth"), ()), (("women_girls",), ("discrimination",)))])
    assert [(a.groups, a.causes) for a in agreed] == [(("youth", "children"), ("geography",)), (("women_girls",), ())]
    assert agreed[0].text == "text 0" and agreed[0].language == "en"
    # two of four is no majority
    tie = majority([coder((("youth",), ())), coder((("youth",), ())), coder(((), ())), coder(((), ()))])
    assert tie[0].groups == ()
