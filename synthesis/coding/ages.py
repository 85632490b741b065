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

import bisect
import re

import numpy
from spacy.attrs import IS_DIGIT, LENGTH, LOWER, NORM
from spacy.matcher import Matcher
from spacy.tokens import Doc

from synthesis.coding.accents import UNACCENTED_LANGUAGES, fold
from synthesis.coding.textsearch import TextBatch

OLDEST = 130  # the end of an open range ("over 65")
BEFORE, AFTER = 6, 9  # tokens a pattern may reach before and after a number ("PERSON * more than #", "# - # - year -
# olds"), and the word after that _is_age reads
NUMBER = re.compile(r"\d{1,3}")  # digits int() reads (not "¹")
DECADES = [f"{mid}{n}0s" for mid in ("", "mid-") for n in range(1, 10)]  # a person "in her 70s": 70 to 79
# a range's first number with its hyphen held over ("15- to 25-year-old women"): a set, cheaper to match than a regex
OPEN_NUMBERS = [f"{n}-" for n in range(130)]
# Numbers written as words ("Thirteen-year-old Beni", "elle avait douze ans"), from two ("un" and "uno" are articles
# as often as numbers; English "one" too, as every English pattern ties the number to an age). Compounds of these
# ("sixty-five", "sixty five", "sesenta y cinco", "soixante et onze", "quatre-vingt-dix") are read whole.
_TENS = {"en": "twenty thirty forty fifty sixty seventy eighty ninety",
         "es": "veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa",
         "fr": "vingt trente quarante cinquante soixante septante huitante nonante"}
_UNITS = {"en": "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
                "seventeen eighteen nineteen",
          "es": "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
                "diecisiete dieciocho diecinueve",
          "fr": "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"}
_OTHER_WORDS = {"es": {"veintiuno": 21, "veintiún": 21, "veintiuna": 21, "veintidós": 22, "veintitrés": 23,
                       "veinticuatro": 24, "veinticinco": 25, "veintiséis": 26, "veintisiete": 27, "veintiocho": 28,
                       "veintinueve": 29},
                "fr": {"octante": 80}}  # Belgian and Swiss "septante", "nonante" and "huitante" are tens above
# words that are a number only after another number word: "treinta y un años", "vingt et un ans", "quatre-vingts"
COMPOUND_ONLY = {"es": {"un": 1, "uno": 1, "una": 1}, "fr": {"un": 1, "une": 1, "vingts": 20}}
CONNECTORS = {"y", "et"}  # between the number words of a compound ("sesenta y cinco"), as a hyphen or a space is
NUMBER_WORD = "#number-word"  # the NORM of a token that states a number in words (see AgeFinder._numbered)


def _number_words(language: str) -> dict[str, int]:
    words = {**{w: i + 2 for i, w in enumerate(_UNITS[language].split())},
             **{w: 20 + 10 * i for i, w in enumerate(_TENS[language].split())}, **_OTHER_WORDS.get(language, {})}
    if language == "en":  # English patterns tie every number word to an age ("one-year-old", "twenty-one-year-old")
        words["one"] = 1
    if language in UNACCENTED_LANGUAGES:  # also without accents ("dieciseis"), as in texts typed without them
        words.update({fold(w): n for w, n in words.items()})
    return words


NUMBER_WORDS = {language: _number_words(language) for language in _UNITS}
# A text states an age in words only if it also holds one of these, in lower case (a plain substring test: a regular
# expression on every text cost a twentieth of groups-only time on the consultation answers).
AGE_WORDS = {"en": ("year", "aged"), "es": ("años", " anos"), "fr": (" ans", "âgé")}
# ... and a number word where an age is stated ("twelve years old", "aged twelve", "de doce años", "avait douze ans";
# not "for two years"): only such texts are matched with the number-word patterns (a matcher costs about 0.1 ms a
# text). W stands for the number words, one or a compound of them.
NUMBER_WORD_AGES = {
    "en": r"\bW[\s-]+(?:years?[\s-]+old|years? of age|year-olds?)\b|\b(?:aged|age of)\s+W\b",
    "es": r"(?:\b(?:de|tiene|tenía|tienen|tenían|tengo|tenemos|cumplió|los|apenas|solo|sólo)|,)\s+W\s+años\b",
    "fr": r"(?:\b(?:de|a|avait|ai|avais|ont|avaient|à|que|peine)|,)\s+W\s+ans\b",  # ", W ans": "Shakiba, 67 ans,"
}
# Words in a matched span that open its range upwards or downwards.
OVER = {"over", "more", "older", "above", "+", "mayores", "más", "mas", "plus"}
UNDER = {"under", "below", "younger", "less", "before", "menores", "moins"}
# Words for people that confirm a number next to them is an age.
PERSON = {
    "en": "people|persons|person|adults|adult|women|woman|men|man|girls|girl|boys|boy|children|child|kids|"
          "teenager|teenagers|youths|students|student|workers|worker|residents|resident|individuals|citizens|"
          "patients|patient|members|farmers|farmer|refugees|refugee|migrants|migrant|pensioners|pensioner|widows|"
          "widow|mother|father|mothers|fathers|son|daughter|sons|daughters|sister|brother|sibling|wife|husband|"
          "bride|grandmother|grandfather|orphan|orphans|graduate|vendor|labourer|laborer|maid|survivor|victim|"
          "activist|those|anyone|someone|everyone|both",
    "es": "niña|niño|niñas|niños|joven|jóvenes|mujer|mujeres|hombre|hombres|chica|chico|muchacha|muchacho|"
          "adolescente|adolescentes|anciana|anciano|señora|señor|madre|padre|hija|hijo|hijas|hijos|abuela|abuelo|"
          "bebé|menor|estudiante|trabajadora|trabajador|persona|personas|yo|él|ella|ellos|ellas|quien|quienes",
    "fr": "fille|filles|garçon|garçons|jeune|jeunes|femme|femmes|homme|hommes|adolescente|adolescent|adolescents|"
          "enfant|enfants|mère|père|fils|grand-mère|grand-père|bébé|veuve|veuf|élève|élèves|personne|personnes|"
          "travailleuse|travailleur|il|elle|ils|elles|on|qui|j'|je|tu|nous|vous",
}
# person and other words matched with their accents only: without them they are other words ("el", the article)
KEEP_ACCENTS = {"él"}
WHO = "i|he|she|they|we|you|who"  # English subject pronouns: "she is about 80 years old", "she's 80 years old"
# Capitalised words that open a sentence without naming anyone ("Well, 60, 70 people came").
NOT_NAMES = ("the|this|that|it|its|a|an|well|yes|no|so|ok|okay|now|then|oh|and|but|also|total|"
             "however|meanwhile|moreover|furthermore|therefore|thus|indeed|instead|yesterday|today|overall|still|"
             "finally|besides|otherwise|nevertheless|hence|"
             "bueno|bien|sí|pues|entonces|hoy|luego|después|ahora|ya|así|además|también|pero|y|ayer|finalmente|"
             "bon|oui|non|alors|depuis|puis|ensuite|maintenant|ainsi|déjà|aussi|enfin|mais|et|cependant|pourtant|"
             "toutefois|hier|néanmoins|"
             "donc|eh|ah|table|figure|article|section|chapter|page|tabla|cuadro|artículo|tableau|chapitre")
# Patterns, one string each: "#" is a number written in digits (up to three; a copy of each pattern with one "#"
# reads a number word there instead), "#-" a number with a held-over hyphen ("15-"), "DECADE" a decade ("70s",
# "mid-80s"), "Aa" a capitalised word that may be a name, "PERSON" a person word of the language, "WHO" an English
# subject pronoun, "*" any word but punctuation or a number, "\\*" an asterisk, "A|B" either word; other words are
# matched lower-cased. A mention starts at its number or at a word of STARTS: the words before only confirm that the
# age is a person's.
PATTERNS = {
    "en": ["# - year - old", "# - year - olds", "# - year old", "# year - old", "# year old", "# year olds",
           "# - years - old", "# years - old",  # "a 30-years-old woman", as people also write it
           "# - # year olds", "# - # - year - olds", "# to # year olds", "#- to # - year - old",
           "#- to # - year - olds", "aged #", "aged # -|— #", "aged # to #",
           "aged between # and #", "ages # -|— #", "ages # to #", "age of #",
           "before|under|below|over|above the age of #", "under|over|above age #",
           "aged over|under #", "aged # and|or over|above|older", "aged # years and|or over|above|older", "aged #~ +",
           "PERSON # and|or over|older", "PERSON # years and|or over|above|older", "PERSON #~ +",
           "PERSON under|over|above #", "PERSON older|younger than #", "PERSON between # and # years old",
           "PERSON between # and # years of age"]
    + [f"{subject} {between}# {years}" for subject in ("WHO", "PERSON") for between in ("", "* ", "* * ")
       for years in ("years old", "yrs old", "years of age")]
    + [f"{subject} {between}{qualifier} # {years}" for subject in ("WHO", "PERSON") for between in ("", "* ")
       for qualifier in ("under", "over", "more than", "less than") for years in ("years old", "years of age")]
    + ["Aa was # years old", "Aa was * # years old"]  # "Narsappa was just 10 years old"
    + ["in his|her|their|my|our DECADE", "in his|her|their|my|our early|late DECADE"],  # "aged in her 70s"
    "es": ["PERSON de # años", "PERSON , de # años", "PERSON de # a|- # años", "PERSON de entre # y # años",
           "PERSON de # años o|y más", "PERSON de # a|- # años o|y más",
           "PERSON , entre # y # años", "PERSON entre # y # años", "PERSON de # y # años",
           "PERSON de más de # años", "PERSON mayores|menores de # años", "# años de edad",
           "PERSON tiene|tenía|tienen|tenían|cumplió|tengo|tenemos # años", "a los # años de edad",
           "casó|casaron|casé|casada|casadas|casado a los # años", "menores de # años", "mayores de # años",
           "entre # y # años de edad", "tenía|tenían|tengo apenas|solo|sólo # años",
           "con apenas|solo|sólo # años", "Aa , # años ,|.", "Aa \\* , # años ,|.",  # "Rosa, 67 años, ..."
           "Aa , de # años ,|."],  # "Rosa, de 67 años, dijo"
    "fr": ["PERSON de # ans", "PERSON de # à|- # ans", "PERSON âgé|âgée|âgés|âgées de # ans",
           "âgé|âgée|âgés|âgées de # ans", "âgé|âgée|âgés|âgées de # à|- # ans", "âgé|âgée|âgés|âgées entre # et # ans",
           "PERSON de # ans et|ou plus", "âgé|âgée|âgés|âgées de # ans et|ou plus",
           "âgé|âgée|âgés|âgées de plus|moins de # ans",
           "PERSON a|avait|ont|avaient|ai|avais # ans", "Aa a|avait # ans", "âge de # ans",
           "mariée|mariées|marié|mariés|mariage à # ans", "de moins de # ans", "de plus de # ans",
           "n' avait|avaient que # ans", "avait|avaient à peine # ans",
           "Aa , # ans ,|.", "Aa \\* , # ans ,|.",  # "Shakiba, 67 ans, est ...", "Zalissa*, 16 ans, qui ..."
           "Aa \\* a|avait # ans"],  # "Lyndsay* a 15 ans."
}
# "Hou, 71, said", "J. Nadiya (35)", "Khamraj*, 87," (an asterisk marks a changed name): every language
NAMED = ["Aa , # ,", "Aa Aa ( # )", "Aa \\* , # ,", "Aa Aa , # ."]  # "... says Noriko Shikama, 76."
STARTS = OVER | UNDER | {"aged", "age", "ages", "âgé", "âgée", "âgés", "âgées", "agee", "agees", "entre"}
# words after a match that make it a duration, not an age ("aged 15 days", "20 años de experiencia", "5 ans de prison")
DURATION = {"days", "weeks", "months", "días", "dias", "semanas", "meses", "jours", "semaines", "mois", "de", "d'"}
OF_AGE = {"edad", "âge", "age"}  # ... except "de edad"
# nouns after a person word that make an age the age of a group or a project ("a ten-year-old women group")
GROUP_NOUNS = {"group", "groups", "association", "associations", "organisation", "organization", "cooperative",
               "cooperatives", "network", "networks", "programme", "program", "project", "projects", "club", "league",
               "movement", "committee", "council", "union", "federation", "centre", "center", "initiative", "fund",
               "forum", "collective", "alliance", "coalition", "camp", "camps", "settlement", "settlements",
               "shelter", "shelters", "school", "schools", "crisis", "conflict"}  # "a 16-year-old refugee camp"
POSSESSIVES = {"'s", "’s", "'"}  # "a 10-year-old women's association" is the association's age
PLURALS = {"women", "men", "children", "people"}
OF = {"de", "del", "of", "du", "des"}
THING = object()  # what _is_age says of a thing's age
THINGS_AGE = -1  # the youngest and oldest age find() gives a thing's age: in no code's range
# words before a capitalised word that make it a thing rather than a person's name
DETERMINERS = {"the", "this", "that", "a", "an", "its", "el", "la", "los", "las", "le", "les", "un", "une", "ce",
               "cette"}


def _token(word: str, language: str) -> dict:
    if word == "#":
        return {"IS_DIGIT": True, "LENGTH": {"<=": 3}}  # "¹" too (str.isdigit): find() keeps what int() reads
    if word == "#~":  # a number with what follows it attached ("18+", not "women 60 + men 40")
        return {"IS_DIGIT": True, "LENGTH": {"<=": 3}, "SPACY": False}
    if word == "W":  # a number word or compound, in the copies of the patterns find() uses for a text with number words
        return {"NORM": NUMBER_WORD}
    if word == "DECADE":
        return {"LOWER": {"IN": DECADES}}
    if word == "#-":
        return {"ORTH": {"IN": OPEN_NUMBERS}}
    if word == "\\*":
        return {"ORTH": "*"}
    if word == "Aa":
        return {"IS_TITLE": True, "LOWER": {"NOT_IN": _with_bare(NOT_NAMES.split("|"), language)}}
    if word == "*":
        return {"IS_PUNCT": False, "IS_DIGIT": False}
    if word == "PERSON":
        return {"LOWER": {"IN": _with_bare(PERSON[language].split("|"), language)}}
    if word == "WHO":
        return {"LOWER": {"IN": WHO.split("|")}}
    words = _with_bare(word.split("|"), language)
    return {"LOWER": {"IN": words}} if len(words) > 1 else {"LOWER": word}


def _with_bare(words: list[str], language: str) -> list[str]:
    """``words`` and, in Spanish and French, their unaccented forms ("años", "anos"; not KEEP_ACCENTS')."""
    if language not in UNACCENTED_LANGUAGES:
        return words
    return list(dict.fromkeys([*words, *(fold(w) for w in words if w not in KEEP_ACCENTS)]))


class AgeFinder:
    """Stated ages in a tokenised text of one language."""

    def __init__(self, vocab, language: str):
        self._person = set(PERSON.get(language, "").split("|")) - {""}
        self._words = NUMBER_WORDS.get(language, {})
        self._compound_only = COMPOUND_ONLY.get(language, {})
        self._quatre_vingt = language == "fr"  # "quatre-vingts": four twenties
        self._age_words = AGE_WORDS.get(language, ())
        self._decades = numpy.array([vocab.strings.add(d) for d in DECADES], dtype=numpy.uint64)
        self._number_word = vocab.strings.add(NUMBER_WORD)
        words = "|".join(self._words)
        parts = "|".join([*self._words, *self._compound_only])
        # "sixty-five", "vingt et un": at most three more words, so that a long run of number words is not searched
        # again from each of its words to its end
        compound = f"(?:{words})(?:[\\s-]+(?:(?:y|et)[\\s-]+)?(?:{parts})){{0,3}}"
        self._number_words = re.compile(NUMBER_WORD_AGES[language].replace("W", compound),
                                        re.IGNORECASE) if self._words else None
        # the same, without accents, for a text typed without them (searched in its unaccented form)
        self._bare_number_words = (re.compile(fold(self._number_words.pattern), re.IGNORECASE)
                                   if self._number_words is not None and language in UNACCENTED_LANGUAGES else None)
        # numbers in digits, and (a separate matcher: its patterns would slow every text with a digit) in words
        patterns = PATTERNS.get(language, []) + NAMED
        self._matcher = _matcher(vocab, language, patterns)
        self._word_matcher = _matcher(vocab, language, [p.replace("#", "W") for p in PATTERNS.get(language, [])
                                                        if p.split().count("#") == 1]) if self._words else None

    def may_hold_many(self, batch: TextBatch, lowered: TextBatch) -> dict[int, bool]:
        """The positions of the ``batch``'s texts that may state an age at all, each with whether it may state one in
        words: those with a digit, or with a number word and a word such as "year". Most texts have neither and need
        no closer look; the batch is searched as one string (text by text, the tests cost a twentieth of groups-only
        time on the consultation answers); ``lowered`` is the batch lower-cased."""
        found = dict.fromkeys(batch.holding_any("0123456789"), False)
        if self._number_words is not None:
            for text in lowered.holding_any(self._age_words):
                if self._number_words.search(batch.texts[text]) or (
                        self._bare_number_words is not None
                        and self._bare_number_words.search(fold(batch.texts[text]))):
                    found[text] = True
        return found

    def find(self, doc, in_words: bool = False) -> list[tuple[int, int, int, int, int | None]]:
        """(start token, end token, youngest, oldest, bound) per stated age, the longest of overlapping matches
        ("before the age of 18", not "age of 18"); ``bound`` is the stated end of an open range ("over 65": 65).
        A thing's age ("a 25-year-old women group", "a 16-year-old refugee camp") has youngest = oldest =
        THINGS_AGE, in no code's range: its words are no mention ("old women"). ``in_words``: also ages written in
        words ("twelve years old", "sesenta y cinco años")."""
        if not in_words:
            return self._find(doc, False)
        numbered, origin = self._numbered(doc)
        ends = [*origin, len(doc)]
        return [(origin[start], ends[end], *rest) for start, end, *rest in self._find(numbered, True)]

    def _find(self, doc, in_words: bool) -> list[tuple[int, int, int, int, int | None]]:
        found, taken = [], set()
        for _, start, end in sorted(self._matches(doc, in_words), key=lambda m: (m[1] - m[2], m[1])):
            if taken.intersection(range(start, end)):
                continue
            verdict = self._is_age(doc, start, end)
            if verdict is THING:
                found.append((start, end, THINGS_AGE, THINGS_AGE, None))
            if verdict is not True:
                continue
            taken.update(range(start, end))
            ages = [number for number in map(self._number, doc[start:end]) if number is not None]
            if not ages:
                continue
            words = doc[start:end]
            youngest, oldest, bound = min(ages), max(ages), None
            if any(t.lower_ in DECADES for t in words):
                oldest += 9
            lowered = {t.lower_ for t in words}
            if not OVER.isdisjoint(lowered):
                oldest = OLDEST
                bound = youngest
            elif not UNDER.isdisjoint(lowered):
                youngest, oldest = 0, max(youngest - 1, 0)
                bound = oldest
            while start < end and self._number(doc[start]) is None and doc[start].lower_ not in STARTS:
                start += 1
            while end > start and doc[end - 1].is_punct:
                end -= 1
            found.append((start, end, youngest, oldest, bound))
        return found

    def _numbered(self, doc) -> tuple[Doc, list[int]]:
        """A copy of ``doc`` with each compound of number words one token ("sixty - five", "vingt et un"), each token
        that states a number in words marked (its NORM is NUMBER_WORD) for the word matcher, and for each of the
        copy's tokens the index of its first token in ``doc``."""
        merged, k = [], 0
        while k < len(doc):
            end = self._compound_end(doc, k)
            if end > k + 1:
                merged.append((k, end))
            k = end
        numbered = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
        if merged:
            with numbered.retokenize() as retokenizer:
                for start, end in merged:
                    retokenizer.merge(numbered[start:end])
        for token in numbered:
            if not token.is_digit and self._number(token) is not None:
                token.norm_ = NUMBER_WORD
        starts = [t.idx for t in doc]
        return numbered, [bisect.bisect_left(starts, t.idx) for t in numbered]

    def _compound_end(self, doc, k: int) -> int:
        """The token after the compound of number words that starts at token ``k`` ("sixty - five", "sesenta y
        cinco", "soixante et onze"), or ``k + 1`` where none starts there."""
        words, end = [doc[k].lower_], k + 1
        if self._value(words[0]) is None:
            return end
        while end < len(doc):
            word = end + 1 if doc[end].text == "-" or doc[end].lower_ in CONNECTORS else end
            if word >= len(doc) or doc[word].text == "-" or doc[word].lower_ in CONNECTORS or self._value(
                    " ".join([*words, doc[word].lower_])) is None:
                break  # (a compound has at most four words: "quatre-vingt-dix-neuf")
            if word == end and word + 1 < len(doc) and doc[word + 1].text == "-":
                break  # "sixty five-year-olds" are sixty children of five
            words.append(doc[word].lower_)
            end = word + 1
        return end

    def _value(self, words: str) -> int | None:
        """The number that ``words`` state: a number word, or a compound of them, each part smaller than the one
        before it, which is a ten ("sixty-five", "dix-sept"; "soixante-dix-sept" and "quatre-vingt-onze" too)."""
        parts = [part for part in re.split(r"[\s-]+", words) if part and part not in CONNECTORS]
        total = last = None
        for part in parts:
            number = self._words.get(part) if last is None else self._words.get(part, self._compound_only.get(part))
            if number is None:
                return None
            if last is None:
                total = last = number
            elif self._quatre_vingt and total == last == 4 and number == 20:  # "quatre-vingts"
                total = last = 80
            elif last % 10 == 0 and number < last and (
                    number < 10 or self._quatre_vingt and last in (60, 80) and number < 20):  # "soixante et onze"
                total, last = total + number, number
            else:
                return None
        return total

    def _number(self, token) -> int | None:
        """The number a token states: digits ("15", "15-" with a held-over hyphen), a decade ("70s", "mid-80s") or
        a number word or compound of them."""
        text, lower = token.text.rstrip("-"), token.lower_
        if lower in DECADES:
            return int(text[-3:-1])
        if NUMBER.fullmatch(text):
            return int(text)
        number = self._words.get(lower)
        if number is None and ("-" in lower or " " in lower):
            number = self._value(lower)
        return number

    def _matches(self, doc, in_words: bool) -> list[tuple[int, int, int]]:
        """The matchers' matches, looked for only around short numbers (matching the whole text cost ten times its
        tokenisation), and around number words (marked by ``_numbered``) where ``in_words``."""
        # each matcher around its own numbers, found from token attributes as arrays (cheaper than a Token per word)
        attributes = doc.to_array([IS_DIGIT, LENGTH, LOWER])
        numbers = (attributes[:, 0] == 1) & (attributes[:, 1] <= 3) | numpy.isin(attributes[:, 2], self._decades)
        found = _windowed(doc, numbers, self._matcher) if numbers.any() else []
        if in_words and self._word_matcher is not None:
            found += _windowed(doc, doc.to_array(NORM) == self._number_word, self._word_matcher)
        return found

    def _is_age(self, doc, start: int, end: int) -> bool | object:
        """Whether tokens ``start:end`` state a person's age: True, False, or THING where they state a thing's
        ("a 15-year-old war", "a ten-year-old women group")."""
        # "the Constitution was only 20 years old": a thing, not a named person ("A Twenty-Two-Year-Old woman" is one);
        # nor, before ", de # años", a name after an article and a word or after "de" ("el programa Juntos, de 15
        # años", "el Plan Nacional de Desarrollo, de 10 años": how long they run; "the case of Amina, 14," is hers)
        if start and doc[start].is_title and self._number(doc[start]) is None and (
                doc[start - 1].lower_ in DETERMINERS or start + 2 < end and doc[start + 2].lower_ == "de" and (
                    doc[start - 1].lower_ in OF
                    or start > 1 and doc[start - 1].is_lower and doc[start - 2].lower_ in DETERMINERS)):
            return False
        following = doc[end] if end < len(doc) else None
        if following is not None and following.lower_ in DURATION:
            after = doc[end + 1] if end + 1 < len(doc) else None
            if after is None or after.lower_ not in OF_AGE and not (
                    following.lower_ in ("de", "d'") and after.is_title):  # "un hombre de 70 años de Cochabamba"
                return False
        if doc[end - 1].lower_ == "old" and (any(t.lower_ == "year" for t in doc[start:end]) or (
                end - start > 2 and doc[end - 2].text == "-")):  # "16-year-old", "30-years-old"; not "12 years old"
            # "a 16-year-old girl", "a 16-year-old, she said", "her ten-year-old handicapped son"; not "a 15-year-old
            # war", "a 15-year-old civil war" or "a ten-year-old (local) women group"
            if following is None or following.is_punct or following.is_title:
                return True
            person = end if following.lower_ in self._person else end + 1
            if person == end + 1 and not (following.is_alpha and person < len(doc)
                                          and doc[person].lower_ in self._person):
                return THING
            # people's ("a 10-year-old women's association") is a thing's, a person's ("a 70-year-old man's
            # shelter") the person's
            plural = doc[person].lower_.endswith("s") or doc[person].lower_ in PLURALS
            noun = (person + 2 if plural and person + 1 < len(doc) and doc[person + 1].lower_ in POSSESSIVES
                    else person + 1)
            return THING if noun < len(doc) and doc[noun].lower_ in GROUP_NOUNS else True
        return True


def _windowed(doc, numbers, matcher: Matcher) -> list[tuple[int, int, int]]:
    """``matcher``'s matches in windows around the tokens flagged in ``numbers``."""
    windows: list[list[int]] = []
    for i in numpy.flatnonzero(numbers).tolist():
        if windows and i - BEFORE <= windows[-1][1]:
            windows[-1][1] = i + AFTER
        else:
            windows.append([max(0, i - BEFORE), i + AFTER])
    return [(key, since + start, since + end) for since, until in windows
            for key, start, end in matcher(doc[since:min(until, len(doc))])]


def _matcher(vocab, language: str, patterns: list[str]) -> Matcher:
    matcher = Matcher(vocab)
    for number, pattern in enumerate(patterns):
        matcher.add(f"age{number}", [[_token(w, language) for w in pattern.split()]])
    return matcher


def in_range(youngest: int, oldest: int, ages: tuple[int, int], bound: int | None = None) -> bool:
    """Whether a stated age (or range) belongs to a code's range: a stated range at least half inside it, and the
    stated end of an open range inside it ("under 18" is children, "die before the age of 30" no group's)."""
    low, high = ages
    if bound is not None and not low <= bound <= high:
        return False
    overlap = min(oldest, high) - max(youngest, low) + 1
    return overlap > 0 and 2 * overlap >= oldest - youngest + 1
