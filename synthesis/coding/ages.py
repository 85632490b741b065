"""People's stated ages as group candidates: "a 16-year-old girl", "Hou, 71, said", "una niña de 16 años", "elle a
80 ans", "under the age of 18".

A codebook gives a group code an age range (``ages: [15, 24]``); a stated age in that range, or a stated range
("aged 12 to 16") lying at least half inside it, makes a candidate of that code; so does an open range whose stated
end lies in it and that lies at least half inside it ("menores de 18 años", "over 65"). The patterns tie the number
to a person (a pronoun, a person word, a name, "aged"), because the disambiguation step, trained on a corpus that
states almost no ages, scores nearly every candidate high: "a 15-year-old conflict", "il y a 5 ans" (five years
ago) and "la organización cumplió 20 años" are not matched at all.
"""

from __future__ import annotations

import re

from spacy.matcher import Matcher

OLDEST = 130  # the end of an open range ("over 65")
BEFORE, AFTER = 6, 9  # tokens a pattern may reach before and after a number ("PERSON * more than #", "# - # - year -
# olds"), and the word after that _is_age reads
NUMBER = re.compile(r"\d{1,3}")  # digits int() reads (not "¹")
OPEN_NUMBER = r"^\d{1,3}-$"  # a range's first number with its hyphen held over ("15- to 25-year-old women")
# Words in a matched span that open its range upwards or downwards.
OVER = {"over", "more", "older", "above", "mayores", "más", "plus"}
UNDER = {"under", "below", "younger", "before", "menores", "moins"}
# Words for people that confirm a number next to them is an age.
PERSON = {
    "en": "people|persons|person|adults|adult|women|woman|men|man|girls|girl|boys|boy|children|child|kids|"
          "teenager|teenagers|youths|students|student|workers|worker|residents|resident|individuals|citizens|"
          "patients|patient|members|farmers|farmer|refugees|refugee|migrants|migrant|pensioners|pensioner|widows|"
          "widow|mother|father|mothers|fathers|son|daughter|sons|daughters|sister|brother|sibling|wife|husband|"
          "bride|grandmother|grandfather|orphan|orphans|graduate|vendor|labourer|laborer|maid|survivor|victim|"
          "activist|those|anyone|someone|everyone",
    "es": "niña|niño|niñas|niños|joven|jóvenes|mujer|mujeres|hombre|hombres|chica|chico|muchacha|muchacho|"
          "adolescente|adolescentes|anciana|anciano|señora|señor|madre|padre|hija|hijo|abuela|abuelo|bebé|menor|"
          "estudiante|trabajadora|trabajador|persona|personas|yo|él|ella|ellos|ellas|quien|quienes",
    "fr": "fille|filles|garçon|garçons|jeune|jeunes|femme|femmes|homme|hommes|adolescente|adolescent|adolescents|"
          "enfant|enfants|mère|père|fils|grand-mère|grand-père|bébé|veuve|veuf|élève|élèves|personne|personnes|"
          "travailleuse|travailleur|il|elle|ils|elles|on|qui|j'|je|tu|nous|vous",
}
WHO = "i|he|she|they|we|you|who"  # English subject pronouns: "she is about 80 years old", "she's 80 years old"
# Capitalised words that open a sentence without naming anyone ("Well, 60, 70 people came").
NOT_NAMES = ("the|this|that|it|its|a|an|well|yes|no|so|ok|okay|now|then|oh|and|but|also|total|"
             "bueno|bien|sí|pues|entonces|bon|oui|non|alors|"
             "donc|eh|ah|table|figure|article|section|chapter|page|tabla|cuadro|artículo|tableau|chapitre")
# Patterns, one string each: "#" is a number written in digits, "Aa" a capitalised word that may be a name,
# "PERSON" a person word of the language, "WHO" an English subject pronoun, "*" any word but punctuation or a number,
# "#-" a number with a held-over hyphen ("15-"), "\\*" an asterisk, "A|B" either word; other words are matched
# lower-cased. A mention starts at its number or at a word of STARTS: the
# words before only confirm that the age is a person's.
PATTERNS = {
    "en": ["# - year - old", "# - year - olds", "# - year old", "# year - old", "# year old", "# year olds",
           "# - # year olds", "# - # - year - olds", "# to # year olds", "#- to # - year - old", "#- to # - year - olds", "aged #", "aged # - #", "aged # to #",
           "aged between # and #", "ages # - #", "ages # to #", "age of #", "before|under|below|over|above the age of #",
           "aged over|under #", "aged # and|or over|above|older", "PERSON # and|or over|older",
           "PERSON under|over|above #", "PERSON older|younger than #"]
    + [f"{subject} {between}# {years}" for subject in ("WHO", "PERSON") for between in ("", "* ", "* * ")
       for years in ("years old", "yrs old", "years of age")]
    + [f"{subject} {between}{qualifier} # {years}" for subject in ("WHO", "PERSON") for between in ("", "* ")
       for qualifier in ("under", "over", "more than") for years in ("years old", "years of age")]
    + ["Aa was # years old", "Aa was * # years old"],  # "Narsappa was just 10 years old"
    "es": ["PERSON de # años", "PERSON , de # años", "PERSON de # a # años", "PERSON de entre # y # años",
           "PERSON de más de # años", "PERSON mayores|menores de # años", "# años de edad",
           "PERSON tiene|tenía|tienen|tenían|cumplió|tengo|tenemos # años", "a los # años de edad",
           "casó|casaron|casé|casada|casadas|casado a los # años", "menores de # años", "mayores de # años",
           "entre # y # años de edad", "tenía|tenían|tengo apenas|solo|sólo # años",
           "con apenas|solo|sólo # años"],
    "fr": ["PERSON de # ans", "PERSON de # à # ans", "PERSON âgé|âgée|âgés|âgées de # ans",
           "âgé|âgée|âgés|âgées de # ans", "âgé|âgée|âgés|âgées de # à # ans", "âgé|âgée|âgés|âgées entre # et # ans",
           "PERSON a|avait|ont|avaient|ai|avais # ans", "Aa a|avait # ans", "âge de # ans",
           "mariée|mariées|marié|mariés|mariage à # ans", "de moins de # ans", "de plus de # ans",
           "n' avait|avaient que # ans", "avait|avaient à peine # ans"],
}
# "Hou, 71, said", "J. Nadiya (35)", "Khamraj*, 87," (an asterisk marks a changed name): every language
NAMED = ["Aa , # ,", "Aa Aa ( # )", "Aa \\* , # ,"]
STARTS = OVER | UNDER | {"aged", "age", "ages", "âgé", "âgée", "âgés", "âgées", "entre"}
# words after a match that make it a duration, not an age ("aged 15 days", "20 años de experiencia", "5 ans de prison")
DURATION = {"days", "weeks", "months", "días", "semanas", "meses", "jours", "semaines", "mois", "de", "d'"}
OF_AGE = {"edad", "âge"}  # ... except "de edad"
# words before a capitalised word that make it a thing rather than a person's name
DETERMINERS = {"the", "this", "that", "a", "an", "its", "el", "la", "los", "las", "le", "les", "un", "une", "ce",
               "cette"}


def _token(word: str, language: str) -> dict:
    if word == "#":
        return {"IS_DIGIT": True, "LENGTH": {"<=": 3}}  # "¹" too (str.isdigit): find() keeps what int() reads
    if word == "#-":
        return {"TEXT": {"REGEX": OPEN_NUMBER}}
    if word == "\\*":
        return {"ORTH": "*"}
    if word == "Aa":
        return {"IS_TITLE": True, "LOWER": {"NOT_IN": NOT_NAMES.split("|")}}
    if word == "*":
        return {"IS_PUNCT": False, "IS_DIGIT": False}
    if word == "PERSON":
        return {"LOWER": {"IN": PERSON[language].split("|")}}
    if word == "WHO":
        return {"LOWER": {"IN": WHO.split("|")}}
    if "|" in word:
        return {"LOWER": {"IN": word.split("|")}}
    return {"LOWER": word}


class AgeFinder:
    """Stated ages in a tokenised text of one language."""

    def __init__(self, vocab, language: str):
        self._matcher = Matcher(vocab)
        self._person = set(PERSON.get(language, "").split("|")) - {""}
        for number, pattern in enumerate(PATTERNS.get(language, []) + NAMED):
            self._matcher.add(f"age{number}", [[_token(w, language) for w in pattern.split()]])

    def find(self, doc) -> list[tuple[int, int, int, int, int | None]]:
        """(start token, end token, youngest, oldest, bound) per stated age, the longest of overlapping matches
        ("before the age of 18", not "age of 18"); ``bound`` is the stated end of an open range ("over 65": 65)."""
        found, taken = [], set()
        for _, start, end in sorted(self._matches(doc), key=lambda m: (m[1] - m[2], m[1])):
            if taken.intersection(range(start, end)) or not self._is_age(doc, start, end):
                continue
            taken.update(range(start, end))
            words = doc[start:end]
            ages = [int(t.text.rstrip("-")) for t in words if NUMBER.fullmatch(t.text.rstrip("-"))]
            if not ages:
                continue
            youngest, oldest, bound = min(ages), max(ages), None
            lowered = {t.lower_ for t in words}
            if not OVER.isdisjoint(lowered):
                oldest = OLDEST
                bound = youngest
            elif not UNDER.isdisjoint(lowered):
                youngest, oldest = 0, max(youngest - 1, 0)
                bound = oldest
            while start < end and not NUMBER.fullmatch(doc[start].text.rstrip("-")) and doc[start].lower_ not in STARTS:
                start += 1
            while end > start and doc[end - 1].is_punct:
                end -= 1
            found.append((start, end, youngest, oldest, bound))
        return found

    def _matches(self, doc) -> list[tuple[int, int, int]]:
        """The matcher's matches, looked for only around short numbers (matching the whole text cost ten times its
        tokenisation)."""
        windows: list[list[int]] = []
        for i, token in enumerate(doc):
            if token.is_digit and len(token) <= 3:
                if windows and i - BEFORE <= windows[-1][1]:
                    windows[-1][1] = i + AFTER
                else:
                    windows.append([max(0, i - BEFORE), i + AFTER])
        return [(key, since + start, since + end) for since, until in windows
                for key, start, end in self._matcher(doc[since:min(until, len(doc))])]

    def _is_age(self, doc, start: int, end: int) -> bool:
        if start and doc[start].is_title and doc[start - 1].lower_ in DETERMINERS:
            return False  # "the Constitution was only 20 years old": a thing, not a named person
        following = doc[end] if end < len(doc) else None
        if following is not None and following.lower_ in DURATION:
            after = doc[end + 1] if end + 1 < len(doc) else None
            if after is None or after.lower_ not in OF_AGE:
                return False
        if doc[end - 1].lower_ == "old" and any(t.lower_ == "year" for t in doc[start:end]):
            # "a 16-year-old girl", "a 16-year-old, she said"; not "a 15-year-old war"
            return following is None or following.is_punct or following.is_title or following.lower_ in self._person
        return True


def in_range(youngest: int, oldest: int, ages: tuple[int, int], bound: int | None = None) -> bool:
    """Whether a stated age (or range) belongs to a code's range: a stated range at least half inside it, and the
    stated end of an open range inside it ("under 18" is children, "die before the age of 30" no group's)."""
    low, high = ages
    if bound is not None and not low <= bound <= high:
        return False
    overlap = min(oldest, high) - max(youngest, low) + 1
    return overlap > 0 and 2 * overlap >= oldest - youngest + 1
