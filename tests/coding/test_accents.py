"""Spanish and French typed without accents: the unaccented forms of the codebook's phrases."""

from synthesis.coding.accents import fold, forms_to_add, unaccented


def test_fold_removes_accents_and_keeps_everything_else():
    assert fold("jóvenes indígenas") == "jovenes indigenas"
    assert fold("niños, niñez, personnes âgées, ouïghours") == "ninos, ninez, personnes agees, ouighours"
    assert fold("d\u2019asile") == "d\u2019asile" and fold("plain text") == "plain text"
    assert fold("nin\u0303os") == "ninos"  # a decomposed accent too


def test_unaccented_forms_of_accented_phrases_only_less_the_kept_ones():
    forms = unaccented(["jóvenes", "mujeres", "bebé", "personnes âgées"], keep=frozenset({"bebé"}))
    assert forms == {"jovenes": "jóvenes", "personnes agees": "personnes âgées"}


def test_two_phrases_that_fold_alike_give_one_form_for_the_first():
    assert unaccented(["yézidi", "yezidí"]) == {"yezidi": "yezidí"}


def test_forms_to_add_leave_out_the_codes_own_phrases_as_written():
    assert forms_to_add(["jóvenes", "pensión"], own=["jóvenes", "pensión", "pension"]) == {"jovenes": "jóvenes"}
