"""Agreement between two codings of the same texts (e.g. the gold test split and a second coder's blind labels);
prints JSON.

Both files are gold JSONL (``{"id","text","groups","causes"}``) with the same ids. The first is the reference:
micro-F1 of the second against it (symmetric for micro-F1), per-code F1, and Cohen's kappa per code (scikit-learn).

    python scripts/gold_agreement.py corpora/lnob-2016/gold/test.jsonl corpora/lnob-2016/gold/test.second-coder.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sklearn.metrics import cohen_kappa_score  # noqa: E402

from synthesis.coding.codebook import CAUSE, DEFAULT_CODEBOOK, GROUP, Codebook, load_codebook  # noqa: E402
from synthesis.coding.evaluate import score  # noqa: E402
from synthesis.coding.inputs import read_labelled  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path)
    parser.add_argument("other", type=Path)
    parser.add_argument("--codebook", type=Path, default=DEFAULT_CODEBOOK)
    args = parser.parse_args()
    try:
        codebook = load_codebook(args.codebook)
        reference, other = _read(args.reference, codebook), {i.id: i for i in _read(args.other, codebook)}
    except SynthesisError as error:
        sys.exit(str(error))
    missing = [i.id for i in reference if i.id not in other]
    if missing:
        sys.exit(f"{args.other}: {len(missing)} ids of {args.reference} are missing, e.g. {missing[0]}")
    extra = sorted(set(other) - {i.id for i in reference})
    if extra:
        sys.exit(f"{args.other}: {len(extra)} ids are not in {args.reference}, e.g. {extra[0]}")
    changed = [i.id for i in reference if other[i.id].text != i.text]
    if changed:
        sys.exit(f"{args.other}: the text of id {changed[0]} differs from {args.reference}")
    codings = [Coding(other[i.id].groups, other[i.id].causes, (), {}, {}) for i in reference]
    report = score(reference, codings, codebook)
    result = {"reference": str(args.reference), "other": str(args.other), "n": len(reference)}
    for kind, key in ((GROUP, "groups"), (CAUSE, "causes")):
        kappas = {}
        for code in codebook.ids(kind):
            first = [int(code in getattr(i, key)) for i in reference]
            second = [int(code in getattr(other[i.id], key)) for i in reference]
            kappas[code] = round(cohen_kappa_score(first, second), 3) if len(set(first) | set(second)) > 1 else None
        result[key] = {"micro_f1": report[key]["micro_f1"], "macro_f1": report[key]["macro_f1"],
                       "per_code_f1": {c: s["f1"] for c, s in report[key]["per_code"].items()},
                       "cohen_kappa": kappas}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
