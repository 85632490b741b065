"""The loop: retrain the coding model with human reviews taking precedence over corpus gold, write it as a new
model version, score it before and after, and re-code the stored segments with it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from synthesis.coding import code_store, evaluate_file, train
from synthesis.config import Config
from synthesis.errors import ModelError
from synthesis.progress import SILENT, Progress
from synthesis.store import Store


def _scores(config: Config, model_dir: Path) -> dict:
    """Micro-F1 of groups and causes on the gold test split and the real-text file (when present)."""
    sets = {"test": config.gold_dir / "test.jsonl", "real_dev": config.real_eval}
    found = {}
    for name, path in sets.items():
        if path.is_file():
            report = evaluate_file(config, path, model_dir)
            found[name] = {"groups": report["groups"]["micro_f1"], "causes": report["causes"]["micro_f1"]}
    return found


def retrain(config: Config, store: Store, progress: Progress = SILENT, output: Path | None = None) -> dict:
    """Train on gold + the store's reviews (``reviews_used``), write ``config.models_dir/<codebook>-<time>`` (or
    ``output``), record scores before (the model at ``config.model_dir``) and after, re-code every unit segment
    with the new model and record the version in the store. Returns a summary dict."""
    reviewed = store.reviewed_texts()
    try:
        before = _scores(config, config.model_dir)
    except ModelError:  # no current model: nothing to compare with
        before = {}
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    output = output or config.models_dir / f"lnob-coder-{stamp}"
    trained = train(config, output, extra=reviewed, progress=progress)
    metrics = trained["metrics"]
    after = {name: {"groups": metrics[name]["groups"]["micro_f1"], "causes": metrics[name]["causes"]["micro_f1"]}
             for name in ("test", "real_dev") if name in metrics}
    new_config = config.model_copy(update={"model_dir": output})
    run_id = store.start_run("retrain", new_config.model_dump(mode="json"))
    try:
        coding = code_store(new_config, store, run_id, progress)
    except BaseException:
        store.finish_run(run_id, "failed", {})
        raise
    store.record_model_version(trained["version"], str(output), trained["training_data_sha256"],
                               {"before": before, "after": after})
    summary = {"version": trained["version"], "path": str(output), "reviews_used": len(reviewed),
               "before": before, "after": after, "coding": coding}
    store.finish_run(run_id, "ok", summary)
    return summary
