"""Candidate mentions of excluded groups: multilingual phrase patterns matched on lower-cased tokens.

``CandidateFinder`` finds every span a codebook pattern matches, with exact character offsets, drops those inside
a code's ``not_patterns`` ("older version", "youth hostel"), and describes each candidate's context for the
trained disambiguation step (``coding.disambiguate``).
"""

from __future__ import annotations

from dataclasses import dataclass

import spacy
from spacy.matcher import PhraseMatcher

from synthesis.coding.codebook import Codebook

# Words that, shortly before a mention, say the group was absent or not discussed ...
NEGATIONS = {
    "not", "no", "never", "n't", "without", "nor", "none", "neither", "nobody", "absent", "lack",
    "sin", "nunca", "ni", "ninguna", "ninguno", "tampoco",
    "pas", "sans", "jamais", "aucun", "aucune", "ni", "personne",
}
# ... unless they say "not only".
NOT_ONLY = {("not", "only"), ("not", "just"), ("no", "solo"), ("no", "sólo"), ("no", "solamente"),
            ("non", "seulement"), ("pas", "seulement"), ("pas", "uniquement"), ("not", "merely")}
WINDOW = 4
# Sentences that report a group as absent from the discussion ("... so the issue was not discussed").
NOT_DISCUSSED = ("not discussed", "was not discussed", "were not discussed", "did not discuss", "didn't discuss",
                 "was not raised", "not covered", "no se discutió", "no discutió", "no se habló", "no se trató",
                 "no abordó", "n'a pas été discuté", "n'ont pas été discutés", "pas discuté", "n'a pas abordé")


@dataclass(frozen=True)
class Candidate:
    code: str
    start: int  # character offsets into the text searched
    end: int
    text: str
    features: dict  # context features for the disambiguation model


class CandidateFinder:
    def __init__(self, codebook: Codebook, languages: tuple[str, ...] = ("en", "es", "fr")):
        self.codebook = codebook
        self._nlp = {}
        self._matchers = {}
        for language in languages:
            nlp = spacy.blank(language)
            matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
            blocker = PhraseMatcher(nlp.vocab, attr="LOWER")
            for code in codebook.codes:
                phrases = sorted({p for ps in code.patterns.values() for p in ps})
                if phrases:
                    matcher.add(code.id, list(nlp.tokenizer.pipe(phrases)))
                if code.not_patterns:
                    blocker.add(code.id, list(nlp.tokenizer.pipe(code.not_patterns)))
            self._nlp[language], self._matchers[language] = nlp, (matcher, blocker)

    def _language(self, language: str) -> str:
        return language if language in self._nlp else next(iter(self._nlp))

    def find(self, text: str, language: str = "en") -> list[Candidate]:
        return self.find_many([text], [language])[0]

    def find_many(self, texts: list[str], languages: list[str]) -> list[list[Candidate]]:
        out: list[list[Candidate] | None] = [None] * len(texts)
        by_language: dict[str, list[int]] = {}
        for i, language in enumerate(languages):
            by_language.setdefault(self._language(language), []).append(i)
        for language, indices in by_language.items():
            nlp, (matcher, blocker) = self._nlp[language], self._matchers[language]
            for i, doc in zip(indices, nlp.tokenizer.pipe(texts[i] for i in indices)):
                out[i] = self._candidates(doc, matcher, blocker)
        return out

    def _candidates(self, doc, matcher, blocker) -> list[Candidate]:
        matches = matcher(doc)
        if not matches:
            return []  # most texts: no pattern at all, so no blocker run and no context to build
        vocab = doc.vocab.strings
        blocked = {}
        for match_id, start, end in blocker(doc):
            blocked.setdefault(vocab[match_id], []).append((start, end))
        spans = {}
        for match_id, start, end in matches:
            code = vocab[match_id]
            if any(b0 <= start and end <= b1 or (start <= b0 < end) for b0, b1 in blocked.get(code, ())):
                continue
            # keep the longest span per code where spans overlap ("rural women" over "women")
            spans.setdefault(code, []).append((start, end))
        found = []
        words = [t.lower_ for t in doc] if spans else []  # once per text, shared by its candidates
        for code, ranges in spans.items():
            ranges.sort(key=lambda r: (r[0], -(r[1] - r[0])))
            kept: list[tuple[int, int]] = []
            for start, end in ranges:
                if kept and start < kept[-1][1]:
                    continue
                kept.append((start, end))
            for start, end in kept:
                span = doc[start:end]
                found.append(Candidate(code, span.start_char, span.end_char, span.text,
                                       _context(words, start, end, code)))
        found.sort(key=lambda c: (c.start, c.code))
        return found


def _context(words: list[str], start: int, end: int, code: str) -> dict:
    sentence_start = max((i + 1 for i in range(start) if words[i] in {".", "!", "?", ";"}), default=0)
    before = words[max(sentence_start, start - WINDOW):start]
    after = words[end:end + WINDOW]
    phrase = " ".join(words[start:end])
    negated = any(w in NEGATIONS for w in before) and not any(
        (a, b) in NOT_ONLY for a, b in zip(words[max(0, start - WINDOW - 1):start], words[max(1, start - WINDOW):start]))
    sentence_end = next((i for i in range(end, len(words)) if words[i] in {".", "!", "?", ";"}), len(words))
    sentence = " ".join(words[sentence_start:sentence_end])
    not_discussed = any(cue in sentence for cue in NOT_DISCUSSED)
    features = {"code": code, f"phrase={phrase}": 1, f"code*phrase={code}|{phrase}": 1, "negated": int(negated),
                f"code*negated={code}": int(negated), "not_discussed": int(not_discussed)}
    for w in before[-2:]:
        features[f"before={w}"] = 1
        features[f"code*before={code}|{w}"] = 1
    for w in after[:2]:
        features[f"after={w}"] = 1
        features[f"code*after={code}|{w}"] = 1
    if after:
        features[f"next={after[0]}"] = 1
    if after and (after[0].istitle() or after[0] in {"'s", "’s"}):
        features["next_capital_or_possessive"] = 1
    return features
