"""Themes: BERTopic clusters of the unit segments, with readable names, verbatim quotes and profiles.

Public API: ``build_themes(config, store, run_id, progress)`` → ``ThemeSummary``.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from array import array
from dataclasses import dataclass, field, fields

import numpy as np

from synthesis.config import Config
from synthesis.embeddings import Embedder
from synthesis.progress import SILENT, Progress
from synthesis.records import DIALOGUE
from synthesis.report.data import country_names
from synthesis.review.codebook_edit import codebook_in_use
from synthesis.store import Store, ThemeRow
from synthesis.themes.describe import Member, Profile, choose_quotes, description, generated_label, match_renames
from synthesis.themes.fitting import (Features, LanguageShift, TextInfo, centroids, fit, join_nearest, keywords,
                                      seed_topics)
from synthesis.themes.outputs import check_folder, write_outputs

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
    assigned: int = 0  # segments that joined a theme
    fit_seconds: float = 0.0  # BERTopic's fit, reduction and keywords (without reading, embedding, storing)
    renames_carried: int = 0
    problems: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    model: object = field(default=None, repr=False, compare=False)  # the fitted BERTopic model, for inspection

    def facts(self) -> dict:
        """The summary as JSON-ready values (without the model), for the run record."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "model"}


def build_themes(config: Config, store: Store, run_id: int, progress: Progress = SILENT) -> ThemeSummary:
    """Cluster every unit segment into themes and replace the stored themes (one transaction), then write
    ``OUT/themes/``. Too little text gives one theme (or none) with the reason in the summary, never a crash.

    Memory follows the number of distinct texts, not of segments: the store is read twice as a stream (once for
    the distinct texts, once for theme profiles and assignments), and only the fitting sample is embedded at once.
    """
    summary = ThemeSummary()
    check_folder(config.out_dir / "themes")  # before anything is computed or stored
    codebook = codebook_in_use(config, store).codebook  # the latest edited in the review app, if any
    code_labels = {c.id: c.label for c in codebook.codes}
    labels = store.effective_labels()
    texts, summary.segments = _distinct_texts(store, labels)
    embedder = Embedder(config.cache_dir, precision=config.embedding_precision)
    try:
        if not texts:
            summary.skipped = "no segments with text to cluster: no themes"
            rows, assignments, model = [], [], None
        else:
            fit_texts = _sample(texts, config)
            with progress.task("Embedding for themes", len(fit_texts)) as task:
                embeddings = embedder.encode(fit_texts)
                task.advance(len(fit_texts))
            shift = LanguageShift.fit(embeddings, [texts[t].language for t in fit_texts],
                                      config.themes_language_centring)
            features = Features(shift, texts, tuple(c.id for c in codebook.codes), config.themes_code_weight)
            vectors = features.of(fit_texts, embeddings)
            del embeddings
            if len(texts) < config.themes_min_segments:
                summary.skipped = (f"{len(texts)} distinct segments, fewer than themes_min_segments "
                                   f"({config.themes_min_segments}): one theme holds them all")
                model, topics, words = None, np.zeros(len(fit_texts), dtype=int), _frequent_words(fit_texts, config)
            else:
                with progress.task("Clustering themes", None):
                    started = time.perf_counter()
                    fitted = fit(fit_texts, vectors, config, embedder,
                                 seed_topics(codebook) if config.themes_guided else None,
                                 {t: texts[t].language for t in fit_texts})
                summary.fit_seconds = round(time.perf_counter() - started, 2)
                model, topics, words = fitted.model, np.asarray(fitted.topics), None
                if (topics == -1).all():  # the clustering found no theme at all: as for too few texts
                    summary.skipped = (f"the clustering found no theme in {len(fit_texts)} distinct segments: one "
                                       "theme holds them all")
                    model, topics, words = None, np.zeros(len(fit_texts), dtype=int), _frequent_words(fit_texts,
                                                                                                       config)
            summary.fitted_on = len(fit_texts)
            centres = centroids(vectors, topics)
            topic_of = {t: (int(k), _similarity(v, centres.get(int(k)))) for t, k, v in zip(fit_texts, topics, vectors)}
            del vectors
            rest = [t for t in texts if t not in topic_of]
            if rest:
                topic_of.update(_assign(rest, embedder, features, centres, config, progress))
            del rest
            rows, assignments = _theme_rows(store, topic_of, set(fit_texts), centres, labels, model, words,
                                            code_labels, config, summary)
        summary.embedded = embedder.embedded
    finally:
        embedder.close()
    store.replace_themes(run_id, rows, assignments)
    summary.themes = len(rows)
    summary.outliers = summary.segments - summary.assigned
    summary.files = write_outputs(config.out_dir / "themes", store.themes(), model, config.corpus_dir)
    summary.model = model
    return summary


def _distinct_texts(store: Store, labels: dict) -> tuple[dict[str, TextInfo], int]:
    """Each distinct unit text (first-seen order) with its language, source kind and codes; and the number of
    unit segments with text."""
    texts: dict[str, TextInfo] = {}
    codes_seen: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple object per distinct set of codes
    segments = 0
    for unit in store.iter_units():
        if not unit.text.strip():
            continue
        segments += 1
        if unit.text not in texts:
            chosen = labels.get(unit.id)
            codes = (chosen.groups + chosen.causes) if chosen else ()
            texts[unit.text] = TextInfo(unit.language, unit.document_kind == "dialogue",
                                        codes_seen.setdefault(codes, codes))
    return texts, segments


def _sample(texts: dict[str, TextInfo], config: Config) -> list[str]:
    """The distinct texts to fit on: all of them up to ``themes_sample``; above it every dialogue text plus a
    sample of consultation texts stratified by language, in corpus order."""
    if len(texts) <= config.themes_sample:
        return list(texts)
    rng = np.random.default_rng(config.seed)
    dialogue = [t for t, info in texts.items() if info.dialogue]
    by_language: dict[str, list[str]] = {}
    for text, info in texts.items():
        if not info.dialogue:
            by_language.setdefault(info.language, []).append(text)
    budget = max(config.themes_sample - len(dialogue), 0)
    total = sum(len(v) for v in by_language.values())
    chosen = set(dialogue)
    for language, members in sorted(by_language.items()):
        k = min(len(members), max(1, round(budget * len(members) / total)))
        chosen.update(members[i] for i in rng.choice(len(members), size=k, replace=False))
    return [t for t in texts if t in chosen]


def _similarity(vector: np.ndarray, centre: np.ndarray | None) -> float:
    return float(vector @ centre) if centre is not None else 0.0


def _assign(texts: list[str], embedder: Embedder, features: Features, centres: dict[int, np.ndarray],
            config: Config, progress: Progress) -> dict[str, tuple[int, float]]:
    """Themes (and the similarity to the theme's centroid) for the texts outside the fitting sample, streamed in
    batches: each joins the theme with the most similar centroid when close enough, as outliers do in the fit."""
    assigned: dict[str, tuple[int, float]] = {}
    with progress.task("Assigning themes", len(texts)) as task:
        for start in range(0, len(texts), ASSIGN_BATCH):
            batch = texts[start:start + ASSIGN_BATCH]
            vectors = features.of(batch, embedder.encode(batch))
            topics = join_nearest(vectors, np.full(len(batch), -1), centres, config.themes_outlier_threshold)
            for text, topic, vector in zip(batch, topics.tolist(), vectors):
                assigned[text] = (topic, _similarity(vector, centres.get(topic)))
            task.advance(len(batch))
    return assigned


def _frequent_words(texts: list[str], config: Config) -> list[str]:
    from synthesis.themes.fitting import vectorizer

    try:
        counts = vectorizer(config.languages, min_df=1).fit(texts)
        matrix = counts.transform(texts).sum(axis=0).A1
    except ValueError:  # empty vocabulary: only stop words or numbers
        return []
    names = counts.get_feature_names_out()
    return [names[i] for i in sorted(range(len(names)), key=lambda i: (-matrix[i], names[i]))[:10]]


def _theme_rows(store, topic_of, fit_texts, centres, labels, model, words, code_labels, config, summary):
    """Theme rows (numbered by size, largest first) and an iterator of ``(segment_id, number, similarity)``
    assignments, from a second pass over the store."""
    profiles: dict[int, Profile] = {}
    members: dict[int, list[Member]] = {}
    quoted: set[str] = set()
    segment_ids, segment_topics, similarities = array("q"), array("i"), array("f")
    summary.segments = 0  # counted again: units added since the first pass are outliers, not miscounted
    dialogue_countries: dict[str, None] = {}  # spellings, in store order
    answer_countries: Counter = Counter()
    for unit in store.iter_units():
        if not unit.text.strip():
            continue
        summary.segments += 1
        if unit.document_kind == DIALOGUE:
            dialogue_countries.setdefault(unit.country)
        else:
            answer_countries[unit.country] += 1
        topic, similarity = topic_of.get(unit.text, (-1, 0.0))
        if topic == -1:
            continue
        profiles.setdefault(topic, Profile()).add(unit.country, unit.language, unit.document_kind,
                                                  labels.get(unit.id))
        if unit.text in fit_texts and unit.text not in quoted:  # quotes come from the fitted texts, once each
            quoted.add(unit.text)
            members.setdefault(topic, []).append(Member(unit.id, unit.text, unit.language, unit.country,
                                                        unit.document_kind, similarity))
        segment_ids.append(unit.id)
        segment_topics.append(topic)
        similarities.append(max(similarity, 0.0))
    summary.assigned = len(segment_ids)
    names = country_names(list(dialogue_countries), answer_countries)  # one name per country, as in the reports
    for profile in profiles.values():
        profile.name_countries(names)
    sizes = {topic: sum(profile.counts["language"].values()) for topic, profile in profiles.items()}
    order = sorted(sizes, key=lambda t: (-sizes[t], t))
    number_of = {topic: number for number, topic in enumerate(order)}
    carried, lost = match_renames(store.theme_renames(), {number_of[t]: centres[t] for t in order})
    summary.problems.extend(lost)
    for message in lost:
        log.warning("themes: %s", message)
    summary.renames_carried = len(carried)
    rows = []
    for number, topic in enumerate(order):
        counts = profiles[topic].as_dict()
        chosen = members.get(topic, [])
        top_words = words if model is None else keywords(model, topic)
        label = carried.get(number) or (generated_label(top_words, counts, sizes[topic], code_labels,
                                                        [m.text for m in chosen[:2000]])
                                        if model is not None or top_words else "All segments")
        rows.append(ThemeRow(number=number, label=label, label_source="human" if number in carried else "generated",
                             keywords=tuple(top_words), size=sizes[topic],
                             description=description(sizes[topic], counts, top_words, code_labels), profile=counts,
                             centroid=[round(float(x), 6) for x in centres[topic]],
                             quote_segment_ids=tuple(choose_quotes(chosen, config.themes_quotes))))
    assignments = ((sid, number_of[topic], float(p)) for sid, topic, p in zip(segment_ids, segment_topics,
                                                                              similarities))
    return rows, assignments
