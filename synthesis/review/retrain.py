"""The loop: retrain the coding model with human reviews taking precedence over corpus gold, write it as a new
model version, score it before and after, and re-code the stored segments with it. ``coding_config`` tells later
runs which model codes the store (a retrained one unless the configuration names another)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

from synthesis.coding import code_store, load_model, train
from synthesis.coding.evaluate import score
from synthesis.coding.inputs import read_labelled
from synthesis.coding.training import real_eval_items, text_detector, training_data, with_languages
from synthesis.config import Config
from synthesis.embeddings import Embedder
from synthesis.errors import ModelError
from synthesis.progress import SILENT, Progress
from synthesis.review.codebook_edit import training_text
from synthesis.store import Store


def model_dir_in_use(config: Config, store: Store) -> Path:
    """``config.model_dir``; but when it was left at its default, the latest model ``retrain`` recorded in the
    store if its folder still exists and the default model is the one that retrain replaced (a default model trained
    again since, e.g. with new gold, wins). The default model is compared by its version, not its file's time: a
    copy, an unzip or a checkout rewrites the file."""
    if "model_dir" in config.model_fields_set:
        return config.model_dir
    latest = store.latest_model()
    if latest is None or not (Path(latest[0]) / "config.json").is_file():
        return config.model_dir
    recorded, metrics = Path(latest[0]), latest[1]
    replaced = metrics.get("default_model_version")
    if replaced is not None:
        return recorded if _version(config.model_dir) in (replaced, None) else config.model_dir
    # recorded before retrain kept the default model's version: by the files' times
    default = config.model_dir / "config.json"
    if default.is_file() and default.stat().st_mtime >= (recorded / "config.json").stat().st_mtime:
        return config.model_dir
    return recorded


def _version(model_dir: Path) -> str | None:
    """The version a model folder's config.json names, or None where it has none."""
    try:
        return json.loads((model_dir / "config.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return None


def model_dir_for(config: Config) -> Path:
    """``model_dir_in_use`` for commands without a store of their own (``synthesis code``): the configured store is
    asked only when it exists, so coding a file never creates one."""
    if "model_dir" in config.model_fields_set or not Store.exists(config.store_url):
        return config.model_dir
    with Store(config.store_url) as store:
        return model_dir_in_use(config, store)


def coding_config(config: Config, store: Store) -> Config:
    """The configuration to code ``store`` with: ``model_dir`` as ``model_dir_in_use`` says (``code_store`` records
    that model's per-code thresholds in the store: the review queue measures uncertainty against them)."""
    model_dir = model_dir_in_use(config, store)
    return config if model_dir == config.model_dir else config.model_copy(update={"model_dir": model_dir})


def _scores(config: Config, model_dir: Path) -> dict:
    """Micro-F1 of groups and causes on the gold test split and the real-text file (when present); the model is
    loaded once for both."""
    test = config.gold_dir / "test.jsonl"
    if not test.is_file() and not config.real_eval.is_file():
        return {}
    model = load_model(model_dir, Embedder(config.cache_dir, precision=config.embedding_precision))
    detector = text_detector(config)
    sets = {"test": with_languages(read_labelled(test, model.codebook), detector) if test.is_file() else None,
            "real_dev": real_eval_items(config, model.codebook, detector)[0]}
    found = {}
    for name, items in sets.items():
        if items is None:
            continue
        report = score(items, model.predict([i.text for i in items], [i.language for i in items]), model.codebook)
        found[name] = {"groups": report["groups"]["micro_f1"], "causes": report["causes"]["micro_f1"]}
    return found


def unchanged_message(result: dict) -> str:
    """What ``retrain`` says when it had nothing new to train on."""
    return (f"nothing new to train on: the model {result['version']} ({result['path']}) was trained on the same gold "
            f"texts, {result['reviews_used']:,} reviews and codebook; no model written, nothing re-coded")


def retrain(config: Config, store: Store, progress: Progress = SILENT, output: Path | None = None) -> dict:
    """Train on gold + the store's reviews (``reviews_used``; a reviewed text that is one of the texts scored, such as
    the gold test split's, is not trained on: ``reviews_held_out``), write ``config.models_dir/<codebook>-<time>`` (or
    ``output``), record scores before (the model in use, see ``model_dir_in_use``) and after, re-code every unit
    segment with the new model and record the version in the store. The codebook is the latest version edited in
    the review app when there is one (the model folder keeps it as ``codebook.yaml``), else ``config.codebook``.
    Returns a summary dict; ``"unchanged": True`` (nothing trained or written) where the model in use, or the latest
    one retrain recorded, was trained on the same texts, labels and codebook. A re-coding that fails or is interrupted removes the new model folder."""
    reviewed = store.reviewed_texts()
    in_use = model_dir_in_use(config, store)
    edited = store.latest_codebook()
    with tempfile.TemporaryDirectory(prefix="synthesis-codebook-") as folder:
        train_config = config
        if edited is not None:
            path = Path(folder) / "codebook.yaml"
            path.write_text(training_text(edited), encoding="utf-8")
            train_config = config.model_copy(update={"codebook": path})
        data = training_data(train_config, reviewed)
        latest = store.latest_model()
        for trained_before in (in_use, *([Path(latest[0])] if latest else [])):
            if data.trained(trained_before, config.seed):  # no review, gold or codebook edit since: the same model
                return {"unchanged": True, "version": _version(trained_before), "path": str(trained_before),
                        "reviews_used": data.reviews_used, "reviews_held_out": data.reviews_held_out}
        try:
            before = _scores(config, in_use)
        except ModelError:  # no current model: nothing to compare with
            before = {}
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
        output = (output or config.models_dir / f"lnob-coder-{stamp}").resolve()  # later runs may start elsewhere
        existed = output.exists()
        trained = train(train_config, output, progress=progress, data=data)
    default_version = _version(Config.model_fields["model_dir"].default)  # the model this one replaces
    metrics = trained["metrics"]
    after = {name: {"groups": metrics[name]["groups"]["micro_f1"], "causes": metrics[name]["causes"]["micro_f1"]}
             for name in ("test", "real_dev") if name in metrics}
    new_config = config.model_copy(update={"model_dir": output, "codebook": output / "codebook.yaml"}
                                   if edited is not None else {"model_dir": output})
    recorded = False
    try:
        with store.recorded_run("retrain", new_config.model_dump(mode="json")) as run_id:
            coding = code_store(new_config, store, run_id, progress)
            store.record_model_version(trained["version"], str(output), trained["training_data_sha256"],
                                       {"before": before, "after": after, "default_model_version": default_version})
            recorded = True
            summary = {"version": trained["version"], "path": str(output), "reviews_used": trained["reviews_used"],
                       "reviews_held_out": trained["reviews_held_out"],
                       "codebook": f"{trained['codebook']} (stored version {edited.id})" if edited
                       else trained["codebook"], "before": before, "after": after, "coding": coding,
                       "real_eval_skipped": trained["real_eval_skipped"]}
            store.finish_run(run_id, "ok", summary)
    except BaseException:
        if not recorded and not existed:  # re-coding failed or was interrupted (Ctrl-C): no unused model left behind
            shutil.rmtree(output, ignore_errors=True)
        raise
    return summary
