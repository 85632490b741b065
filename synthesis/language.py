"""Per-segment language detection with lingua, restricted to the configured languages."""

from __future__ import annotations

import re
from typing import Sequence

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from synthesis.errors import ConfigError


LANGUAGE_NAMES = {name: code for code, names in (
    ("en", "english anglais inglés ingles englisch eng"), ("es", "spanish español espanol espagnol castellano spa"),
    ("fr", "french français francais francés frances fra fre")) for name in names.split()}
_CODE = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*")


def language_code(given: str) -> str:
    """A language as a manifest, an export or a file's header writes it, as its ISO 639-1 code where it is one the
    engine knows by name ("English (UK)", "Español", "spa" -> "en", "es") and as the code it starts with otherwise
    ("en-GB", "pt_BR" -> "en", "pt"); "" stays ""; anything else ("French Creole", "English and French") stays as
    written."""
    wanted = " ".join(re.sub(r"\([^)]*\)", " ", given).lower().split())  # "English (UK)": the qualifier goes
    named = LANGUAGE_NAMES.get(wanted)
    if named:
        return named
    code = _CODE.fullmatch(wanted)
    return code.group(1) if code else given.strip()


class LanguageDetector:
    """Detects the language of texts; short or undecidable texts get ``fallback``."""

    def __init__(self, languages: Sequence[str] = ("en", "es", "fr"), min_chars: int = 25):
        try:
            chosen = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in languages]
        except AttributeError:
            raise ConfigError(f"languages: unknown ISO 639-1 code in {list(languages)}") from None
        if len(chosen) < 2:
            raise ConfigError("languages: name at least two languages to choose among")
        self.min_chars = min_chars
        self._detector = LanguageDetectorBuilder.from_languages(*chosen).with_preloaded_language_models().build()
        self._cache: dict[str, str | None] = {}  # consultations repeat many answers word for word

    def detect(self, texts: Sequence[str], fallback: Sequence[str]) -> list[str]:
        """One ISO 639-1 code per text, ``fallback[i]`` where the text is too short to judge."""
        if len(self._cache) > 500_000:
            self._cache.clear()
        unknown = list({t for t in texts if len(t) >= self.min_chars and t not in self._cache})
        for text, language in zip(unknown, self._detector.detect_languages_in_parallel_of(unknown)):
            self._cache[text] = language.iso_code_639_1.name.lower() if language is not None else None
        return [(self._cache.get(text) if len(text) >= self.min_chars else None) or default
                for text, default in zip(texts, fallback)]
