"""What the document readers share: how a table row's cells are joined, Word's heading styles, and where a speaker's
turn opens."""

from __future__ import annotations

import re

from synthesis.segment import normalise, split_speaker

TABLE_CELL_SEPARATOR = " | "


def heading_level(style: str) -> int:
    if style == "Title":
        return 1
    match = re.fullmatch(r"Heading (\d)", style)
    return int(match.group(1)) if match else 0


def opens_turn(line: str) -> bool:
    """Whether a line opens a speaker's turn ("Participant (woman, 34): ..."), as the segmenter reads one; the label
    must be capitalised, as transcripts write it, so that a wrapped sentence going on with "participants: " does not
    break its paragraph."""
    text = normalise(line)
    return text[:1].isupper() and bool(split_speaker(text)[0])
