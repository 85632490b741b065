"""What makes a theme readable: its label, description, profile and representative verbatim quotes, and carrying
human renames over to the matching theme of a new run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from synthesis.embeddings import DIMENSIONS
from synthesis.records import Labels

QUOTE_MIN_CHARS, QUOTE_MAX_CHARS = 50, 600
RENAME_MIN_SIMILARITY = 0.8  # cosine similarity of centroids for a rename to carry over


@dataclass
class Member:
    """A unit segment in a theme, with what its profile counts."""

    segment_id: int
    text: str
    language: str
    country: str
    document_kind: str
    similarity: float  # to the theme's centroid


@dataclass
class Profile:
    """Counts of a theme's segments by country, language, excluded group, root cause and source kind."""

    counts: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in
                                                                  ("country", "language", "group", "cause", "kind")})

    def add(self, country: str, language: str, kind: str, labels: Labels | None) -> None:
        self.counts["country"][country or "(none)"] += 1
        self.counts["language"][language or "(unknown)"] += 1
        self.counts["kind"][kind] += 1
        if labels is not None:
            self.counts["group"].update(labels.groups)
            self.counts["cause"].update(labels.causes)

    def name_countries(self, names: Mapping[str, str]) -> None:
        """Count each country under one name (``names``: each spelling's, as reports merge "Perú" and "PERU")."""
        merged: Counter = Counter()
        for country, n in self.counts["country"].items():
            merged[names.get(country, country)] += n
        self.counts["country"] = merged

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {key: dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))) for key, counter in
                self.counts.items()}


def choose_quotes(members: Sequence[Member], n: int) -> list[int]:
    """Segment ids of up to ``n`` quotes: the members closest to the centroid that read as a quote (not too
    short or long), at most one per document, dialogue and consultation both represented when both are there."""
    readable = [m for m in members if QUOTE_MIN_CHARS <= len(m.text) <= QUOTE_MAX_CHARS] or list(members)
    ranked = sorted(readable, key=lambda m: (-m.similarity, m.segment_id))
    chosen: list[Member] = []
    seen_texts: set[str] = set()
    kinds = {m.document_kind for m in ranked}
    for wanted_kind in sorted(kinds):  # the best of each source kind first
        best = next((m for m in ranked if m.document_kind == wanted_kind), None)
        if best is not None and len(chosen) < n:
            chosen.append(best)
            seen_texts.add(best.text.casefold())
    for member in ranked:
        if len(chosen) >= n:
            break
        if member in chosen or member.text.casefold() in seen_texts:
            continue
        chosen.append(member)
        seen_texts.add(member.text.casefold())
    chosen.sort(key=lambda m: (-m.similarity, m.segment_id))
    return [m.segment_id for m in chosen]


def generated_label(keywords: Sequence[str], profile: dict, size: int, code_labels: dict[str, str],
                    texts: Sequence[str] = ()) -> str:
    """A short label: the dominant excluded group when most of the theme concerns it, then the two most
    telling keywords that are not already in the label (e.g. "Persons with disabilities: sign language, schools").
    Given the theme's texts, only keywords written as such in some of them are used: c-TF-IDF forms word pairs
    after dropping stop words, so "seats for women" yields "seats women", which reads badly in a title."""
    if texts:
        lowered_texts = [t.lower() for t in texts]
        needed = max(2, len(lowered_texts) // 100)
        keywords = [k for k in keywords if sum(k.lower() in t for t in lowered_texts) >= needed] or list(keywords)
    prefix = ""
    groups = profile.get("group", {})
    if groups:
        code, count = next(iter(groups.items()))
        if count >= 0.4 * size:
            prefix = code_labels.get(code, code)
    words: list[str] = []
    for keyword in keywords:
        lowered = keyword.lower()
        if any(lowered in w or w in lowered for w in words) or lowered in prefix.lower():
            continue
        words.append(lowered)
        if len(words) == (2 if prefix else 3):
            break
    if not words:
        return prefix or "Miscellaneous"
    return f"{prefix}: {', '.join(words)}" if prefix else ", ".join(words).capitalize()


def description(size: int, profile: dict, keywords: Sequence[str], code_labels: dict[str, str]) -> str:
    countries = [c for c in profile.get("country", {}) if c != "(none)"]
    kinds = profile.get("kind", {})
    parts = [f"{size} segments from {len(countries)} countries "
             f"({kinds.get('dialogue', 0)} from dialogues, {kinds.get('consultation', 0)} from the consultation)."]
    for key, noun in (("group", "group"), ("cause", "root cause")):
        top = list(profile.get(key, {}).items())[:2]
        if top:
            named = " and ".join(f"{code_labels.get(c, c)} ({round(100 * n / size)}%)" for c, n in top)
            parts.append(f"Most often coded {noun}: {named}.")
    if keywords:
        parts.append(f"Keywords: {', '.join(keywords[:6])}.")
    return " ".join(parts)


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def match_renames(renames: Sequence[tuple[int, str, list[str], list[float]]], centroids: dict[int, np.ndarray],
                  embedded: int = DIMENSIONS) -> tuple[dict[int, str], list[str]]:
    """``({theme number: human label}, [messages about renames that no longer match])``. Newer renames win;
    each theme takes at most one rename, each rename at most one theme. A centroid's first ``embedded`` columns are
    the texts' embedding and the rest their codes: a rename made before the codes changed (a sub-code added, another
    ``themes_code_weight``) is compared on the embedding alone."""
    carried: dict[int, str] = {}
    lost: list[str] = []
    numbers = sorted(centroids)
    matrix = np.vstack([centroids[t] for t in numbers]) if numbers else np.zeros((0, 1))
    embeddings = _unit_rows(matrix[:, :embedded])
    seen_labels: set[str] = set()
    for _, label, old_keywords, centroid in reversed(list(renames)):
        if label in seen_labels:
            continue
        seen_labels.add(label)
        if not numbers:
            lost.append(f"theme renamed {label!r} no longer exists (there are no themes)")
            continue
        vector = np.asarray(centroid, dtype=np.float32)
        if len(vector) == matrix.shape[1]:
            similarity = matrix @ vector
        else:
            similarity = embeddings @ _unit_rows(vector[None, :embedded])[0]
        for index in np.argsort(-similarity):
            if similarity[index] < RENAME_MIN_SIMILARITY:
                break
            if numbers[int(index)] not in carried:
                carried[numbers[int(index)]] = label
                break
        if label not in carried.values():
            lost.append(f"theme renamed {label!r} (keywords {', '.join(old_keywords[:4])}) no longer matches any "
                        f"theme; its new themes keep generated labels")
    return carried, lost
