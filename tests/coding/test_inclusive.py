"""Inclusive writing ("enfant·e·s handicapé·e·s", "niñ@s") is matched as the phrases' plural, offsets as given."""

import pytest

from synthesis.coding.codebook import load_codebook
from synthesis.coding.inclusive import fold_inclusive
from synthesis.coding.mentions import CandidateFinder


@pytest.fixture(scope="module")
def finder():
    return CandidateFinder(load_codebook())


@pytest.mark.parametrize("text, language, folded", [
    ("Les enfant·e·s handicapé·e·s", "fr", "Les enfants handicapés"),
    ("Les enfant.e.s handicapé.e.s", "fr", "Les enfants handicapés"),
    ("handicapé·es et citoyen(ne)s", "fr", "handicapés et citoyens"),
    ("travailleur·euse·s du sexe", "fr", "travailleurs du sexe"),
    ("une personne handicapé·e.", "fr", "une personne handicapé."),
    ("Los niñ@s y l@s trabajador@s", "es", "Los niños y los trabajadores"),
    ("Les niñxs de la calle y trabajadorxs", "es", "Les niños de la calle y trabajadores"),
    ("maria@ong.org", "es", None),  # an address: no "@" for a vowel
    ("Les enfants heureux et les animaux", "fr", None),  # "x" is read as a vowel only in Spanish
    ("taxes and boxes, i.e. the poor", "en", None),
    ("Les femmes.Les enfants.", "fr", None),  # a full stop with no space after it
])
def test_inclusive_forms_fold_to_the_plural_the_phrases_use(text, language, folded):
    result = fold_inclusive(text, language)
    assert (result[0] if result else None) == folded
    if result:  # each character of the folded text is the character of the text at its position, or its vowel
        assert all(text[k] == c or c in "oe" for k, c in zip(result[1], result[0]))


@pytest.mark.parametrize("text, language, expected", [
    # before: no group at all (spaCy keeps "enfant·e·s" and "niñ@s" one token)
    ("Les enfant·e·s handicapé·e·s ne vont pas à l’école.", "fr",
     {("children", "enfant·e·s handicapé·e·s"), ("disability", "handicapé·e·s")}),
    ("Les  enfant.e.s\nhandicapé.e.s ne vont pas à l'école.", "fr",
     {("children", "enfant.e.s\nhandicapé.e.s"), ("disability", "handicapé.e.s")}),
    ("LES ENFANT·E·S HANDICAPÉ·E·S", "fr", {("children", "ENFANT·E·S HANDICAPÉ·E·S"), ("disability", "HANDICAPÉ·E·S")}),
    ("Los niñ@s de la calle no tienen documentos.", "es",
     {("children", "niñ@s de la calle"), ("urban_poor", "niñ@s de la calle")}),
    ("Les niñxs de la calle no tienen documentos.", "es",
     {("children", "niñxs de la calle"), ("urban_poor", "niñxs de la calle")}),
])
def test_the_finder_reads_inclusive_forms_and_cites_them_as_written(finder, text, language, expected):
    found = finder.find(text, language)
    assert {(c.code, c.text) for c in found} >= expected
    assert all(text[c.start:c.end] == c.text for c in found)


@pytest.mark.parametrize("text, language, code", [
    ("Las PcD no encuentran trabajo.", "es", "disability"),
    ("Les PDI du Nord vivent sous des tentes.", "fr", "displaced_migrants"),
    ("Les niñes de la comunidad no van a la escuela.", "es", "children"),
])
def test_abbreviations_and_neutral_forms_are_phrases(finder, text, language, code):
    assert code in {c.code for c in finder.find(text, language)}
