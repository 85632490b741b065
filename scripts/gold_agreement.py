"""Agreement between two or more codings of the same texts (e.g. the gold test split and a second coder's blind
labels); prints JSON.

Every file is gold JSONL (``{"id","text","groups","causes"}``) with the same ids and texts. The first is the
reference: micro-F1 of the second against it (symmetric for micro-F1), per-code F1, and Cohen's kappa per code
(scikit-learn). Every pair of files gets its micro-F1 ("pairwise"); with three coders or more, each is also scored
against their majority (the codes that more than half of the coders chose: two of four is no majority).
``--model DIR`` codes the texts with a coding model and scores it against each coder and the majority, so that its
errors can be told from the coders' own disagreement.

    python scripts/gold_agreement.py corpora/lnob-2016/gold/test.jsonl corpora/lnob-2016/gold/test.second-coder.jsonl
    python scripts/gold_agreement.py first.jsonl second.jsonl third.jsonl --model models/lnob-coder
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sklearn.metrics import cohen_kappa_score  # noqa: E402

from synthesis.coding import code_labelled  # noqa: E402
from synthesis.coding.codebook import CAUSE, DEFAULT_CODEBOOK, GROUP, Codebook, load_codebook  # noqa: E402
from synthesis.coding.evaluate import majority, score  # noqa: E402
from synthesis.coding.inputs import read_labelled  # noqa: E402
from synthesis.config import Config  # noqa: E402
from synthesis.errors import InputError, SynthesisError  # noqa: E402
from synthesis.records import Coding, LabelledText  # noqa: E402


def _top_level(path: Path, items: list[LabelledText], codebook: Codebook) -> list[LabelledText]:
    """``items`` with sub-codes counted under their parent; an unknown code is an error naming its line's id."""
    for item in items:
        unknown = [code for code in item.groups + item.causes if code not in codebook]
        if unknown:
            raise InputError(path, f"id {item.id}: {unknown[0]!r} is not a code of the codebook {codebook.name}")
    return [LabelledText(i.id, i.text, tuple(dict.fromkeys(codebook.top(c) for c in i.groups)),
                         tuple(dict.fromkeys(codebook.top(c) for c in i.causes)), i.language) for i in items]


def _matched(path: Path, items: list[LabelledText], reference_path: Path,
             reference: list[LabelledText]) -> list[LabelledText]:
    """``items`` in the reference's order; a missing or extra id, or a changed text, is an error."""
    by_id = {i.id: i for i in items}
    missing = [i.id for i in reference if i.id not in by_id]
    if missing:
        raise InputError(path, f"{len(missing)} ids of {reference_path} are missing, e.g. {missing[0]}")
    extra = sorted(set(by_id) - {i.id for i in reference})
    if extra:
        raise InputError(path, f"{len(extra)} ids are not in {reference_path}, e.g. {extra[0]}")
    changed = [i.id for i in reference if by_id[i.id].text != i.text]
    if changed:
        raise InputError(path, f"the text of id {changed[0]} differs from {reference_path}")
    return [by_id[i.id] for i in reference]


def _as_codings(items: list[LabelledText]) -> list[Coding]:
    return [Coding(i.groups, i.causes, (), {}, {}) for i in items]


def _micro(gold: list[LabelledText], codings: list[Coding], codebook: Codebook) -> dict[str, float]:
    report = score(gold, codings, codebook)
    return {key: report[key]["micro_f1"] for key in ("groups", "causes")}


def _first_pair(reference: list[LabelledText], other: list[LabelledText], codebook: Codebook) -> dict:
    """Micro and macro F1, per-code F1 and Cohen's kappa per code of ``other`` against ``reference``."""
    report = score(reference, _as_codings(other), codebook)
    result = {}
    for kind, key in ((GROUP, "groups"), (CAUSE, "causes")):
        kappas = {}
        for code in codebook.ids(kind):
            first = [int(code in getattr(i, key)) for i in reference]
            second = [int(code in getattr(i, key)) for i in other]
            kappas[code] = round(cohen_kappa_score(first, second), 3) if len(set(first) | set(second)) > 1 else None
        result[key] = {"micro_f1": report[key]["micro_f1"], "macro_f1": report[key]["macro_f1"],
                       "per_code_f1": {c: s["f1"] for c, s in report[key]["per_code"].items()},
                       "cohen_kappa": kappas}
    return result


def agreement(paths: list[Path], codebook_path: Path | None, model_dir: Path | None) -> dict:
    """The JSON report for the codings in ``paths`` (the first is the reference) and, with ``model_dir``, a model."""
    if len(set(map(str, paths))) < len(paths):
        raise InputError(paths[0], "a file is named twice: give each coding once")
    files = [read_labelled(path) for path in paths]
    model, codings = None, None
    if model_dir is not None:
        model, codings = code_labelled(Config(), files[0], model_dir, codebook_path)
    if codebook_path is not None:
        codebook = load_codebook(codebook_path)
    else:  # the model's own codebook, else the LNOB one
        codebook = model.codebook if model is not None else load_codebook(DEFAULT_CODEBOOK)
    reference = _top_level(paths[0], files[0], codebook)
    coders = [reference] + [_matched(path, _top_level(path, items, codebook), paths[0], reference)
                            for path, items in zip(paths[1:], files[1:])]
    result = {"reference": str(paths[0]), "other": str(paths[1]), "n": len(reference),
              **_first_pair(reference, coders[1], codebook)}
    result["pairwise"] = [{"first": str(paths[a]), "second": str(paths[b]),
                           **_micro(coders[a], _as_codings(coders[b]), codebook)}
                          for a in range(len(coders)) for b in range(a + 1, len(coders))]
    agreed = majority(coders) if len(coders) >= 3 else None
    if agreed is not None:
        result["majority"] = {str(p): _micro(agreed, _as_codings(c), codebook) for p, c in zip(paths, coders)}
    if model is not None:
        result["model"] = {"version": model.version,
                           "against": {str(p): _micro(c, codings, codebook) for p, c in zip(paths, coders)}}
        if agreed is not None:
            result["model"]["against_majority"] = _micro(agreed, codings, codebook)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path)
    parser.add_argument("others", type=Path, nargs="+", metavar="other")
    parser.add_argument("--codebook", type=Path, help="codebook YAML (default: the model's, else the LNOB one)")
    parser.add_argument("--model", type=Path, help="also code the texts with this model directory and score it")
    args = parser.parse_args()
    try:
        result = agreement([args.reference, *args.others], args.codebook, args.model)
    except SynthesisError as error:
        sys.exit(str(error))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
