"""Themes: BERTopic clusters of the unit segments, with readable names, verbatim quotes and profiles.

Public API: ``build_themes(config, store, run_id, progress)`` → ``ThemeSummary``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields

import numpy as np

from synthesis.config import Config
from synthesis.embeddings import Embedder
from synthesis.progress import SILENT, Progress
from synthesis.review.codebook_edit import codebook_in_use
from synthesis.store import Store, ThemeRow, UnitRow
from synthesis.themes.describe import Member, Profile, choose_quotes, description, generated_label, match_renames
from synthesis.themes.fitting import Features, LanguageShift, centroids, fit, join_nearest, keywords, seed_topics
from synthesis.themes.outputs import write_outputs

log = logging.getLogger(__name__)

__all__ = ["build_themes", "ThemeSummary"]

ASSIGN_BATCH = 5000


@dataclass
class ThemeSummary:
    themes: int = 0
    segments: int = 0
    outliers: int = 0
    fitted_on: int = 0
    embedded: int = 0  # texts the encoder had to embed (the rest came from the cache)
    skipped: str = ""  # why no clustering was done, when it was not
    renames_carried: int = 0
    problems: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    model: object = field(default=None, repr=False, compare=False)  # the fitted BERTopic model, for inspection

    def facts(self) -> dict:
        """The summary as JSON-ready values (without the model), for the run record."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "model"}


def build_themes(config: Config, store: Store, run_id: int, progress: Progress = SILENT) -> ThemeSummary:
    """Cluster every unit segment into themes and replace the stored themes (one transaction), then write
    ``OUT/themes/``. Too little text gives one theme (or none) with the reason in the summary, never a crash."""
    summary = ThemeSummary()
    units = [u for u in store.iter_units() if u.text.strip()]
    summary.segments = len(units)
    codebook = codebook_in_use(config, store).codebook  # the latest edited in the review app, if any
    code_labels = {c.id: c.label for c in codebook.codes}
    labels = store.effective_labels()
    embedder = Embedder(config.cache_dir)
    try:
        distinct = list(dict.fromkeys(u.text for u in units))
        if not distinct:
            summary.skipped = "no segments with text to cluster: no themes"
            rows, assignments, model = [], [], None
        else:
            fit_texts = _sample(units, distinct, config)
            with progress.task("Embedding for themes", len(fit_texts)) as task:
                embeddings = embedder.encode(fit_texts)
                task.advance(len(fit_texts))
            features = _features(units, labels, codebook, fit_texts, embeddings, config)
            vectors = features.of(fit_texts, embeddings)
            if len(distinct) < config.themes_min_segments:
                summary.skipped = (f"{len(distinct)} distinct segments, fewer than themes_min_segments "
                                   f"({config.themes_min_segments}): one theme holds them all")
                model, topics, words = None, [0] * len(fit_texts), _frequent_words(fit_texts, config)
            else:
                with progress.task("Clustering themes", None):
                    fitted = fit(fit_texts, vectors, config, embedder,
                                 seed_topics(codebook) if config.themes_guided else None)
                model, topics, words = fitted.model, fitted.topics, None
            summary.fitted_on = len(fit_texts)
            topic_of = dict(zip(fit_texts, topics))
            rest = [t for t in distinct if t not in topic_of]
            if rest:
                topic_of.update(_assign(rest, embedder, features, centroids(vectors, np.asarray(topics)), config,
                                        progress))
            rows, assignments = _theme_rows(units, topic_of, dict(zip(fit_texts, vectors)), labels, model, words,
                                            code_labels, config, summary, store)
        summary.embedded = embedder.embedded
    finally:
        embedder.close()
    store.replace_themes(run_id, rows, assignments)
    summary.themes = len(rows)
    summary.outliers = summary.segments - len(assignments)
    summary.files = write_outputs(config.out_dir / "themes", store.themes(), model)
    summary.model = model
    return summary


def _features(units, labels, codebook, fit_texts, embeddings, config: Config) -> Features:
    languages: dict[str, str] = {}
    codes: dict[str, tuple[str, ...]] = {}
    for unit in units:
        if unit.text not in languages:
            languages[unit.text] = unit.language
            chosen = labels.get(unit.id)
            codes[unit.text] = (chosen.groups + chosen.causes) if chosen else ()
    shift = LanguageShift.fit(embeddings, [languages[t] for t in fit_texts], config.themes_language_centring)
    vocabulary = tuple(c.id for c in codebook.codes)
    return Features(shift, languages, codes, vocabulary, config.themes_code_weight)


def _sample(units: list[UnitRow], distinct: list[str], config: Config) -> list[str]:
    """The distinct texts to fit on: all of them up to ``themes_sample``; above it every dialogue text plus a
    sample of consultation texts stratified by language, in corpus order."""
    if len(distinct) <= config.themes_sample:
        return distinct
    rng = np.random.default_rng(config.seed)
    first = {}
    for unit in units:
        first.setdefault(unit.text, unit)
    dialogue = [t for t in distinct if first[t].document_kind == "dialogue"]
    by_language: dict[str, list[str]] = {}
    for text in distinct:
        if first[text].document_kind != "dialogue":
            by_language.setdefault(first[text].language, []).append(text)
    budget = max(config.themes_sample - len(dialogue), 0)
    total = sum(len(v) for v in by_language.values())
    chosen = set(dialogue)
    for language, texts in sorted(by_language.items()):
        k = min(len(texts), max(1, round(budget * len(texts) / total)))
        chosen.update(texts[i] for i in rng.choice(len(texts), size=k, replace=False))
    return [t for t in distinct if t in chosen]


def _assign(texts: list[str], embedder: Embedder, features: Features, centres: dict[int, np.ndarray],
            config: Config, progress: Progress) -> dict[str, int]:
    """Themes for the texts outside the fitting sample, streamed in batches: each joins the theme with the most
    similar centroid when close enough, as outliers do in the fit."""
    assigned: dict[str, int] = {}
    with progress.task("Assigning themes", len(texts)) as task:
        for start in range(0, len(texts), ASSIGN_BATCH):
            batch = texts[start:start + ASSIGN_BATCH]
            vectors = features.of(batch, embedder.encode(batch))
            topics = join_nearest(vectors, np.full(len(batch), -1), centres, config.themes_outlier_threshold)
            assigned.update(zip(batch, topics.tolist()))
            task.advance(len(batch))
    return assigned


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def _frequent_words(texts: list[str], config: Config) -> list[str]:
    from synthesis.themes.fitting import vectorizer

    try:
        counts = vectorizer(config.languages, min_df=1).fit(texts)
        matrix = counts.transform(texts).sum(axis=0).A1
    except ValueError:  # empty vocabulary: only stop words or numbers
        return []
    names = counts.get_feature_names_out()
    return [names[i] for i in sorted(range(len(names)), key=lambda i: (-matrix[i], names[i]))[:10]]


def _theme_rows(units, topic_of, fit_vectors, labels, model, words, code_labels, config, summary, store):
    """Theme rows (numbered by size, largest first) and ``(segment_id, number, probability)`` assignments."""
    by_topic: dict[int, list[UnitRow]] = {}
    for unit in units:
        topic = topic_of.get(unit.text, -1)
        if topic != -1:
            by_topic.setdefault(topic, []).append(unit)
    order = sorted(by_topic, key=lambda t: (-len(by_topic[t]), t))
    centres = {}
    for number, topic in enumerate(order):
        vectors = [fit_vectors[u.text] for u in by_topic[topic] if u.text in fit_vectors]
        centres[number] = _normalise(np.mean(vectors, axis=0, keepdims=True))[0]
    carried, lost = match_renames(store.theme_renames(), centres)
    summary.problems.extend(lost)
    for message in lost:
        log.warning("themes: %s", message)
    summary.renames_carried = len(carried)
    rows, assignments = [], []
    for number, topic in enumerate(order):
        members_units = by_topic[topic]
        profile = Profile()
        members = []
        for unit in members_units:
            profile.add(unit.country, unit.language, unit.document_kind, labels.get(unit.id))
            vector = fit_vectors.get(unit.text)
            similarity = float(vector @ centres[number]) if vector is not None else 0.0
            if vector is not None:  # quotes come from the fitted texts, whose vectors are at hand
                members.append(Member(unit.id, unit.text, unit.language, unit.country, unit.document_kind,
                                      similarity))
            assignments.append((unit.id, number, max(similarity, 0.0)))
        counts = profile.as_dict()
        top_words = words if model is None else keywords(model, topic)
        size = len(members_units)
        label = carried.get(number) or (generated_label(top_words, counts, size, code_labels,
                                                        [m.text for m in members[:2000]])
                                        if model is not None or top_words else "All segments")
        rows.append(ThemeRow(number=number, label=label, label_source="human" if number in carried else "generated",
                             keywords=tuple(top_words), size=size,
                             description=description(size, counts, top_words, code_labels), profile=counts,
                             centroid=[round(float(x), 6) for x in centres[number]],
                             quote_segment_ids=tuple(choose_quotes(members, config.themes_quotes))))
    return rows, assignments

