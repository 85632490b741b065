"""Generate the bundled online-consultation export (ILLUSTRATIVE and synthetic: not real testimony).

What it reads: ``scripts/consultation_phrases.yaml``, a phrase bank written for this project (ideas per question,
each with many phrasings in English, Spanish and French, plus the noun phrases for excluded groups, "n/a"-style
answers and invented contact lines). Nothing else: no real survey data is used.

What it writes, under ``--out`` (default ``corpora/lnob-2016/consultation``):

- ``lnob_consultation_2016.csv`` (``lnob_consultation_2016_x{N}.csv`` for ``--scale N`` > 1): an export the way a
  survey tool (SurveyMonkey-like) writes one: UTF-8 with a byte-order mark, comma-separated, quoted where needed,
  TWO header rows (row 1 the question text, row 2 a sub-label: "Response", "Open-Ended Response" or empty), then
  one row per respondent.
- ``lnob_consultation_2016.xlsx``: the same rows (same two header rows) in a workbook, written with openpyxl's
  write-only mode; by default only when the scale is 1 (``--xlsx`` / ``--no-xlsx`` override).

The shape follows the published numbers of the 2016-17 "Leave No One Behind" online consultation: 4,747
respondents from 102 countries (more from the 29 countries that held national dialogues), 44% women and 55% men,
age bands 17% under 20, 14% 20-40, 32% 40-60, 27% 60-80 and 10% over 80 (exact counts by proportion, then
shuffled), and English, Spanish and French versions of the survey. Respondents of the Spanish and French versions
answer in that language, and the option values (gender, age band) are exported in the version's language
("Female" / "Mujer" / "Femme", "Under 20" / "Menos de 20" / "Moins de 20 ans"); the ingester's column mapping
(``synthesis/ingest/consultation_mapping.yaml``) maps them onto one value. Countries are exported with their
English names in every version.

The free-text answers are put together from the phrase bank: one phrase or two to four sentences, with the
untidiness of real exports: blank answers (about 8%), "n/a"-style answers, seeded character-level typos (about 5%
of answers), mixed-language answers (about 2%), answers repeated word for word by other respondents (about 3%),
and a few answers (about 1%) with an invented e-mail address, phone number or URL (example.org and the like).

Deterministic: the same ``--seed`` and ``--scale`` give a byte-identical CSV. ``--scale N`` writes N times as many
rows (each block of 4,747 keeps the exact shares) and streams them to disk row by row, so memory stays flat.

    python scripts/make_consultation.py                       # the committed corpus files
    python scripts/make_consultation.py --scale 100 --out /tmp/cons100   # 474,700 rows for benchmarks
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from pathlib import Path
from typing import NamedTuple

import yaml

REPO = Path(__file__).resolve().parent.parent
PHRASES = Path(__file__).with_name("consultation_phrases.yaml")
DEFAULT_OUT = REPO / "corpora" / "lnob-2016" / "consultation"
STEM = "lnob_consultation_2016"
RESPONDENTS = 4747  # one block; --scale N writes N blocks

QUESTIONS = [
    ("q1_groups", "Which groups are most excluded in your locality?"),
    ("q2_why", "Why are they excluded?"),
    ("q3_services", "How is their access to services such as health, education, water and justice?"),
    ("q4_decisions", "How involved are they in government decisions that affect them?"),
    ("q5_help", "What would help to ensure they are not left behind?"),
]
HEADER = ["Respondent ID", "Collector ID", "Start Date", "End Date", "Survey language", "Country of residence",
          "What is your gender?", "What is your age?"] + [text for _, text in QUESTIONS]
SUBHEADER = ["", "", "", "", "Response", "Response", "Response", "Response"] + ["Open-Ended Response"] * 5

LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français"}
# Option values as each language version of the survey exports them.
GENDERS = {  # key: (share of respondents, en, es, fr)
    "female": (0.44, "Female", "Mujer", "Femme"),
    "male": (0.55, "Male", "Hombre", "Homme"),
    "other": (0.004, "Other", "Otro", "Autre"),
    "no_answer": (0.003, "Prefer not to say", "Prefiero no decirlo", "Je préfère ne pas répondre"),
    "blank": (0.003, "", "", ""),
}
AGES = {
    "under_20": (0.17, "Under 20", "Menos de 20", "Moins de 20 ans"),
    "20-40": (0.14, "20-40", "20-40 años", "20-40 ans"),
    "40-60": (0.32, "40-60", "40-60 años", "40-60 ans"),
    "60-80": (0.27, "60-80", "60-80 años", "60-80 ans"),
    "over_80": (0.10, "Over 80", "Más de 80", "Plus de 80 ans"),
}
COLLECTORS = {  # survey version -> (collector id, weight): web link, e-mail invitation, social media
    "en": [(214563201, 6), (214563377, 3), (215902114, 2)],
    "es": [(214563412, 5), (216004871, 2)],
    "fr": [(214563519, 5), (216005023, 2)],
}

# Survey-language profiles: share of each version among a country's respondents.
EN = {"en": 1.0}
ES = {"es": 0.85, "en": 0.15}
FR = {"fr": 0.8, "en": 0.2}
# (English name, ISO3, calling code, weight, language profile). The first 29 held national dialogues.
COUNTRIES = [
    ("Nepal", "NPL", "977", 150, EN), ("Sierra Leone", "SLE", "232", 95, EN), ("Argentina", "ARG", "54", 105, ES),
    ("Zimbabwe", "ZWE", "263", 90, EN), ("Togo", "TGO", "228", 85, FR), ("Tanzania", "TZA", "255", 95, EN),
    ("India", "IND", "91", 160, EN), ("Fiji", "FJI", "679", 70, EN), ("South Africa", "ZAF", "27", 110, EN),
    ("Nigeria", "NGA", "234", 130, EN), ("Jamaica", "JAM", "1", 65, EN), ("Bolivia", "BOL", "591", 90, ES),
    ("Brazil", "BRA", "55", 100, {"en": 0.7, "es": 0.3}), ("Tajikistan", "TJK", "992", 60, EN),
    ("Uganda", "UGA", "256", 105, EN), ("Bangladesh", "BGD", "880", 120, EN), ("Timor-Leste", "TLS", "670", 55, EN),
    ("Philippines", "PHL", "63", 115, EN), ("Sudan", "SDN", "249", 70, EN), ("Colombia", "COL", "57", 100, ES),
    ("El Salvador", "SLV", "503", 75, ES), ("Cambodia", "KHM", "855", 75, EN), ("Afghanistan", "AFG", "93", 65, EN),
    ("Kenya", "KEN", "254", 135, EN), ("Palestine", "PSE", "970", 70, EN),
    ("Rwanda", "RWA", "250", 75, {"en": 0.7, "fr": 0.3}), ("Pakistan", "PAK", "92", 110, EN),
    ("Peru", "PER", "51", 95, ES), ("Mozambique", "MOZ", "258", 80, EN),
    # Spanish-speaking countries
    ("Mexico", "MEX", "52", 45, ES), ("Guatemala", "GTM", "502", 35, ES), ("Honduras", "HND", "504", 25, ES),
    ("Nicaragua", "NIC", "505", 20, ES), ("Costa Rica", "CRI", "506", 20, ES), ("Panama", "PAN", "507", 14, ES),
    ("Ecuador", "ECU", "593", 35, ES), ("Paraguay", "PRY", "595", 25, ES), ("Uruguay", "URY", "598", 18, ES),
    ("Chile", "CHL", "56", 28, ES), ("Dominican Republic", "DOM", "1", 22, ES), ("Spain", "ESP", "34", 35, ES),
    ("Venezuela", "VEN", "58", 15, ES), ("Cuba", "CUB", "53", 8, ES),
    # French-speaking countries
    ("Senegal", "SEN", "221", 40, FR), ("Mali", "MLI", "223", 30, FR), ("Burkina Faso", "BFA", "226", 32, FR),
    ("Niger", "NER", "227", 22, FR), ("Benin", "BEN", "229", 35, FR), ("Côte d'Ivoire", "CIV", "225", 38, FR),
    ("Cameroon", "CMR", "237", 40, {"fr": 0.65, "en": 0.35}),
    ("Democratic Republic of the Congo", "COD", "243", 38, FR), ("Madagascar", "MDG", "261", 20, FR),
    ("Haiti", "HTI", "509", 30, {"fr": 0.9, "en": 0.1}), ("France", "FRA", "33", 30, {"fr": 0.9, "en": 0.1}),
    ("Guinea", "GIN", "224", 18, FR), ("Chad", "TCD", "235", 14, FR), ("Burundi", "BDI", "257", 22, FR),
    ("Belgium", "BEL", "32", 14, {"fr": 0.6, "en": 0.4}), ("Morocco", "MAR", "212", 18, {"fr": 0.7, "en": 0.3}),
    ("Tunisia", "TUN", "216", 12, {"fr": 0.7, "en": 0.3}), ("Central African Republic", "CAF", "236", 10, FR),
    ("Republic of the Congo", "COG", "242", 10, FR), ("Gabon", "GAB", "241", 6, FR),
    ("Mauritania", "MRT", "222", 8, {"fr": 0.7, "en": 0.3}), ("Switzerland", "CHE", "41", 10, {"fr": 0.5, "en": 0.5}),
    ("Canada", "CAN", "1", 30, {"en": 0.75, "fr": 0.25}),
    # other countries (English version)
    ("Ghana", "GHA", "233", 50, EN), ("Liberia", "LBR", "231", 30, EN), ("Ethiopia", "ETH", "251", 40, EN),
    ("Malawi", "MWI", "265", 35, EN), ("Zambia", "ZMB", "260", 35, EN), ("Botswana", "BWA", "267", 14, EN),
    ("Namibia", "NAM", "264", 14, EN), ("Lesotho", "LSO", "266", 10, EN), ("South Sudan", "SSD", "211", 18, EN),
    ("Somalia", "SOM", "252", 12, EN), ("Egypt", "EGY", "20", 20, EN), ("Jordan", "JOR", "962", 20, EN),
    ("Lebanon", "LBN", "961", 18, {"en": 0.8, "fr": 0.2}), ("Sri Lanka", "LKA", "94", 35, EN),
    ("Myanmar", "MMR", "95", 30, EN), ("Indonesia", "IDN", "62", 40, EN), ("Viet Nam", "VNM", "84", 22, EN),
    ("Thailand", "THA", "66", 20, EN), ("Mongolia", "MNG", "976", 12, EN), ("Kyrgyzstan", "KGZ", "996", 18, EN),
    ("Papua New Guinea", "PNG", "675", 14, EN), ("Solomon Islands", "SLB", "677", 8, EN),
    ("Samoa", "WSM", "685", 6, EN), ("Vanuatu", "VUT", "678", 6, EN), ("Australia", "AUS", "61", 25, EN),
    ("New Zealand", "NZL", "64", 12, EN),
    ("United Kingdom", "GBR", "44", 40, EN), ("United States of America", "USA", "1", 45, {"en": 0.9, "es": 0.1}),
    ("Germany", "DEU", "49", 20, EN), ("Netherlands", "NLD", "31", 14, EN), ("Sweden", "SWE", "46", 10, EN),
    ("Ireland", "IRL", "353", 10, EN), ("Italy", "ITA", "39", 12, EN), ("Trinidad and Tobago", "TTO", "1", 12, EN),
    ("Guyana", "GUY", "592", 8, EN), ("Belize", "BLZ", "501", 6, {"en": 0.8, "es": 0.2}),
]
DIALOGUE_COUNTRIES = 29

# How often each excluded group is a respondent's concern, and where it is more often named (multiplier, ISO3s).
# Keys are the phrase bank's group keys: codebook ids, except that refugees and migrants are both displaced_migrants.
GROUP_WEIGHTS = {
    "women_girls": 14, "disability": 12, "rural_remote": 10, "people_in_poverty": 8, "youth": 8, "children": 7,
    "older_people": 7, "indigenous": 5, "refugees": 4, "migrants": 4, "ethnic_religious_minorities": 5,
    "urban_poor": 5, "informal_workers": 4, "lgbtqi": 3, "hiv_health": 3, "mental_health": 2.5,
    "caste_descent": 0.1, "forced_labour": 1.2,
}
GROUP_BOOSTS = [
    ("caste_descent", 200, "NPL IND BGD PAK"), ("caste_descent", 40, "SEN MRT MLI NER"),
    ("indigenous", 5, "BOL PER GTM MEX ECU COL PRY CHL PHL AUS NZL CAN BRA"), ("indigenous", 2, "NPL BGD KEN COD"),
    ("refugees", 5, "PSE SDN AFG COL UGA LBN JOR SSD SOM TCD CAF COD MMR"), ("refugees", 2, "KEN TZA DEU ITA SWE"),
    ("migrants", 3, "SLV HND GTM MEX USA ESP ITA DEU FRA NPL PHL TJK KGZ"),
    ("forced_labour", 6, "NPL IND PAK MRT"), ("forced_labour", 3, "BRA HTI BGD NGA"),
    ("rural_remote", 3, "FJI TLS PNG SLB VUT WSM NPL TJK KGZ MNG AFG BOL PER"),
    ("ethnic_religious_minorities", 3, "PAK MMR LKA IND SDN EGY TJK KGZ ITA COL BRA PER ESP"),
    ("hiv_health", 3, "ZAF ZWE MOZ UGA KEN TZA MWI ZMB BWA LSO NAM JAM HTI"),
    ("lgbtqi", 2, "JAM UGA KEN ZAF BRA ARG TTO GBR USA"),
    ("urban_poor", 2, "KEN IND BGD PHL BRA ZAF NGA HTI"),
    ("informal_workers", 2, "IND BGD KHM PHL NGA SLE GHA PER BOL"),
    ("older_people", 2, "GBR DEU ITA ESP FRA SWE NLD AUS NZL CAN USA URY ARG CUB"),
]
SENTENCES = {  # how many sentences (or phrases) an answer has, per question: weights for 1, 2, 3, 4
    "q1_groups": (55, 30, 12, 3), "q2_why": (45, 35, 15, 5), "q3_services": (40, 35, 18, 7),
    "q4_decisions": (50, 32, 13, 5), "q5_help": (35, 35, 20, 10),
}
P_DROPOUT, P_BLANK, P_NA = 0.04, 0.06, 0.025
P_DUPLICATE, P_TYPO, P_MIXED, P_CONTACT = 0.03, 0.05, 0.02, 0.01
P_LIST = 0.35  # q1 answered as a bare list of groups
START, END = dt.datetime(2016, 9, 1, 6, 0), dt.datetime(2017, 3, 31, 22, 0)
KEYBOARD = "qwertyuiop asdfghjkl zxcvbnm"


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Integer counts summing to ``total`` in proportion to ``weights`` (Hamilton's method; ties by position)."""
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def typo(text: str, rng: random.Random) -> str:
    """One to three character-level slips: swapped, dropped, doubled or neighbouring-key letters."""
    chars = list(text)
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        letters = [i for i, c in enumerate(chars) if c.isalpha()]
        if len(letters) < 4:
            break
        i = rng.choice(letters)
        kind = rng.randrange(4)
        if kind == 0 and i + 1 < len(chars) and chars[i + 1].isalpha():
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif kind == 1:
            del chars[i]
        elif kind == 2:
            chars.insert(i, chars[i])
        else:
            lower = chars[i].lower()
            at = KEYBOARD.find(lower)
            if at >= 0:
                neighbours = [KEYBOARD[j] for j in (at - 1, at + 1) if 0 <= j < len(KEYBOARD) and KEYBOARD[j] != " "]
                new = rng.choice(neighbours)
                chars[i] = new.upper() if chars[i].isupper() else new
    return "".join(chars)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def weighted(rng: random.Random, items: list, weights: list[float]):
    return rng.choices(items, weights=weights, k=1)[0]


class Generator:
    """Streams respondent rows; all randomness comes from one seeded ``random.Random``."""

    def __init__(self, bank: dict, seed: int, scale: int):
        self.bank = bank
        self.rng = random.Random(seed)
        self.scale = scale
        self.total = RESPONDENTS * scale
        weights = [c[3] for c in COUNTRIES]
        self.country_counts = [1 + n for n in largest_remainder(RESPONDENTS - len(COUNTRIES), weights)]
        self.gender_counts = largest_remainder(RESPONDENTS, [v[0] for v in GENDERS.values()])
        self.age_counts = largest_remainder(RESPONDENTS, [v[0] for v in AGES.values()])
        self.group_ids = list(GROUP_WEIGHTS)
        self.group_weights = {}
        for name, iso, *_ in COUNTRIES:
            row = []
            for group in self.group_ids:
                w = GROUP_WEIGHTS[group]
                for boosted, factor, isos in GROUP_BOOSTS:
                    if boosted == group and iso in isos.split():
                        w *= factor
                row.append(w)
            self.group_weights[iso] = row
        self.pool: dict[tuple[str, str], list[str]] = {}  # recent answers, for word-for-word repeats
        self.cache: dict[tuple[str, ...], list[str]] = {}
        self.respondent_id = 4_892_000_000 + self.rng.randrange(1_000_000)
        self.gap = max(2, 400_000 // scale)

    # -- attributes ------------------------------------------------------------------------------------------------
    def rows(self):
        index = 0
        for _ in range(self.scale):
            countries = [i for i, n in enumerate(self.country_counts) for _ in range(n)]
            genders = [k for k, n in zip(GENDERS, self.gender_counts) for _ in range(n)]
            ages = [k for k, n in zip(AGES, self.age_counts) for _ in range(n)]
            for column in (countries, genders, ages):
                self.rng.shuffle(column)
            for country, gender, age in zip(countries, genders, ages):
                yield self.respondent(index, COUNTRIES[country], gender, age)
                index += 1

    def respondent(self, index: int, country: tuple, gender: str, age: str) -> list[str]:
        rng = self.rng
        name, iso, calling, _, profile = country
        language = weighted(rng, list(profile), list(profile.values()))
        column = {"en": 1, "es": 2, "fr": 3}[language]
        self.respondent_id += rng.randint(1, 2 * self.gap)
        span = (END - START).total_seconds()
        started = START + dt.timedelta(seconds=int(span * (index + rng.random()) / self.total))
        ended = started + dt.timedelta(seconds=int(rng.lognormvariate(6.6, 0.5)) + 45)
        collectors = COLLECTORS[language]
        collector = weighted(rng, [c for c, _ in collectors], [w for _, w in collectors])
        who = Respondent(language, iso, calling, self.focus_groups(iso, age))
        answers = self.answers(who)
        return [str(self.respondent_id), str(collector), _stamp(started), _stamp(ended), LANGUAGE_NAMES[language],
                name, GENDERS[gender][column], AGES[age][column]] + answers

    def focus_groups(self, iso: str, age: str) -> list[str]:
        weights = list(self.group_weights[iso])
        if age in ("60-80", "over_80"):
            weights[self.group_ids.index("older_people")] *= 2
        if age == "under_20":
            weights[self.group_ids.index("youth")] *= 2
        chosen: list[str] = []
        for _ in range(weighted(self.rng, [1, 2, 3], [45, 38, 17])):
            group = weighted(self.rng, self.group_ids, weights)
            weights[self.group_ids.index(group)] = 0
            chosen.append(group)
        return chosen

    # -- answers ---------------------------------------------------------------------------------------------------
    def answers(self, who: "Respondent") -> list[str]:
        rng = self.rng
        last = rng.choice((1, 2, 2, 3, 3, 4)) if rng.random() < P_DROPOUT else 5
        answers = []
        for number, (question, _) in enumerate(QUESTIONS, start=1):
            draw = rng.random()
            if number > last or draw < P_BLANK:
                answers.append("")
            elif draw < P_BLANK + P_NA:
                answers.append(rng.choice(self.bank["not_applicable"][who.language]))
            else:
                answers.append(self.answer(question, who))
        if not any(answers):
            answers[0] = self.answer(QUESTIONS[0][0], who)
        return answers

    def answer(self, question: str, who: "Respondent") -> str:
        rng = self.rng
        pool = self.pool.setdefault((question, who.language), [])
        if len(pool) >= 20 and rng.random() < P_DUPLICATE:
            return rng.choice(pool)
        languages = [who.language] * weighted(rng, [1, 2, 3, 4], SENTENCES[question])
        if rng.random() < P_MIXED:
            other = "en" if who.language != "en" else rng.choice(("es", "fr"))
            if len(languages) == 1:
                languages.append(other)
            else:
                languages[rng.randrange(1, len(languages))] = other
        if question == "q1_groups" and rng.random() < P_LIST:
            # a bare list of the groups, sometimes followed by a sentence about the first of them
            sentences = [self.group_list(who)]
            if len(languages) > 1:
                sentences.append(self.phrase(question, who.focus[0], languages[1], who, min_words=4))
        else:
            used: set[str] = set()
            sentences = [self.sentence(question, language, who, used) for language in languages]
        text = self.style(" ".join(sentences))
        if rng.random() < P_TYPO:
            text = typo(text, rng)
        if rng.random() < P_CONTACT:
            text = f"{text} {self.contact(who)}"
        if " " in text:
            if len(pool) < 400:
                pool.append(text)
            else:
                pool[rng.randrange(len(pool))] = text
        return text

    def sentence(self, question: str, language: str, who: "Respondent", used: set[str]) -> str:
        rng = self.rng
        ideas = self.bank["questions"][question]
        if question == "q1_groups":
            # the respondent's own groups first; a sentence in another language stays with them
            fresh = [g for g in who.focus if g not in used]
            if fresh:
                idea = fresh[0]
            elif language != who.language:
                idea = rng.choice(who.focus)
            else:
                idea = weighted(rng, self.group_ids, self.group_weights[who.iso])
        else:
            keys = [k for k in ideas if k not in used] or list(ideas)
            weights = [ideas[k].get("weight", 1.0) * (3 if set(ideas[k].get("boost", ())) & set(who.focus) else 1)
                       for k in keys]
            idea = weighted(rng, keys, weights)
        used.add(idea)
        return self.phrase(question, idea, language, who)

    def phrase(self, question: str, idea: str, language: str, who: "Respondent", min_words: int = 0) -> str:
        rng = self.rng
        choices = self.choices(("questions", question, idea, language), who.iso)
        if min_words:
            choices = [c for c in choices if len(c.split()) >= min_words] or choices
        phrase = rng.choice(choices)
        if "{group}" in phrase or "{Group}" in phrase:
            group = self.group_phrase(rng.choice(who.focus), language, who.iso)
            phrase = phrase.replace("{group}", group).replace("{Group}", capitalise(group))
        return phrase

    def choices(self, path: tuple[str, ...], iso: str) -> list[str]:
        """The phrasings at ``path`` in the bank that suit a respondent from ``iso``: a phrasing tagged
        ``[ISO3 ISO3 ...]`` is used only for those countries."""
        key = path + (iso,)
        cached = self.cache.get(key)
        if cached is None:
            entry = self.bank
            for part in path:
                entry = entry[part]
            cached = []
            for text in entry:
                if text.startswith("["):
                    tags, text = text[1:].split("]", 1)
                    if iso not in tags.split():
                        continue
                cached.append(text.strip())
            self.cache[key] = cached
        return cached

    def group_phrase(self, group: str, language: str, iso: str) -> str:
        return self.rng.choice(self.choices(("groups", group, language), iso))

    def group_list(self, who: "Respondent") -> str:
        rng = self.rng
        names = [self.group_phrase(g, who.language, who.iso) for g in who.focus]
        if who.language != "en" and rng.random() < 0.5:  # "mujeres, indígenas" as often as "las mujeres, ..."
            names = [n.split(" ", 1)[1] if n.split(" ", 1)[0] in ("los", "las", "les") else n for n in names]
        joiner = {"en": " and ", "es": " y ", "fr": " et "}[who.language]
        if len(names) > 1 and rng.random() < 0.7:
            text = ", ".join(names[:-1]) + joiner + names[-1]
        else:
            text = ", ".join(names)
        return capitalise(text) + rng.choice((".", ".", "", ""))

    def style(self, text: str) -> str:
        """Some respondents type in lower case (or, rarely, in capitals) and drop the last full stop."""
        rng = self.rng
        draw = rng.random()
        if draw < 0.07:
            text = text.lower()
        elif draw < 0.075:
            text = text.upper()
        if text.endswith(".") and rng.random() < 0.15:
            text = text[:-1]
        return text

    def contact(self, who: "Respondent") -> str:
        rng = self.rng
        bank = self.bank["contacts"]
        template = rng.choice(bank["templates"][who.language])
        email = f"{rng.choice(bank['email_local_parts'])}@{rng.choice(('example.org', 'example.com', 'example.net'))}"
        phone = f"+{who.calling} {rng.randint(700, 799)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
        url = rng.choice(("https://www.example.org/", "http://example.net/", "www.example.com/")) + rng.choice(
            bank["url_paths"])
        return template.format(email=email, phone=phone, url=url)


class Respondent(NamedTuple):
    language: str  # survey version: en, es, fr
    iso: str
    calling: str  # country calling code, for invented phone numbers
    focus: list[str]  # the groups this respondent is concerned with, most important first


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%m/%d/%Y %I:%M:%S %p")


def load_bank(path: Path = PHRASES) -> dict:
    bank = yaml.safe_load(path.read_text(encoding="utf-8"))
    for question, _ in QUESTIONS:
        for idea, entry in bank["questions"][question].items():
            for language in LANGUAGE_NAMES:
                if not entry.get(language):
                    raise SystemExit(f"{path}: {question}.{idea} has no {language} phrasings")
    missing = [g for g in GROUP_WEIGHTS if g not in bank["groups"] or g not in bank["questions"]["q1_groups"]]
    if missing:
        raise SystemExit(f"{path}: groups without noun phrases or q1 phrasings: {', '.join(missing)}")
    return bank


def _xlsx_value(value: str, column: int):
    return int(value) if column in (0, 1) and value else value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=2016, help="random seed (default: %(default)s)")
    parser.add_argument("--scale", type=int, default=1, help="N times as many rows, streamed (default: 1)")
    parser.add_argument("--xlsx", action=argparse.BooleanOptionalAction, default=None,
                        help="also write an .xlsx copy (default: only when --scale is 1)")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    write_xlsx = args.scale == 1 if args.xlsx is None else args.xlsx
    args.out.mkdir(parents=True, exist_ok=True)
    stem = STEM if args.scale == 1 else f"{STEM}_x{args.scale}"
    csv_path = args.out / f"{stem}.csv"
    generator = Generator(load_bank(), args.seed, args.scale)

    workbook = sheet = None
    if write_xlsx:
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        workbook.properties.creator = "scripts/make_consultation.py"
        workbook.properties.created = workbook.properties.modified = dt.datetime(2017, 4, 3, 9, 0)
        sheet = workbook.create_sheet("Sheet")
        sheet.append(HEADER)
        sheet.append(SUBHEADER)
    rows = 0
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerow(SUBHEADER)
        for row in generator.rows():
            writer.writerow(row)
            if sheet is not None:
                sheet.append([_xlsx_value(v, i) for i, v in enumerate(row)])
            rows += 1
    written = [csv_path]
    if workbook is not None:
        xlsx_path = args.out / f"{stem}.xlsx"
        workbook.save(xlsx_path)
        written.append(xlsx_path)
    for path in written:
        print(f"wrote {path} ({rows} respondents, {path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
