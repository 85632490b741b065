"""The codebook in use, and editing it from the review app.

The codebook in use is the latest version saved from the app (stored whole, as YAML, append-only), else the
configured file. An edit changes one code's label, description, include/exclude notes and patterns, or adds a
sub-code under a top-level code; the edited YAML is validated by the same function that validates codebook files
(``coding.codebook.parse_codebook``) and stored as a new version. Nothing is written to or read from a file named
by a request: the only file read here is the configured codebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import yaml

from synthesis.coding.codebook import DEFAULT_CODEBOOK, Codebook, parse_codebook
from synthesis.config import Config
from synthesis.errors import ConfigError
from synthesis.review.forms import FormError
from synthesis.store import Store
from synthesis.store.codebooks import CodeRow, StoredCodebook

LANGUAGES = ("en", "es", "fr")  # the languages whose patterns the edit form shows; others are kept as they are
MAX_ID, MAX_LABEL, MAX_DESCRIPTION, MAX_LINE, MAX_LINES = 64, 200, 2000, 200, 1000
EDITED = Path("codebook")  # names the edited text in validation messages; never opened


@dataclass(frozen=True)
class CodebookInUse:
    base: int  # id of the stored version; 0 for the configured file
    text: str
    codebook: Codebook


@dataclass(frozen=True)
class CodeEdit:
    """A code's editable fields, as parsed from the form (lists: one entry per non-blank line)."""
    label: str
    description: str = ""
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    not_patterns: tuple[str, ...] = ()
    patterns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # languages of LANGUAGES with phrases


@dataclass(frozen=True)
class EditedCodebook:
    text: str
    codebook: Codebook


def codebook_in_use(config: Config, store: Store) -> CodebookInUse:
    """The latest version saved from the app, else ``config.codebook`` (or the default codebook)."""
    stored = store.latest_codebook()
    if stored is not None:
        return CodebookInUse(stored.id, stored.yaml, parse_codebook(stored.yaml, EDITED))
    path = Path(config.codebook or DEFAULT_CODEBOOK)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the codebook: {error.strerror}") from None
    return CodebookInUse(0, text, parse_codebook(text, path))


def training_text(stored: StoredCodebook) -> str:
    """The YAML to train with: the stored version, named with its version so that the model version (codebook
    name + training data hash) changes with the codebook and the store gets re-coded."""
    raw = yaml.safe_load(stored.yaml)
    raw["name"] = f"{raw.get('name', 'codebook')}-v{raw.get('version', stored.id)}"
    return _dump(raw)


def parse_code_form(label: str, description: str = "", include: str = "", exclude: str = "", not_patterns: str = "",
                    patterns: Mapping[str, str] | None = None) -> CodeEdit:
    """Form text → ``CodeEdit``; too long or malformed values raise ``FormError``."""
    label = label.strip()
    if not label:
        raise FormError("the label is empty")
    if len(label) > MAX_LABEL or "\n" in label or "\r" in label:
        raise FormError(f"the label must be one line of at most {MAX_LABEL} characters")
    description = description.strip()
    if len(description) > MAX_DESCRIPTION:
        raise FormError(f"the description is longer than {MAX_DESCRIPTION} characters")
    phrases = {language: _lines(f"patterns ({language})", text) for language, text in (patterns or {}).items()}
    return CodeEdit(label, description, _lines("include notes", include), _lines("exclude notes", exclude),
                    _lines("not_patterns", not_patterns), {k: v for k, v in phrases.items() if v})


def _lines(what: str, text: str) -> tuple[str, ...]:
    lines = tuple(line.strip() for line in text.splitlines() if line.strip())
    if len(lines) > MAX_LINES:
        raise FormError(f"{what}: more than {MAX_LINES} lines")
    long = next((line for line in lines if len(line) > MAX_LINE), None)
    if long is not None:
        raise FormError(f"{what}: the line {long[:40]!r}… is longer than {MAX_LINE} characters")
    return lines


def edit_code(current: CodebookInUse, code_id: str, edit: CodeEdit) -> EditedCodebook:
    """``current`` with one code's editable fields replaced (its id stays); ``KeyError`` for an unknown code."""
    raw = yaml.safe_load(current.text)
    entry = next((e for e in raw["groups"] + raw["causes"] if str(e.get("id")) == code_id), None)
    if entry is None:
        raise KeyError(code_id)
    _apply(entry, edit)
    return _finish(raw, current)


def add_subcode(current: CodebookInUse, parent: str, code_id: str, edit: CodeEdit) -> EditedCodebook:
    """``current`` with a new code under the top-level code ``parent`` (placed after the parent's sub-codes)."""
    code_id = code_id.strip()
    if not code_id or len(code_id) > MAX_ID:
        raise FormError(f"the new code needs an id of 1 to {MAX_ID} characters")
    raw = yaml.safe_load(current.text)
    for key in ("groups", "causes"):
        entries = raw[key]
        at = next((n for n, e in enumerate(entries) if str(e.get("id")) == parent), None)
        if at is None:
            continue
        if entries[at].get("parent"):
            raise FormError(f"parent {parent!r} is itself a sub-code: sub-codes go under top-level codes")
        while at + 1 < len(entries) and entries[at + 1].get("parent") == parent:
            at += 1
        entry = {"id": code_id, "label": edit.label, "parent": parent}
        _apply(entry, edit)
        entries.insert(at + 1, entry)
        return _finish(raw, current)
    raise FormError(f"parent {parent[:64]!r}: not a code of the codebook")


def save_codebook(store: Store, current: CodebookInUse, edited: EditedCodebook, author: str) -> int:
    """Store ``edited`` as the new version, unless another was saved since ``current`` (``StaleCodebookError``)."""
    codebook = edited.codebook
    rows = [CodeRow(c.id, c.kind, c.label, c.parent, c.description) for c in codebook.codes]
    return store.add_codebook(current.base, codebook.name, codebook.version[:32], codebook.sha256, edited.text,
                              author, rows)


def _apply(entry: dict, edit: CodeEdit) -> None:
    entry["label"] = edit.label
    for key, value in (("description", edit.description), ("include", list(edit.include)),
                       ("exclude", list(edit.exclude)), ("not_patterns", list(edit.not_patterns))):
        if value:
            entry[key] = value
        else:
            entry.pop(key, None)
    patterns = {k: v for k, v in (entry.get("patterns") or {}).items() if k not in LANGUAGES}
    patterns.update({language: list(edit.patterns[language]) for language in LANGUAGES if language in edit.patterns})
    if patterns:
        entry["patterns"] = patterns
    else:
        entry.pop("patterns", None)


def _finish(raw: dict, current: CodebookInUse) -> EditedCodebook:
    """Bump the version, write the YAML and validate it as a codebook file would be."""
    before = yaml.safe_load(current.text)
    if {**raw, "version": None} == {**before, "version": None}:
        raise FormError("nothing changed")
    raw["version"] = _next_version(str(before.get("version", "1")))
    text = _dump(raw)
    try:
        return EditedCodebook(text, parse_codebook(text, EDITED))
    except ConfigError as error:
        raise FormError(str(error)) from None


def _next_version(version: str) -> str:
    head, dot, last = version.rpartition(".")
    return f"{head}{dot}{int(last) + 1}" if last.isascii() and last.isdecimal() else f"{version}.1"


def _dump(raw: dict) -> str:
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=120)
