"""Codebooks: the codes (excluded groups and root causes) with their descriptions and multilingual patterns.

The default codebook ships as data in ``corpora/codebooks/lnob.yaml``; researchers may load their own file,
which is validated with one clear message per problem (duplicate ids, empty patterns, bad YAML with its line).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from synthesis.errors import ConfigError

GROUP, CAUSE = "group", "cause"
DEFAULT_CODEBOOK = Path(__file__).resolve().parents[2] / "corpora" / "codebooks" / "lnob.yaml"


@dataclass(frozen=True)
class Code:
    id: str
    kind: str  # GROUP or CAUSE
    label: str
    description: str = ""
    parent: str | None = None  # a sub-code rolls up to its parent in evaluation
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    patterns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> phrases
    not_patterns: tuple[str, ...] = ()  # phrases in which a pattern does not mean the group ("older version")

    @property
    def top(self) -> str:
        return self.parent or self.id


@dataclass(frozen=True)
class Codebook:
    name: str
    version: str
    codes: tuple[Code, ...]
    sha256: str

    @property
    def groups(self) -> list[Code]:
        return [c for c in self.codes if c.kind == GROUP]

    @property
    def causes(self) -> list[Code]:
        return [c for c in self.codes if c.kind == CAUSE]

    def ids(self, kind: str) -> list[str]:
        """Top-level ids of one kind, in codebook order (what evaluation and reports count)."""
        return [c.id for c in self.codes if c.kind == kind and c.parent is None]

    def top(self, code_id: str) -> str:
        return {c.id: c.top for c in self.codes}[code_id]

    def __contains__(self, code_id: str) -> bool:
        return any(c.id == code_id for c in self.codes)


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and validate a codebook YAML file (the default one when ``path`` is None)."""
    path = Path(path) if path else DEFAULT_CODEBOOK
    try:
        raw_text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the codebook: {error.strerror}") from None
    return parse_codebook(raw_text, path)


def parse_codebook(raw_text: str, path: Path) -> Codebook:
    """Validate codebook YAML text (``path`` names it in messages and gives the default name); no file is read."""
    try:
        raw = yaml.safe_load(raw_text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConfigError(f"{path}{where}: invalid YAML: {reason}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("groups"), list) or not isinstance(raw.get("causes"), list):
        raise ConfigError(f"{path}: a codebook needs 'groups' and 'causes' lists")
    codes: list[Code] = []
    for kind, key in ((GROUP, "groups"), (CAUSE, "causes")):
        for number, entry in enumerate(raw[key], start=1):
            codes.append(_code(path, kind, key, number, entry))
    seen: set[str] = set()
    for code in codes:
        if code.id in seen:
            raise ConfigError(f"{path}: duplicate code id '{code.id}'")
        seen.add(code.id)
    for code in codes:
        if code.parent is not None:
            parent = next((c for c in codes if c.id == code.parent), None)
            if parent is None or parent.kind != code.kind or parent.parent is not None:
                raise ConfigError(f"{path}: code '{code.id}' has parent '{code.parent}', which is not a top-level "
                                  f"{code.kind} code")
    return Codebook(name=str(raw.get("name", path.stem)), version=str(raw.get("version", "1")), codes=tuple(codes),
                    sha256=hashlib.sha256(raw_text.encode("utf-8")).hexdigest())


def _code(path: Path, kind: str, key: str, number: int, entry) -> Code:
    where = f"{path}: {key}[{number}]"
    if not isinstance(entry, dict) or not entry.get("id") or not entry.get("label"):
        raise ConfigError(f"{where}: each code needs an 'id' and a 'label'")
    code_id = str(entry["id"])
    where = f"{path}: code '{code_id}'"
    if not code_id.replace("_", "").isalnum() or code_id != code_id.lower():
        raise ConfigError(f"{where}: ids are lower-case letters, digits and underscores")
    patterns = entry.get("patterns") or {}
    if not isinstance(patterns, dict):
        raise ConfigError(f"{where}: 'patterns' maps a language code to a list of phrases")
    cleaned: dict[str, tuple[str, ...]] = {}
    for language, phrases in patterns.items():
        if not isinstance(phrases, list) or not phrases:
            raise ConfigError(f"{where}: patterns for '{language}' are empty")
        blank = [p for p in phrases if not str(p).strip()]
        if blank:
            raise ConfigError(f"{where}: an empty pattern in '{language}'")
        cleaned[str(language)] = tuple(str(p).strip().lower() for p in phrases)
    if kind == GROUP and not cleaned and not entry.get("parent"):
        raise ConfigError(f"{where}: a group code needs patterns in at least one language")
    as_tuple = lambda name: tuple(str(x) for x in entry.get(name) or ())  # noqa: E731
    return Code(id=code_id, kind=kind, label=str(entry["label"]), description=str(entry.get("description", "")),
                parent=entry.get("parent"), include=as_tuple("include"), exclude=as_tuple("exclude"),
                examples=as_tuple("examples"), patterns=cleaned,
                not_patterns=tuple(p.lower() for p in as_tuple("not_patterns") if p.strip()))
