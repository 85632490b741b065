"""Candidate mentions of excluded groups: multilingual phrase patterns matched on lower-cased tokens.

``CandidateFinder`` finds every span a codebook pattern matches, with exact character offsets, drops those inside
a code's ``not_patterns`` ("older version", "youth hostel"), and describes each candidate's context for the
trained disambiguation step (``coding.disambiguate``).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from typing import NamedTuple, Sequence

import spacy
from spacy.attrs import LOWER
from spacy.matcher import PhraseMatcher
from spacy.util import compile_infix_regex

from synthesis.coding.accents import UNACCENTED_LANGUAGES, fold, forms_to_add
from synthesis.coding.ages import AgeFinder, in_range
from synthesis.coding.codebook import GROUP, LANGUAGES, PLAIN, TYPOGRAPHIC, Codebook
from synthesis.coding.inclusive import HINTS, fold_inclusive
from synthesis.coding.textsearch import TextBatch
from synthesis.segment import INVISIBLE, LONG_TEXT, break_runs

# Words that, shortly before a mention, say the group was absent or not discussed ...
NEGATIONS = {
    "not", "no", "never", "n't", "without", "nor", "none", "neither", "nobody", "absent", "lack",
    "sin", "nunca", "ni", "ninguna", "ninguno", "tampoco",
    "pas", "sans", "jamais", "aucun", "aucune", "ni",
}
# French "personne" is "nobody" only before "ne" ("personne ne parle des migrants"), else a person ("chaque personne
# réfugiée")
NOBODY = {("personne", "ne"), ("personne", "n'")}
# ... unless they say "not only".
NOT_ONLY = {("not", "only"), ("not", "just"), ("no", "solo"), ("no", "sólo"), ("no", "solamente"),
            ("non", "seulement"), ("pas", "seulement"), ("pas", "uniquement"), ("not", "merely")}
WINDOW = 4
CONTEXT_CACHE = 200_000  # entries kept before the context cache starts afresh
SENTENCE_ENDS = (".", "!", "?", ";")
# dashes that always separate words ("LGBTI—y en particular", "trans—no acuden"): Spanish and French tokenizers keep
# "word—word" as one token
DASHES = r"[\u2014\u2015]"
# dropped before matching, as ingest drops them: zero-width space, non-joiner and joiner, word joiner, BOM, soft hyphen
_ZERO_WIDTH = frozenset(INVISIBLE)
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")  # as str.splitlines() splits at them
# what makes a text differ from its searched form in length: white space other than single plain spaces, or those
# characters (a text with none of these, and composed, keeps its offsets)
_UNUSUAL = re.compile("[^\\S ]| \\s|[" + "".join(sorted(_ZERO_WIDTH)) + "]")
_DASH = re.compile(DASHES)
LEFT_OUT_REACH = 600  # characters read on either side of a mention for a rapporteur's note (see _left_out)
# Sentences that report a group as absent from the discussion ("... so the issue was not discussed").
# "Not mentioned" and "not covered" are none: "migrants are not covered by health insurance", "women are not
# mentioned in the plan" are about the group.
NOT_DISCUSSED = ("not discussed", "n't discussed", "never discussed", "did not discuss", "didn't discuss",
                 "not been discussed", "n't been discussed", "not on the agenda", "was not raised",
                 "no se discutió", "no discutió", "no se habló", "no se trató", "no fue discutid",
                 "no fueron discutid", "no abordó", "n'a pas été discuté", "n'ont pas été discutés",
                 "pas discuté", "n'a pas abordé", "pas été abordé")
# the cues as written match the beginning of a word ("pas discuté" in "pas discutée"); their unaccented forms (as
# people type) only with a feminine or plural ending ("pas discute" and "pas discutee", not "pas discuter")
_NOT_DISCUSSED = re.compile("|".join([*(re.escape(cue) for cue in NOT_DISCUSSED),
                                      *(re.escape(fold(cue)) + r"(?:e|es|s)?\b" for cue in NOT_DISCUSSED
                                        if fold(cue) != cue)]))
# a cue in a sentence contains one of these words, so a text without any has no cue (most texts)
# (the everyday verbs with their negation: "talk" and "parl…" alone are in many answers, and each such text has its
# clauses read for a cue)
CUE_WORDS = ("discu", "agenda", "raised", "habló", "hablo", "trató", "trato", "trataron", "abord", "t talk",
             "been talked", "t raise the", "no habl", "nadie habl", "nadie mencion", "pas parl", "n'a parl",
             "n'a mentionn", "pas trait", "évoqu", "evoqu")
# A rapporteur's note that a meeting left a group out ("the group did not discuss refugees", "did not talk about",
# "did not raise the issue of", "la mesa no discutió la situación de los migrantes", "no hablaron de", "n'ont pas parlé des",
# "fishing communities had not been discussed in any group") is not a statement about
# the group, so its mentions are not coded (model.LEFT_OUT_CAP). The note must say so in the mention's own clause,
# with a word naming the meeting or its people near the cue (four words before, five after), and the mention must be
# what was not discussed: up to eight words after the cue, or before a passive one ("refugees were not discussed"),
# with no "but" between. "Not mentioned" and "not covered" are no cues ("informal workers are not covered by social
# protection" is about them), nor is "not raise" alone ("we do not raise girls to lead"). Cues are \w+ words of the lower-cased clause; the last one is matched as a word's
# beginning ("discuss" in "discussed"). Spanish and French cues and words are also read without their accents, as
# the phrases are ("no se discutio", "la sesion").
# Everyday talk ("we don't talk about mental health", "no hablamos de", "on ne parle pas") is also how people say a
# group is kept out of sight: those cues count only with a word naming the meeting itself, not "we" or "today".
_TOPICS_ES = ("el tema", "los temas", "la situación", "la cuestión", "el asunto", "la problemática", "la realidad")
_TOPICS_FR = ("la question", "de la question", "le thème", "du thème", "la situation", "de la situation", "le sujet",
              "du sujet", "la problématique", "de la problématique")
COLLOQUIAL_CUES = tuple(dict.fromkeys(tuple(form.split()) for cue in (
    "not talk about", "t talk about", "not talked about", "t talked about", "not been talked about", "no habl",
    "pas parlé", "nadie habl", "nadie mencion", "personne n a parlé", "personne n a évoqu", "personne n a mentionn")
    for form in (cue, fold(cue))))
LEFT_OUT_CUES = tuple(dict.fromkeys(tuple(form.split()) for cue in (
    "not discuss", "t discuss", "not been discuss", "t been discuss",
    *(f"{n} raise the {what}" for n in ("not", "t") for what in ("issue", "question", "situation", "topic")),
    "no se discuti", "no discuti", "no se habl", "no se trató", "no fue discutid", "no fueron discutid",
    "no se abord", "no abord", "pas discut", "pas été discut", "pas abord", "pas été abord", "pas été évoqu",
    "pas évoqu",
    # "tratar" and "traiter" also mean to treat someone ("el médico no trató a los niños"): only before a topic
    *(f"{verb} {topic}" for verb in ("no trató", "no trataron") for topic in _TOPICS_ES),
    *(f"{verb} {topic}" for verb in ("pas traité", "pas été traité") for topic in _TOPICS_FR))
    for form in (cue, fold(cue)))) + COLLOQUIAL_CUES
PASSIVE = {"was", "were", "is", "are", "be", "been", "wasn", "weren", "isn", "aren", "se", "fue", "fueron", "été",
           "ete"}
MEETING_WORDS = frozenset(form for word in """
    we group groups participant participants facilitator facilitators chair chairperson session sessions plenary
    dialogue dialogues workshop workshops meeting meetings rapporteur today table breakout
    mesa mesas grupo grupos participante participantes facilitadora facilitador relatora relator sesión sesiones
    plenaria diálogo diálogos taller talleres reunión reuniones hoy nosotros nosotras
    groupe groupes facilitateur facilitatrice rapporteuse séance séances plénière atelier ateliers réunion réunions
    aujourd nous""".split()
                          for form in (word, fold(word)))
MEETING_NOUNS = MEETING_WORDS - {"we", "nosotros", "nosotras", "nous", "today", "hoy", "aujourd"}
CONTRASTS = {"but", "although", "though", "while", "whereas", "pero", "aunque", "mientras", "mais", "alors", "tandis"}
_CLAUSE_BREAK = re.compile(r"[:\n…]|\.\.\.|\s[-–—]\s")
_WORD = re.compile(r"\w+")


class Candidate(NamedTuple):  # a tuple: built once per candidate mention, several per short answer
    code: str
    start: int  # character offsets into the text searched
    end: int
    text: str
    features: dict  # context features for the disambiguation model


class CandidateFinder:
    def __init__(self, codebook: Codebook, languages: tuple[str, ...] = LANGUAGES):
        self.codebook = codebook
        self._nlp = {}
        self._matchers: dict[str, dict[str, tuple[PhraseMatcher, PhraseMatcher]]] = {}  # language -> kind -> ...
        kinds = sorted({code.kind for code in codebook.codes})
        # the patterns are tokenised by a second tokenizer on the same vocabulary: spaCy's tokenizer caches at most
        # 10,000 chunks of text, and the codebook's words would fill the cache that the texts' words need
        pattern_tokenizers = {}
        self._phrases = {p for code in codebook.codes for ps in code.patterns.values() for p in ps}
        # language -> {an unaccented form's words: those of the phrase it stands for}, for the forms that are no
        # phrase of the codebook: the disambiguator reads "jovenes" as "jóvenes"
        self._canonical: dict[str, dict[str, str]] = {}
        for language in languages:
            nlp = spacy.blank(language)
            self._nlp[language], self._matchers[language] = nlp, {}
            tokenizer = pattern_tokenizers[language] = spacy.blank(language, vocab=nlp.vocab).tokenizer
            for splitting in (nlp.tokenizer, tokenizer):
                _split_at_dashes(splitting, nlp.Defaults.infixes)
            for kind in kinds:
                # one matcher for a kind's patterns and its not-patterns (matched as "not:<code>"): one pass a text
                matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
                for code in codebook.codes:
                    if code.kind != kind:
                        continue
                    phrases = sorted({p for ps in code.patterns.values() for p in ps})
                    if phrases:
                        matcher.add(code.id, self._docs(language, phrases, code.patterns.get(language, ()), tokenizer))
                    if code.not_patterns:
                        matcher.add(f"not:{code.id}", self._docs(language, code.not_patterns, code.not_patterns,
                                                                 tokenizer, reads_as=False))
                    for number, (patterns, _) in enumerate(code.in_context):
                        phrases = sorted({p for ps in patterns.values() for p in ps})
                        matcher.add(f"context{number}:{code.id}",
                                    self._docs(language, phrases, patterns.get(language, ()), tokenizer))
                self._matchers[language][kind] = matcher
        # stated ages ("a 16-year-old girl") as candidates of the group codes with an age range
        self._age_ranges = [(self._add_string(code.id), code.ages) for code in codebook.codes
                            if code.kind == GROUP and code.ages]
        self._age_finders = ({language: AgeFinder(nlp.vocab, language) for language, nlp in self._nlp.items()}
                             if self._age_ranges else {})
        self._words: dict[int, str] = {}  # LOWER hash -> string, shared by every text
        # context features by what they read (code, nearby words, sentence bounds): short answers repeat contexts.
        # Candidates with the same context share one features dict; nobody may change it.
        # One cache per language: an unaccented form reads as its own language's phrase ("aborigenes": "aborígenes"
        # in Spanish, "aborigènes" in French)
        self._contexts: dict[str, dict[tuple, dict]] = {language: {} for language in self._nlp}
        self._stops = {nlp.vocab.strings.add(p) for p in SENTENCE_ENDS for nlp in self._nlp.values()}
        self._negations = {nlp.vocab.strings.add(w) for w in NEGATIONS for nlp in self._nlp.values()}
        # a not-pattern's match id -> its code's (string hashes are the same in every language's vocabulary)
        self._blocks = {nlp.vocab.strings.add(f"not:{code.id}"): nlp.vocab.strings.add(code.id)
                        for code in codebook.codes for nlp in self._nlp.values()}
        # a patterns_in_context match id -> its code's, with the context entries (any language's: a sentence's
        # language may be misread), one word's beginnings and phrases of several words apart; the match becomes its
        # code's where its sentence has such a word or phrase, and is dropped where it has none
        self._in_context = {self._add_string(f"context{number}:{code.id}"):
                            (self._add_string(code.id), *_entries(context))
                            for code in codebook.codes for number, (_, context) in enumerate(code.in_context)}
        # not_in_context: a code's id -> (its phrases as tuples of LOWER hashes, in every language's tokenisation,
        # and the context entries) per block: a candidate that is one of those phrases is dropped in a sentence
        # with such a word. Checked per candidate, not matched: the phrases are common words ("children")
        self._unless: dict[int, list] = {}
        for code in codebook.codes:
            for patterns, context in code.not_in_context:
                # with the unaccented forms that are no phrase of the codebook: only a Spanish or French text's
                # unaccented candidate can be one of those
                written = {p for ps in patterns.values() for p in ps}
                forms = written | ({fold(p) for p in written} - self._phrases)
                phrases = {tuple(self._add_string(t.lower_) for t in tokenizer(form))
                           for tokenizer in pattern_tokenizers.values() for form in forms}
                self._unless.setdefault(self._add_string(code.id), []).append((phrases, *_entries(context)))

    def _docs(self, language: str, written, own_language, tokenizer, reads_as: bool = True) -> list:
        """A code's phrases ``written`` (every language's), tokenised; for a Spanish or French matcher also the
        unaccented forms of ``own_language`` (that language's phrases among them) that are none of ``written``. With
        ``reads_as``, each such form that is no phrase of the codebook is recorded as standing for its phrase (a
        phrase of its own, "pension" for "pensión", keeps its own trained weight)."""
        docs = list(tokenizer.pipe(written))
        if language not in UNACCENTED_LANGUAGES:
            return docs
        forms = forms_to_add(own_language, written, self.codebook.keep_accents)
        bare = list(tokenizer.pipe(forms))
        if reads_as:
            canonical = self._canonical.setdefault(language, {})
            for doc, (form, phrase) in zip(bare, forms.items()):
                if form not in self._phrases:
                    canonical.setdefault(_words(doc), _words(tokenizer(phrase)))
        return docs + bare

    def _language(self, language: str) -> str:
        return language if language in self._nlp else next(iter(self._nlp))

    def find(self, text: str, language: str = "en") -> list[Candidate]:
        return self.find_many([text], [language])[0]

    def find_many(self, texts: list[str], languages: list[str],
                  kinds: tuple[str, ...] | None = None) -> list[list[Candidate]]:
        """Candidates per text; ``kinds`` (e.g. ``("group",)``) runs only those codes' patterns.

        Patterns are matched on the text as ingest stores it (see ``_searchable``): decomposed accents ("ni\u0303as",
        as macOS writes), a phrase's words apart by a line break, a tab, two spaces or a non-breaking space ("personnes
        \u00e2g\u00e9es", as French typing writes), zero-width characters and typographic apostrophes and hyphens
        ("d\u2019asile", "don\u2019t", "low\u2011income", as word processors write) all match; offsets and mention
        texts always index the text as given."""
        searched = list(texts)
        spans: dict[int, tuple[list[int], list[int]] | None] = {}  # text index -> offsets in the text as given
        lined: dict[int, str] = {}  # text index -> the searched text with its line breaks, which end a clause
        inclusive = TextBatch(texts).holding_any(HINTS)  # the few texts that may hold "enfant·e·s", "niñ@s"
        for i, text in enumerate(texts):
            # white space other than single spaces and zero-width characters are never printable: most texts are
            # cleared by two scans far quicker than the expression's
            unusual = (not text.isprintable() or "  " in text) and _UNUSUAL.search(text)
            if unusual or not (text.isascii() or unicodedata.is_normalized("NFC", text)):
                with_breaks, *offsets = _searchable(text)
                searched[i], spans[i] = with_breaks.replace("\n", " "), offsets
                if "\n" in with_breaks:
                    lined[i] = with_breaks
            elif not text.isascii() and any(c in text for c in TYPOGRAPHIC):  # one character for one
                searched[i], spans[i] = text.translate(PLAIN), None
            if len(text) >= LONG_TEXT:  # a long run of punctuation takes the tokenizer minutes: one character for one
                broken = break_runs(searched[i])
                if broken is not searched[i]:
                    searched[i] = broken
                    spans.setdefault(i, None)
            if searched[i].isupper():  # in capitals: read in lower case (spaCy splits "cannot", not "CANNOT")
                lower = searched[i].lower()
                if len(lower) == len(searched[i]):  # one character for one
                    searched[i] = lower
                    spans.setdefault(i, None)
            if i in inclusive:
                self._fold_inclusive(i, languages[i], searched, spans, lined)
        found = self._find_many(searched, languages, kinds, lined)
        for i, offsets in spans.items():
            given = texts[i]
            if offsets is None:
                found[i] = [c._replace(text=given[c.start:c.end]) for c in found[i]]
            else:
                starts, ends = offsets
                found[i] = [c._replace(start=starts[c.start], end=ends[c.end - 1],
                                       text=given[starts[c.start]:ends[c.end - 1]]) for c in found[i]]
        return found

    @staticmethod
    def _fold_inclusive(i: int, language: str, searched: list[str], spans: dict, lined: dict[int, str]) -> None:
        """Text ``i`` searched with its inclusive forms folded (``inclusive.fold_inclusive``), its offsets into the
        text as given kept: a character left out is read as part of the one before it."""
        folded = fold_inclusive(searched[i], language)
        if folded is None:
            return
        text, kept = folded
        n = len(searched[i])
        starts, ends = spans.get(i) or (range(n), range(1, n + 1))
        spans[i] = ([starts[k] for k in kept], [ends[after - 1] for after in [*kept[1:], n]])
        if i in lined:  # its line breaks where they were
            lined[i] = "".join("\n" if lined[i][k] == "\n" else c for k, c in zip(kept, text))
        searched[i] = text

    def _find_many(self, texts: list[str], languages: list[str], kinds, lined: dict[int, str]) -> list[list[Candidate]]:
        """Candidates per text (see ``find_many``), the patterns matched on ``texts``; what the finder reads in a
        sentence's characters (a rapporteur's note) is read in ``lined``'s text where it has one."""
        out: list = [None] * len(texts)  # every position is filled below: each text is in one language's batch
        clauses = [lined.get(i, text) for i, text in enumerate(texts)] if lined else texts
        by_language: dict[str, list[int]] = {}
        for i, language in enumerate(languages):
            by_language.setdefault(self._language(language), []).append(i)
        for language, indices in by_language.items():
            matchers = [(m, self._age_finders.get(language) if kind == GROUP else None)
                        for kind, m in self._matchers[language].items() if kinds is None or kind in kinds]
            batch = [texts[i] for i in indices]
            docs = self._nlp[language].tokenizer.pipe(batch, batch_size=1000)
            finder = self._age_finders.get(language) if kinds is None or GROUP in kinds else None
            # most texts state no age and hold no cue of a rapporteur's note: both are looked for in the whole batch
            searched = TextBatch(batch)
            lowered = searched.lower()
            aged = finder.may_hold_many(searched, lowered) if finder is not None else {}
            cued = lowered.holding_any(CUE_WORDS)
            if len(matchers) == 1:  # groups only: one pass, no merging
                [(matcher, ages)] = matchers
                for k, (i, doc) in enumerate(zip(indices, docs)):
                    cue = clauses[i] if k in cued else None
                    out[i] = (self._candidates(doc, texts[i], matcher, cue, *self._stated_ages(doc, ages, aged[k]))
                              if k in aged else self._candidates(doc, texts[i], matcher, cue))
                continue
            for k, (i, doc) in enumerate(zip(indices, docs)):
                found = [c for matcher, ages in matchers
                         for c in self._candidates(doc, texts[i], matcher, clauses[i] if k in cued else None,
                                                   *(self._stated_ages(doc, ages, aged[k]) if k in aged else ((), ())))]
                found.sort(key=lambda c: (c.start, c.code))
                out[i] = found
        return out

    def _strings(self, lowers: list[int], vocab) -> list[str]:
        cache = self._words
        return [cache.get(h) or cache.setdefault(h, vocab[h]) for h in lowers]

    def _add_string(self, text: str) -> int:
        for nlp in self._nlp.values():  # the same hash in every language's vocabulary
            key = nlp.vocab.strings.add(text)
        return key

    def _stated_ages(self, doc, ages: AgeFinder | None, in_words: bool) -> tuple[list, list]:
        """(code, start, end) of the stated ages in ``doc`` (``in_words``: also in words) that fall in a code's age
        range, and of those that do not: a phrase of that code overlapping one is no mention ("a 30-year-old man" is
        no "old man")."""
        if ages is None:
            return [], []
        inside, outside = [], []
        for start, end, youngest, oldest, bound in ages.find(doc, in_words):
            for code, ranged in self._age_ranges:
                (inside if in_range(youngest, oldest, ranged, bound) else outside).append((code, start, end))
        return inside, outside

    def _candidates(self, doc, text: str, matcher, clauses: str | None, ages: Sequence[tuple[int, int, int]] = (),
                    other_ages: Sequence[tuple[int, int, int]] = ()) -> list[Candidate]:
        """The candidates in ``doc`` (of ``text``); ``clauses``: where the text holds one of CUE_WORDS, the text in
        which a rapporteur's note is read (its line breaks kept: they end a clause), else None."""
        matches = matcher(doc)
        if ages:
            matches = matches + list(ages)
        elif not matches:
            return []  # most texts: no pattern at all, so no context to build
        spans = self._spans(matches)
        if spans is None or other_ages:  # few texts: a match to read in its sentence, or an age outside a range
            if spans is None:
                matches = self._kept_in_context(doc, text, matches)
            if other_ages:
                matches = [(code, start, end) for code, start, end in matches
                           if not any(code == other and start < until and since < end
                                      for other, since, until in other_ages)]
            spans = self._spans(matches, in_context=False)
        if not spans:
            return []
        vocab = doc.vocab.strings
        # token attributes as plain lists: far cheaper than building a Token object per word; words (strings) are
        # looked up only for a context not seen before, the cache key holds the words' LOWER hashes
        lowers = doc.to_array(LOWER).tolist()  # character offsets are read from the few mention tokens only
        stop_words = self._stops
        stops = None  # every sentence-ending token, found only for a text with a cue (most texts have none)
        sentences: dict[tuple[int, int], tuple[int, str, bool]] = {}  # what a cue's sentence says, read once
        memo: dict = {}  # what _unless_here reads once per text
        negations = self._negations
        unless = self._unless
        found = []
        contexts = self._contexts[doc.lang_]
        if len(contexts) > CONTEXT_CACHE:
            contexts.clear()
        for match_id, ranges in spans.items():
            code = vocab[match_id]
            if len(ranges) > 1:
                ranges.sort(key=lambda r: (r[0], -(r[1] - r[0])))
            last_end = -1
            for start, end in ranges:
                if start < last_end:
                    continue
                last_end = end
                if match_id in unless and self._unless_here(unless[match_id], lowers, start, end, text, vocab, memo):
                    continue
                last_token = doc[end - 1]
                start_char, end_char = doc[start].idx, last_token.idx + len(last_token)
                # the window's first word: up to WINDOW words before the mention, none before its sentence's start
                first = start - WINDOW if start > WINDOW else 0
                for i in range(start - 1, first - 1, -1):
                    if lowers[i] in stop_words:
                        first = i + 1
                        break
                not_discussed = left_out = False
                if clauses is not None:
                    if stops is None:
                        stops = [i for i, h in enumerate(lowers) if h in stop_words]
                    sentence_start, last = _sentence(stops, start, end, len(lowers) - 1)  # last: a token of it
                    read = sentences.get((sentence_start, last))
                    if read is None:  # the sentence's own characters (not its tokens joined: "didn't" is two tokens)
                        since = doc[sentence_start].idx
                        read = sentences[sentence_start, last] = (since, clauses[since:doc[last].idx + len(doc[last])])
                    since, raw = read
                    not_discussed = _not_discussed(raw, start_char - since, end_char - since)
                    left_out = _left_out(raw, start_char - since, end_char - since)
                # the key holds what _context reads: the words from the window start to two after the mention,
                # and, after a negation word only, the few words before it ("not only")
                window = lowers[first:end + 2]
                key = (match_id, not_discussed, left_out, start - first, end - first, *window)
                if not negations.isdisjoint(lowers[first:start]):
                    key += (-1, *lowers[max(0, start - WINDOW - 1):first])
                features = contexts.get(key)
                if features is None:  # the words _context reads, as strings, and its positions among them
                    lo = max(0, start - WINDOW - 1)
                    features = contexts[key] = _context(self._strings(lowers[lo:end + 2], vocab), first - lo,
                                                        start - lo, end - lo, code, not_discussed, left_out,
                                                        self._canonical.get(doc.lang_))
                found.append(Candidate(code, start_char, end_char, text[start_char:end_char], features))
        if len(found) > 1:
            found.sort(key=lambda c: (c.start, c.code))
        return found


    def _spans(self, matches: list, in_context: bool = True) -> dict[int, list[tuple[int, int]]] | None:
        """Each code's matched (start, end) tokens, less those a not-pattern of the code's match covers or begins
        in; None where a patterns_in_context match is among ``matches`` (``in_context``: look for one)."""
        blocks, contextual = self._blocks, self._in_context if in_context else ()
        spans: dict[int, list[tuple[int, int]]] = {}
        blocked = None
        for match_id, start, end in matches:
            if match_id in blocks:
                blocked = blocked or {}
                blocked.setdefault(blocks[match_id], []).append((start, end))
            elif match_id in contextual:
                return None
            else:
                spans.setdefault(match_id, []).append((start, end))
        for code, ranges in (blocked or {}).items():
            if code in spans:
                kept = [(start, end) for start, end in spans[code]
                        if not any(b0 <= start and end <= b1 or start <= b0 < end for b0, b1 in ranges)]
                if kept:
                    spans[code] = kept
                else:
                    del spans[code]
        return spans

    def _unless_here(self, blocks: list, lowers: list[int], start: int, end: int, text: str, vocab,
                     memo: dict) -> bool:
        """Whether the candidate at tokens ``start:end`` is a not_in_context phrase of one of ``blocks`` in a
        sentence with one of that block's context entries. ``memo`` keeps what is read once per text (the text
        lower-cased, its sentence ends, which blocks' entries it holds, which sentences hold them): a long text
        with many candidates is not read again for each."""
        span = tuple(lowers[start:end])
        for phrases, beginnings, several, anywhere in blocks:
            if span not in phrases:
                continue
            held = memo.get(anywhere)
            if held is None:
                if "lowered" not in memo:
                    memo["lowered"] = text.lower().__contains__
                held = memo[anywhere] = any(map(memo["lowered"], anywhere))
            if not held:  # most texts: no context entry anywhere
                continue
            if "stops" not in memo:
                memo["stops"] = [i for i, h in enumerate(lowers) if h in self._stops]
            stops = memo["stops"]
            first, last = _sentence(stops, start, end, len(lowers))
            key = (anywhere, first, last)
            if key not in memo:
                memo[key] = _has_context(self._strings(lowers[first:last], vocab), beginnings, several)
            if memo[key]:
                return True
        return False

    def _kept_in_context(self, doc, text: str, matches: list) -> list:
        """``matches`` with each patterns_in_context match kept, as its code's, only where its sentence has a word
        beginning with one of the code's context entries."""
        lowered = text.lower().__contains__
        lowers = stops = None  # the sentences are read only where the text holds a context entry at all
        kept = []
        read: dict = {}  # each match id's context entries in the text, and in each sentence: read once
        for match_id, start, end in matches:
            if match_id not in self._in_context:
                kept.append((match_id, start, end))
                continue
            code, beginnings, phrases, anywhere = self._in_context[match_id]
            if match_id not in read:
                read[match_id] = any(map(lowered, anywhere))
            if not read[match_id]:
                continue
            if lowers is None:
                lowers = doc.to_array(LOWER).tolist()
                stops = [i for i, h in enumerate(lowers) if h in self._stops]
            first, last = _sentence(stops, start, end, len(lowers))
            if (match_id, first, last) not in read:
                read[match_id, first, last] = _has_context(self._strings(lowers[first:last], doc.vocab.strings),
                                                           beginnings, phrases)
            if read[match_id, first, last]:
                kept.append((code, start, end))
        return kept


def _sentence(stops: list[int], start: int, end: int, length: int) -> tuple[int, int]:
    """The tokens ``first:last`` of the sentence holding tokens ``start:end`` of a text of ``length`` tokens whose
    sentence-ending tokens are ``stops`` (sorted); ``last`` is the ending token, or ``length``."""
    at, later = bisect.bisect_left(stops, start), bisect.bisect_left(stops, end)
    return stops[at - 1] + 1 if at else 0, stops[later] if later < len(stops) else length


def _words(doc) -> str:
    """A tokenised phrase as the disambiguator's ``phrase`` feature reads it: lower-case tokens joined by spaces."""
    return " ".join(t.lower_ for t in doc)


def _split_at_dashes(tokenizer, infixes) -> None:
    """Make the tokenizer split words at an em dash, also where a language keeps hyphenated words whole (French
    "trans—sont" is a token_match)."""
    tokenizer.infix_finditer = compile_infix_regex([*(infixes or ()), DASHES]).finditer
    whole = tokenizer.token_match
    if whole is not None:
        tokenizer.token_match = lambda text: None if _DASH.search(text) else whole(text)


def _has_context(words: list[str], beginnings: tuple[str, ...], phrases: tuple[str, ...]) -> bool:
    """Whether a sentence's ``words`` hold a context entry: a word beginning with one of ``beginnings``, or one of
    the several-word ``phrases`` (each kept with a leading space) from a word's start."""
    if any(word.startswith(beginnings) for word in words):
        return True
    joined = f" {' '.join(words)}" if phrases else ""
    return any(phrase in joined for phrase in phrases)


def _entries(context: dict[str, tuple[str, ...]]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A context's entries of every language: beginnings of one word ("school" for "schools"); phrases of several
    words, each found where the sentence's words, joined by spaces, hold it from a word's start; and all entries as
    written, for a first look at the whole text (a text holding none needs no closer look)."""
    entries = sorted({entry for entries in context.values() for entry in entries})
    return (tuple(e for e in entries if " " not in e), tuple(f" {e}" for e in entries if " " in e), tuple(entries))


def _not_discussed(sentence: str, start: int, end: int) -> bool:
    """Whether ``sentence`` reports something as not discussed (NOT_DISCUSSED) within LEFT_OUT_REACH characters of
    the mention at ``start:end``, as ``_left_out`` reads. (Only the part of the sentence up to a contrast was tried:
    "were mentioned once but not discussed", "asked that fishing communities be mentioned, but the chair said this
    had not been discussed" are notes too.)"""
    sentence, start, end = _near(sentence, start, end)
    return _NOT_DISCUSSED.search(" ".join(sentence.lower().split())) is not None


def _left_out(sentence: str, start: int, end: int) -> bool:
    """Whether the mention at ``sentence[start:end]`` is what a rapporteur's note says a meeting left out (see
    LEFT_OUT_CUES). Only the LEFT_OUT_REACH characters on either side are read: a transcript without full stops is
    one long sentence, and reading all of it for each mention took time in the square of its length."""
    sentence, start, end = _near(sentence, start, end)
    begin = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, start)), default=0)
    stop = next((m.start() for m in _CLAUSE_BREAK.finditer(sentence, end)), len(sentence))
    words = [(m.start() + begin, m.group()) for m in _WORD.finditer(sentence[begin:stop].lower())]
    lower = [w for _, w in words]
    first = next((i for i, (at, _) in enumerate(words) if at >= start), len(words))  # the mention's first word
    last = next((i for i, (at, _) in enumerate(words) if at >= end), len(words))  # the word after it
    for i in range(len(lower)):
        for cue in LEFT_OUT_CUES:
            j = i + len(cue)
            if j > len(lower) or lower[i:j - 1] != list(cue[:-1]) or not lower[j - 1].startswith(cue[-1]):
                continue
            meeting = MEETING_NOUNS if cue in COLLOQUIAL_CUES else MEETING_WORDS
            # the meeting named before the cue, after it, or after the mention that follows it (Spanish and French
            # name it last: "no se habló de las personas con discapacidad en esta reunión")
            after = lower[j:max(j + 5, last + 5)] if j <= first <= j + 8 else lower[j:j + 5]
            if meeting.isdisjoint(lower[max(0, i - 4):i] + after):
                continue
            if j <= first <= j + 8 and CONTRASTS.isdisjoint(lower[j:first]):  # "did not discuss refugees"
                return True
            passive = not PASSIVE.isdisjoint(cue) or (i and lower[i - 1] in PASSIVE)
            if passive and last <= i and CONTRASTS.isdisjoint(lower[last:i]):  # "refugees were not discussed"
                return True
    return False


def _near(sentence: str, start: int, end: int) -> tuple[str, int, int]:
    """The LEFT_OUT_REACH characters of ``sentence`` on either side of its ``start:end``, with the offsets in them."""
    if len(sentence) <= end - start + 2 * LEFT_OUT_REACH:
        return sentence, start, end
    cut = max(0, start - LEFT_OUT_REACH)
    return sentence[cut:end + LEFT_OUT_REACH], start - cut, end - cut


def _searchable(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` as ingest stores text (``segment.normalise``) and the patterns are written: in NFC, without zero-width
    characters and soft hyphens, each run of white space one plain space (a line break where the run has one: the
    caller matches patterns with a space there), with plain apostrophes and hyphens; and for each of its characters
    the start and end offsets in ``text`` of what it comes from. Each starter character with the combining marks
    after it is composed on its own, so offsets map back."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    begin = 0
    for end in range(1, len(text) + 1):
        if end < len(text) and unicodedata.combining(text[end]):
            continue
        for char in unicodedata.normalize("NFC", text[begin:end]):
            if char in _ZERO_WIDTH:
                continue
            if char.isspace():
                space = "\n" if char in _LINE_BREAKS else " "
                if chars and chars[-1] in " \n":  # the run goes on: its one space ends later
                    ends[-1] = end
                    chars[-1] = "\n" if "\n" in (space, chars[-1]) else " "
                    continue
                char = space
            chars.append(char)
            starts.append(begin)
            ends.append(end)
        begin = end
    return "".join(chars).translate(PLAIN), starts, ends


def _context(words: list[str], sentence_start: int, start: int, end: int, code: str, not_discussed: bool,
             left_out: bool = False, canonical: dict[str, str] | None = None) -> dict:
    # reads only words[start - WINDOW - 1:end + 2] and the sentence start (see the finder's context cache key)
    before = words[max(sentence_start, start - WINDOW):start]
    after = words[end:end + 2]
    phrase = " ".join("#" if w.isdigit() else w for w in words[start:end])  # a stated age's number is "#"
    if canonical:
        phrase = canonical.get(phrase, phrase)  # an unaccented form reads as its phrase ("jovenes": "jóvenes")
    pairs = zip(words[max(0, start - WINDOW - 1):start], words[max(1, start - WINDOW):start])
    # (a negation's scope ending at a comma was tried: "Without papers, migrants cannot work" is no negated mention,
    # but "No women, refugees or older people took part" lists them)
    negated = not NEGATIONS.isdisjoint(before) or any(pair in NOBODY for pair in zip(before, before[1:]))
    if negated and any(pair in NOT_ONLY for pair in pairs):  # "not only women but also ...": no negation at all
        negated, before = False, [w for w in before if w not in NEGATIONS]
    features = {"code": code, f"phrase={phrase}": 1, f"code*phrase={code}|{phrase}": 1, "negated": int(negated),
                f"code*negated={code}": int(negated), "not_discussed": int(not_discussed),
                "left_out_of_discussion": int(left_out)}
    for w in before[-2:]:
        features[f"before={w}"] = 1
        features[f"code*before={code}|{w}"] = 1
    for w in after[:2]:
        features[f"after={w}"] = 1
        features[f"code*after={code}|{w}"] = 1
    if after:
        features[f"next={after[0]}"] = 1
    # ``words`` are lower-case, so of its name only the possessive fires; the next word's case was tried as well
    # (session 20): the trained weight stayed positive (names of groups' organisations are mentions in the
    # training texts) and no labelled text's coding changed
    if after and after[0] in {"'s", "’s"}:
        features["next_capital_or_possessive"] = 1
    return features
