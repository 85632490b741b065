"""Codebooks: the codes (excluded groups and root causes) with their descriptions and multilingual patterns.

The default codebook ships as data in ``corpora/codebooks/lnob.yaml``; researchers may load their own file,
which is validated with one clear message per problem (duplicate ids or keys, unknown keys, empty patterns, a value
that is not a list of text where one is expected, a language the codebook does not list, bad YAML with its line).
Phrases are kept as the finder reads texts: lower case, composed accents (NFC), plain apostrophes and hyphens,
single spaces and no invisible characters.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import yaml

from synthesis.errors import ConfigError
from synthesis.segment import normalise

GROUP, CAUSE = "group", "cause"
MAX_ID_CHARS = 64  # as the store keeps a code's id
DEFAULT_CODEBOOK = Path(__file__).resolve().parents[2] / "corpora" / "codebooks" / "lnob.yaml"
TOP_KEYS = ("name", "version", "languages", "keep_accents", "groups", "causes")
CODE_KEYS = ("id", "label", "description", "parent", "include", "exclude", "examples", "not_patterns", "patterns",
             "ages", "patterns_in_context", "not_in_context")
CONTEXT_KEYS = ("patterns", "context")
# the languages the engine reads (a tokenizer and phrase matchers each), and a codebook's pattern languages when it
# lists none
LANGUAGES = ("en", "es", "fr")
# typographic characters read as the plain ones the patterns use, one character for one (so a text's offsets hold):
# the right single quote as an apostrophe, the Unicode hyphen, non-breaking hyphen and en dash as "-"
PLAIN = {0x2019: "'", 0x2010: "-", 0x2011: "-", 0x2013: "-"}
TYPOGRAPHIC = tuple(chr(c) for c in PLAIN)


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
    ages: tuple[int, int] | None = None  # a group's age range: a person's stated age in it is a candidate mention
    # phrases that are candidates only in a sentence with a word beginning with one of the context entries ("girls"
    # as children where the sentence speaks of school or marriage): (patterns, context), each language -> entries
    in_context: tuple[tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]], ...] = ()
    # the reverse: phrases that are not candidates in a sentence with such a word ("children" where the sentence
    # speaks of PIDs and zombie processes)
    not_in_context: tuple[tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]], ...] = ()

    @property
    def top(self) -> str:
        return self.parent or self.id


@dataclass(frozen=True)
class Codebook:
    name: str
    version: str
    codes: tuple[Code, ...]
    sha256: str
    # Spanish and French phrases matched only as written: their unaccented form is another word ("bebé", "bebe")
    keep_accents: frozenset[str] = frozenset()

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
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text (invalid byte at offset {error.start})") from None
    return parse_codebook(raw_text, path)


def parse_codebook(raw_text: str, path: Path) -> Codebook:
    """Validate codebook YAML text (``path`` names it in messages and gives the default name); no file is read."""
    try:
        raw = yaml.load(raw_text, Loader=_UniqueKeyLoader)  # safe_load, refusing duplicate keys
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}{_yaml_problem(error, raw_text)}") from None
    except RecursionError:  # lists or mappings nested hundreds deep
        raise ConfigError(f"{path}: invalid YAML: nested too deeply") from None
    if isinstance(raw, dict):
        _known_keys(str(path), "top-level key", raw, TOP_KEYS)
    if not isinstance(raw, dict) or not isinstance(raw.get("groups"), list) or not isinstance(raw.get("causes"), list):
        raise ConfigError(f"{path}: a codebook needs 'groups' and 'causes' lists")
    languages = _languages(str(path), raw["languages"]) if "languages" in raw else LANGUAGES
    for name in ("name", "version"):  # the model's version is made of them: "lnob-default-<hash>"
        value = raw.get(name, "-")
        if isinstance(value, str) and not value.strip():
            raise ConfigError(f"{path}: '{name}' is empty")
        if not isinstance(value, str) and not (name == "version" and _whole(value)):
            hint = " (put it in quotes)" if isinstance(value, (bool, int, float)) else ""
            raise ConfigError(f"{path}: '{name}' must be text, not {_described(value)}{hint}")
    keep_accents = frozenset(plain(p).lower()
                             for p in _texts(str(path), "'keep_accents'", raw.get("keep_accents")))
    codes: list[Code] = []
    for kind, key in ((GROUP, "groups"), (CAUSE, "causes")):
        for number, entry in enumerate(raw[key], start=1):
            codes.append(_code(path, kind, key, number, entry, languages))
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
    if not raw["groups"] or not raw["causes"]:
        raise ConfigError(f"{path}: a codebook needs at least one group code and one cause code")
    written = {p for code in codes for ps in _spanish_and_french(code) for p in ps}
    unknown = sorted(keep_accents - written)
    if unknown:
        raise ConfigError(f"{path}: keep_accents: '{unknown[0]}' is no Spanish or French phrase of the codebook")
    return Codebook(name=str(raw.get("name", path.stem)), version=str(raw.get("version", "1")), codes=tuple(codes),
                    sha256=hashlib.sha256(raw_text.encode("utf-8")).hexdigest(), keep_accents=keep_accents)


def _code(path: Path, kind: str, key: str, number: int, entry, languages: tuple[str, ...]) -> Code:
    where = f"{path}: {key}[{number}]"
    if isinstance(entry, dict):
        named = isinstance(entry.get("id"), str) and entry["id"]
        _known_keys(f"{path}: code '{entry['id']}'" if named else where, "key", entry, CODE_KEYS)
    if not isinstance(entry, dict) or any(entry.get(name) in (None, "") for name in ("id", "label")):
        raise ConfigError(f"{where}: each code needs an 'id' and a 'label'")
    if not isinstance(entry["id"], str):  # YAML reads id: 010 as the number 8, id: no as false
        raise ConfigError(f"{where}: 'id' must be text, not {_described(entry['id'])} (put it in quotes)")
    code_id = entry["id"]
    where = f"{path}: code '{code_id}'"
    for name in ("label", "description", "parent"):
        if entry.get(name) is not None and not isinstance(entry[name], str):
            raise ConfigError(f"{where}: '{name}' must be text, not {_described(entry[name])}")
    if not entry["label"].strip():
        raise ConfigError(f"{where}: the 'label' is empty")
    if not code_id.replace("_", "").isalnum() or code_id != code_id.lower():
        raise ConfigError(f"{where}: ids are lower-case letters, digits and underscores")
    if len(code_id) > MAX_ID_CHARS:
        raise ConfigError(f"{where}: ids are at most {MAX_ID_CHARS} characters (this one has {len(code_id)})")
    cleaned = _phrases(where, "patterns", entry.get("patterns"), languages)
    if kind == GROUP and not cleaned and not entry.get("parent"):
        raise ConfigError(f"{where}: a group code needs patterns in at least one language")
    ages = entry.get("ages")
    if ages is not None:
        whole = isinstance(ages, list) and all(_whole(a) and a >= 0 for a in ages)
        if kind != GROUP or not whole or len(ages) != 2 or ages[0] > ages[1]:
            raise ConfigError(f"{where}: 'ages' is a group code's age range, two whole numbers such as [15, 24]")
        ages = (ages[0], ages[1])
    in_context, not_in_context = (_in_context(where, kind, name, entry.get(name), languages)
                                  for name in ("patterns_in_context", "not_in_context"))
    lists = {name: _texts(where, f"'{name}'", entry.get(name)) for name in ("include", "exclude", "examples",
                                                                             "not_patterns")}
    return Code(id=code_id, kind=kind, label=str(entry["label"]), description=entry.get("description") or "",
                parent=entry.get("parent"), include=lists["include"], exclude=lists["exclude"],
                examples=lists["examples"], patterns=cleaned,
                not_patterns=tuple(_cleaned(where, "not-pattern", p) for p in lists["not_patterns"]), ages=ages,
                in_context=in_context, not_in_context=not_in_context)


def _spanish_and_french(code: Code) -> list[tuple[str, ...]]:
    """The code's phrase lists that ``keep_accents`` may name: its Spanish and French patterns (also those in and
    not in context) and its not-patterns."""
    blocks = [code.patterns, *(patterns for patterns, _ in code.in_context + code.not_in_context)]
    return [block.get(language, ()) for block in blocks for language in ("es", "fr")] + [code.not_patterns]


def plain(phrase: str) -> str:
    """``phrase`` as the finder reads texts: composed accents (NFC: "nin\u0303a" as "niña"), plain apostrophes and
    hyphens, its words apart by single spaces (a tab, a line break of a YAML block, a non-breaking space or two
    spaces as one), no invisible characters (zero-width, soft hyphen), no space at either end."""
    return normalise(phrase).translate(PLAIN)


def _cleaned(where: str, what: str, phrase: str) -> str:
    """A phrase as matched (see ``plain``, stripped, lower case); one without a letter or digit is refused, as it
    would match every dash or quote of a text."""
    phrase = plain(phrase).lower()
    if not phrase:
        raise ConfigError(f"{where}: an empty {what}")
    if not any(c.isalnum() for c in phrase):
        raise ConfigError(f"{where}: the {what} '{phrase}' holds no letter or digit")
    return phrase


def _phrases(where: str, name: str, mapping, languages: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """A mapping of language code (one of ``languages``) -> non-empty list of phrases, as matched (null is an empty
    mapping)."""
    mapping = mapping or {}
    if not isinstance(mapping, dict):
        raise ConfigError(f"{where}: '{name}' maps a language code to a list of phrases")
    cleaned: dict[str, tuple[str, ...]] = {}
    for language, phrases in mapping.items():
        if language not in languages:  # also "ES" or 1: accent folding and the matchers go by these codes
            raise ConfigError(f"{where}: {name} for '{language}': not one of the codebook's languages "
                              f"({', '.join(languages)}; see 'languages')")
        if not phrases:
            raise ConfigError(f"{where}: {name} for '{language}' are empty")
        phrases = _texts(where, f"{name} for '{language}'", phrases)
        what = f"{'context word' if name == 'context' else 'pattern'} in '{language}'"
        cleaned[language] = tuple(_cleaned(where, what, p) for p in phrases)
    return cleaned


def _in_context(where: str, kind: str, name: str, blocks, languages: tuple[str, ...]) -> tuple:
    """``patterns_in_context`` or ``not_in_context``: (patterns, context words) pairs, each language -> entries."""
    if blocks is None:
        return ()
    usage = (f"'{name}' is a list of mappings with 'patterns' and 'context', each mapping a language code "
             "to a list of phrases")
    if kind != GROUP or not isinstance(blocks, list):
        raise ConfigError(f"{where}: {usage} (group codes only)")
    out = []
    for number, block in enumerate(blocks, start=1):
        if not isinstance(block, dict) or set(block) != set(CONTEXT_KEYS):
            raise ConfigError(f"{where}: {name}[{number}]: {usage}")
        patterns, context = (_phrases(f"{where}: {name}[{number}]", key, block[key], languages)
                             for key in CONTEXT_KEYS)
        if not patterns or not context:
            raise ConfigError(f"{where}: {name}[{number}] needs patterns and context words")
        out.append((patterns, context))
    return tuple(out)


def _known_keys(where: str, what: str, mapping: dict, allowed: tuple[str, ...]) -> None:
    unknown = next((k for k in mapping if k not in allowed), None)
    if unknown is not None:
        raise ConfigError(f"{where}: unknown {what} '{unknown}' (allowed: {', '.join(allowed)})")


def _texts(where: str, name: str, value) -> tuple[str, ...]:
    """A YAML list of strings as a tuple (null is an empty list); anything else is a ``ConfigError`` naming ``name``.
    A plain string is refused rather than read character by character, a null item rather than read as 'None'."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"{where}: {name} must be a list, not {_described(value)}")
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str):
            hint = " (put it in quotes)" if isinstance(item, (bool, int, float)) else ""
            raise ConfigError(f"{where}: {name} item {number} is {_described(item)}, not text{hint}")
    return tuple(value)


def _languages(where: str, value) -> tuple[str, ...]:
    """The codebook's ``languages``: ISO 639-1 codes as its pattern keys and the texts' languages are written ("en",
    not "EN" or "english"): accent folding, the matchers and the texts' detected languages go by these codes."""
    languages = _texts(where, "'languages'", value)
    for number, code in enumerate(languages, start=1):
        if not (len(code) == 2 and code.islower() and pycountry.languages.get(alpha_2=code)):
            raise ConfigError(f"{where}: 'languages' item {number} '{code}' is no ISO 639-1 code (two lower-case "
                              f"letters, e.g. {', '.join(LANGUAGES)})")
    return languages


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _yaml_problem(error: yaml.YAMLError, text: str) -> str:
    """" line N: invalid YAML: <problem>", with the line where the scanned text began when that is another one (an
    unclosed quote shows only at the end of the file, a missing colon on the next line). A character YAML refuses
    (a control character pasted from a word processor) is found by its position in ``text``."""
    mark, context = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is None:
        if isinstance(error, yaml.reader.ReaderError) and isinstance(error.position, int):
            return f" line {text.count(chr(10), 0, error.position) + 1}: invalid YAML: {reason}"
        return f": invalid YAML: {reason}"
    began = ""
    if isinstance(error, yaml.scanner.ScannerError) and context is not None and context.line != mark.line:
        began = f" ({error.context} that began at line {context.line + 1})"
    return f" line {mark.line + 1}: invalid YAML: {reason}{began}"


def _described(value) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"the value {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    kinds = {str: "a string", list: "a list", dict: "a mapping"}
    return next((text for kind, text in kinds.items() if isinstance(value, kind)), f"a {type(value).__name__}")


class _UniqueKeyLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses a key given twice in one mapping (PyYAML would keep the last silently)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # '<<' merges may be overridden: that is their purpose
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key: the base class says so
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError("while constructing a mapping", node.start_mark,
                                                        f"duplicate key '{key}'", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)
