"""PII redaction: what is removed, how it is marked, and that nothing else changes."""

import re

import pytest

from synthesis.report.redact import MARKS, apply_redactions, redact


@pytest.mark.parametrize("text, removed, mark", [
    ("Write to amina.k@example.org.", "amina.k@example.org", "[email removed]"),
    ("See http://example.net/sdg/consultation-2016.", "http://example.net/sdg/consultation-2016", "[link removed]"),
    ("Our site www.example.org/lnob) helps", "www.example.org/lnob", "[link removed]"),
    ("My number is +254 794 715 466, we can talk.", "+254 794 715 466", "[phone removed]"),
    ("Call (020) 123 4567 today", "(020) 123 4567", "[phone removed]"),
    ("Her ID is 12345678 and passport AB1234567.", "12345678", "[number removed]"),
    ("appelez le 06 12 34 56 78 svp", "06 12 34 56 78", "[phone removed]"),  # French and West African pairs
    ("Mon numéro est le 07.08.09.10.11.", "07.08.09.10.11", "[phone removed]"),
    ("joint au 27 22 44 55 66", "27 22 44 55 66", "[phone removed]"),
    ("llame al 987 654 321 por favor", "987 654 321", "[phone removed]"),  # Peruvian and Spanish mobiles
    ("escribí al 11 4567-8901", "11 4567-8901", "[phone removed]"),  # Argentine
    ("call 555-123-4567 or", "555-123-4567", "[phone removed]"),  # North American
    ("call (555) 123-4567.", "(555) 123-4567", "[phone removed]"),
    ("card 1234-5678-9012-3456 lost", "1234-5678-9012-3456", "[number removed]"),
    ("You can call me on 9876-5432 after six.", "9876-5432", "[phone removed]"),  # a local number, said to be one
    ("Tel. 4567 8901 (office)", "4567 8901", "[phone removed]"),
    ("Mi teléfono: 4567-8901.", "4567-8901", "[phone removed]"),
    ("WhatsApp 98765432 o", "98765432", "[phone removed]"),
    ("appelez le 2345 6789", "2345 6789", "[phone removed]"),
])
def test_personal_data_is_removed_and_marked(text, removed, mark):
    result = redact(text)
    assert removed not in result.text and mark in result.text
    assert [text[r.start:r.end] for r in result.redactions][0] == removed
    assert apply_redactions(text, result.redactions, 0) == result.text


@pytest.mark.parametrize("text", [
    "In 2016-2017, 1,500,000 people (45%) lived on less than $1.90 a day.",
    "Sections 2.1 and 3; 120 participants; Article 27 of the constitution.",
    "Las mujeres indígenas del altiplano, 12 de abril de 2017.",
    "Un budget de 750 000 000 francs CFA pour 1 234 567 personnes; 10 20 30 40 km.",
    "Los planes 2016-2017-2018, el periodo 2016 2017-2018 y los años 1990-2000-2010; Agenda 2015-2030.",
    "La fecha 12-05-2017, le 12.05.2017 à 10 h; ISBN 978-3-16-148410-0; Ley 1448 de 2011; 1500-2000 personas.",
    "A call for 1500-2000 volunteers; the phone costs 1200-1500 shillings; call 2015-2016 reports; tel 12.5000.",
    "They call 9876 the emergency line and 1500 people phone it.",
    "The ministry will contact 1500-2000 households; Mobile: 1200-1500 users a day.",
])
def test_ordinary_numbers_and_text_stay(text):
    assert redact(text).text == text and redact(text).redactions == ()


@pytest.mark.parametrize("text, removed", [
    ("Appelez Awa au 77 123 45 67 ou au 76 543 21 09.", "77 123 45 67"),  # Senegal: 9 digits, 2-3-2-2
    ("Le bureau (33 821 45 67) est ouvert le matin.", "33 821 45 67"),  # a Dakar landline
    ("contact : Awa Ndiaye, 77 123 45 67.", "77 123 45 67"),
    ("WhatsApp : 90 12 34 56", "90 12 34 56"),  # Togo, Benin, Burkina Faso, Mali, Niger: 8 digits in pairs
    ("appelez Ama au 90 12 34 56 après 18 h", "90 12 34 56"),
    ("appelez le 70.12.34.56 svp", "70.12.34.56"),
    ("llame al 76-12-34-56 mañana", "76-12-34-56"),
    ("tel. 25 30 45 67 (bureau)", "25 30 45 67"),
    ("Mobile 622 12 34 56 (Conakry)", "622 12 34 56"),  # Guinea: 9 digits, 3-2-2-2
    ("Oficina: 2-2441234, La Paz", "2-2441234"),  # Bolivia: area code and landline, not "2-[number removed]"
    ("Teléfono (2) 2441234 de la radio", "(2) 2441234"),
    ("Tél. 2345 6789 svp", "2345 6789"),
    ("llame al 987 654 321, por favor", "987 654 321"),  # a comma after a number is no decimal comma
    ("appelez le 06 12 34 56 78, svp", "06 12 34 56 78"),
    ("call 555-123-4567, or write", "555-123-4567"),
    ("Mi teléfono: 4567-8901, gracias", "4567-8901"),
])
def test_phone_numbers_as_west_africa_and_bolivia_write_them_are_removed_whole(text, removed):
    result = redact(text)
    assert text[result.redactions[0].start:result.redactions[0].end] == removed and removed not in result.text
    assert {r.mark for r in result.redactions} == {MARKS["phone"]}
    at = result.text.index(MARKS["phone"])  # the whole number goes: no digit is left beside the mark
    assert not re.search(r"\d", result.text[at - 2:at] + result.text[at + len(MARKS["phone"]):][:2])
    assert apply_redactions(text, result.redactions, 0) == result.text


@pytest.mark.parametrize("text", [
    "En 2015 2016, 45 000 FCFA par mois pour 12 34 ménages; le 30 05 2017 à 10 h; 45 % des 120 familles.",
    "Budget : 1 234 567,89 FCFA, 12 500 000 FCFA et 75 000 000 FCFA; 12 34 56 78,5 km.",
    "Kara 10 20 30 40 et 20 300 40 50 francs; Sokodé 10 20 30 40 50; Dapaong 12 34 56 78 inscrits.",
    "Lomé 123 45 67 89 10 et 3 25 45 67 89 élèves; de 08 30 à 12 00.",
    "Los años 2016 2017 y 2018; 2 500 personas; el 30 05 17 a las 10 30.",
    # four counts of two digits with no word saying they are a number (before: taken for a Togolese phone number)
    "Ages 25 30 45 60 were represented. Questions 21 22 23 24 were dropped, en las páginas 45 67 89 90.",
])
def test_numbers_shaped_like_west_african_phones_stay(text):
    assert redact(text).text == text and redact(text).redactions == ()


def test_every_mark_is_distinct():
    assert len(set(MARKS.values())) == len(MARKS)
