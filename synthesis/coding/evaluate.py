"""Evaluation of codings against gold labels: per-code precision, recall, F1 and support; micro and macro F1
for groups and for causes; the same per language; the texts the coding disagrees with, for reading; and the
majority of several coders' labels."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Sequence

from synthesis.coding.codebook import CAUSE, GROUP, Codebook
from synthesis.records import Coding, LabelledText


@dataclass(frozen=True)
class CodeScore:
    precision: float
    recall: float
    f1: float
    support: int


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(gold: Sequence[LabelledText], predicted: Sequence[Coding], codebook: Codebook) -> dict:
    """A JSON-ready report: {"n", "groups": {...}, "causes": {...}, "by_language": {lang: {...}}}."""
    report = _score(gold, predicted, codebook)
    languages = sorted({g.language for g in gold if g.language})
    if languages:
        report["by_language"] = {
            language: _score([g for g in gold if g.language == language],
                             [p for g, p in zip(gold, predicted) if g.language == language], codebook)
            for language in languages
        }
    return report


def _score(gold, predicted, codebook) -> dict:
    report: dict = {"n": len(gold)}
    for kind, key in ((GROUP, "groups"), (CAUSE, "causes")):
        ids = codebook.ids(kind)
        counts = {c: [0, 0, 0] for c in ids}  # tp, fp, fn
        for item, coding in zip(gold, predicted):
            truth = {codebook.top(c) if c in codebook else c for c in getattr(item, key)}
            found = {codebook.top(c) for c in getattr(coding, key)}
            for code in ids:
                if code in found and code in truth:
                    counts[code][0] += 1
                elif code in found:
                    counts[code][1] += 1
                elif code in truth:
                    counts[code][2] += 1
        per_code = {}
        for code, (tp, fp, fn) in counts.items():
            p, r, f = _prf(tp, fp, fn)
            per_code[code] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}
        tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
        micro = _prf(tp, fp, fn)
        # macro: over the codes in the gold labels or in the predictions (a code predicted but never true scores 0)
        supported = [per_code[code]["f1"] for code, (tp, fp, fn) in counts.items() if tp + fp + fn]
        report[key] = {
            "micro_precision": round(micro[0], 4),
            "micro_recall": round(micro[1], 4),
            "micro_f1": round(micro[2], 4),
            "macro_f1": round(sum(supported) / len(supported), 4) if supported else 0.0,
            "per_code": per_code,
        }
    return report


def disagreements(gold: Sequence[LabelledText], predicted: Sequence[Coding], codebook: Codebook) -> list[dict]:
    """One JSON-ready record per gold text whose coding differs from its labels (at the level evaluation scores):
    the codes missed and the codes added, which missed groups no pattern found at all (``unmatched_groups``: a gap in
    the codebook's phrases, not a mention the model turned down), the mentions found with their scores, and the
    scores of every code in question."""
    records = []
    for item, coding in zip(gold, predicted):
        record: dict = {"id": item.id, "language": item.language, "text": item.text}
        in_question = []
        for key in ("groups", "causes"):
            truth = {codebook.top(c) if c in codebook else c for c in getattr(item, key)}
            found = {codebook.top(c) for c in getattr(coding, key)}
            order = codebook.ids(GROUP if key == "groups" else CAUSE)
            record[f"missed_{key}"] = [c for c in order if c in truth - found]
            record[f"extra_{key}"] = [c for c in order if c in found - truth]
            in_question += record[f"missed_{key}"] + record[f"extra_{key}"]
        if not in_question:
            continue
        scores = {**coding.group_scores, **coding.cause_scores}
        record["unmatched_groups"] = [c for c in record["missed_groups"] if not coding.group_scores.get(c)]
        record["mentions"] = [asdict(m) for m in coding.mentions]
        record["scores"] = {c: scores.get(c, 0.0) for c in in_question}
        records.append(record)
    return records


def majority(coders: Sequence[Sequence[LabelledText]]) -> list[LabelledText]:
    """Per text (the coders' lists in the same text order), the codes that more than half of the coders chose, in
    the order they were first chosen; a tie (two of four) is not a majority."""
    agreed = []
    for labels in zip(*coders):
        chosen = {}
        for key in ("groups", "causes"):
            votes: dict[str, int] = {}
            for item in labels:
                for code in dict.fromkeys(getattr(item, key)):
                    votes[code] = votes.get(code, 0) + 1
            chosen[key] = tuple(code for code, n in votes.items() if 2 * n > len(coders))
        first = labels[0]
        agreed.append(LabelledText(first.id, first.text, chosen["groups"], chosen["causes"], first.language))
    return agreed
