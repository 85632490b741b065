"""Benchmark the reviewer feedback loop; prints JSON.

Reads: the gold splits (corpora/lnob-2016/gold), and for the timing part the bundled corpus (a copy of
build/project.sqlite when present, else ingested into a temporary store) and build/cache (embeddings).
Writes: only temporary files (deleted after).

1. Active learning, simulated: a seed model is trained on part of the gold train split (``--seed-size``, train
   shuffled with ``--split-seed``, default ``config.seed``) and, like every model, on the causes-only texts
   (``train-causes.jsonl``); the rest of train is the unlabelled pool. A "reviewer" corrects
   ``--reviews`` pool items with their gold labels, chosen as the most uncertain under the seed model (the review
   queue's order, ``synthesis.uncertainty``: the distance of each score to its own code's threshold), and, from
   the same seed model and pool, at random (``--random-runs`` draws with seeds ``config.seed``, +1, ...: one draw
   is noisy, so the mean and each draw are reported), and by the queue's former key (the smallest
   |score - 0.5|, for reference). Each choice retrains from the same seed data. Reports micro-F1 on the gold test
   split before and after.
2. The time from retrain to refreshed reports on the bundled corpus: ``synthesis.review.retrain`` (train with the
   store's reviews, re-code every stored segment) and then ``synthesis.report.build_reports``. The store is first
   brought up to date with the current model (not timed), as a project's store is.

    python scripts/bench_feedback.py [--reviews 200] [--seed-size 144] [--random-runs 3] [--split-seed N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from synthesis.coding import code_store, load_model, train  # noqa: E402
from synthesis.coding.inputs import read_labelled  # noqa: E402
from synthesis.config import Config  # noqa: E402
from synthesis.embeddings import Embedder  # noqa: E402
from synthesis.review.retrain import coding_config, retrain  # noqa: E402
from synthesis.store import Store  # noqa: E402
from synthesis.store.reviews import NewReview, QueueFilter  # noqa: E402
from synthesis.uncertainty import uncertainty  # noqa: E402


def micro(metrics: dict) -> dict:
    return {"groups": round(metrics["test"]["groups"]["micro_f1"], 4),
            "causes": round(metrics["test"]["causes"]["micro_f1"], 4)}


def half_margin(coding) -> float:
    """The review queue's former key: the smallest distance of a score to 0.5 (smaller is less certain)."""
    scores = list(coding.group_scores.values()) + list(coding.cause_scores.values())
    return min((abs(s - 0.5) for s in scores), default=0.5)


def most_uncertain(pool: list, codings: list, key, reviews: int) -> list:
    """The ``reviews`` pool items with the highest ``key`` (ties: pool order), as the queue orders them."""
    ranked = sorted(range(len(pool)), key=lambda i: (-key(codings[i]), i))
    return [pool[i] for i in ranked[:reviews]]


def active_learning(work: Path, config: Config, reviews: int, seed_size: int, random_runs: int,
                    split_seed: int) -> dict:
    gold = REPO / "corpora" / "lnob-2016" / "gold"
    items = read_labelled(gold / "train.jsonl")
    order = list(range(len(items)))
    random.Random(split_seed).shuffle(order)
    seed_items = [items[i] for i in order[:seed_size]]
    pool = [items[i] for i in order[seed_size:]]
    seed_gold = work / "seed-gold"
    seed_gold.mkdir()
    source = {i.id: line for i, line in zip(items, (gold / "train.jsonl").read_text(encoding="utf-8").splitlines())}
    (seed_gold / "train.jsonl").write_text("\n".join(source[i.id] for i in seed_items) + "\n", encoding="utf-8")
    for name in ("dev", "test", "train-causes"):  # the causes-only texts train every model, as in production
        shutil.copy(gold / f"{name}.jsonl", seed_gold / f"{name}.jsonl")
    seed_config = config.model_copy(update={"gold_dir": seed_gold})
    seed = train(seed_config, work / "seed-model")
    model = load_model(work / "seed-model", Embedder(config.cache_dir))
    codings = model.predict([i.text for i in pool], [i.language or "en" for i in pool])
    thresholds = {"group": model.group_thresholds_, "cause": model.cause_thresholds_}
    chosen = {"uncertain": most_uncertain(
        pool, codings, lambda c: uncertainty(c.group_scores, c.cause_scores, thresholds), reviews)}
    for run in range(random_runs):
        chosen[f"random_{run}"] = random.Random(config.seed + run).sample(pool, min(reviews, len(pool)))
    chosen["uncertain_half"] = most_uncertain(pool, codings, lambda c: -half_margin(c), reviews)
    result = {"train_size": len(items), "split_seed": split_seed, "seed_size": len(seed_items),
              "pool_size": len(pool), "reviews": reviews, "before": micro(seed["metrics"])}
    for name, picked in chosen.items():
        started = time.perf_counter()
        after = train(seed_config, work / f"model-{name}", extra=picked)
        result[f"after_{name}"] = micro(after["metrics"])
        result[f"retrain_seconds_{name}"] = round(time.perf_counter() - started, 1)
    draws = [result[f"after_random_{run}"] for run in range(random_runs)]
    if draws:
        result["after_random_mean"] = {key: round(sum(d[key] for d in draws) / len(draws), 4)
                                       for key in ("groups", "causes")}
        result["uncertain_minus_random_mean"] = {key: round(result["after_uncertain"][key]
                                                            - result["after_random_mean"][key], 4)
                                                      for key in ("groups", "causes")}
    return result


def loop_timing(work: Path, config: Config, reviews: int) -> dict:
    store_file = work / "project.sqlite"
    built = REPO / "build" / "project.sqlite"
    config = config.model_copy(update={"out_dir": work / "out", "db_url": f"sqlite:///{store_file}",
                                       "models_dir": work / "models"})
    if built.exists():
        shutil.copy(built, store_file)
    else:
        from synthesis import pipeline
        pipeline.run(config)
    with Store(config.store_url) as store:
        with store.recorded_run("code", {"benchmark": "bench_feedback"}) as run_id:  # codes what is not coded yet
            store.finish_run(run_id, "ok", code_store(coding_config(config, store), store, run_id))
        version = store.model_version_in_use()
        picked = store.review_queue(version, "bench", QueueFilter(), 0.0, config.seed, limit=reviews)
        entries = []
        for segment_id, _ in picked:  # the reviewer accepts the model's labels (timing does not depend on them)
            item = store.review_item(segment_id, version, "bench")
            entries.append(NewReview(segment_id, "bench", {"groups": item.current.get("groups", []),
                                                           "causes": item.current.get("causes", [])}))
        store.add_reviews(entries, version)
        segments = store.count_units()
        load = os.getloadavg()[0]  # the machine is shared: timings depend on what else runs
        started = time.perf_counter()
        summary = retrain(config, store)
        retrained = time.perf_counter() - started
        try:
            from synthesis.report import build_reports
            from synthesis.review.agreement import agreement
            build_reports(config.model_copy(update={"model_dir": Path(summary["path"])}), store,
                          agreement=agreement(store))
            reports = "written"
        except Exception as error:  # noqa: BLE001 - reported in the JSON; the timing up to re-coding still stands
            reports = f"failed: {error.__class__.__name__}: {error}"
        total = time.perf_counter() - started
    return {"segments": segments, "reviews_in_store": len(entries), "reviews_used": summary["reviews_used"],
            "segments_recoded": summary["coding"]["segments_coded"], "retrain_and_recode_seconds": round(retrained, 1),
            "reports": reports, "reports_seconds": round(total - retrained, 1),
            "retrain_to_reports_seconds": round(total, 1), "target_seconds": 60,
            "load_average_1min_before": round(load, 2),
            "after": summary["after"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=200)
    parser.add_argument("--seed-size", type=int, default=144)
    parser.add_argument("--random-runs", type=int, default=3, help="Random draws of the same size to compare with.")
    parser.add_argument("--split-seed", type=int, help="Shuffle of train into seed and pool (default: config.seed).")
    parser.add_argument("--skip-timing", action="store_true", help="Only the active-learning comparison.")
    args = parser.parse_args()
    config = Config(cache_dir=REPO / "build" / "cache", model_dir=REPO / "models" / "lnob-coder")
    with tempfile.TemporaryDirectory(prefix="bench-feedback-") as tmp:
        work = Path(tmp)
        split_seed = config.seed if args.split_seed is None else args.split_seed
        result = {"active_learning": active_learning(work, config, args.reviews, args.seed_size, args.random_runs,
                                                     split_seed)}
        if not args.skip_timing:
            result["loop"] = loop_timing(work, config, args.reviews)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
