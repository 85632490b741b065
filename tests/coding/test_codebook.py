import pytest

from synthesis.coding.codebook import CAUSE, GROUP, load_codebook
from synthesis.errors import ConfigError

FIXED_GROUPS = ["women_girls", "children", "youth", "older_people", "disability", "mental_health",
                "ethnic_religious_minorities", "indigenous", "caste_descent", "lgbtqi", "rural_remote", "urban_poor",
                "displaced_migrants", "forced_labour", "people_in_poverty", "hiv_health", "informal_workers"]
FIXED_CAUSES = ["discrimination", "geography", "governance", "socioeconomic", "shocks_fragility"]


def test_default_codebook_has_the_fixed_ids_and_patterns_in_three_languages():
    codebook = load_codebook()
    assert codebook.ids(GROUP) == FIXED_GROUPS
    assert codebook.ids(CAUSE) == FIXED_CAUSES
    for code in codebook.codes:
        assert code.description and code.label
        assert set(code.patterns) == {"en", "es", "fr"}, code.id


@pytest.mark.parametrize("text, message", [
    ("groups: [\n  - {id: a, label: A\ncauses: []\n", "line"),
    ("groups:\n  - {id: a, label: A, patterns: {en: [x]}}\n  - {id: a, label: B, patterns: {en: [y]}}\ncauses: []\n",
     "duplicate code id 'a'"),
    ("groups:\n  - {id: a, label: A, patterns: {en: []}}\ncauses: []\n", "patterns for 'en' are empty"),
    ("groups:\n  - {id: a, label: A, patterns: {en: ['  ']}}\ncauses: []\n", "an empty pattern"),
    ("groups:\n  - {id: a, label: A}\ncauses: []\n", "needs patterns"),
    ("groups:\n  - {label: A}\ncauses: []\n", "needs an 'id'"),
    ("causes: []\n", "needs 'groups' and 'causes'"),
    ("groups:\n  - {id: a, label: A, patterns: {en: [x]}}\n  - {id: b, label: B, parent: zz}\ncauses: []\n",
     "parent 'zz'"),
])
def test_invalid_codebooks_get_one_clear_message(tmp_path, text, message):
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_codebook(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_sub_codes_roll_up_to_their_parent(tmp_path):
    path = tmp_path / "sub.yaml"
    path.write_text("groups:\n  - {id: a, label: A, patterns: {en: [x]}}\n"
                    "causes:\n  - {id: governance, label: G}\n  - {id: corruption, label: C, parent: governance}\n")
    codebook = load_codebook(path)
    assert codebook.ids(CAUSE) == ["governance"] and codebook.top("corruption") == "governance"
