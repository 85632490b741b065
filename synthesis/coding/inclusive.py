"""Inclusive writing read as the forms the codebook's phrases are written in.

French writes both genders in one word ("enfant·e·s handicapé·e·s", "handicapé.e.s", "citoyen(ne)s",
"travailleur·euse·s") and Spanish marks them with "@" or "x" ("niñ@s", "niñxs", "trabajador@s"). spaCy keeps each
such word one token, so "enfants handicapés" never matched "enfant·e·s handicapé·e·s". The finder matches the text
with these words folded to the plural the phrases use ("enfants handicapés", "niños", "trabajadores"); offsets still
index the text as given.
"""

from __future__ import annotations

import re

DOTS = "·•‧∙⋅"  # middle dots, as typed in French inclusive writing
# a text holds an inclusive form only if it holds one of these (most texts hold none: read only those that do)
HINTS = (*DOTS, "@", "(e", "(E", ".e", ".E", "xs", "XS")
_SUFFIX = "e|ne|le|te|se|fe|ve|euse|eure|rice|ère|ière|esse|sse"
_LETTER = r"(?<=[^\W\d_])"
# French: the feminine ending between dots (or one dot) before the plural "s" ("enfant·e·s", "handicapé.e.s",
# "handicapé·es", "travailleur·euse·s"), or after a middle dot at a word's end ("handicapé·e"), or in parentheses
# ("citoyen(ne)s"): left out. Endings in lower case only, so "femmes.Les" stays two words (a text in capitals is read
# in lower case before it gets here)
_LEFT_OUT = re.compile(rf"{_LETTER}([{DOTS}.])(?:{_SUFFIX})\1?(?=s\b)|{_LETTER}[{DOTS}](?:{_SUFFIX})\b(?![{DOTS}.]\w)"
                       rf"|{_LETTER}\((?:{_SUFFIX})\)(?=s?(?!\w))")
# Spanish: "@" or "x" for the gendered vowel: "e" after "-or" ("trabajador@s": "trabajadores"), else "o"
# ("niñ@s": "niños"; "x" only before a plural "s" of a Spanish text: French and English words end in "x")
_AT = re.compile(rf"{_LETTER}@(?=s?(?!\w))")
_X = re.compile(r"(?<=[^\W\d_]{2})[xX](?=[sS]\b)")


def fold_inclusive(text: str, language: str) -> tuple[str, list[int]] | None:
    """``text`` with its inclusive forms folded, and for each of its characters the position in ``text`` of the
    character it is (replaced characters keep their place); None where the text holds no inclusive form."""
    marks = list(_AT.finditer(text))
    if language == "es":
        marks += _X.finditer(text)
    gone = [m.span() for m in _LEFT_OUT.finditer(text)]
    if not marks and not gone:
        return None
    chars = list(text)
    for mark in marks:
        at = mark.start()
        chars[at] = "e" if text[max(0, at - 2):at].lower() == "or" else "o"
    dropped = {i for start, end in gone for i in range(start, end)}
    kept = [i for i in range(len(text)) if i not in dropped]
    return "".join(chars[i] for i in kept), kept
