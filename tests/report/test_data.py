"""What the reports read from the store: one name per country, one dialogue country per country."""

from __future__ import annotations

from dataclasses import replace

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
