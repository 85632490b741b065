"""A dialogue country's profile context (``CountryContext``): facts, groups and causes against the global
picture, its themes, its consultation respondents' voices and its recommendations."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import datetime

from synthesis.config import Config
from synthesis.report import analysis, charts
from synthesis.report.blocks import recommendation_blocks, theme_block
from synthesis.report.context import CountryContext, Figure, Line, QuoteBlock, Section
from synthesis.report.data import LANGUAGES, Dialogue, ReportData
from synthesis.report.global_report import cover
from synthesis.report.narrative import Narrator, counted, percent
from synthesis.report.quotes import QuoteMaker

MAX_THEMES = 5


def slug(name: str) -> str:
    """"Sierra Leone" -> "sierra-leone" (ASCII, for file names)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "country"


def country_context(dialogue: Dialogue, data: ReportData, quote: QuoteMaker, narrator: Narrator, config: Config,
                    created: datetime) -> CountryContext:
    country = dialogue.country
    units = data.dialogue_units(country)
    answers = data.consultation_units(country)
    coded = [u for u in units if u.segment_id in data.labels]
    little = len(units) < config.report_min_units
    groups, group_figure = _compare(data, units, "group", country)
    causes, _ = _compare(data, units, "cause", country)
    theme_counts = Counter(data.theme_of[u.segment_id] for u in units + answers if u.segment_id in data.theme_of)
    themes = sorted((t for t in data.themes if theme_counts[t.id]), key=lambda t: (-theme_counts[t.id], t.number))
    voices = analysis.voices(data, answers, config.report_voices_per_language)
    attributes = dialogue.row.attributes
    context = CountryContext(
        title=f"{country}: country profile",
        subject=f"Leave No One Behind: who is left behind in {country}, and why (draft)",
        created=created, country=country, iso=dialogue.iso, slug=slug(country),
        cover=cover(data, country, "Country profile: national dialogue and online consultation", created),
        facts=tuple(Line(k, v) for k, v in (
            ("Dialogue", dialogue.row.title), ("Date", dialogue.row.date),
            ("Convened by", dialogue.row.organisation), ("Places", attributes.get("venue", "")),
            ("Participants", attributes.get("participants", "")),
            ("Language", attributes.get("language_name") or LANGUAGES.get(dialogue.row.language, "")),
            ("Region", dialogue.region), ("Source file", dialogue.source_file),
            ("Segments", f"{len(units):,} ({len(coded):,} with a group or cause)"),
            ("Consultation respondents", f"{dialogue.respondents:,}")) if v),
        summary=tuple(narrator.paragraphs(
            "country_summary.j2", country=country, units=len(units), coded=len(coded), little=little,
            respondents=dialogue.respondents, answers=len(answers), minimum=config.report_min_units,
            groups=[g for g in groups if g.a != "0"][:3])),
        little_data=little,
        groups=Section(rows=groups, figure=group_figure),
        causes=Section(rows=causes),
        themes=Section(
            paragraphs=(() if themes else ("No theme has segments from this country"
                                           + ("." if data.themes else ": themes have not been built yet."),)),
            blocks=tuple(theme_block(t, data, quote, narrator, 2, country=country) for t in themes[:MAX_THEMES])),
        voices=Section(
            paragraphs=(f"{counted(dialogue.respondents, 'consultation respondent')} "
                        f"{'lives' if dialogue.respondents == 1 else 'live'} in {country}; "
                        + (f"{len(voices)} of their answers {'is' if len(voices) == 1 else 'are'} quoted below."
                           if voices
                           else "none of their answers could be quoted (too few coded answers)."),),
            blocks=(QuoteBlock(country, (), tuple(quote.many(u.segment_id for u in voices))),) if voices else ()),
        recommendations=_recommendations(data, quote, units + answers),
        evidence=(),
    )
    return context


def _compare(data: ReportData, units, kind: str, country: str) -> tuple[tuple[Line, ...], Figure | None]:
    """Lines (label, segments here, share here, share in all dialogues) and a comparison chart."""
    here = analysis.code_counts(data, units, kind)
    everywhere = {c.code: c for c in analysis.code_counts(data, data.dialogue_units(), kind)}
    n_here, n_all = max(len(units), 1), max(len(data.dialogue_units()), 1)
    rows = sorted(here, key=lambda c: (-c.dialogue_units, -everywhere[c.code].dialogue_units, c.code))
    lines = tuple(Line(c.label, str(c.dialogue_units), percent(c.dialogue_units / n_here),
                       percent(everywhere[c.code].dialogue_units / n_all)) for c in rows)
    if kind != "group":
        return lines, None
    shown = [c for c in rows if c.dialogue_units or everywhere[c.code].dialogue_units][:12]
    if not shown:
        return lines, None
    png = charts.bar_chart([c.label for c in shown],
                           [(country, [100 * c.dialogue_units / n_here for c in shown]),
                            ("All dialogues", [100 * everywhere[c.code].dialogue_units / n_all for c in shown])],
                           "% of the dialogue's segments")
    figure = Figure("groups", png, f"Groups named in the {country} dialogue compared with all dialogues",
                    f"Bar chart: share of segments per group in {country} (dark bars) and in all dialogues (white "
                    "hatched bars). " + "; ".join(f"{c.label}: {100 * c.dialogue_units / n_here:.0f}% here, "
                                                  f"{100 * everywhere[c.code].dialogue_units / n_all:.0f}% overall"
                                                  for c in shown[:5]) + ".")
    return lines, figure


def _recommendations(data: ReportData, quote: QuoteMaker, units) -> Section:
    blocks = recommendation_blocks(data, quote, units, per_block=8, per_block_consultation=2, max_blocks=20)
    if not blocks:
        return Section(paragraphs=("No recommendation was found in this dialogue or in the answers of this "
                                   "country's consultation respondents.",))
    return Section(blocks=tuple(blocks))
