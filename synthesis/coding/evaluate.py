"""Evaluation of codings against gold labels: per-code precision, recall, F1 and support; micro and macro F1
for groups and for causes; the same per language."""

from __future__ import annotations

from dataclasses import dataclass
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
