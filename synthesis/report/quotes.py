"""Printed quotes: a unit segment, cut at a sentence end when long, with personal data redacted, and its
citation. The printed text is verbatim: ``document.text[start:end]`` with only the redaction spans replaced."""

from __future__ import annotations

from dataclasses import dataclass

from synthesis.records import CONSULTATION
from synthesis.citation import place, source_file
from synthesis.report.data import ReportData
from synthesis.report.redact import Redaction, redact
from synthesis.store import ReportUnit, Store

GENDERS = {"female": "woman", "male": "man", "other": "other gender"}
AGES = {"under_20": "under 20", "over_80": "over 80"}
ROLES = {"government": "Government representative", "": "Rapporteur's record"}


@dataclass(frozen=True)
class PrintedQuote:
    """A quote as a report prints it, with its provenance (offsets into its document's stored text)."""

    quote_id: str
    segment_id: int
    document_id: int
    text: str  # as printed (redaction marks in place of personal data)
    source_file: str  # relative to the corpus folder
    paragraph_index: int
    start: int
    end: int
    country: str
    language: str
    attribution: str  # "Participant, Kenya national dialogue" or "Consultation respondent, Peru, woman, 40-60"
    redactions: tuple[Redaction, ...] = ()  # offsets into the document text
    cut: bool = False  # the unit goes on after ``end``
    respondent: str = ""  # a consultation answer's respondent id, as its export gives it
    row: int | None = None  # and its row there, numbered as a spreadsheet does (the header is row 1)
    question: str = ""  # and the question it answers

    @property
    def redacted(self) -> bool:
        return bool(self.redactions)

    @property
    def place(self) -> str:
        return place(self.paragraph_index, self.respondent, self.row, self.question)

    @property
    def citation(self) -> str:
        return f"{self.attribution} · {self.source_file}, {self.place} [{self.quote_id}]"


class QuoteMaker:
    """Turns segment ids into ``PrintedQuote``s, one fixed printed form per segment."""

    def __init__(self, data: ReportData, store: Store, max_chars: int):
        self.units = {u.segment_id: u for u in data.units}
        self.data, self.store, self.max_chars = data, store, max_chars
        self._made: dict[int, PrintedQuote] = {}

    def __call__(self, segment_id: int) -> PrintedQuote | None:
        if segment_id not in self._made:
            unit = self.units.get(segment_id)
            if unit is None:
                return None
            self._made[segment_id] = self._make(unit)
        return self._made[segment_id]

    def many(self, segment_ids) -> list[PrintedQuote]:
        return [q for q in map(self, segment_ids) if q is not None]

    def _make(self, unit: ReportUnit) -> PrintedQuote:
        length = self._excerpt_length(unit)
        verbatim = unit.text[:length]
        redacted = redact(verbatim)
        return PrintedQuote(
            quote_id=f"Q{unit.segment_id}", segment_id=unit.segment_id, document_id=unit.document_id,
            text=redacted.text, source_file=source_file(unit.source_path, self.data.corpus_dir),
            paragraph_index=unit.paragraph_index, start=unit.start, end=unit.start + length, country=unit.country,
            language=unit.language, attribution=attribution(unit),
            redactions=tuple(Redaction(r.start + unit.start, r.end + unit.start, r.mark)
                             for r in redacted.redactions),
            cut=length < len(unit.text), **_respondent(unit))

    def _excerpt_length(self, unit: ReportUnit) -> int:
        """The whole unit, or its sentences up to ``max_chars`` (of a longer first sentence, its clauses or words)."""
        if len(unit.text) <= self.max_chars:
            return len(unit.text)
        ends = [e - unit.start for e in self.store.sentence_ends([unit.segment_id]).get(unit.segment_id, [])]
        fitting = [e for e in ends if 0 < e <= self.max_chars]
        if fitting:
            length = fitting[-1]
        else:  # one long sentence: at its last clause end that keeps half of it or more, else at a word
            clause = max(unit.text.rfind(mark, 0, self.max_chars) for mark in ("; ", ": "))
            space = unit.text.rfind(" ", 0, self.max_chars)
            length = clause if clause >= self.max_chars // 2 else space if space > 0 else self.max_chars
        return len(unit.text[:length].rstrip().rstrip(",;:"))


def _respondent(unit: ReportUnit) -> dict:
    if unit.document_kind != CONSULTATION:
        return {}
    return {"respondent": unit.document_key, "row": unit.row, "question": unit.question}


def attribution(unit: ReportUnit) -> str:
    """Who said it, with nothing identifying: a speaker role, or a respondent's country, gender and age band."""
    if unit.document_kind == CONSULTATION:
        parts = [unit.country or "country not given", GENDERS.get(unit.gender, ""),
                 AGES.get(unit.age_band, unit.age_band)]
        return "Consultation respondent, " + ", ".join(p for p in parts if p)
    role = ROLES.get(unit.speaker_role, unit.speaker_role.capitalize())
    return f"{role}, {unit.country or 'unknown country'} national dialogue"
