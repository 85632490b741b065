"""Quote blocks both reports print: themes with their quotes, recommendations grouped by theme, and the
formatting of counts into table lines."""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable

from synthesis.records import CONSULTATION, DIALOGUE, Theme
from synthesis.report.analysis import CodeCount, quotable, spread
from synthesis.report.context import QuoteBlock
from synthesis.report.data import ReportData
from synthesis.report.narrative import Narrator
from synthesis.report.quotes import QuoteMaker
from synthesis.store import ReportUnit

OTHER = "Other recommendations"
THEME_CODE_SHARE = 0.1


def theme_block(theme: Theme, data: ReportData, quote: QuoteMaker, narrator: Narrator, n_quotes: int,
                country: str | None = None) -> QuoteBlock:
    """A theme with its size, countries and representative quotes (from ``country`` when given: the theme's
    stored quotes from there first, then other units of the country in the theme)."""
    countries = sorted(((c, n) for c, n in theme.profile.get("country", {}).items() if c != "(none)"),  # no country
                       key=lambda kv: (-kv[1], kv[0]))
    ids = [q.segment_id for q in theme.quotes]
    if country is not None:
        stored = [i for i in ids if quote.units.get(i) and quote.units[i].country == country]
        members = [u for u in data.units if u.country == country and data.theme_of.get(u.segment_id) == theme.id]
        ids = stored + [u.segment_id for u in quotable(members) if u.segment_id not in stored]
    quotes = tuple(quote.many(ids[:n_quotes]))
    kinds = theme.profile.get("kind", {})
    paragraphs = narrator.paragraphs("theme.j2", theme=theme, countries=[c for c, _ in countries],
                                     country=country, n_country=_theme_count(data, theme, country),
                                     n_dialogue=kinds.get(DIALOGUE, 0), n_consultation=kinds.get(CONSULTATION, 0),
                                     groups=_commonest(theme, "group", data), causes=_commonest(theme, "cause", data))
    return QuoteBlock(theme.label, tuple(paragraphs), quotes,
                      "" if quotes else "No representative quote is stored for this theme.")


def _commonest(theme: Theme, kind: str, data: ReportData, most: int = 2) -> list[tuple[str, float]]:
    """``(label, share of the theme's segments)`` of its ``kind`` ("group" or "cause") codes coded most often, at
    least ``THEME_CODE_SHARE`` of them (a code on 1% of a theme says nothing about it)."""
    counts = sorted(theme.profile.get(kind, {}).items(), key=lambda kv: (-kv[1], kv[0]))
    return [(data.code_label(code), n / theme.size) for code, n in counts[:most]
            if theme.size and n / theme.size >= THEME_CODE_SHARE]


def _theme_count(data: ReportData, theme: Theme, country: str | None) -> int:
    if country is None:
        return theme.size
    return sum(1 for u in data.units if u.country == country and data.theme_of.get(u.segment_id) == theme.id)


def recommendation_blocks(data: ReportData, quote: QuoteMaker, units: Iterable[ReportUnit], per_block: int,
                          per_block_consultation: int, max_blocks: int) -> list[QuoteBlock]:
    """Recommendation units grouped by theme (by the group they concern when no themes are stored), the
    largest groups first, each with up to ``per_block`` dialogue and ``per_block_consultation`` consultation
    quotes spread over countries."""
    key = _theme_key(data) if data.themes else _group_key(data)
    grouped: dict[str, list[ReportUnit]] = defaultdict(list)
    for unit in units:
        # a passage that ends in a colon leads in to a list ("The group made these recommendations:"): its items
        # are the recommendations
        if unit.segment_id in data.recommendation_ids and not unit.text.rstrip().endswith(":"):
            grouped[key(unit)].append(unit)
    order = sorted(grouped, key=lambda k: (k == OTHER, -len(grouped[k]), k))[:max_blocks]
    blocks = []
    for heading in order:
        members = grouped[heading]
        dialogue = [u for u in members if u.document_kind == DIALOGUE]
        consultation = [u for u in members if u.document_kind == CONSULTATION and len(u.text) >= 30]
        chosen = spread(dialogue, per_block) + spread(consultation, per_block_consultation)
        n_dialogue, n_consultation = len(dialogue), len(members) - len(dialogue)
        summary = (f"{n_dialogue} dialogue passage{'s' * (n_dialogue != 1)} and {n_consultation} consultation "
                   f"answer{'s' * (n_consultation != 1)}.")
        blocks.append(QuoteBlock(heading, (summary,), tuple(quote.many(u.segment_id for u in chosen))))
    return blocks


def _theme_key(data: ReportData) -> Callable[[ReportUnit], str]:
    labels = {t.id: t.label for t in data.themes}
    return lambda unit: labels.get(data.theme_of.get(unit.segment_id), OTHER)


def _group_key(data: ReportData) -> Callable[[ReportUnit], str]:
    def key(unit: ReportUnit) -> str:
        groups = data.labels_of(unit.segment_id).groups
        return data.code_label(groups[0]) if groups else OTHER
    return key


def count_cells(count: CodeCount, n_countries: int) -> tuple[str, str, str, str]:
    """(countries, dialogue units, consultation units, all) for a ranking table."""
    return (f"{len(count.countries)} of {n_countries}", f"{count.dialogue_units:,}", f"{count.consultation_units:,}",
            f"{count.units:,}")
