"""The review sheet's cells (``synthesis.review.sheet_cells``): marks, codes and texts as reviewers leave them."""

from __future__ import annotations

import pytest

from synthesis.coding.codebook import Code
from synthesis.review.sheet_cells import CodeReader, cell_text, reviewed_mark, same_text

CODES = [Code("women_girls", "group", "Women and girls"), Code("children", "group", "Children"),
         Code("displaced_migrants", "group", "Refugees, displaced people and migrants"),
         Code("governance", "cause", "Governance")]


@pytest.mark.parametrize("mark", ["yes", " Yes. ", "X ", 1, 1.0, True, "done", "OK!", "✓", "✔", "✔️", "☑️", "oui", "Sí", "si",
                                  "si\u0301", "reviewed"])
def test_the_usual_marks_of_a_done_row(mark):
    assert reviewed_mark(mark) is True


@pytest.mark.parametrize("mark, expected", [(None, False), ("", False), ("  ", False), ("no", False), ("Non", False),
                                            (0, False), (False, False), ("maybe", None), ("?", None)])
def test_open_rows_and_marks_that_say_neither(mark, expected):
    assert reviewed_mark(mark) is expected


def test_codes_by_id_or_label_in_any_case_and_a_label_with_a_comma_in_one_piece():
    reader = CodeReader(CODES)
    assert reader.read("Refugees, displaced people and migrants; WOMEN_GIRLS\nchildren (0.96),", "group") == \
        (["children", "displaced_migrants", "women_girls"], None)
    assert reader.read("women_girls children", "group") == (["children", "women_girls"], None)
    assert reader.read("", "cause") == ([], None)
    assert reader.read("Women, and, girls", "group")[1] == \
        "groups: 'Women' (in 'Women, and, girls') is not a group code or label of the codebook (see the codes sheet)"
    assert reader.read("women-girls", "group")[1].endswith("(did you mean women_girls?)")
    assert reader.read("Governance", "group")[1] == "groups: governance is a cause code; put it in the causes column"


def test_a_text_is_written_without_control_characters_and_still_matches_its_segment():
    stored = "Women\x08 and girls\x1b[0m are excluded\r\n\x02from services."
    assert cell_text(stored) == "Women and girls[0m are excluded\r\nfrom services."
    assert same_text("Women and girls[0m are excluded\nfrom services. ", stored)
    assert not same_text("Children are excluded from services.", stored)
