"""Printed quotes: where a long passage is cut, and how a quote's place in its source is cited."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from synthesis.report.quotes import QuoteMaker
from synthesis.store import ReportUnit

LONG = ("The dialogue asked the government to raise the minimum age of marriage to eighteen; and to adopt a family "
        "protection law against violence in the home")


def _quote(text, max_chars, sentence_ends=(), kind="dialogue"):
    unit = ReportUnit(7, 1, kind, "paragraph", text, 100, 100 + len(text), 2, "en", "Sudan", "SDN", "", "q2_why", "",
                      "corpus/dialogues/sdn.docx", "", document_key="4893905161", row=4)
    data = SimpleNamespace(units=[unit], corpus_dir=Path("corpus"))
    store = SimpleNamespace(sentence_ends=lambda ids: {7: [100 + e for e in sentence_ends]})
    return QuoteMaker(data, store, max_chars)(7)


@pytest.mark.parametrize("max_chars, printed", [
    (len(LONG), LONG),
    (100, "The dialogue asked the government to raise the minimum age of marriage to eighteen"),  # at the clause end
    (60, "The dialogue asked the government to raise the minimum age"),  # no clause end in it: at a word
])
def test_a_long_first_sentence_is_cut_at_a_clause_end_else_at_a_word(max_chars, printed):
    # before, at the last space: "... to eighteen; and […]"
    quote = _quote(LONG, max_chars)
    assert quote.text == printed and quote.cut is (printed != LONG)
    assert quote.end - quote.start == len(printed)


def test_a_passage_is_cut_at_its_last_sentence_end_that_fits():
    text = "Girls marry young. " + LONG
    quote = _quote(text, 100, sentence_ends=[len("Girls marry young."), len(text)])
    assert quote.text == "Girls marry young." and quote.cut


def test_the_place_of_a_quote_in_a_transcript_and_in_a_consultation_export():
    assert _quote("Refugees lack water.", 450).citation.endswith("dialogues/sdn.docx, ¶ 3 [Q7]")
    answer = _quote("Refugees lack water.", 450, kind="consultation")
    assert answer.citation.endswith("dialogues/sdn.docx, respondent 4893905161, q2_why [Q7]")
    assert (answer.respondent, answer.row, answer.question) == ("4893905161", 4, "q2_why")
