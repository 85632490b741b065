"""Segmentation: normalised document text, paragraph/turn/answer units and their sentences.

Text is normalised once here (NFC, zero-width characters removed, runs of white space folded) and blocks are
joined with blank lines; every segment's ``start``/``end`` index that stored text exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Mapping, Sequence

import spacy

from synthesis.language import LanguageDetector
from synthesis.records import (
    ANSWER,
    CONSULTATION,
    DIALOGUE,
    HEADING,
    PARAGRAPH,
    SENTENCE,
    TABLE,
    TURN,
    Block,
    Document,
    ParsedDocument,
    Segment,
)

SEPARATOR = "\n\n"
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

# Speaker labels as transcripts write them, in English, Spanish and French, mapped to one role name.
ROLES: Mapping[str, tuple[str, ...]] = {
    "facilitator": ("co-facilitator", "facilitator", "facilitadora", "facilitador", "cofacilitador", "animatrice",
                    "animateur", "moderator", "moderadora", "moderador", "modératrice", "modérateur"),
    "government": ("government representative", "government official", "representante del gobierno",
                   "représentante du gouvernement", "représentant du gouvernement"),
    "participant": ("participants", "participante", "participant"),
    "rapporteur": ("rapporteuse", "rapporteur", "relatora", "relator"),
    "chair": ("chairperson", "chair", "presidenta", "presidente", "présidente", "président"),
    "panellist": ("panellist", "panelist", "panelista", "panéliste"),
    "observer": ("observadora", "observador", "observatrice", "observateur", "observer"),
}
_ROLE_OF = {word: role for role, words in ROLES.items() for word in words}
_SPEAKER = re.compile(
    r"(?P<label>(?P<role>" + "|".join(re.escape(w) for w in sorted(_ROLE_OF, key=len, reverse=True)) + r")"
    r"(?:\s+\d{1,2})?(?:\s*\([^()]{0,160}\))?)\s*:\s+",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """The one normalisation applied to every block: NFC, no zero-width characters, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH).split())


def split_speaker(text: str) -> tuple[str, str, int]:
    """(role, label, offset of the spoken text) for a speaker turn; ("", "", 0) for anything else."""
    match = _SPEAKER.match(text)
    if not match or match.end() >= len(text):
        return "", "", 0
    return _ROLE_OF[match.group("role").lower()], match.group("label"), match.end()


@dataclass(frozen=True)
class SurveyRow:
    """One consultation respondent as read from an export, before segmentation."""

    row: int
    respondent_id: str
    country: str
    language: str
    attributes: Mapping[str, str]
    answers: Sequence[tuple[str, str]]  # (question key, answer text) in column order


class Segmenter:
    """Builds ``ParsedDocument``s; sentence splitting uses spaCy's rule-based sentencizer per language."""

    def __init__(self, languages: Sequence[str] = ("en", "es", "fr"), min_detect_chars: int = 25):
        self.detector = LanguageDetector(languages, min_detect_chars)
        self._nlp: dict[str, spacy.Language] = {}

    def _pipeline(self, language: str) -> spacy.Language:
        if language not in self._nlp:
            try:
                nlp = spacy.blank(language)
            except ImportError:
                nlp = spacy.blank("xx")
            nlp.add_pipe("sentencizer")
            self._nlp[language] = nlp
        return self._nlp[language]

    def dialogue(self, key: str, blocks: Sequence[Block], meta: Mapping[str, str]) -> ParsedDocument:
        """A transcript: headings, tables, paragraphs and speaker turns, each unit split into sentences."""
        parts: list[str] = []
        units: list[Segment] = []
        offset, section = 0, ""
        for index, block in enumerate(b for b in blocks if normalise(b.text)):
            text = normalise(block.text)
            if parts:
                offset += len(SEPARATOR)
            parts.append(text)
            kind, role, label, skip = block.kind, "", "", 0
            if kind == PARAGRAPH:
                role, label, skip = split_speaker(text)
                kind = TURN if role else PARAGRAPH
            units.append(
                Segment(position=0, kind=kind, start=offset + skip, end=offset + len(text), text=text[skip:],
                        paragraph_index=index, speaker_role=role, speaker_label=label,
                        section=text if kind == HEADING else section)
            )
            if kind == HEADING:
                section = text
            offset += len(text)
        language = meta.get("language", "")
        document = Document(
            key=key, kind=DIALOGUE, text=SEPARATOR.join(parts),
            title=meta.get("title") or next((u.text for u in units if u.kind == HEADING), ""),
            country=meta.get("country", ""), iso=meta.get("iso", ""), language=language,
            date=meta.get("date", ""), organisation=meta.get("organisation", ""),
            attributes={k: v for k, v in meta.items() if k not in _DOCUMENT_FIELDS},
        )
        detected = self.detector.detect([u.text for u in units], [language] * len(units))
        if not language:  # short segments take the language most of the document is in
            found = [lang for lang in detected if lang] or ["en"]
            language = max(sorted(set(found)), key=found.count)
            document = replace(document, language=language)
        units = [replace(u, language=lang or language) for u, lang in zip(units, detected)]
        return ParsedDocument(document, tuple(self._with_sentences([units])[0]))

    def respondents(self, rows: Sequence[SurveyRow]) -> list[ParsedDocument]:
        """One document per respondent: the non-empty answers joined by blank lines, one unit per answer."""
        documents, unit_lists = [], []
        for row in rows:
            units, parts, offset = [], [], 0
            for index, (question, answer) in enumerate(row.answers):
                text = normalise(answer)
                if not text:
                    continue
                if parts:
                    offset += len(SEPARATOR)
                parts.append(text)
                units.append(Segment(position=0, kind=ANSWER, start=offset, end=offset + len(text), text=text,
                                     paragraph_index=index, question=question))
                offset += len(text)
            documents.append(
                Document(key=row.respondent_id, kind=CONSULTATION, text=SEPARATOR.join(parts),
                         country=row.country, language=row.language, row=row.row, attributes=dict(row.attributes))
            )
            unit_lists.append(units)
        flat = [u for units in unit_lists for u in units]
        fallback = [doc.language or "en" for doc, units in zip(documents, unit_lists) for _ in units]
        detected = iter(self.detector.detect([u.text for u in flat], fallback))
        unit_lists = [[replace(u, language=next(detected)) for u in units] for units in unit_lists]
        return [ParsedDocument(doc, tuple(segs)) for doc, segs in zip(documents, self._with_sentences(unit_lists))]

    def _with_sentences(self, unit_lists: list[list[Segment]]) -> list[list[Segment]]:
        """Number the units and add their sentences (headings and tables are not split)."""
        splittable = [(i, j) for i, units in enumerate(unit_lists) for j, u in enumerate(units)
                      if u.kind not in (HEADING, TABLE)]
        by_language: dict[str, list[tuple[int, int]]] = {}
        for i, j in splittable:
            by_language.setdefault(unit_lists[i][j].language, []).append((i, j))
        spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for language, keys in by_language.items():
            texts = (unit_lists[i][j].text for i, j in keys)
            for key, doc in zip(keys, self._pipeline(language).pipe(texts, batch_size=1000)):
                spans[key] = [(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]
        result = []
        for i, units in enumerate(unit_lists):
            out: list[Segment] = []
            for j, unit in enumerate(units):
                position = len(out)
                out.append(replace(unit, position=position))
                for start, end in spans.get((i, j), ()):
                    out.append(replace(unit, position=len(out), kind=SENTENCE, start=unit.start + start,
                                       end=unit.start + end, text=unit.text[start:end], parent_position=position))
            result.append(out)
        return result


_DOCUMENT_FIELDS = {"title", "country", "iso", "language", "date", "organisation"}
