"""The model card (README.md) written beside every trained coding model."""

from __future__ import annotations


from synthesis.coding.codebook import CAUSE, LANGUAGES, Codebook

UNDP_FACTORS = ("discrimination", "geography", "governance", "socioeconomic", "shocks_fragility")
LNOB_CAUSES = " (UNDP's five factors)"

LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French"}

BUNDLED_LIMITS = """\
- The disambiguation and cause models are trained on the bundled, illustrative corpus (written for this project,
  not real testimony) and corrected reviews; scores on real text by other writers are lower than on the corpus's
  own test split{see_real}.
- Groups are found only where the segment names them in words the codebook lists. A reader also codes what the
  words imply with knowledge of the world (a place known to be rural, a people known to be indigenous, sons who
  "went to Johannesburg" as migrants), and so do the bundled gold labels: on the corpus test split, a second,
  blind coding (`corpora/lnob-2016/gold/test.second-coder.jsonl`, by an AI assistant) agrees with them far more
  closely than this model does (see the project README), and this is most of the model's shortfall there."""

OWN_DATA_LIMITS = """\
- The disambiguation and cause models learn only from the labelled texts named under Data; a group is found only
  where a segment names it in words the codebook lists, not where the words merely imply it."""

LIMITS = """\
- A group word used in another sense ("blind trust", "tropical depression", "células madre") is dropped only where
  a codebook not-pattern lists that sense: the disambiguator learns from the corpus's contexts, and an unseen
  context scores like the word's usual sense (in a sweep of sentences from other domains, 96% were coded before
  their senses were listed).
- Cause features include counts of the codebook's cause cue phrases; a real-text cause phrased in words the codebook
  does not list relies on the embeddings and TF-IDF alone.
- Per-code thresholds come from held-out labelled texts (see "How it works"); thresholds within 0.02
  F1 of the best count as equally good and the one nearest the calibrated default (0.5) is kept, which trades a
  little recall on the corpus for precision on new text.
- Causes are predicted per segment from the segment alone; a cause stated in the previous turn is not seen.
- Languages: {languages} patterns; other languages are not supported.
- Scores are calibrated probabilities within the training distribution, not guarantees; review low-confidence
  segments first (the review queue orders by uncertainty)."""


def _table(report: dict, key: str, codebook: Codebook) -> list[str]:
    rows = ["| code | precision | recall | F1 | support |", "| --- | ---: | ---: | ---: | ---: |"]
    per_code = report[key]["per_code"]
    for code in sorted(per_code, key=[c.id for c in codebook.codes].index):  # codebook order
        s = per_code[code]
        rows.append(f"| `{code}` | {s['precision']:.2f} | {s['recall']:.2f} | {s['f1']:.2f} | {s['support']} |")
    rows.append(f"| **micro** | {report[key]['micro_precision']:.2f} | {report[key]['micro_recall']:.2f} | "
                f"**{report[key]['micro_f1']:.3f}** | |")
    rows.append(f"| **macro F1** | | | {report[key]['macro_f1']:.3f} | |")
    return rows


def _age_limits(codebook: Codebook) -> list[str]:
    ranges = [f"`{c.id}` {c.ages[0]}-{c.ages[1]}" for c in codebook.codes if c.ages]
    if not ranges:
        return []
    return [f"- A person's stated age (\"Moussa, 19,\", \"a 10-year-old girl\", \"una niña de 16 años\") is a candidate "
            f"of the codes whose age range holds it ({', '.join(ranges)}). The training data state almost no ages, so "
            "the disambiguation step codes nearly every such candidate: only the patterns, which tie a number to a "
            "person, keep out other numbers; ages written in words are read in the listed forms, compounds included "
            "(\"sixty five years old\", \"sesenta y cinco años\", \"soixante et onze ans\"), up to ninety-nine."]


def _sub_codes(codebook: Codebook) -> list[str]:
    """A section listing a researcher's sub-codes under their codes, where the codebook has any."""
    under: dict[str, list[str]] = {}
    for code in codebook.codes:
        if code.parent is not None:
            under.setdefault(code.parent, []).append(f"`{code.id}` ({code.label})")
    if not under:
        return []
    return ["## Sub-codes", "",
            "The codebook adds sub-codes under some codes. A group mention names its sub-code, and a cause sub-code's "
            "phrases count as cues of the code above; groups, causes, their scores and thresholds, and the scores "
            "in this card are those of the code above.", "",
            *(f"- `{c.id}` ({c.label}): {', '.join(under[c.id])}" for c in codebook.codes if c.id in under), ""]


def _pattern_languages(codebook: Codebook) -> list[str]:
    used = {language for code in codebook.codes for language in code.patterns}
    return [language for language in LANGUAGES if language in used]


def _languages(codebook: Codebook) -> str:
    names = [LANGUAGE_NAMES[code] for code in _pattern_languages(codebook)] or ["no"]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _limits(codebook: Codebook, data: dict, metrics: dict) -> list[str]:
    first = ("- Group detection starts from the codebook's phrase patterns: a group named in words the codebook does "
             "not list\n  (a local ethnonym, a new euphemism) is missed until a reviewer adds it to the codebook or "
             "corrects it in review.")
    data_limits = (BUNDLED_LIMITS.format(see_real=" (see the real-text table)" if "real_dev" in metrics else "")
                   if data.get("bundled") else OWN_DATA_LIMITS)
    return [first, data_limits, LIMITS.format(languages=_languages(codebook)), *_age_limits(codebook)]


def model_card(info: dict, metrics: dict, codebook: Codebook, data: dict[str, str]) -> str:
    """The card's Markdown. ``data`` names what the model was trained and scored on: ``gold`` (the folder of the
    train/dev/test splits) and, when scored on it, ``real_eval`` (the real-text file)."""
    lines = [
        f"# Coding model `{info['version']}`",
        "",
        "Codes text segments from Leave No One Behind dialogues and consultations with the excluded groups and "
        f"root causes{LNOB_CAUSES if set(codebook.ids(CAUSE)) == set(UNDP_FACTORS) else ''} of the codebook "
        f"`{codebook.name}` (version {codebook.version}, sha256 `{info['codebook_sha256'][:12]}…`).",
        "",
        "## Intended use",
        "",
        "Draft coding for human review: researchers and reviewers check and correct the labels (the review app), "
        "and reports use human labels wherever they exist. Not for decisions about individuals.",
        "",
        "## How it works",
        "",
        f"- Groups: the codebook's {_languages(codebook)} patterns find candidate mentions on lower-cased "
        "tokens (spaCy PhraseMatcher) with exact character offsets"
        + (", Spanish and French phrases also without their accents in texts of their language (\"los jovenes\", "
           "except the codebook's `keep_accents`)" if {"es", "fr"} & set(_pattern_languages(codebook)) else "") + "; "
        "`not_patterns` drop fixed non-group phrases; "
        "`patterns_in_context` count only in a sentence with a context word (\"girls\" as children where it speaks "
        "of school or marriage) and `not_in_context` phrases not in a sentence with one (\"children\" where it "
        "speaks of PIDs and zombie processes); a logistic-regression disambiguation step scores each candidate "
        "from its context (neighbouring words, negation, the phrase itself); a mention that a rapporteur's note "
        "says the meeting left out (\"the group did not discuss refugees\") is not coded.",
        "- Causes: one calibrated logistic regression per cause (sigmoid calibration, 3-fold) on all-MiniLM-L6-v2 "
        "sentence embeddings, TF-IDF word uni- and bigrams (accents stripped), and counts of the codebook's cause "
        "cues.",
        "- Per-code thresholds are tuned (F1, defaults 0.5) on the dev split"
        + (f" together with out-of-fold predictions for the training texts ({info['threshold_folds_used']} folds; "
           "models fitted on the other folds)." if info.get("threshold_folds_used") else " alone."),
        "",
        *_sub_codes(codebook),
        "## Data",
        "",
        f"- Training: {info['train_size']} labelled segments from the gold train split in `{data['gold']}`"
        + (f", of which {info['reviews_used']} come from human reviews" if info.get("reviews_used") else "")
        + (f" ({info['reviews_held_out']} more reviewed texts are dev, test or real-text texts and were not trained "
           "on, so that those scores stay held out)" if info.get("reviews_held_out") else "")
        + f"; dev {info['dev_size']}, test {info['test_size']} (same folder).",
        *([f"- The cause classifier also trains on {info['causes_only_size']} labelled texts from `train-causes.jsonl` "
           "(same folder); the mention disambiguator does not."] if info.get("causes_only_size") else []),
        f"- Training data sha256: `{info['training_data_sha256']}`.",
        *(["- The bundled corpus is illustrative (written for this project), not real testimony."]
          if data.get("bundled") else []),
        "",
        "## Scores on the gold test split",
        "",
        *_table(metrics["test"], "groups", codebook),
        "",
        *_table(metrics["test"], "causes", codebook),
        "",
    ]
    if "real_dev" in metrics:
        lines += [
            f"## Scores on real text (`{data['real_eval']}`, {metrics['real_dev']['n']} sentences, never trained on)",
            "",
            *_table(metrics["real_dev"], "groups", codebook),
            "",
            *_table(metrics["real_dev"], "causes", codebook),
            "",
        ]
    lines += ["## Known limits", "", *_limits(codebook, data, metrics), ""]
    return "\n".join(lines)
