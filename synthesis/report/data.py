"""Everything the reports need, read from the store once into typed records (``ReportData``)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from synthesis.citation import source_file
from synthesis.coding.codebook import Codebook
from synthesis.config import Config
from synthesis.review.codebook_edit import codebook_in_use
from synthesis.errors import ConfigError
from synthesis.ingest.survey import Mapping as SurveyMapping
from synthesis.records import CONSULTATION, DIALOGUE, CorpusSummary, Labels, Theme
from synthesis.report.regions import canonical_country, country_key, iso_of, region_of
from synthesis.store import DialogueRow, ReportUnit, RespondentCounts, Store

NO_LABELS = Labels((), (), False)
LANGUAGES = {"en": "English", "es": "Spanish", "fr": "French"}  # the names reports give language codes


@dataclass(frozen=True)
class ModelInfo:
    """The coding model whose predictions the report counts, and its evaluation scores (micro-F1)."""

    version: str  # in use in the store ("" when nothing is coded)
    scored_version: str  # the version metrics.json describes
    scores: Mapping[str, Mapping[str, float]]  # {"test": {"groups": f1, "causes": f1, "n": n}, "real_dev": ...}

    @property
    def scores_match(self) -> bool:
        return bool(self.version) and self.version == self.scored_version


PROMPTING_ROLES = {"facilitator", "chair"}  # speaker roles (``segment.ROLES``) whose questions are prompts


@dataclass(frozen=True)
class Dialogue:
    """A dialogue country: its document's metadata, region and consultation respondents."""

    row: DialogueRow
    region: str
    source_file: str
    respondents: int

    @property
    def country(self) -> str:
        return self.row.country

    @property
    def iso(self) -> str:
        return self.row.iso


@dataclass(frozen=True)
class ReportData:
    """The store's content as the reports see it. ``labels`` are the effective labels (reviews override the
    model); ``coded_units`` counts units the model in use has coded, ``reviewed_units`` units with a review."""

    units: tuple[ReportUnit, ...]
    labels: Mapping[int, Labels]
    dialogues: tuple[Dialogue, ...]
    respondents: RespondentCounts
    themes: tuple[Theme, ...]
    theme_of: Mapping[int, int]  # segment id -> theme id
    codebook: Codebook
    model: ModelInfo
    coded_units: int
    reviewed_units: int
    questions: Mapping[str, str]  # consultation question key -> question text
    corpus_dir: Path
    agreement: Mapping | None = None
    recommendation_ids: frozenset[int] = field(default_factory=frozenset)

    def labels_of(self, segment_id: int) -> Labels:
        return self.labels.get(segment_id, NO_LABELS)

    def code_label(self, code: str) -> str:
        return next((c.label for c in self.codebook.codes if c.id == code), code.replace("_", " ").capitalize())

    def dialogue_units(self, country: str | None = None) -> list[ReportUnit]:
        return [u for u in self.units if u.document_kind == DIALOGUE and (country is None or u.country == country)]

    def consultation_units(self, country: str | None = None) -> list[ReportUnit]:
        return [u for u in self.units if u.document_kind == CONSULTATION
                and (country is None or (country and u.country == country))]

    @property
    def reviewed_share(self) -> float:
        return self.reviewed_units / self.coded_units if self.coded_units else 0.0


def load_report_data(config: Config, store: Store, agreement: Mapping | None = None) -> ReportData:
    """Read units, effective labels, dialogues, respondents, themes, codebook and model scores."""
    rows, respondents = store.dialogue_documents(), store.respondent_counts()
    evidence = tuple(u for u in store.report_units() if not _prompt(u))
    units, rows, respondents = _one_name_per_country(evidence, rows, respondents)
    codebook = codebook_in_use(config, store).codebook  # the latest edited in the review app, if any
    labels = top_level(store.effective_labels(), codebook)
    version = store.model_version_in_use() or ""
    coded = store.count_units() - store.count_units(uncoded_by=version) if version else 0
    reviewed = sum(1 for label in labels.values() if label.reviewed)
    dialogues = tuple(
        Dialogue(row, region_of(row.iso), "; ".join(dict.fromkeys(source_file(r.source_path, config.corpus_dir)
                                                                   for r in group)),
                 respondents.country.get(row.country, 0))
        for row, group in dialogue_countries(rows))
    pattern = re.compile(config.recommendation_sections, re.IGNORECASE)
    recommendations = frozenset(
        u.segment_id for u in units
        if (u.document_kind == DIALOGUE and u.section and pattern.search(u.section))
        or (u.document_kind == CONSULTATION and u.question in config.recommendation_questions))
    return ReportData(
        units=units, labels=labels, dialogues=dialogues, respondents=respondents, themes=tuple(store.themes()),
        theme_of=store.segment_theme_ids(), codebook=codebook, model=model_info(config, version),
        coded_units=coded, reviewed_units=reviewed, questions=_questions(config, units), corpus_dir=config.corpus_dir,
        agreement=agreement, recommendation_ids=recommendations)


def _one_name_per_country(units: tuple[ReportUnit, ...], rows: list[DialogueRow], respondents: RespondentCounts
                          ) -> tuple[tuple[ReportUnit, ...], list[DialogueRow], RespondentCounts]:
    """The units, dialogue documents and respondent counts with one name per country (``country_names``); a
    dialogue whose file names no country is one of its own, named after the file; one without an ISO code gets its
    name's (``regions.iso_of``)."""
    names = country_names([r.country for r in rows], respondents.country)
    unnamed = {r.document_id: f"No country given ({Path(r.source_path).name})" for r in rows if not r.country.strip()}
    rows = sorted((replace(r, country=unnamed.get(r.document_id) or names.get(r.country, r.country),
                           iso=r.iso or iso_of(r.country)) for r in rows),  # no manifest: the ISO code of the name
                  key=lambda r: (r.country, r.document_id))
    units = tuple(
        replace(u, country=unnamed[u.document_id]) if u.document_id in unnamed
        else replace(u, country=names[u.country]) if names.get(u.country, u.country) != u.country else u
        for u in units)
    counts: Counter = Counter()
    for name, n in respondents.country.items():
        counts[names.get(name, name)] += n
    return units, rows, replace(respondents, country=dict(counts))


def country_names(dialogue_names: list[str], respondent_counts: Mapping[str, int]) -> dict[str, str]:
    """Each spelling of a country -> the name reports give it. Spellings of one ISO code (``regions.iso_of``:
    "Bolivia", "Bolivia (Plurinational State of)", "Bolivie"; "Ivory Coast", "Côte d'Ivoire"), or that differ only in
    case, accents or by an alias (``regions.COUNTRY_ALIASES``) are one country ("Perú", "Peru", "PERU"), named as
    its first dialogue spells it, else as most respondents do. A blank name is no country: respondents who gave none
    belong to no dialogue."""
    named: dict[str, str] = {}
    for name in dialogue_names:
        if name.strip():
            named.setdefault(_identity(name), name.strip())
    for name, _ in sorted(respondent_counts.items(), key=lambda item: (-item[1], item[0])):
        if name.strip():
            named.setdefault(_identity(name), canonical_country(name))
    return {name: named[_identity(name)] for name in [*dialogue_names, *respondent_counts] if name.strip()}


def _identity(name: str) -> str:
    """What all spellings of one country share: its ISO code, else its name as ``country_key`` compares names."""
    return iso_of(name) or country_key(name)


def count_countries(summary: CorpusSummary) -> CorpusSummary:
    """``summary`` with its countries counted as the reports count them: the spellings of one country once
    (``_identity``: "Perú", "PERU" and "Peru"; "RDC" and "RD Congo")."""
    names = {name: dialogue for name, dialogue in summary.country_names.items() if name.strip()}
    return replace(summary, countries=len({_identity(name) for name in names}),
                   dialogue_countries=len({_identity(name) for name, dialogue in names.items() if dialogue}))


def dialogue_countries(rows: list[DialogueRow]) -> list[tuple[DialogueRow, list[DialogueRow]]]:
    """(row, documents) per dialogue country. A country written up in several documents (a dialogue in parts, or
    two convenors') makes one profile, as its units do: its row lists each document's distinct values ("; " apart)."""
    groups: dict[str, list[DialogueRow]] = {}
    for row in rows:
        groups.setdefault(row.country, []).append(row)
    return [(group[0] if len(group) == 1 else _merged(group), group) for group in groups.values()]


def _merged(group: list[DialogueRow]) -> DialogueRow:
    def joined(values) -> str:
        return "; ".join(dict.fromkeys(v for v in values if v))

    attributes = {key: joined(r.attributes.get(key) for r in group)
                  for key in dict.fromkeys(key for r in group for key in r.attributes)}
    # each document's language as its profile would name it (a "Language:" line, else the detected code's name)
    attributes["language_name"] = joined(r.attributes.get("language_name") or LANGUAGES.get(r.language, r.language)
                                         for r in group)
    first = group[0]
    return DialogueRow(first.document_id, first.country, next((r.iso for r in group if r.iso), ""),
                       joined(r.title for r in group), joined(r.date for r in group),
                       joined(r.organisation for r in group), first.language, first.source_path, first.source_format,
                       attributes)


def top_level(labels: Mapping[int, Labels], codebook: Codebook) -> dict[int, Labels]:
    """Labels rolled up to the codebook's top-level codes (sub-codes count for their parent; unknown codes
    from an older codebook are left out)."""
    top = {c.id: c.top for c in codebook.codes}
    roll = lambda codes: tuple(sorted({top[c] for c in codes if c in top}))  # noqa: E731
    return {sid: Labels(roll(label.groups), roll(label.causes), label.reviewed) for sid, label in labels.items()}


def model_info(config: Config, version: str) -> ModelInfo:
    """Scores from the model directory's metrics.json (empty when it is missing or unreadable)."""
    scores: dict[str, dict[str, float]] = {}
    scored = ""
    try:
        scored = json.loads((config.model_dir / "config.json").read_text(encoding="utf-8")).get("version", "")
        metrics = json.loads((config.model_dir / "metrics.json").read_text(encoding="utf-8"))
        for split, result in metrics.items():
            scores[split] = {"groups": result["groups"]["micro_f1"], "causes": result["causes"]["micro_f1"],
                             "n": result.get("n", 0)}
    except (OSError, ValueError, KeyError, TypeError):
        scores = {}
    return ModelInfo(version, scored, scores)


def _prompt(unit: ReportUnit) -> bool:
    """Whether a unit is a facilitator's or chair's question ("¿Y los jóvenes?", "Who is left behind in your
    commune?"): it names the groups the meeting was asked about, not what participants said, so the reports neither
    count nor quote it."""
    return unit.speaker_role in PROMPTING_ROLES and unit.text.rstrip().endswith("?")


def _questions(config: Config, units: tuple[ReportUnit, ...]) -> dict[str, str]:
    """The consultation questions the stored answers answer (the mapping's wording of each), in the mapping's order:
    a question of the mapping that no export holds is none of this consultation's."""
    answered = {u.question for u in units if u.document_kind == CONSULTATION}
    try:
        mapping = SurveyMapping.load(config.survey_mapping).questions
    except ConfigError:
        return {}
    return {key: aliases[0] for key, aliases in mapping.items() if key in answered}
