"""PII redaction: what is removed, how it is marked, and that nothing else changes."""

import pytest

from synthesis.report.redact import MARKS, apply_redactions, redact


@pytest.mark.parametrize("text, removed, mark", [
    ("Write to amina.k@example.org.", "amina.k@example.org", "[email removed]"),
    ("See http://example.net/sdg/consultation-2016.", "http://example.net/sdg/consultation-2016", "[link removed]"),
    ("Our site www.example.org/lnob) helps", "www.example.org/lnob", "[link removed]"),
    ("My number is +254 794 715 466, we can talk.", "+254 794 715 466", "[phone removed]"),
    ("Call (020) 123 4567 today", "(020) 123 4567", "[phone removed]"),
    ("Her ID is 12345678 and passport AB1234567.", "12345678", "[number removed]"),
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
])
def test_ordinary_numbers_and_text_stay(text):
    assert redact(text).text == text and redact(text).redactions == ()


def test_every_mark_is_distinct():
    assert len(set(MARKS.values())) == len(MARKS)
