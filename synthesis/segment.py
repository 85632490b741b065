"""Segmentation: normalised document text, paragraph/turn/answer units and their sentences.

Text is normalised once here (NFC, zero-width characters removed, runs of white space folded) and blocks are
joined with blank lines; every segment's ``start``/``end`` index that stored text exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
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
# characters that show nothing: the NUL control character (which PostgreSQL cannot store), zero-width ones, the soft
# hyphen, and the marks that set the direction of right-to-left text (dropped from stored text; the coding engine
# reads other texts as if they were too)
INVISIBLE = ("\x00\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
             "\u2068\u2069")
_ZERO_WIDTH = dict.fromkeys(map(ord, INVISIBLE), None)

# Speaker labels as transcripts write them, in English, Spanish and French, mapped to one role name. A label is also
# read without its accents ("Moderateur", as often typed), after "co-" ("Co-facilitadora", "Co-chair", "Coanimateur")
# and in its inclusive forms ("Facilitador/a", "Intervenant·e", "Facilitateur·rice", "Participant(e)s").
ROLES: Mapping[str, tuple[str, ...]] = {
    "facilitator": ("facilitator", "facilitadora", "facilitador", "facilitatrice", "facilitateur", "animatrice",
                    "animateur", "animadora", "animador", "moderator", "moderadora", "moderador", "modératrice",
                    "modérateur"),
    "government": ("government representative", "government official", "representante del gobierno",
                   "représentante du gouvernement", "représentant du gouvernement"),
    # "intervenant(e)", "interviniente": one who takes the floor, as French and Spanish records name a participant
    "participant": ("participants", "participantes", "participante", "participant", "intervenantes", "intervenante",
                    "intervenants", "intervenant", "intervinientes", "interviniente"),
    "rapporteur": ("rapporteuse générale", "rapporteure générale", "rapporteur général", "relatora general",
                   "relator general", "rapporteuse", "rapporteure", "rapporteur", "relatora", "relator"),
    "chair": ("chairperson", "chair", "presidenta", "presidente", "présidente", "président"),
    "panellist": ("panellist", "panelist", "panelista", "panéliste"),
    "observer": ("observadora", "observador", "observatrice", "observateur", "observer"),
}


def _folded(word: str) -> str:
    """``word`` in lower case without accents: how a label is looked up, so that "MODERATEUR" is "modérateur"."""
    return "".join(c for c in unicodedata.normalize("NFD", word.casefold()) if not unicodedata.combining(c))


_ROLE_OF = {_folded(word): role for role, words in ROLES.items() for word in words}
_WORDS = [word for words in ROLES.values() for word in words]  # the pattern takes these, and _ROLE_OF's folded
_INCLUSIVE_END = r"(?:as?|es?|s|t?rices?|euses?)"
_SPEAKER = re.compile(
    r"(?P<label>(?P<word>(?:co-?\s?)?(?P<role>"
    + "|".join(re.escape(w) for w in sorted({*_ROLE_OF, *_WORDS}, key=len, reverse=True)) + r")"
    + r"(?:[/·.-]" + _INCLUSIVE_END + r"|\(" + _INCLUSIVE_END + r"\)s?){0,2})"
    r"(?:\s+\d{1,2})?(?:\s*\([^()]{0,160}\))?)\s*:\s+",
    re.IGNORECASE,
)


# a run of punctuation marks or symbols ("=====…", "!!!!…"): spaCy's tokenizer takes time in the square of the length
# of such a run without a space (8,000 "=" took it 10 s), so in a text of LONG_TEXT characters or more each run longer
# than RUN_STEP is tokenised with a space for every RUN_STEP-th character (``break_runs``; a shorter text's runs cost
# a few milliseconds at most); a single space makes no token, so the tokens are the same but for those characters
RUN_STEP = 64
LONG_TEXT = 200
_LONG_RUN = re.compile(r"(?:[^\w\s]|_){%d,}" % (RUN_STEP + 1))


def break_runs(text: str) -> str:
    """``text`` (of LONG_TEXT characters or more) with each run of more than ``RUN_STEP`` punctuation marks or symbols
    broken by a space every ``RUN_STEP`` characters, for spaCy's tokenizer; one character for one, so offsets hold
    (``text`` itself where it has none)."""
    if len(text) < LONG_TEXT:
        return text
    return _LONG_RUN.sub(lambda run: "".join(" " if i % RUN_STEP == RUN_STEP - 1 else c
                                             for i, c in enumerate(run.group())), text)


def normalise(text: str) -> str:
    """The one normalisation applied to every block: NFC, no invisible characters (``INVISIBLE``), single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH).split())


def split_speaker(text: str) -> tuple[str, str, int]:
    """(role, label, offset of the spoken text) for a speaker turn; ("", "", 0) for anything else."""
    match = _SPEAKER.match(text)
    if not match or match.end() >= len(text):
        return "", "", 0
    label = match.group("label")
    # ignoring case, the pattern also takes "İ" and "ı" for "i" and "ſ" for "s": a word is looked up folded, and one
    # that folds to no label (dotless "ı") is none, where lower() raised KeyError
    role = _ROLE_OF.get(_folded(match.group("role")), "")
    # participants named in the plural before a number are counted ("Participantes: 25 mujeres y 10 hombres",
    # "Participant(e)s (grupo 2) : 12 femmes", a header's line further down), not quoted
    counted = role == "participant" and _folded(match.group("word")).endswith("s") and text[match.end()].isdigit()
    if not role or counted:
        return "", "", 0
    return role, label, match.end()


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
    """Builds ``ParsedDocument``s; sentence splitting uses spaCy's rule-based sentencizer per language.

    A unit that is a single sentence gets no separate sentence segment: it is its own sentence.
    """

    def __init__(self, languages: Sequence[str] = ("en", "es", "fr"), min_detect_chars: int = 25):
        self.detector = LanguageDetector(languages, min_detect_chars)
        self._nlp: dict[str, tuple[spacy.Language, re.Pattern]] = {}
        self._spans: dict[tuple[str, str], list[tuple[int, int]]] = {}  # sentence spans by (language, text)

    def dialogue(self, key: str, blocks: Sequence[Block], meta: Mapping[str, str]) -> ParsedDocument:
        """A transcript: headings, tables, paragraphs and speaker turns, each unit split into sentences."""
        parts: list[str] = []
        units: list[_Unit] = []
        offset, section = 0, ""
        # metadata (the file's own, or its manifest's) loses NUL characters as texts do: PostgreSQL stores none
        meta = {name: value.replace("\x00", "") for name, value in meta.items()}
        texts = ((b, normalise(b.text)) for b in blocks)
        for index, (block, text) in enumerate((b, t) for b, t in texts if t):
            if parts:
                offset += len(SEPARATOR)
            parts.append(text)
            kind, role, label, skip = block.kind, "", "", 0
            if kind == PARAGRAPH:
                role, label, skip = split_speaker(text)
                kind = TURN if role else PARAGRAPH
            if kind == HEADING:
                section = text
            units.append(_Unit(kind, offset + skip, text[skip:], index, role=role, label=label, section=section))
            offset += len(text)
        language = meta.get("language", "")
        detected = self.detector.detect([u.text for u in units], [language] * len(units))
        if not language:  # short segments take the language most of the document is in
            found = [lang for lang in detected if lang] or ["en"]
            language = max(sorted(set(found)), key=found.count)
        document = Document(
            key=key, kind=DIALOGUE, text=SEPARATOR.join(parts),
            title=meta.get("title") or next((u.text for u in units if u.kind == HEADING), ""),
            country=meta.get("country", ""), iso=meta.get("iso", ""), language=language,
            date=meta.get("date", ""), organisation=meta.get("organisation", ""),
            attributes={k: v for k, v in meta.items() if k not in _DOCUMENT_FIELDS},
        )
        return ParsedDocument(document, self._segments(units, [lang or language for lang in detected]))

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
                units.append(_Unit(ANSWER, offset, text, index, question=question))
                offset += len(text)
            documents.append(
                Document(key=row.respondent_id, kind=CONSULTATION, text=SEPARATOR.join(parts),
                         country=row.country, language=row.language, row=row.row, attributes=dict(row.attributes))
            )
            unit_lists.append(units)
        fallback = [doc.language or "en" for doc, units in zip(documents, unit_lists) for _ in units]
        detected = iter(self.detector.detect([u.text for units in unit_lists for u in units], fallback))
        return [ParsedDocument(doc, self._segments(units, [next(detected) for _ in units]))
                for doc, units in zip(documents, unit_lists)]

    def _segments(self, units: list["_Unit"], languages: list[str]) -> tuple[Segment, ...]:
        out: list[Segment] = []
        for unit, language in zip(units, languages):
            position = len(out)
            common = dict(paragraph_index=unit.index, language=language, speaker_role=unit.role,
                          speaker_label=unit.label, section=unit.section, question=unit.question)
            out.append(Segment(position=position, kind=unit.kind, start=unit.start,
                               end=unit.start + len(unit.text), text=unit.text, **common))
            if unit.kind in (HEADING, TABLE):
                continue
            spans = self._sentence_spans(unit.text, language)
            if len(spans) > 1:
                out.extend(
                    Segment(position=len(out) + n, kind=SENTENCE, start=unit.start + a, end=unit.start + b,
                            text=unit.text[a:b], parent_position=position, **common)
                    for n, (a, b) in enumerate(spans)
                )
        return tuple(out)

    def _sentence_spans(self, text: str, language: str) -> list[tuple[int, int]]:
        nlp, final_mark = self._pipeline(language)
        if not final_mark.search(text, 0, len(text) - 1):  # no sentence-final mark inside: one sentence
            return [(0, len(text))]
        key = (language, text)
        if key not in self._spans:
            if len(self._spans) > 200_000:
                self._spans.clear()
            # spaCy refuses texts over nlp.max_length (a million characters) to spare a parser's memory: a
            # tokenizer and a sentencizer need little per character, and a transcript's size is capped on ingest
            nlp.max_length = max(nlp.max_length, len(text) + 1)
            doc = nlp(break_runs(text))
            self._spans[key] = _opening_marks_moved(text, [(s.start_char, s.end_char) for s in doc.sents
                                                           if s.text.strip()])
        return self._spans[key]

    def _pipeline(self, language: str) -> tuple[spacy.Language, re.Pattern]:
        """The blank pipeline with a sentencizer for ``language``, and a pattern of its sentence-final marks."""
        if language not in self._nlp:
            try:
                nlp = spacy.blank(language)
            except ImportError:
                nlp = spacy.blank("xx")
            marks = nlp.add_pipe("sentencizer").punct_chars
            self._nlp[language] = (nlp, re.compile("|".join(re.escape(m) for m in sorted(marks))))
        return self._nlp[language]


# marks that open a quotation or an aside; the plain quotation marks open one only between a space and a word
_OPENING_MARKS = "«“‘([¿¡"
_PLAIN_QUOTES = "\"'"


def _opening_marks_moved(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans with the opening marks that end one moved to the start of the next: spaCy's sentencizer keeps
    every punctuation mark after a sentence end in that sentence ("hoy. «" | "Nadie viene»")."""
    spans = list(spans)
    for n in range(len(spans) - 1):
        start, end = spans[n]
        kept, first_mark = end, end
        while kept > start and (text[kept - 1].isspace() or _opens(text, kept - 1, start)):
            kept -= 1
            if not text[kept].isspace():
                first_mark = kept
        if first_mark < end and kept > start:
            spans[n], spans[n + 1] = (start, kept), (first_mark, spans[n + 1][1])
    return spans


def _opens(text: str, i: int, start: int) -> bool:
    """Whether ``text[i]`` opens a quotation or an aside; a plain quotation mark only with a space before it and a
    word right after it (French typing puts a space inside a closing one too: '" Non. "')."""
    if text[i] in _OPENING_MARKS:
        return True
    return (text[i] in _PLAIN_QUOTES and (i == start or text[i - 1].isspace())
            and i + 1 < len(text) and not text[i + 1].isspace())


@dataclass(frozen=True)
class _Unit:
    kind: str
    start: int
    text: str
    index: int
    role: str = ""
    label: str = ""
    section: str = ""
    question: str = ""


_DOCUMENT_FIELDS = {"title", "country", "iso", "language", "date", "organisation"}
