"""Spanish and French phrases whose unaccented form is a word of its own, for a codebook's ``keep_accents``.

The finder also matches each Spanish and French phrase without its accents (``synthesis/coding/accents.py``). Where
the unaccented form is another word of the language ("mamá": "mama", "bebé": "bebe"), the phrase may belong in
the codebook's ``keep_accents`` list, which is matched only as written. This prints, as JSON, the one-word phrases
whose unaccented form spaCy's lookup tables (spacy-lookups-data) know as a word form of the phrase's language, with
the unaccented form's share of the two forms' web frequencies for Spanish (a high share suggests another word; an
unaccented spelling alone is typically under a fifth). Whether each is another word is for a person to judge.

    python scripts/accent_collisions.py [--codebook FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
from pathlib import Path

import spacy_lookups_data

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthesis.coding.accents import UNACCENTED_LANGUAGES, forms_to_add  # noqa: E402
from synthesis.coding.codebook import load_codebook  # noqa: E402

DATA = Path(spacy_lookups_data.__file__).parent / "data"


def _table(name: str) -> dict:
    path = DATA / f"{name}.json.gz"
    return json.loads(gzip.decompress(path.read_bytes())) if path.exists() else {}


def _candidate(language: str, code: str, phrase: str, form: str, frequency: dict) -> dict:
    share = None
    if form in frequency and phrase in frequency:
        bare, accented = math.exp(frequency[form]), math.exp(frequency[phrase])
        share = round(bare / (bare + accented), 3)
    return {"language": language, "phrase": phrase, "unaccented": form, "code": code, "unaccented_share": share}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--codebook", type=Path, default=None, help="codebook YAML (default: the LNOB one)")
    args = parser.parse_args()
    codebook = load_codebook(args.codebook)
    found = []
    for language in UNACCENTED_LANGUAGES:
        lemmas = _table(f"{language}_lemma_lookup")
        words = set(lemmas) | {w for w in lemmas.values() if isinstance(w, str)}
        frequency = _table(f"{language}_lexeme_prob")
        for code in codebook.codes:
            own = {p for ps in code.patterns.values() for p in ps}
            for form, phrase in forms_to_add(code.patterns.get(language, ()), own, codebook.keep_accents).items():
                if " " not in form and form in words:
                    found.append(_candidate(language, code.id, phrase, form, frequency))
    json.dump({"codebook": codebook.name, "kept_already": sorted(codebook.keep_accents), "candidates": found},
              sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
