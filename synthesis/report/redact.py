"""Removing personal data from quotes before they are printed: e-mail addresses, URLs, phone numbers and
ID-like numbers. Each removal is marked in the printed text ("[email removed]") and recorded as a span of
the original text, so the printed quote can be checked against the source: put the original text back into
each span and the source text reappears.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKS = {"email": "[email removed]", "url": "[link removed]", "phone": "[phone removed]", "id": "[number removed]"}

# One pattern, alternatives in priority order (an e-mail address is not also cut as a URL).
_PII = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<url>(?:https?://|www\.)[^\s<>\"]+)"
    r"|(?P<phone>(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,5}"  # international: +254 712 345 678
    r"|(?<![\w.,])\(?0\d{1,4}\)?[\s.-]\d{3,4}[\s.-]\d{3,4}(?![\w]))"  # national: (020) 123 4567
    r"|(?P<id>(?<![\w.,])(?:[A-Z]{1,3})?\d{7,}(?![\w.,]\d))",  # long digit runs: ID, passport, account numbers
)
_TRAILING = ".,;:!?)]}'\""


@dataclass(frozen=True)
class Redaction:
    """A removed span of the original text: ``original[start:end]`` was printed as ``mark``."""

    start: int
    end: int
    mark: str


@dataclass(frozen=True)
class Redacted:
    text: str  # as printed
    redactions: tuple[Redaction, ...]  # offsets into the original text, in order


def redact(text: str) -> Redacted:
    """``text`` with every e-mail address, URL, phone number and ID-like number replaced by a mark."""
    redactions: list[Redaction] = []
    for match in _PII.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _TRAILING:  # "see http://x.org." keeps its full stop
            end -= 1
        if end > start:
            redactions.append(Redaction(start, end, MARKS[match.lastgroup]))
    return Redacted(apply_redactions(text, redactions, 0), tuple(redactions))


def apply_redactions(original: str, redactions, offset: int) -> str:
    """``original`` with each redaction's span (offsets minus ``offset``) replaced by its mark: how a
    verbatim source text becomes the printed quote, and how a test checks that nothing else changed."""
    pieces, position = [], 0
    for r in redactions:
        pieces += [original[position:r.start - offset], r.mark]
        position = r.end - offset
    pieces.append(original[position:])
    return "".join(pieces)
