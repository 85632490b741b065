"""Agreement between two or more codings of the same texts (e.g. the gold test split and a second coder's blind
labels); prints JSON.

Every file is gold JSONL (``{"id","text","groups","causes"}``) with the same ids and texts. The first is the
reference: micro-F1 of the second against it (symmetric for micro-F1), per-code F1, and Cohen's kappa per code
(scikit-learn). Every pair of files gets its micro-F1 ("pairwise"); with three coders or more, each is also scored
against their majority (a code that more than half of the coders chose). ``--model DIR`` codes the texts with a
coding model and scores it against each coder and the majority, so its errors can be told from the coders'
disagreement.

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

from synthesis.coding import load_model  # noqa: E402
from synthesis.coding.codebook import CAUSE, DEFAULT_CODEBOOK, GROUP, Codebook, load_codebook  # noqa: E402
from synthesis.coding.evaluate import score  # noqa: E402
from synthesis.coding.inputs import read_labelled  # noqa: E402
from synthesis.coding.training import with_languages  # noqa: E402
from synthesis.config import Config  # noqa: E402
from synthesis.embeddings import Embedder  # noqa: E402
from synthesis.language import LanguageDetector  # noqa: E402
from synthesis.errors import SynthesisError  # noqa: E402
from synthesis.records import Coding, LabelledText  # noqa: E402


def _read(path: Path, codebook: Codebook) -> list[LabelledText]:
    """The file's lines, with sub-codes counted under their parent; an unknown code stops with its line's id."""
    items = read_labelled(path)
    for item in items:
        unknown = [code for code in item.groups + item.causes if code not in codebook]
        if unknown:
            sys.exit(f"{path}: id {item.id}: {unknown[0]!r} is not a code of the codebook {codebook.name}")
    return [LabelledText(i.id, i.text, tuple(dict.fromkeys(codebook.top(c) for c in i.groups)),
                         tuple(dict.fromkeys(codebook.top(c) for c in i.causes)), i.language) for i in items]


def _codings(items: list[LabelledText]) -> list[Coding]:
    return [Coding(i.groups, i.causes, (), {}, {}) for i in items]


def _micro(reference: list[LabelledText], codings: list[Coding], codebook: Codebook) -> dict[str, float]:
    report = score(reference, codings, codebook)
    return {key: report[key]["micro_f1"] for key in ("groups", "causes")}


def _majority(coders: list[list[LabelledText]]) -> list[LabelledText]:
    """Per text, the codes that more than half of the coders chose (in the first coder's order, then the others')."""
    majority = []
    for labels in zip(*coders):
        chosen = {}
        for key in ("groups", "causes"):
            votes: dict[str, int] = {}
            for item in labels:
                for code in getattr(item, key):
                    votes[code] = votes.get(code, 0) + 1
            chosen[key] = tuple(code for code, n in votes.items() if 2 * n > len(coders))
        first = labels[0]
        majority.append(LabelledText(first.id, first.text, chosen["groups"], chosen["causes"], first.language))
    return majority


def _model_codings(model_dir: Path, items: list[LabelledText]) -> tuple[str, list[Coding]]:
    config = Config()
    model = load_model(model_dir, Embedder(config.cache_dir, precision=config.embedding_precision))
    items = with_languages(items, LanguageDetector(config.languages, min_chars=10))
    return model.version, model.predict([i.text for i in items], [i.language for i in items])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path)
    parser.add_argument("others", type=Path, nargs="+", metavar="other")
    parser.add_argument("--codebook", type=Path, default=DEFAULT_CODEBOOK)
    parser.add_argument("--model", type=Path, help="also code the texts with this model directory and score it")
    args = parser.parse_args()
    try:
        codebook = load_codebook(args.codebook)
        reference = _read(args.reference, codebook)
        others = [_matched(path, _read(path, codebook), args.reference, reference) for path in args.others]
        model = _model_codings(args.model, reference) if args.model else None
    except SynthesisError as error:
        sys.exit(str(error))
    other = {i.id: i for i in others[0]}
    report = score(reference, _codings(others[0]), codebook)
    result = {"reference": str(args.reference), "other": str(args.others[0]), "n": len(reference)}
    for kind, key in ((GROUP, "groups"), (CAUSE, "causes")):
        kappas = {}
        for code in codebook.ids(kind):
            first = [int(code in getattr(i, key)) for i in reference]
            second = [int(code in getattr(other[i.id], key)) for i in reference]
            kappas[code] = round(cohen_kappa_score(first, second), 3) if len(set(first) | set(second)) > 1 else None
        result[key] = {"micro_f1": report[key]["micro_f1"], "macro_f1": report[key]["macro_f1"],
                       "per_code_f1": {c: s["f1"] for c, s in report[key]["per_code"].items()},
                       "cohen_kappa": kappas}
    paths, coders = [args.reference, *args.others], [reference, *others]
    result["pairwise"] = [{"first": str(paths[a]), "second": str(paths[b]),
                           **_micro(coders[a], _codings(coders[b]), codebook)}
                          for a in range(len(coders)) for b in range(a + 1, len(coders))]
    majority = _majority(coders) if len(coders) >= 3 else None
    if majority is not None:
        result["majority"] = {str(path): _micro(majority, _codings(items), codebook)
                              for path, items in zip(paths, coders)}
    if model is not None:
        version, codings = model
        result["model"] = {"version": version,
                           "against": {str(path): _micro(items, codings, codebook) for path, items in zip(paths, coders)}}
        if majority is not None:
            result["model"]["against_majority"] = _micro(majority, codings, codebook)
    print(json.dumps(result, indent=2))


def _matched(path: Path, items: list[LabelledText], reference_path: Path,
             reference: list[LabelledText]) -> list[LabelledText]:
    """``items`` in the reference's order; a missing or extra id, or a changed text, stops with a one-line error."""
    by_id = {i.id: i for i in items}
    missing = [i.id for i in reference if i.id not in by_id]
    if missing:
        sys.exit(f"{path}: {len(missing)} ids of {reference_path} are missing, e.g. {missing[0]}")
    extra = sorted(set(by_id) - {i.id for i in reference})
    if extra:
        sys.exit(f"{path}: {len(extra)} ids are not in {reference_path}, e.g. {extra[0]}")
    changed = [i.id for i in reference if by_id[i.id].text != i.text]
    if changed:
        sys.exit(f"{path}: the text of id {changed[0]} differs from {reference_path}")
    return [by_id[i.id] for i in reference]


if __name__ == "__main__":
    main()
