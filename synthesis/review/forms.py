"""Turning review form fields into labels, and a segment's text into highlighted pieces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from synthesis.store.reviews import STATUSES, QueueFilter, Span


class FormError(ValueError):
    """A form value that cannot be accepted (answered with 422)."""


@dataclass(frozen=True)
class Piece:
    text: str
    code: str | None = None


def is_number(text: str) -> bool:
    """Whether ``text`` is written in the digits 0-9 only (``str.isdigit`` also takes "²", which ``int`` refuses)."""
    return text.isascii() and text.isdecimal()


def parse_filter(params: Mapping[str, str], code_ids: Sequence[str]) -> QueueFilter:
    """The queue filter from query or form parameters; unknown values are refused."""
    status = params.get("status") or "todo"
    if status not in STATUSES:
        raise FormError(f"status {status!r}: expected one of {', '.join(STATUSES)}")
    code = params.get("code") or ""
    if code and code not in code_ids:
        raise FormError(f"code {code!r}: not in the codebook")
    source = params.get("source") or ""
    if source not in ("", "dialogue", "consultation"):
        raise FormError(f"source {source!r}: expected dialogue or consultation")
    theme = params.get("theme") or ""
    if theme and not is_number(theme):
        raise FormError(f"theme {theme!r}: not a theme id")
    return QueueFilter(country=(params.get("country") or "")[:100], language=(params.get("language") or "")[:8],
                       code=code, theme=int(theme) if theme else None, source=source, status=status)


def filter_query(flt: QueueFilter) -> dict[str, str]:
    """The filter as query parameters (empty ones left out), for links that keep it."""
    values = {"country": flt.country, "language": flt.language, "code": flt.code,
              "theme": "" if flt.theme is None else str(flt.theme), "source": flt.source,
              "status": "" if flt.status == "todo" else flt.status}
    return {k: v for k, v in values.items() if v}


def parse_labels(codes: Sequence[str], mentions: Sequence[str], kinds: Mapping[str, str], text_length: int) -> dict:
    """``{"groups", "causes", "mentions"}`` from the checked ``codes`` and ``mentions`` given as
    ``code:start:end`` (offsets relative to the segment text). A mention's code must be among the checked ones: a
    mention of a group the labels leave out would contradict them."""
    unknown = sorted(set(codes) - set(kinds))
    if unknown:
        raise FormError(f"unknown code {unknown[0]!r}")
    spans = []
    for value in mentions:
        parts = value.split(":")
        if len(parts) != 3 or not is_number(parts[1]) or not is_number(parts[2]):
            raise FormError(f"mention {value[:40]!r}: expected code:start:end")
        code, start, end = parts[0], int(parts[1]), int(parts[2])
        if kinds.get(code) != "group":
            raise FormError(f"mention {value[:40]!r}: {code!r} is not a group code")
        if not 0 <= start < end <= text_length:
            raise FormError(f"mention {value[:40]!r}: the span must lie inside the text (0-{text_length})")
        if code not in codes:
            raise FormError(f"mention {value[:40]!r}: {code!r} is not ticked; tick it, or clear the mention")
        spans.append({"code": code, "start": start, "end": end})
    return {"groups": sorted({c for c in codes if kinds[c] == "group"}),
            "causes": sorted({c for c in codes if kinds[c] == "cause"}),
            "mentions": sorted(spans, key=lambda s: (s["start"], s["end"], s["code"]))}


def highlight(text: str, spans: Sequence[Span]) -> list[Piece]:
    """``text`` cut into plain pieces and mention pieces (overlapping spans: the first one wins)."""
    pieces, at = [], 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < at or span.end > len(text):
            continue
        if span.start > at:
            pieces.append(Piece(text[at:span.start]))
        pieces.append(Piece(text[span.start:span.end], span.code))
        at = span.end
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return pieces
