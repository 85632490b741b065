"""The context objects the Word templates are filled from: plain data, testable without rendering.

Template tags name these fields (``{{ cover.title }}``, ``{%tr for g in groups.rows %}`` …); a report writer
who edits a template can use any of them. Numbers arrive formatted as text so templates stay simple.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import datetime

from synthesis.report.quotes import PrintedQuote


@dataclass(frozen=True)
class Figure:
    """A chart: PNG bytes with a caption (printed under it) and alt text (for screen readers)."""

    name: str  # file name stem, e.g. "groups"
    png: bytes
    caption: str
    alt: str
    width_mm: float = 160.0


@dataclass(frozen=True)
class Cover:
    title: str
    subtitle: str
    status: str  # "DRAFT ..."
    date: str
    reviewed: str  # "12 of 25,000 coded segments (0.05%) reviewed by a person"


@dataclass(frozen=True)
class Line:
    """A table row of a label and up to four values (which columns mean what is said by the table's header)."""

    label: str
    a: str = ""
    b: str = ""
    c: str = ""
    d: str = ""


@dataclass(frozen=True)
class QuoteBlock:
    """A heading (a theme, a language, a pair of groups) with paragraphs and quotes under it."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    quotes: tuple[PrintedQuote, ...] = ()
    note: str = ""  # e.g. "No representative quote is stored for this theme."


@dataclass(frozen=True)
class EvidenceLine:
    quote_id: str
    source_file: str
    paragraph: str  # "¶ 3", or "respondent 4893905161, q5_help" in a consultation export
    offsets: str  # "120–388"
    redacted: str  # "yes" / ""

    @classmethod
    def of(cls, quote: PrintedQuote) -> "EvidenceLine":
        return cls(quote.quote_id, quote.source_file, quote.place, f"{quote.start}–{quote.end}",
                   "yes" if quote.redacted else "")


@dataclass(frozen=True)
class Section:
    """Paragraphs, an optional table, an optional figure, and optional blocks."""

    paragraphs: tuple[str, ...] = ()
    rows: tuple[Line, ...] = ()
    figure: Figure | None = None
    blocks: tuple[QuoteBlock, ...] = ()
    rows2: tuple[Line, ...] = ()  # a second table
    figure2: Figure | None = None


@dataclass(frozen=True)
class GlobalContext:
    """What ``global_synthesis.docx`` is filled from (sections in the order of the report)."""

    title: str
    subject: str
    created: datetime
    cover: Cover
    summary: Section  # executive summary: key figures (rows) and findings
    method: Section  # paragraphs; rows = dialogues; blocks unused
    consultation: Section  # rows = gender, rows2 = age bands
    languages: tuple[Line, ...]
    model: Section  # rows = scores per evaluation set; rows2 = agreement per code
    groups: Section  # rows = ranking; figure = bar chart; figure2 = heat map
    regions: Section  # rows = regions
    intersections: Section  # figure = co-occurrence matrix; rows = strongest pairs; blocks = pair quotes
    causes: Section  # rows = causes; figure = bar chart; rows2 = causes by group; figure2 = group x cause
    themes: Section  # blocks = themes
    voices: Section  # blocks = languages
    recommendations: Section  # blocks = themes
    countries: tuple[Line, ...]  # annex
    coding_frame: tuple[Line, ...]  # annex
    evidence: tuple[EvidenceLine, ...]  # annex
    quotes: tuple[PrintedQuote, ...] = field(default=(), repr=False)  # every quote printed, for evidence.jsonl


@dataclass(frozen=True)
class CountryContext:
    """What ``country_profile.docx`` is filled from for one dialogue country."""

    title: str
    subject: str
    created: datetime
    country: str
    iso: str
    slug: str
    cover: Cover
    facts: tuple[Line, ...]
    summary: tuple[str, ...]
    little_data: bool
    groups: Section  # rows = country vs global; figure = comparison chart
    causes: Section  # rows = country vs global
    themes: Section  # blocks
    voices: Section  # blocks: one block of the country's respondents
    recommendations: Section  # blocks: the dialogue's and the consultation's
    evidence: tuple[EvidenceLine, ...]
    quotes: tuple[PrintedQuote, ...] = field(default=(), repr=False)


def quotes_in(value) -> list[PrintedQuote]:
    """Every quote a context (or any part of one) holds, in the order the report prints them, once each."""
    found: dict[str, PrintedQuote] = {}

    def walk(item) -> None:
        if isinstance(item, PrintedQuote):
            found.setdefault(item.quote_id, item)
        elif is_dataclass(item) and not isinstance(item, type):
            for f in fields(item):
                if f.name != "quotes" or not isinstance(item, (GlobalContext, CountryContext)):
                    walk(getattr(item, f.name))
        elif isinstance(item, (tuple, list)):
            for element in item:
                walk(element)

    walk(value)
    return list(found.values())


def with_evidence(context):
    """A Global- or CountryContext with ``quotes`` and the evidence annex filled from the quotes it prints."""
    quotes = tuple(sorted(quotes_in(context), key=lambda q: q.segment_id))
    return replace(context, evidence=tuple(EvidenceLine.of(q) for q in quotes), quotes=quotes)
