import textwrap
from pathlib import Path

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


def test_the_default_codebooks_phrases_are_written_as_they_are_matched():
    # "PcD" was loaded as "pcd": the review app's codebook editor, which shows phrases as loaded, then took a form
    # saved unchanged for an edit
    import yaml

    from synthesis.coding.codebook import DEFAULT_CODEBOOK, plain

    raw = yaml.safe_load(DEFAULT_CODEBOOK.read_text(encoding="utf-8"))
    written = [phrase for code in raw["groups"] + raw["causes"] for phrases in code["patterns"].values()
               for phrase in phrases]
    assert written and [p for p in written if plain(p).lower() != p] == []


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
    (f"groups:\n  - {{id: {'a' * 65}, label: A, patterns: {{en: [x]}}}}\ncauses: []\n",
     "ids are at most 64 characters (this one has 65)"),
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


def _codebook(tmp_path, code_lines: str = "patterns: {en: [youth]}\n", top: str = "", causes: str = "") -> Path:
    """A codebook file with one group 'youth' (its fields: ``code_lines``) and one cause (unless ``causes``)."""
    path = tmp_path / "mine.yaml"
    causes = causes or "causes:\n  - {id: governance, label: Governance}\n"
    path.write_text(f"{top}groups:\n  - id: youth\n    label: Youth\n{textwrap.indent(code_lines, '    ')}{causes}",
                    encoding="utf-8")
    return path


def _refusal(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_codebook(path)
    return str(caught.value)


def test_the_test_codebook_is_valid(tmp_path):
    codebook = load_codebook(_codebook(tmp_path, top="languages: [en]\n"))
    assert codebook.ids(GROUP) == ["youth"] and codebook.ids(CAUSE) == ["governance"]


def test_a_file_that_is_not_utf8_is_one_line(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    assert _refusal(path) == f"{path}: not UTF-8 text (invalid byte at offset 9)"


@pytest.mark.parametrize("code_lines, message", [
    ("patterns:\n  en:\n    - youth\n    -\n", "patterns for 'en' item 2 is empty (null), not text"),
    ("patterns: {en: [youth, 5]}\n", "patterns for 'en' item 2 is the number 5, not text (put it in quotes)"),
    ("patterns: {en: [youth, [nested]]}\n", "patterns for 'en' item 2 is a list, not text"),
    ("patterns: {en: [youth]}\nnot_patterns: [youth hostel, ~]\n", "'not_patterns' item 2 is empty (null), not text"),
    ("patterns: {en: [youth]}\ninclude: [{a: b}]\n", "'include' item 1 is a mapping, not text"),
    ("patterns: {en: [youth]}\nexclude: [yes]\n", "'exclude' item 1 is the value true, not text (put it in quotes)"),
    ("patterns: {en: [youth]}\nexamples: [1.5]\n", "'examples' item 1 is the number 1.5, not text (put it in quotes)"),
])
def test_list_items_that_are_not_text_are_refused(tmp_path, code_lines, message):
    path = _codebook(tmp_path, code_lines)
    assert _refusal(path) == f"{path}: code 'youth': {message}"


@pytest.mark.parametrize("code_lines, message", [
    ("patterns: {en: [youth]}\nnot_patterns: youth hostel\n", "'not_patterns' must be a list, not a string"),
    ("patterns: {en: [youth]}\nexamples: Young people here.\n", "'examples' must be a list, not a string"),
    ("patterns: {en: [youth]}\ninclude: x\n", "'include' must be a list, not a string"),
    ("patterns: {en: [youth]}\nexclude: {a: b}\n", "'exclude' must be a list, not a mapping"),
    ("patterns: {en: youth}\n", "patterns for 'en' must be a list, not a string"),
])
def test_a_value_that_is_not_a_list_is_refused(tmp_path, code_lines, message):
    path = _codebook(tmp_path, code_lines)
    assert _refusal(path) == f"{path}: code 'youth': {message}"


@pytest.mark.parametrize("ages", ["[15]", "[24, 15]", "[15, 24.5]", "[-1, 24]", "15-24", "[true, 24]"])
def test_an_age_range_is_two_whole_numbers_in_order(tmp_path, ages):
    path = _codebook(tmp_path, f"patterns: {{en: [youth]}}\nages: {ages}\n")
    assert _refusal(path) == (f"{path}: code 'youth': 'ages' is a group code's age range, two whole numbers such as "
                              "[15, 24]")


def test_the_default_age_ranges():
    ages = {c.id: c.ages for c in load_codebook().codes if c.ages}
    assert ages == {"children": (0, 17), "youth": (15, 24), "older_people": (60, 130)}


@pytest.mark.parametrize("code_lines, top, message", [
    ("patern: {en: [youth]}\n", "", "code 'youth': unknown key 'patern' (allowed: id, label, description, parent, "
                                   "include, exclude, examples, not_patterns, patterns, ages, "
                                   "patterns_in_context, not_in_context)"),
    ("patterns: {en: [youth]}\n", "groupz: []\n", "unknown top-level key 'groupz' (allowed: name, version, languages, "
                                                  "keep_accents, groups, causes)"),
])
def test_unknown_keys_are_refused(tmp_path, code_lines, top, message):
    path = _codebook(tmp_path, code_lines, top)
    assert _refusal(path) == f"{path}: {message}"


@pytest.mark.parametrize("code_lines, top, message", [
    ("id: youth2\npatterns: {en: [youth]}\n", "", "line 4: invalid YAML: duplicate key 'id'"),
    ("patterns: {en: [youth], en: [young]}\n", "", "line 4: invalid YAML: duplicate key 'en'"),
    ("patterns: {en: [youth]}\n", "name: a\nname: b\n", "line 2: invalid YAML: duplicate key 'name'"),
])
def test_duplicate_keys_are_refused_with_their_line(tmp_path, code_lines, top, message):
    path = _codebook(tmp_path, code_lines, top)
    assert _refusal(path) == f"{path} {message}"


def test_yaml_merge_keys_may_still_override(tmp_path):
    path = _codebook(tmp_path, causes="causes:\n  - &cause {id: governance, label: Governance}\n"
                                      "  - {<<: *cause, id: corruption, parent: governance}\n")
    assert load_codebook(path).top("corruption") == "governance"


@pytest.mark.parametrize("groups, causes", [(False, True), (True, False)])
def test_a_codebook_needs_a_group_and_a_cause(tmp_path, groups, causes):
    path = tmp_path / "mine.yaml"
    path.write_text(("groups:\n  - {id: youth, label: Youth, patterns: {en: [youth]}}\n" if groups else "groups: []\n")
                    + ("causes:\n  - {id: governance, label: Governance}\n" if causes else "causes: []\n"))
    assert _refusal(path) == f"{path}: a codebook needs at least one group code and one cause code"


@pytest.mark.parametrize("top, message", [
    ("languages: en\n", "'languages' must be a list, not a string"),
    ("languages: [en, 5]\n", "'languages' item 2 is the number 5, not text (put it in quotes)"),
    ("languages: [en, english]\n", "'languages' item 2 'english' is no ISO 639-1 code (two lower-case letters, e.g. "
                                    "en, es, fr)"),
    ("languages: [EN]\n", "'languages' item 1 'EN' is no ISO 639-1 code (two lower-case letters, e.g. en, es, fr)"),
    ("languages: [en, xx]\n", "'languages' item 2 'xx' is no ISO 639-1 code (two lower-case letters, e.g. en, es, "
                               "fr)"),
])
def test_languages_is_a_list_of_iso_codes(tmp_path, top, message):
    path = _codebook(tmp_path, top=top)
    assert _refusal(path) == f"{path}: {message}"


@pytest.mark.parametrize("field, value, described", [
    ("label", "[A]", "a list"), ("description", "{a: 1}", "a mapping"), ("parent", "[youth]", "a list")])
def test_label_description_and_parent_are_text(tmp_path, field, value, described):
    path = tmp_path / "codebook.yaml"
    label = "" if field == "label" else "    label: Young\n"
    path.write_text("groups:\n  - id: young\n" + label + f"    {field}: {value}\n"
                    "    patterns: {en: [young people]}\n"
                    "causes:\n  - id: poverty\n    label: Poverty\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_codebook(path)
    assert str(caught.value) == f"{path}: code 'young': '{field}' must be text, not {described}"


def test_patterns_in_context_are_read_lower_cased_per_language(tmp_path):
    path = _codebook(tmp_path, "patterns: {en: [youth]}\npatterns_in_context:\n"
                               "  - {patterns: {en: [Pupils], fr: [élèves]}, context: {en: [School], fr: [école]}}\n")
    [(patterns, context)] = load_codebook(path).codes[0].in_context
    assert patterns == {"en": ("pupils",), "fr": ("élèves",)} and context == {"en": ("school",), "fr": ("école",)}


def test_not_in_context_is_read_like_patterns_in_context(tmp_path):
    path = _codebook(tmp_path, "patterns: {en: [youth]}\nnot_in_context:\n"
                               "  - {patterns: {en: [Youth]}, context: {en: [Hostel, league]}}\n")
    code = load_codebook(path).codes[0]
    assert code.not_in_context == (({"en": ("youth",)}, {"en": ("hostel", "league")}),) and code.in_context == ()


@pytest.mark.parametrize("block, message", [
    ("not_in_context: {patterns: {en: [a]}, context: {en: [b]}}", "'not_in_context' is a list of mappings"),
    ("not_in_context: [{patterns: {en: [a]}, context: {}}]", "not_in_context[1] needs patterns and context"),
    ("patterns_in_context: {patterns: {en: [a]}, context: {en: [b]}}", "'patterns_in_context' is a list of mappings"),
    ("patterns_in_context: [{patterns: {en: [a]}}]", "patterns_in_context[1]: 'patterns_in_context' is a list"),
    ("patterns_in_context: [{patterns: {en: [a]}, context: {en: [b]}, near: {}}]", "patterns_in_context[1]:"),
    ("patterns_in_context: [{patterns: {en: [a]}, context: {}}]", "patterns_in_context[1] needs patterns and context"),
    ("patterns_in_context: [{patterns: {en: [a]}, context: {en: []}}]", "context for 'en' are empty"),
    ("patterns_in_context: [{patterns: {en: [a]}, context: {en: ['  ']}}]", "an empty context word in 'en'"),
    ("patterns_in_context: [{patterns: {en: a}, context: {en: [b]}}]", "patterns for 'en' must be a list"),
])
def test_bad_patterns_in_context_are_refused(tmp_path, block, message):
    path = _codebook(tmp_path, f"patterns: {{en: [youth]}}\n{block}\n")
    refusal = _refusal(path)
    assert refusal.startswith(f"{path}: code 'youth'") and message in refusal


def test_patterns_in_context_belong_to_group_codes(tmp_path):
    path = _codebook(tmp_path, causes="causes:\n  - id: governance\n    label: Governance\n    patterns_in_context:"
                                      " [{patterns: {en: [a]}, context: {en: [b]}}]\n")
    assert "(group codes only)" in _refusal(path)


def test_keep_accents_is_a_list_of_the_codebooks_spanish_and_french_phrases(tmp_path):
    lines = "patterns: {en: [youth], es: [jóvenes, bebé], fr: [élèves]}\n"
    codebook = load_codebook(_codebook(tmp_path, lines, top="keep_accents: [Bebé, ' élèves ']\n"))
    assert codebook.keep_accents == frozenset({"bebé", "élèves"})
    path = _codebook(tmp_path, lines, top="keep_accents: bebé\n")
    assert _refusal(path) == f"{path}: 'keep_accents' must be a list, not a string"
    path = _codebook(tmp_path, lines, top="keep_accents: [bébé]\n")
    assert _refusal(path) == f"{path}: keep_accents: 'bébé' is no Spanish or French phrase of the codebook"


@pytest.mark.parametrize("code_lines, message", [
    ("patterns: {en: [youth], ES: [jóvenes]}\n", "patterns for 'ES': not one of the codebook's languages (en, es, fr"),
    ("patterns: {en: [youth], de: [Jugend]}\n", "patterns for 'de': not one of the codebook's languages"),
    ("patterns: {en: [youth], 1: [x]}\n", "patterns for '1': not one of the codebook's languages"),
    ("patterns: {en: [youth]}\nnot_in_context: [{patterns: {en: [youth]}, context: {EN: [hostel]}}]\n",
     "not_in_context[1]: context for 'EN': not one of the codebook's languages"),
])
def test_pattern_languages_are_the_codebooks_languages(tmp_path, code_lines, message):
    # accent folding and the matchers go by these codes: "ES" phrases were silently never folded
    path = _codebook(tmp_path, code_lines)
    refusal = _refusal(path)
    assert refusal.startswith(f"{path}: code 'youth': ") and message in refusal
    listed = _codebook(tmp_path, "patterns: {en: [youth], de: [Jugend]}\n", top="languages: [en, de]\n")
    assert load_codebook(listed).codes[0].patterns == {"en": ("youth",), "de": ("jugend",)}


def test_phrases_are_read_as_the_finder_reads_texts(tmp_path):
    # decomposed accents (as macOS writes them) and typographic apostrophes and hyphens never matched before
    lines = ("patterns: {en: [\"women\u2019s rights\", low\u2011income], es: [\"nin\u0303as\"]}\n"
             "not_patterns: [\"  Youth\u2019s Hostel  \"]\n"
             "not_in_context: [{patterns: {es: [\"nin\u0303os\"]}, context: {es: [\"proceso\u2010hijo\"]}}]\n")
    code = load_codebook(_codebook(tmp_path, lines, top="keep_accents: [\"nin\u0303as\"]\n")).codes[0]
    assert code.patterns == {"en": ("women's rights", "low-income"), "es": ("niñas",)}
    assert code.not_patterns == ("youth's hostel",)
    assert code.not_in_context == (({"es": ("niños",)}, {"es": ("proceso-hijo",)}),)
    assert load_codebook(_codebook(tmp_path, lines, top="keep_accents: [\"nin\u0303as\"]\n")).keep_accents == {"niñas"}


def test_decomposed_and_typographic_patterns_find_their_mentions(tmp_path):
    from synthesis.coding.mentions import CandidateFinder

    lines = "patterns: {en: [\"women\u2019s rights\"], es: [\"nin\u0303as\"]}\n"
    finder = CandidateFinder(load_codebook(_codebook(tmp_path, lines)))
    for text, language, found in [("For women's rights.", "en", "women's rights"),
                                  ("For women\u2019s rights.", "en", "women\u2019s rights"),
                                  ("Las niñas.", "es", "niñas"), ("Las nin\u0303as.", "es", "nin\u0303as")]:
        assert [(c.code, c.text) for c in finder.find(text, language)] == [("youth", found)], text


@pytest.mark.parametrize("code_lines, message", [
    ("patterns: {en: [youth]}\nnot_patterns: [youth hostel, '  ']\n", "code 'youth': an empty not-pattern"),
    ("patterns: {en: [youth, '-']}\n", "code 'youth': the pattern in 'en' '-' holds no letter or digit"),
    ("patterns: {en: ['!!!']}\n", "code 'youth': the pattern in 'en' '!!!' holds no letter or digit"),
    ("patterns: {en: [youth]}\nnot_patterns: ['...']\n", "code 'youth': the not-pattern '...' holds no letter or"),
])
def test_empty_and_punctuation_only_phrases_are_refused(tmp_path, code_lines, message):
    path = _codebook(tmp_path, code_lines)
    assert _refusal(path).startswith(f"{path}: {message}")


@pytest.mark.parametrize("id_value, described", [("010", "the number 8"), ("0x1f", "the number 31"),
                                                 ("no", "the value false"), ("0", "the number 0"),
                                                 ("1_000", "the number 1000")])
def test_an_id_that_yaml_reads_as_a_number_or_boolean_is_refused(tmp_path, id_value, described):
    path = tmp_path / "mine.yaml"
    path.write_text(f"groups:\n  - {{id: {id_value}, label: A, patterns: {{en: [x]}}}}\n"
                    "causes:\n  - {id: governance, label: G}\n", encoding="utf-8")
    assert _refusal(path) == f"{path}: groups[1]: 'id' must be text, not {described} (put it in quotes)"


@pytest.mark.parametrize("top, message", [
    ("name: ~\n", "'name' must be text, not empty (null)"), ("name: [a, b]\n", "'name' must be text, not a list"),
    ("name: '  '\n", "'name' is empty"), ("version: ~\n", "'version' must be text, not empty (null)"),
    ("version: 1.5\n", "'version' must be text, not the number 1.5 (put it in quotes)"),
    ("name: 2016\n", "'name' must be text, not the number 2016 (put it in quotes)"),
])
def test_name_and_version_are_text(tmp_path, top, message):
    # they make the model's version ("None-e0f3ab8776" before)
    path = _codebook(tmp_path, top=top)
    assert _refusal(path) == f"{path}: {message}"
    assert load_codebook(_codebook(tmp_path, top="name: mine\nversion: 2\n")).version == "2"


def test_a_blank_label_is_refused(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("groups:\n  - {id: a, label: '  ', patterns: {en: [x]}}\ncauses:\n  - {id: g, label: G}\n")
    assert _refusal(path) == f"{path}: code 'a': the 'label' is empty"


@pytest.mark.parametrize("broken, message", [
    ('    label: "Youth\n', 'line 8: invalid YAML: found unexpected end of stream (while scanning a quoted scalar '
                          'that began at line 3)'),
    ("    label Youth\n    description: young\n", "line 4: invalid YAML: could not find expected ':' (while "
                                                    "scanning a simple key that began at line 3)"),
])
def test_yaml_errors_name_the_line_where_the_broken_text_began(tmp_path, broken, message):
    path = tmp_path / "mine.yaml"
    path.write_text(f"groups:\n  - id: youth\n{broken}    patterns: {{en: [youth]}}\n"
                    "causes:\n  - id: governance\n    label: Governance\n", encoding="utf-8")
    assert _refusal(path) == f"{path} {message}"


def test_yaml_nested_too_deeply_is_one_line(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("a: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    assert _refusal(path) == f"{path}: invalid YAML: nested too deeply"


def test_patterns_are_read_with_single_spaces_and_no_invisible_characters(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text(
        "groups:\n"
        "  - id: albinism\n"
        "    label: People with albinism\n"
        "    description:\n"
        "    patterns:\n"
        '      en: ["people  with albinism", "albino\\tchildren", "persons\\u00a0with\\u200b albinism"]\n'
        "      fr: |\n"
        "        - x\n"
        "    not_patterns: [\"albino\\nrats\"]\n"
        "causes:\n"
        "  - id: stigma\n"
        "    label: Stigma\n"
        "    description: null\n", encoding="utf-8")
    with pytest.raises(ConfigError):  # a YAML block string is no list of phrases
        load_codebook(path)
    path.write_text(path.read_text(encoding="utf-8").replace("      fr: |\n        - x\n", ""), encoding="utf-8")
    codebook = load_codebook(path)
    group, cause = codebook.codes
    assert group.patterns == {"en": ("people with albinism", "albino children", "persons with albinism")}
    assert group.not_patterns == ("albino rats",)
    assert group.description == cause.description == ""  # an empty description is no text "None"


def test_a_control_character_in_the_yaml_is_an_error_with_its_line(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text("groups:\n  - id: women\n    label: Women\n    description: pasted\x0bfrom Word\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cb.yaml line 4: invalid YAML: unacceptable character #x000b"):
        load_codebook(path)
