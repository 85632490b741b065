"""Removing personal data from quotes before they are printed: e-mail addresses, URLs, phone numbers and
ID-like numbers. Each removal is marked in the printed text ("[email removed]") and recorded as a span of
the original text, so the printed quote can be checked against the source: put the original text back into
each span and the source text reappears.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKS = {"email": "[email removed]", "url": "[link removed]", "phone": "[phone removed]", "id": "[number removed]"}

# One pattern, alternatives in priority order (an e-mail address is not also cut as a URL). Phone numbers as they
# are written where the dialogues were held: international ones, national ones from a leading 0, French and Ivorian
# pairs, West African numbers of 8 or 9 digits, Latin American and Spanish mobiles, North American and Argentine
# numbers, Bolivian landlines; a grouped run of 9 digits that ends in 000 is an amount ("750 000 000 francs"), not a
# mobile. West African numbers stand alone (not part of a longer run of grouped digits, such as a row of counts) and
# begin with 0 or 2-9, as no national number there begins with 1 ("12 34 56 78" is no phone). A comma after a number
# ends it ("77 123 45 67, Thiès"); one before a digit is a decimal comma. Runs read as figures stay (``_figures``).
_PII = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<url>(?:https?://|www\.)[^\s<>\"]+)"
    r"|(?P<phone>(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,5}"  # international: +254 712 345 678
    r"|(?<![\w.,])\(?0\d{1,4}\)?[\s.-]\d{3,4}[\s.-]\d{3,4}(?![\w])"  # national: (020) 123 4567
    r"|(?<![\w.,])\d{2}(?P<pair>[ .-])\d{2}(?:(?P=pair)\d{2}){3}(?!\w|[.,]\d)"  # 06 12 34 56 78, 27.22.44.55.66
    # 77 123 45 67 (Senegal), 622 12 34 56 (Guinea); four pairs, 90 12 34 56 (Togo, Benin, Burkina Faso, Mali,
    # Niger), only where a word says it is a number (_CUED_PHONE): "ages 25 30 45 60", "pages 45 67 89 90"
    r"|(?<![\w.,])(?<!\d[ .-])(?=[02-9]\d\d?(?P<west>[ .-]))(?:\d{2}(?P=west)\d{3}|\d{3}(?P=west)\d{2})"
    r"(?:(?P=west)\d{2}){2}(?!\w|[.,]\d|[ .-]\d)"
    r"|(?<![\w.,])[6-9]\d{2}(?P<trio>[ .-])\d{3}(?P=trio)(?!000)\d{3}(?!\w|[.,]\d)"  # 987 654 321, not 750 000 000
    r"|(?<![\w.,-])\(?\d{2,4}\)?[ .-]?\d{3,4}-\d{4}(?![\w-]|[.,]\d)"  # 11 4567-8901, 555-123-4567
    r"|(?<![\w.,+-])\(?[2-4]\)?[ -]\d{7}(?![\w-]|[.,]\d))"  # Bolivian landline, area code and number: 2-2441234
    r"|(?P<id>(?<![\w.,])(?:[A-Z]{1,3})?\d{7,}(?![\w.,]\d)"  # long digit runs: ID, passport, account numbers
    r"|(?<![\w.,-])\d{4}(?:-\d{4}){2,3}(?![\w-]|[.,]\d))",  # grouped: 1234-5678-9012
)
# A shorter local number (4-4, 3-4, 7-8 digits, or four pairs) only where a word says it is one, up to three words
# before it: "call 9876-5432", "tel. 4567 8901", "WhatsApp: 98765432", "teléfono 4567-8901", "appelez Ama au 90 12 34
# 56" ("1500-2000 personas" is a range, "25 30 45 60" ages)
_CUED_PHONE = re.compile(
    r"(?i:\b(?:t[ée]l|t[ée]l[ée]phone|tel[ée]fono|telephone|phone|mobile|cel|cell|celular|m[óo]vil|portable|whatsapp|"
    r"call|llam[ea]r?|llame|appele[rz]|contact|contacto)\b\.?(?:\s*(?:no|n[º°o]|number|n[úu]mero|num[ée]ro)\b\.?)?"
    r"(?:\s*[:#,]?\s*[^\W\d_]+\b\.?){0,3}\s*[:#,]?\s*)"
    r"(?P<phone>(?<![\w.,-])(?:\d{3,4}[ .-]?\d{4}|\d{2}(?P<pair>[ .-])\d{2}(?:(?P=pair)\d{2}){2})(?![\w-]|[.,]\d))"
)
_TRAILING = ".,;:!?)]}'\""
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")  # two of them in a run of grouped digits: years, not a number


@dataclass(frozen=True)
class Redaction:
    """A removed span of the original text: ``original[start:end]`` was printed as ``mark``."""

    start: int
    end: int
    mark: str


@dataclass(frozen=True)
class Redacted:
    text: str  # as printed
    redactions: tuple[Redaction, ...]  # offsets into the original text, in order


def redact(text: str) -> Redacted:
    """``text`` with every e-mail address, URL, phone number and ID-like number replaced by a mark."""
    redactions: list[Redaction] = []
    for match in _PII.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _TRAILING:  # "see http://x.org." keeps its full stop
            end -= 1
        if match.lastgroup in ("phone", "id") and text[start] != "+" and _figures(text, start, end):
            continue  # "2016 2017-2018", "10 20 30 40"
        if end > start:
            redactions.append(Redaction(start, end, MARKS[match.lastgroup]))
    for match in _CUED_PHONE.finditer(text):
        start, end = match.span("phone")
        if _figures(text, start, end):
            continue  # years, or a range of round numbers ("contact 1500-2000 households")
        clash = [r for r in redactions if r.start < end and start < r.end]
        if all(r.mark == MARKS["id"] and start <= r.start and r.end <= end for r in clash):  # "WhatsApp 98765432"
            redactions = [r for r in redactions if r not in clash] + [Redaction(start, end, MARKS["phone"])]
    redactions.sort(key=lambda r: r.start)
    return Redacted(apply_redactions(text, redactions, 0), tuple(redactions))


def _figures(text: str, start: int, end: int) -> bool:
    """Whether a run of grouped digits reads as figures, not as a number: it holds two years ("2016 2017-2018",
    "1990-2000-2010"), or each of its groups is round, a multiple of ten, of a hundred from four digits on
    ("10 20 30 40", "1500-2000")."""
    groups = re.findall(r"\d+", text[start:end])
    return len(_YEAR.findall(text, start, end)) > 1 or (
        len(groups) > 1 and all(g.endswith("0" if len(g) < 4 else "00") for g in groups))


def apply_redactions(original: str, redactions, offset: int) -> str:
    """``original`` with each redaction's span (offsets minus ``offset``) replaced by its mark: how a
    verbatim source text becomes the printed quote, and how a test checks that nothing else changed."""
    pieces, position = [], 0
    for r in redactions:
        pieces += [original[position:r.start - offset], r.mark]
        position = r.end - offset
    pieces.append(original[position:])
    return "".join(pieces)
