"""Unaccented writing: Spanish and French typed without accents ("los jovenes indigenas", "les refugies").

People typing answers to an online consultation often leave accents out (spaCy's web word frequencies count
"jovenes" about an eighth as often as "jóvenes"). The finder therefore also matches each Spanish and French phrase
of the codebook in its unaccented form, in texts of that language only (an unaccented French "âgé" is the English
"age"), and the cause classifier's TF-IDF reads words without accents. A phrase whose unaccented form is a common
word of another meaning ("bebé" and "bebe", drinks) is listed in the codebook's ``keep_accents`` and matched only
as written; `scripts/accent_collisions.py` lists the candidates for that list.
"""

from __future__ import annotations

import unicodedata
from typing import Iterable

# languages whose texts are also searched for the unaccented forms of their own phrases
UNACCENTED_LANGUAGES = ("es", "fr")


def fold(text: str) -> str:
    """``text`` without its accents and other combining marks ("jóvenes" → "jovenes", "niño" → "nino")."""
    if text.isascii():
        return text
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)


def unaccented(phrases: Iterable[str], keep: frozenset[str] = frozenset()) -> dict[str, str]:
    """{unaccented form: phrase} for the ``phrases`` that have accents, less those in ``keep`` (first phrase wins
    where two fold alike)."""
    out: dict[str, str] = {}
    for phrase in sorted(set(phrases)):
        bare = fold(phrase)
        if bare != phrase and phrase not in keep:
            out.setdefault(bare, phrase)
    return out


def forms_to_add(phrases: Iterable[str], own: Iterable[str], keep: frozenset[str] = frozenset()) -> dict[str, str]:
    """{unaccented form: phrase} for the ``phrases`` of one language and code whose unaccented form a finder adds:
    not kept as written, and not already one of ``own`` (the code's phrases as written, in any language)."""
    own = set(own)
    return {form: phrase for form, phrase in unaccented(phrases, keep).items() if form not in own}
