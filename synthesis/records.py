"""Typed records passed between pipeline stages.

Offsets (``start``/``end``) are character offsets into ``Document.text``, the normalised text the store keeps,
so ``document.text[segment.start:segment.end] == segment.text`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

# Segment kinds. Units are what coding and themes work on; sentences are their children.
HEADING, PARAGRAPH, TURN, TABLE, ANSWER, SENTENCE = "heading", "paragraph", "turn", "table", "answer", "sentence"
UNIT_KINDS = (PARAGRAPH, TURN, ANSWER)

DIALOGUE, CONSULTATION = "dialogue", "consultation"


@dataclass(frozen=True)
class SourceFile:
    """One input file as found on disk."""

    path: str  # as stored: relative to the working directory when inside it, else absolute
    name: str
    format: str  # docx, pdf, txt, md, csv, xlsx
    kind: str  # DIALOGUE or CONSULTATION
    sha256: str
    size: int
    reader_revision: int = 0  # of the readers that parse it (``ingest.files.READER_REVISION``)
    manifest_sha256: str = ""  # of the manifest row it is read with ("" for none: ``ingest.files.manifest_sha256``)


@dataclass(frozen=True)
class Block:
    """A structural piece of a document as a reader found it, before segmentation."""

    kind: str  # HEADING, PARAGRAPH or TABLE
    text: str
    level: int = 0  # heading level


@dataclass(frozen=True)
class Document:
    """A unit of text with its metadata: a dialogue transcript, or one consultation respondent's answers."""

    key: str  # file stem for a transcript, respondent id for a consultation row
    kind: str
    text: str
    title: str = ""
    country: str = ""
    iso: str = ""
    language: str = ""
    date: str = ""
    organisation: str = ""
    row: int | None = None  # a consultation respondent's row in the export, as a spreadsheet numbers it (header: 1)
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Segment:
    """A span of a document with its provenance."""

    position: int  # order within the document
    kind: str
    start: int
    end: int
    text: str
    paragraph_index: int  # index of the block (paragraph, turn, answer) it belongs to
    parent_position: int | None = None  # the unit a sentence belongs to
    language: str = ""
    speaker_role: str = ""  # normalised: facilitator, participant, rapporteur, chair, government, panellist, observer
    speaker_label: str = ""  # as written, e.g. "Participant (Dalit women's network, Saptari)"
    section: str = ""  # nearest heading above
    question: str = ""  # consultation question key
    id: int | None = None  # assigned by the store


@dataclass(frozen=True)
class ParsedDocument:
    document: Document
    segments: tuple[Segment, ...]


@dataclass
class IngestSummary:
    """What an ingest did; ``problems`` holds one line per skipped file or row."""

    ingested: int = 0
    unchanged: int = 0
    replaced: int = 0
    removed: int = 0  # stored files gone from an ingested folder (deleted or renamed)
    skipped: int = 0
    rows_skipped: int = 0
    documents: int = 0
    segments: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.skipped == 0 and self.rows_skipped == 0


@dataclass(frozen=True)
class CorpusSummary:
    """Counts over what the store holds, for the run summary. The store cannot tell that two spellings name one
    country ("Perú", "PERU"; "RDC", "RD Congo"): it gives ``country_names``, and ``report.data.count_countries``
    counts countries from them as the reports do."""

    sources: int
    documents: int
    segments: int
    respondents: int
    languages: Mapping[str, int]
    country_names: Mapping[str, bool]  # each country as the documents spell it -> whether a dialogue spells it so
    countries: int | None = None  # countries, each once whatever its spellings (None until counted)
    dialogue_countries: int | None = None  # of them, those with a dialogue


# Mention and Coding are slotted: a batch of 100,000 answers keeps a coding per text and a mention per group found,
# and without a dict per instance the garbage collector has far fewer objects to scan when coding ends.
@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a text that refers to people of an excluded group."""

    code: str
    start: int
    end: int
    text: str
    score: float


@dataclass(frozen=True, slots=True)
class Coding:
    """The coding of one text: groups and causes with scores, and the group mentions found in it."""

    groups: tuple[str, ...]
    causes: tuple[str, ...]
    mentions: tuple[Mention, ...]
    group_scores: Mapping[str, float]
    cause_scores: Mapping[str, float]


@dataclass(frozen=True)
class LabelledText:
    """A gold (or reviewed) text with its codes."""

    id: str
    text: str
    groups: tuple[str, ...]
    causes: tuple[str, ...]
    language: str = ""


@dataclass(frozen=True)
class Labels:
    """The labels that count for a unit segment: its latest human review if any, else the model's selected codes."""

    groups: tuple[str, ...]
    causes: tuple[str, ...]
    reviewed: bool


@dataclass(frozen=True)
class Quote:
    """A verbatim unit segment with its provenance: ``text == documents.text[start:end]`` of its document."""

    segment_id: int
    text: str
    source_path: str  # as stored (see SourceFile.path)
    document_id: int
    document_title: str
    country: str
    iso: str
    language: str
    kind: str  # paragraph, turn or answer
    paragraph_index: int
    start: int
    end: int
    speaker_role: str = ""
    respondent: str = ""  # a consultation answer's respondent id, as its export gives it
    row: int | None = None  # and its row there, as a spreadsheet numbers it
    question: str = ""  # and the question it answers


@dataclass(frozen=True)
class Theme:
    """A theme of the current themes run, with its representative quotes and its distributions."""

    id: int
    number: int
    label: str
    label_source: str  # generated or human
    keywords: tuple[str, ...]
    size: int
    description: str
    quotes: tuple[Quote, ...]
    # {"country": {name: n}, "language": {...}, "group": {...}, "cause": {...}, "kind": {"dialogue": n, ...}}
    profile: Mapping[str, Mapping[str, int]]
