"""Blocks of the reports: recommendations grouped by what they concern."""

from __future__ import annotations

from types import SimpleNamespace

from synthesis.report.blocks import recommendation_blocks
from synthesis.store import ReportUnit


def _unit(segment_id: int, text: str) -> ReportUnit:
    return ReportUnit(segment_id, 1, "dialogue", "paragraph", text, 0, len(text), segment_id, "en", "Kenya", "KEN",
                      "Recommendations", "", "", "ken.docx", "Kenya")


def test_a_lead_in_to_a_list_of_recommendations_is_not_quoted_or_counted_as_one():
    units = [_unit(1, "The participants made the following recommendations for women with disabilities:"),
             _unit(2, "Train teachers in sign language in every county."),
             _unit(3, "Fund mobile clinics for pastoralist women with disabilities.")]
    labels = {u.segment_id: SimpleNamespace(groups=("disability",)) for u in units}
    data = SimpleNamespace(themes=(), recommendation_ids=frozenset({1, 2, 3}), labels_of=labels.__getitem__,
                           code_label=lambda code: "Persons with disabilities")
    quote = SimpleNamespace(many=lambda ids: list(ids))
    [block] = recommendation_blocks(data, quote, units, per_block=5, per_block_consultation=0, max_blocks=3)
    # before, the lead-in was one of the quotes ("The participants made the following recommendations for …")
    assert sorted(block.quotes) == [2, 3]
    assert block.paragraphs == ("2 dialogue passages and 0 consultation answers.",)
