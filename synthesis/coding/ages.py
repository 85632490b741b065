"""People's stated ages as group candidates: "a 16-year-old", "Hou, 71, said", "una niña de 16 años", "âgée de 80
ans", "under the age of 18".

A codebook gives a group code an age range (``ages: [15, 24]``); a stated age in that range, or a stated range
("aged 12 to 16") lying at least half inside it, makes a candidate of that code; so does an open range whose stated
end lies in it ("menores de 18 años", "over 65"). Like any
candidate, the trained disambiguation step then decides ("a 12-year-old whisky" is not a child).
"""

from __future__ import annotations

from spacy.matcher import Matcher

OLDEST = 130  # the end of an open range ("over 65")
# Words in a matched span that open its range upwards or downwards.
OVER = {"over", "more", "older", "above", "mayores", "más", "plus"}
UNDER = {"under", "below", "younger", "before", "menores", "moins"}
# Patterns, one string each: "#" is a number written in digits, "Aa" a capitalised word (a name), "A|B" either word;
# "*" any word but punctuation; "WHO" a personal pronoun; other words are matched lower-cased. A mention starts at its
# number or at a word of STARTS: the words before only confirm that the age is a person's.
PERSON = {
    "es": "niña|niño|niñas|niños|joven|jóvenes|mujer|mujeres|hombre|hombres|chica|chico|muchacha|muchacho|"
          "adolescente|adolescentes|anciana|anciano|señora|señor|madre|padre|hija|hijo|abuela|abuelo|bebé|menor|"
          "estudiante|trabajadora|trabajador|persona|personas",
    "fr": "fille|filles|garçon|garçons|jeune|jeunes|femme|femmes|homme|hommes|adolescente|adolescent|adolescents|"
          "enfant|enfants|mère|père|fils|grand-mère|grand-père|bébé|veuve|veuf|élève|élèves|personne|personnes|"
          "travailleuse|travailleur",
}
PATTERNS = {
    "en": ["# - year - old", "# - year - olds", "# - year old", "# year - old", "# year olds", "# - # year olds",
           "# - # - year - olds", "# to # year olds", "aged #", "aged # - #", "aged # to #", "aged between # and #",
           "ages # - #", "ages # to #", "age of #", "before|under|below|over|above the age of #", "older than #",
           "younger than #", "aged over|under #", "aged # and|or over|above|older", "# and|or over|older",
           "Aa , # ,", "Aa ( # )"]
    + [f"{before}# {years}" for years in ("years old", "yrs old", "years of age")  # not "the bridge is 70 years old"
       for before in ("WHO ", "WHO * ", "WHO * * ", "under ", "over ", "more than ")],
    "es": ["PERSON de # años", "PERSON de # a # años", "PERSON de entre # y # años", "# años de edad",
           "tiene|tenía|tienen|tenían|cumplió # años", "a los # años", "menores de # años", "mayores de # años",
           "entre # y # años de edad", "Aa , # ,", "Aa ( # )"],
    "fr": ["PERSON de # ans", "PERSON de # à # ans", "PERSON âgé|âgée|âgés|âgées de # ans",
           "âgé|âgée|âgés|âgées de # ans", "âgé|âgée|âgés|âgées de # à # ans", "a|avait|ont|avaient # ans",
           "à # ans", "de moins de # ans", "de plus de # ans", "entre # et # ans", "Aa , # ,", "Aa ( # )"],
}
WHO = "i|he|she|they|we|you|who"  # "she is about 80 years old", "she's 80 years old"
# the words a mention may start with (before them: names, "she was", a PERSON word, "de", punctuation)
STARTS = OVER | UNDER | {"aged", "age", "ages", "âgé", "âgée", "âgés", "âgées", "between", "entre"}


def _token(word: str, language: str) -> dict:
    if word == "#":
        return {"IS_DIGIT": True, "LENGTH": {"<=": 3}}
    if word == "Aa":
        return {"IS_TITLE": True}
    if word == "*":
        return {"IS_PUNCT": False}
    if word == "WHO":
        return {"LOWER": {"IN": WHO.split("|")}}
    if word == "PERSON":
        return {"LOWER": {"IN": PERSON[language].split("|")}}
    if "|" in word:
        return {"LOWER": {"IN": word.split("|")}}
    return {"LOWER": word}


class AgeFinder:
    """Stated ages in a tokenised text, as (start token, end token, youngest, oldest)."""

    def __init__(self, vocab, language: str):
        self._matcher = Matcher(vocab)
        for number, pattern in enumerate(PATTERNS.get(language, ())):
            self._matcher.add(f"age{number}", [[_token(w, language) for w in pattern.split()]])

    def find(self, doc) -> list[tuple[int, int, int, int, int | None]]:
        found, taken = [], set()
        # the longest of overlapping matches ("before the age of 18", not "age of 18")
        for _, start, end in sorted(self._matcher(doc), key=lambda m: (m[1] - m[2], m[1])):
            if taken.intersection(range(start, end)):
                continue
            taken.update(range(start, end))
            words = doc[start:end]
            ages = [int(t.text) for t in words if t.is_digit]
            youngest, oldest = min(ages), max(ages)
            lowered = {t.lower_ for t in words}
            bound = None  # the stated end of an open range ("over 65": 65)
            if not OVER.isdisjoint(lowered):
                youngest = bound = youngest + ("más" in lowered or "plus" in lowered or "than" in lowered)
                oldest = OLDEST
            elif not UNDER.isdisjoint(lowered):
                youngest, oldest = 0, max(youngest - 1, 0)
                bound = oldest
            while start < end and not doc[start].is_digit and doc[start].lower_ not in STARTS:
                start += 1
            while end > start and doc[end - 1].is_punct:
                end -= 1
            found.append((start, end, youngest, oldest, bound))
        return found


def in_range(youngest: int, oldest: int, ages: tuple[int, int], bound: int | None = None) -> bool:
    """Whether a stated age (or range) belongs to a code's range: a stated range at least half inside it, and the
    stated end of an open range inside it ("under 18" is children, "die before the age of 30" no group's)."""
    low, high = ages
    if bound is not None and not low <= bound <= high:
        return False
    overlap = min(oldest, high) - max(youngest, low) + 1
    return overlap > 0 and 2 * overlap >= oldest - youngest + 1
