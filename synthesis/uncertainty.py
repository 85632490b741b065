"""How unsure the coding model is about a segment: the review queue's order (active learning).

Each code has its own threshold tuned on dev (``config.json`` of the model directory), so a score is uncertain
when it lies near *that code's* threshold, not near 0.5. A code's margin is the distance of its score to the
threshold as a share of the room on that side (0 on the threshold, 1 at a score of 0 or 1, so a threshold of 0.3
does not make every low score look unsure); a segment's uncertainty is one minus the mean of its two smallest
margins over its group and cause codes, so a text unsure about two codes (often a group and a cause) comes before
one unsure about a single code. ``scripts/bench_feedback.py`` compares this order with random order: when it was
chosen, it beat the mean of three random draws on causes on each of four seed/pool splits (``--split-seed``),
where the smallest margin alone, or the smallest |score - 0.5|, lost on one of them.
"""

from __future__ import annotations

from typing import Mapping

DEFAULT_THRESHOLD = 0.5  # for a code the model's thresholds do not name (e.g. a store coded before they were kept)
COUNTED = 2  # how many of a segment's smallest margins count; a missing one counts as certain (1)

Thresholds = Mapping[str, Mapping[str, float]]  # {"group": {code: threshold}, "cause": {code: threshold}}


def margin(score: float, threshold: float) -> float:
    """0 when ``score`` is on ``threshold``, 1 when it is 0 or 1 (whichever side it is on)."""
    if score >= threshold:
        return (score - threshold) / (1 - threshold) if threshold < 1 else 1.0
    return (threshold - score) / threshold


def uncertainty(group_scores: Mapping[str, float], cause_scores: Mapping[str, float], thresholds: Thresholds) -> float:
    """1 - the mean of the ``COUNTED`` smallest margins over the segment's codes: 1 when two codes sit on their
    thresholds, 0 when no score is anywhere near one (a segment without scores is certain)."""
    margins = sorted(margin(score, thresholds.get(kind, {}).get(code, DEFAULT_THRESHOLD))
                     for kind, scores in (("group", group_scores), ("cause", cause_scores))
                     for code, score in scores.items())[:COUNTED]
    margins += [1.0] * (COUNTED - len(margins))
    return round(1.0 - sum(margins) / COUNTED, 6)
