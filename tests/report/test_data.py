"""What the reports read from the store: one name per country, one dialogue country per country."""

from __future__ import annotations

from dataclasses import replace

import pytest

from synthesis.report.data import _one_name_per_country, country_names, dialogue_countries
from synthesis.store import DialogueRow, ReportUnit, RespondentCounts


def _row(document_id, country, title="", date="", language="en", path="d.txt", iso=""):
    return DialogueRow(document_id, country, iso, title, date, "", language, path, "txt")


def _unit(segment_id, document_id, kind, country):
    return ReportUnit(segment_id, document_id, kind, "answer", "text", 0, 4, 0, "es", country, "", "", "", "",
                      "x.csv", "", "", "")


def test_spellings_of_one_country_are_one_name_the_dialogues():
    names = country_names(["Perú", "Kenya"], {"Peru": 5, "PERU": 2, "perú": 1, "kenya": 3, "Viet Nam": 2,
                                               "Vietnam": 1, "": 4})
    assert names == {"Perú": "Perú", "Kenya": "Kenya", "Peru": "Perú", "PERU": "Perú", "perú": "Perú",
                     "kenya": "Kenya", "Viet Nam": "Vietnam", "Vietnam": "Vietnam"}


def test_units_respondents_and_documents_take_that_name_and_a_country_left_blank_is_none():
    rows = [_row(1, "Perú"), _row(2, "", path="/corpus/notes.txt"), _row(3, "")]
    units = (_unit(1, 1, "dialogue", "Perú"), _unit(2, 2, "dialogue", ""), _unit(3, 4, "consultation", "PERU"),
             _unit(4, 5, "consultation", ""))
    counts = RespondentCounts(3, {}, {}, {}, {"PERU": 1, "Peru": 1, "": 1})
    units, rows, counts = _one_name_per_country(units, rows, counts)
    assert [u.country for u in units] == ["Perú", "No country given (notes.txt)", "Perú", ""]
    # sorted by the names reports give them
    assert [r.country for r in rows] == ["No country given (d.txt)", "No country given (notes.txt)", "Perú"]
    assert [r.iso for r in rows] == ["", "", "PER"]  # described by its header only: the ISO code of its name
    assert counts.country == {"Perú": 2, "": 1}


def test_a_country_in_several_documents_is_one_dialogue_country():
    rows = [_row(1, "Kenya", "Day one", "2017-01-15", path="a.txt"),
            _row(2, "Kenya", "Day two", "2017-01-16", language="es", path="b.txt", iso="KEN"),
            _row(3, "Fiji", "Suva", path="c.txt")]
    (kenya, documents), (fiji, _) = dialogue_countries(rows)
    assert [d.document_id for d in documents] == [1, 2] and fiji == rows[2]
    assert (kenya.title, kenya.date, kenya.iso) == ("Day one; Day two", "2017-01-15; 2017-01-16", "KEN")
    assert kenya.attributes["language_name"] == "English; Spanish"


def test_iso_codes_of_country_names_in_three_languages():
    from synthesis.report.regions import iso_of

    assert [iso_of(n) for n in ("Rwanda", "PERU", "Pérou", "Costa de Marfil", "Côte d'Ivoire", "Palestine",
                                "Estado de Palestina", "East Timor", "Viet Nam", "Congo")] == [
        "RWA", "PER", "PER", "CIV", "CIV", "PSE", "PSE", "TLS", "VNM", "COG"]
    assert iso_of("Korea") == iso_of("Narnia") == iso_of("") == ""  # two countries' names begin so; none


def test_spellings_of_one_iso_code_are_one_country():
    # before, "Bolivia (Plurinational State of)" and "Bolivia" were two countries (the profile counted one of its
    # four respondents), and "Ivory Coast" a second, region-less profile beside "Côte d'Ivoire"
    names = country_names(["Bolivia (Plurinational State of)", "Côte d'Ivoire", "Ivory Coast"],
                          {"Bolivia": 2, "Bolivie": 1, "bolivia (plurinational state of)": 1, "Cote d'Ivoire": 3})
    assert set(names.values()) == {"Bolivia (Plurinational State of)", "Côte d'Ivoire"}
    assert names["Bolivie"] == names["Bolivia"] == "Bolivia (Plurinational State of)"
    assert names["Ivory Coast"] == "Côte d'Ivoire"


def test_iso_codes_and_regions_of_names_in_common_and_un_use():
    from synthesis.report.regions import iso_of, region_of

    africa, americas = "Sub-Saharan Africa", "Latin America and the Caribbean"
    for name, iso, region in [("Ivory Coast", "CIV", africa), ("The Gambia", "GMB", africa), ("Guinea", "GIN", africa),
                              ("Democratic Republic of the Congo", "COD", africa), ("Venezuela", "VEN", americas),
                              ("Bolivia (Estado Plurinacional de)", "BOL", americas),
                              ("Turkey", "TUR", "Europe and Central Asia"), ("UK", "GBR", "Other"),
                              ("Congo (Democratic Republic of the)", "COD", africa), ("Congo", "COG", africa),
                              ("Congo (Kinshasa)", "COD", africa)]:
        assert (iso_of(name), region_of(iso_of(name))) == (iso, region), name
    # the two Congos stay two countries (cut at its parenthesis, the first was read as the second)
    assert country_names(["Congo (Democratic Republic of the)", "Congo"], {"Congo": 40})["Congo"] == "Congo"


@pytest.mark.parametrize("name, iso", [
    ("Burkina", "BFA"), ("RD Congo", "COD"), ("RD del Congo", "COD"), ("RDC", "COD"), ("R.D. Congo", "COD"),
    ("la RDC", "COD"), ("Congo-Kinshasa", "COD"), ("Congo Brazzaville", "COG"), ("République du Congo", "COG"),
    ("Guinée Conakry", "GIN"), ("Guinea Conakry", "GIN"), ("Guinée-Conakry", "GIN"), ("Centrafrique", "CAF"),
    ("Guinea Bissau", "GNB"), ("Argelia", "DZA"), ("l’Algérie", "DZA"), ("Rusia", "RUS"), ("Holanda", "NLD"),
    ("Pays Bas", "NLD"), ("Cap Vert", "CPV"), ("Côte-d’Ivoire", "CIV"), ("Cote d Ivoire", "CIV"),
    ("Cote dIvoire", "CIV"), ("Le Sénégal", "SEN"), ("EE.UU.", "USA"), ("Timor Leste", "TLS"),
])
def test_short_spanish_and_french_names_and_spellings_have_their_iso_code(name, iso):
    # before, each was a country of its own: respondents of "Burkina Faso" and "Burkina" counted as two countries
    from synthesis.report.regions import iso_of

    assert iso_of(name) == iso


def test_the_two_congos_stay_apart_whatever_the_short_name():
    from synthesis.report.regions import iso_of

    assert {iso_of(n) for n in ("Congo", "Le Congo", "République du Congo", "Congo-Brazzaville")} == {"COG"}
    assert {iso_of(n) for n in ("RD Congo", "RDC", "DR Congo", "République démocratique du Congo",
                                "República Democrática del Congo", "Congo (Democratic Republic of the)")} == {"COD"}
    assert iso_of("El Salvador") == "SLV" and iso_of("Korea") == iso_of("Los Angeles") == ""


def test_respondents_short_names_count_for_one_country():
    # the bug hunter's export: 5 countries, counted as 9 by the global report
    names = country_names(["Togo"], {"Burkina Faso": 5, "Burkina": 3, "RD Congo": 4, "RDC": 2,
                                     "République démocratique du Congo": 1, "Guinée": 4, "Guinée Conakry": 2,
                                     "Centrafrique": 3, "République centrafricaine": 2, "TOGO": 1})
    assert set(names.values()) == {"Togo", "Burkina Faso", "RD Congo", "Guinée", "Centrafrique"}


def test_the_run_summary_counts_countries_as_the_reports_do():
    # before, it counted spellings: "countries 14 (6 with a dialogue)" for 5 countries with a dialogue each
    from synthesis.records import CorpusSummary
    from synthesis.report.data import count_countries

    spellings = {"BOLIVIA": False, "Bolivia": False, "Bolivia (Estado Plurinacional de)": True,
                 "Costa de Marfil": False, "Cote d'Ivoire": False, "Côte d'Ivoire": True, "Côte d’Ivoire": False,
                 "PERÚ": False, "Peru": False, "Perú": True, "Senegal": True, "Sénégal": True, "TOGO": False,
                 "Togo": True, " ": False, "Narnia": False, "NARNIA": False}
    summary = count_countries(CorpusSummary(1, 2, 3, 4, {"es": 3}, spellings))
    assert (summary.countries, summary.dialogue_countries) == (6, 5)
    assert summary.country_names == spellings and summary.respondents == 4


def test_the_method_names_only_the_questions_the_stored_answers_answer():
    # before, every question of the mapping was listed, also those the user's export did not have
    from synthesis.config import Config
    from synthesis.report.data import _questions

    units = (_unit(1, 1, "consultation", "Kenya"), replace(_unit(2, 2, "consultation", "Kenya"), question="q5_help"),
             replace(_unit(3, 3, "dialogue", "Kenya"), question=""))
    assert _questions(Config(), units) == {"q5_help": "What would help to ensure they are not left behind?"}


def test_a_facilitators_question_is_no_evidence():
    # before, "¿Y los jóvenes?" counted as the dialogue naming youth, and the question itself was quoted
    from synthesis.report.data import _prompt

    def turn(role, text):
        return replace(_unit(1, 1, "dialogue", "Bolivia"), speaker_role=role, text=text)

    assert _prompt(turn("facilitator", "¿Y los jóvenes?")) and _prompt(turn("chair", "Et les jeunes ? "))
    assert not _prompt(turn("facilitator", "Thank you. Let us hear from the county government."))
    assert not _prompt(turn("participant", "Who speaks for the young people here?"))
