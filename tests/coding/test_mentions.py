import pytest

from synthesis.coding.codebook import load_codebook
from synthesis.coding.mentions import CandidateFinder


@pytest.fixture(scope="module")
def finder():
    return CandidateFinder(load_codebook())


def _groups(finder, text, language="en"):
    return [(c.code, c.text) for c in finder.find(text, language) if c.code not in
            {"discrimination", "geography", "governance", "socioeconomic", "shocks_fragility"}]


def test_offsets_are_exact_and_intersections_yield_every_code(finder):
    text = "Rural women with disabilities walk for hours."
    found = finder.find(text)
    for c in found:
        assert text[c.start:c.end] == c.text
    assert {code for code, _ in _groups(finder, text)} == {"rural_remote", "women_girls", "disability"}


@pytest.mark.parametrize("text", [
    "We compared it with the older version of the plan.",
    "Minority shareholders objected to the minority stake.",
    "Delegates stayed at the youth hostel.",
    "Remote sensing data were used for the maps.",
    "The rural electrification budget line was cut.",
])
def test_non_group_phrases_do_not_fire(finder, text):
    assert _groups(finder, text) == []


def test_spanish_and_french_patterns(finder):
    assert {c for c, _ in _groups(finder, "Las mujeres indígenas del altiplano.", "es")} >= {"women_girls", "indigenous"}
    assert {c for c, _ in _groups(finder, "Les personnes handicapées des zones rurales.", "fr")} == {
        "disability", "rural_remote"}


def test_negation_is_a_feature_but_not_only_is_not_negation(finder):
    [refugees] = [c for c in finder.find("We did not discuss refugees.") if c.code == "displaced_migrants"]
    assert refugees.features["negated"] == 1
    [women] = [c for c in finder.find("Not only women are affected.") if c.code == "women_girls"]
    assert women.features["negated"] == 0


def test_group_kind_only_and_shared_contexts_give_the_same_candidates(finder):
    texts = ["We did not discuss refugees.", "Not only women are affected.", "Refugees lack water.",
             "No refugees came. Refugees lack water.", "We did not discuss refugees.", "Rural women vote."]
    fresh = [CandidateFinder(load_codebook()).find(t) for t in texts]  # an empty context cache for each text
    together = finder.find_many(texts, ["en"] * len(texts))
    groups_only = finder.find_many(texts, ["en"] * len(texts), kinds=("group",))
    assert together == fresh
    codebook = load_codebook()
    assert groups_only == [[c for c in found if codebook.top(c.code) in codebook.ids("group")] for found in fresh]
    negated, plain = together[3][0], together[3][1]  # the same word, one sentence after a negation
    assert (negated.features["negated"], plain.features["negated"]) == (1, 0)


@pytest.mark.parametrize("text, language, code", [
    ("We didn't discuss persons with disabilities.", "en", "disability"),
    ("We didn\u2019t discuss persons with disabilities.", "en", "disability"),
    ("Refugees were not\n discussed in any group.", "en", "displaced_migrants"),
    ("La situation des personnes handicapées n'a pas été discutée.", "fr", "disability"),
    ("No se discutió la situación de las personas migrantes.", "es", "displaced_migrants"),
])
def test_a_sentence_reporting_a_group_as_not_discussed_is_a_feature(finder, text, language, code):
    [mention] = [c for c in finder.find(text, language) if c.code == code]
    assert mention.features["not_discussed"] == 1


def test_not_discussed_reads_only_the_mentions_own_sentence(finder):
    found = finder.find("Refugees lack water. We did not discuss women.")
    flags = {c.code: c.features["not_discussed"] for c in found if c.code in ("displaced_migrants", "women_girls")}
    assert flags == {"displaced_migrants": 0, "women_girls": 1}
