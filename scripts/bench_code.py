"""Benchmark the coding engine; prints JSON.

Reads: the trained model (models/lnob-coder), the bundled corpus (ingested into a temporary store to get its
sentences) and a consultation export made with scripts/make_consultation.py (its first N free-text answers).
Writes: only temporary files (deleted after).
Measures, in one run and on the same texts: spaCy's blank-pipeline ``nlp.pipe`` tokenisation (the reference) and
groups only (each the best of five cold runs, taken in turns), and groups plus causes with a cold and then a warm
embedding cache (the best of three of each), in sentences per second.

    python scripts/bench_code.py [--answers 100000]
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import spacy  # noqa: E402
from sqlalchemy import select  # noqa: E402

from synthesis.coding import load_model  # noqa: E402
from synthesis.config import Config  # noqa: E402
from synthesis.embeddings import Embedder  # noqa: E402
from synthesis.ingest import ingest_paths  # noqa: E402
from synthesis.store import Store  # noqa: E402
from synthesis.store.schema import segments  # noqa: E402


def corpus_sentences(work: Path) -> tuple[list[str], list[str]]:
    """Sentences of the bundled dialogues: sentence segments, and units that are one sentence."""
    url = f"sqlite:///{work / 'corpus.sqlite'}"
    with Store(url) as store:
        ingest_paths([REPO / "corpora/lnob-2016/dialogues"], store, Config(db_url=url))
        with store.engine.connect() as connection:
            rows = connection.execute(select(segments.c.id, segments.c.parent_id, segments.c.kind, segments.c.text,
                                             segments.c.language)).all()
    parents = {r.parent_id for r in rows if r.parent_id}
    chosen = [r for r in rows if r.kind == "sentence" or (r.kind in ("paragraph", "turn") and r.id not in parents)]
    return [r.text for r in chosen], [r.language for r in chosen]


def consultation_answers(work: Path, n: int) -> tuple[list[str], list[str]]:
    scale = max(1, n // 20000 + 1)
    subprocess.run([sys.executable, str(REPO / "scripts/make_consultation.py"), "--scale", str(scale), "--out",
                    str(work), "--no-xlsx"], check=True, capture_output=True)
    export = sorted(work.glob("*.csv"))[0]
    texts, languages = [], []
    codes = {"English": "en", "Español": "es", "Français": "fr"}
    with open(export, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        next(reader)
        language_column = header.index("Survey language")
        for row in reader:
            for answer in row[8:]:
                if answer.strip() and len(texts) < n:
                    texts.append(answer.strip())
                    languages.append(codes.get(row[language_column], "en"))
            if len(texts) >= n:
                break
    return texts, languages


REPEATS = 5  # cold runs of the tokeniser and of groups-only coding, taken in turns; the best of each counts
COLD_REPEATS = 3  # runs of groups and causes from an empty embedding cache (then once more from the full one)
WARM_UP = "A sentence that loads the embedding model before the timings."


def rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1)


def timed(run) -> float:
    gc.collect()  # no garbage of an earlier run left for this one's collector
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def measure(name: str, texts: list[str], languages: list[str], model_dir: Path, work: Path) -> dict:
    # Both sides start cold (a new pipeline, a newly loaded model: no words seen yet), and each takes the best of
    # REPEATS runs, the two taken in turns: one run over the dialogues lasts a fraction of a second, and a busy
    # neighbour on a shared machine can halve a single timing, or every timing of one side if each side's runs
    # came in one block.
    def tokenise_once() -> float:
        nlp = spacy.blank("en")  # made outside the timing, like the model below
        return timed(lambda: deque(nlp.pipe(texts, batch_size=1000), maxlen=0))

    embedder = Embedder(work / f"cache-{name}")  # groups only: never used

    def groups_once() -> float:
        model = load_model(model_dir, embedder)
        return timed(lambda: model.predict(texts, languages, with_causes=False))

    pairs = [(tokenise_once(), groups_once()) for _ in range(REPEATS)]
    embedder.close()
    tokenise, groups_only = min(t for t, _ in pairs), min(g for _, g in pairs)
    cold = warm = float("inf")
    for k in range(COLD_REPEATS):  # each with an empty embedding cache of its own
        cache = Embedder(work / f"cache-{name}-{k}")
        model = load_model(model_dir, cache)
        model.predict([WARM_UP], ["en"])  # load the embedding model outside the timings (a text not in the set)
        cold = min(cold, timed(lambda: model.predict(texts, languages)))
        warm = min(warm, timed(lambda: model.predict(texts, languages)))
        cache.close()
    result = {
        "sentences": len(texts),
        "distinct_texts": len(set(texts)),
        "reference_spacy_blank_tokenise_per_s": rate(len(texts), tokenise),
        "groups_only_per_s": rate(len(texts), groups_only),
        "groups_and_causes_cold_cache_per_s": rate(len(texts), cold),
        "groups_and_causes_warm_cache_per_s": rate(len(texts), warm),
    }
    result["groups_only_share_of_tokenise_rate"] = round(result["groups_only_per_s"] /
                                                         result["reference_spacy_blank_tokenise_per_s"], 3)
    # the same share within each turn (tokeniser seconds / coder seconds), as a check on the best-of figure
    result["groups_only_share_per_turn"] = [round(t / g, 3) for t, g in pairs]
    result["groups_only_share_median_of_turns"] = round(statistics.median(t / g for t, g in pairs), 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--model", type=Path, default=REPO / "models/lnob-coder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-code-") as tmp:
        work = Path(tmp)
        model = args.model.resolve()
        shown = model.relative_to(REPO) if model.is_relative_to(REPO) else model
        report = {"machine": {"cpus": os.cpu_count()}, "model": str(shown)}
        report["bundled_dialogues"] = measure("corpus", *corpus_sentences(work), model, work)
        report["consultation_answers"] = measure("consultation", *consultation_answers(work, args.answers),
                                                 model, work)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
