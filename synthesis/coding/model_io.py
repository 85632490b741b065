"""Saving and loading coding models as versioned directories under ``models/``.

A model directory holds ``model.joblib`` (the learned state), ``config.json`` (format and scoring revisions,
codebook, seed, hash of the training data), a copy of the codebook, ``metrics.json`` and a model card ``README.md``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path

import joblib

from synthesis.coding.codebook import CAUSE, GROUP, Codebook, load_codebook
from synthesis.coding.mentions import CandidateFinder
from synthesis.coding.model import SCORING_REVISION, CodingModel
from synthesis.embeddings import Embedder
from synthesis.errors import ConfigError, ModelError
from synthesis.staging import sweep

FORMAT_VERSION = 1
_LEARNED = ("group_ids_", "cause_ids_", "mention_vectorizer_", "disambiguator_", "tfidf_", "cause_models_",
            "group_thresholds_", "cause_thresholds_")


MODEL_FILES = frozenset({"model.joblib", "config.json", "codebook.yaml", "metrics.json", "README.md"})


def is_model_dir(directory: Path) -> bool:
    return (directory / "config.json").is_file() and (directory / "model.joblib").is_file()


def _target(directory: Path) -> Path:
    """The folder a save writes: absolute (so ``.`` has a name and a parent), a symbolic link's target."""
    directory = Path(os.path.abspath(directory))
    return directory.resolve() if directory.is_symlink() else directory


def check_output(directory: Path) -> None:
    """Raise ``ModelError`` when ``directory`` cannot receive a model: it must be new, an empty folder, or a model
    folder holding only a model's files (it is replaced, so its files must be ours to remove), and its nearest
    existing parent a folder we may write in. Checked before training starts."""
    directory = _target(directory)
    try:
        if directory.exists() and not directory.is_dir():
            raise ModelError(f"{directory}: is a file; name a folder to write the model to")
        if directory.is_dir():
            names = {p.name for p in directory.iterdir()}
            if names and not (is_model_dir(directory) and names <= MODEL_FILES):
                raise ModelError(f"{directory}: holds files that are not a coding model's; name a new or empty "
                                 "folder (a model folder is replaced)")
            if names and not os.access(directory, os.W_OK | os.X_OK):
                raise ModelError(f"{directory}: cannot replace the model there (its files cannot be removed: "
                                 "permission denied)")
        parent = next((p for p in directory.parents if p.exists()), None)
        if parent is not None and not parent.is_dir():
            raise ModelError(f"{directory}: cannot be created, {parent} is a file")
        if parent is not None and not os.access(parent, os.W_OK | os.X_OK):
            raise ModelError(f"{directory}: cannot write the model there ({parent}: permission denied)")
    except OSError as error:
        raise ModelError(f"{directory}: cannot write the model there ({error.strerror or error})") from None


def save_model(model: CodingModel, directory: Path, config: dict, codebook_path: Path,
               files: dict[str, str] | None = None) -> None:
    """Write ``model`` (and ``files``, name to text, such as metrics and the model card) into ``directory``:
    written in a hidden folder beside it, then renamed into place, so a failure or an interruption leaves nothing
    half-written and an existing model folder as it was. A path ``check_output`` refuses, or one that cannot be
    written, raises ``ModelError``."""
    model._check_fitted()
    check_output(directory)
    directory = _target(directory)
    sweep(directory.parent, ".*.partial-*")  # left by a run killed while it wrote (any model folder's)
    staging = directory.with_name(f".{directory.name}.partial-{os.getpid()}-{secrets.token_hex(4)}")
    created: list[Path] = []
    try:
        created = [folder for folder in directory.parents if not folder.exists()]
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()  # the umask's usual permissions, like any folder the user makes
        joblib.dump({name: getattr(model, name) for name in _LEARNED}, staging / "model.joblib", compress=3)
        shutil.copy(codebook_path, staging / "codebook.yaml")
        settings = {"format_version": FORMAT_VERSION, "scoring_revision": SCORING_REVISION, "seed": model.seed,
                    "C": model.C, "threshold_folds": model.threshold_folds,
                    "uses_embeddings": model.embedder is not None, **config}
        texts = {"config.json": json.dumps(settings, indent=2, sort_keys=True) + "\n", **(files or {})}
        for name, text in texts.items():
            (staging / name).write_text(text, encoding="utf-8")
        if directory.exists():  # a model folder (or an empty one): removed only once the new model is in place
            old = staging.with_name(staging.name + "-old")
            directory.rename(old)
            try:
                staging.rename(directory)
            except BaseException:
                old.rename(directory)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(directory)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in created:  # innermost first, each only if still empty
            try:
                folder.rmdir()
            except OSError:
                break
        if isinstance(error, OSError):
            raise ModelError(f"{directory}: cannot write the model there ({error.strerror or error})") from None
        raise


def load_model(directory: Path, embedder: Embedder | None = None, codebook_path: Path | None = None) -> CodingModel:
    """The model stored in ``directory``; a missing or incompatible directory raises ``ModelError``.

    ``codebook_path`` names a codebook that replaces the one the model was trained with (its patterns, sub-codes
    and not-patterns) in finding mentions; its top-level codes must be the model's."""
    directory = Path(directory)
    config_path = directory / "config.json"
    if not config_path.is_file() or not (directory / "model.joblib").is_file():
        raise ModelError(f"{directory}: not a coding model directory (config.json and model.joblib expected); "
                         "train one with `synthesis train`")
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ModelError(f"{config_path}: unreadable ({error.msg})") from None
    except UnicodeDecodeError:
        raise ModelError(f"{config_path}: unreadable (not UTF-8 text)") from None
    except OSError as error:
        raise ModelError(f"{config_path}: unreadable ({error.strerror or error})") from None
    if not isinstance(config, dict):
        raise ModelError(f"{config_path}: unreadable (a JSON object was expected)")
    given = config.get("format_version")
    if given != FORMAT_VERSION or not isinstance(given, int) or isinstance(given, bool):
        shown = given if isinstance(given, int) and not isinstance(given, bool) else json.dumps(given)  # "1" is no 1
        raise ModelError(f"{directory}: model format {shown} is not supported by this version "
                         f"(expects the number {FORMAT_VERSION}); retrain with `synthesis train`")
    try:
        codebook = load_codebook(directory / "codebook.yaml")
    except ConfigError as error:  # the model folder's own copy: a damaged model, not a setting to fix
        raise ModelError(f"{error}; restore the model folder's codebook.yaml or retrain with `synthesis train`") \
            from None
    if config.get("uses_embeddings") and embedder is None:
        embedder = Embedder()
    missing = [key for key in ("seed", "C") if key not in config]
    if missing:
        raise ModelError(f"{config_path}: no {' or '.join(repr(k) for k in missing)} setting; retrain with "
                         "`synthesis train`")
    model = CodingModel(codebook, embedder=embedder if config.get("uses_embeddings") else None,
                        seed=config["seed"], C=config["C"],
                        threshold_folds=config.get("threshold_folds", 0))  # older models: tuned on dev alone
    try:
        state = joblib.load(directory / "model.joblib")
    except Exception as error:  # joblib/pickle raise many types for a damaged or foreign file
        raise ModelError(f"{directory / 'model.joblib'}: cannot be loaded ({error.__class__.__name__}); "
                         "retrain with `synthesis train`") from None
    problem = _state_problem(state, codebook, bool(config.get("uses_embeddings")))
    if problem:
        raise ModelError(f"{directory / 'model.joblib'}: {problem}; retrain with `synthesis train`")
    for name in _LEARNED:
        setattr(model, name, state[name])
    model.finder_ = CandidateFinder(codebook)
    model.version = config.get("version", directory.name)
    if not isinstance(model.version, str) or not model.version:
        raise ModelError(f"{config_path}: unreadable (its \"version\" must be text); retrain with `synthesis train`")
    if config.get("scoring_revision", 1) != SCORING_REVISION:
        # trained before a change to the scoring code: it now predicts differently, so it is a different version
        # (stores coded with the old one are coded again)
        model.version += f"+r{SCORING_REVISION}"
    if codebook_path is not None:
        _use_codebook(model, load_codebook(codebook_path), codebook_path, directory)
    trained_with = config.get("codebook_sha256")
    if not isinstance(trained_with, str):
        trained_with = codebook.sha256  # older models: the folder's copy is the codebook it was trained with
    if model.codebook.sha256 != trained_with:
        # another codebook than the model was trained with (``codebook_path``, or codebook.yaml edited since):
        # other patterns, other predictions
        model.version += f"+codebook-{model.codebook.sha256[:10]}"
    return model


def _state_problem(state, codebook: Codebook, uses_embeddings: bool) -> str | None:
    """Why ``state`` cannot be this directory's model (None when it can)."""
    if not isinstance(state, dict) or not all(name in state for name in _LEARNED):
        return "not a coding model's learned state"
    kinds = {"group_ids_": list, "cause_ids_": list, "cause_models_": dict, "group_thresholds_": dict,
             "cause_thresholds_": dict}
    fitted = {"mention_vectorizer_": "vocabulary_", "disambiguator_": "coef_", "tfidf_": "vocabulary_"}
    if any(not isinstance(state[name], kind) for name, kind in kinds.items()) or any(
            not hasattr(state[name], attribute) for name, attribute in fitted.items()):
        return "a damaged learned state"
    for kind, name in ((GROUP, "group_ids_"), (CAUSE, "cause_ids_")):
        if set(codebook.ids(kind)) != set(state[name]):
            return f"its {kind} codes are not those of the codebook.yaml beside it"
    for name, ids in (("group_thresholds_", "group_ids_"), ("cause_thresholds_", "cause_ids_"),
                      ("cause_models_", "cause_ids_")):
        if set(state[name]) != set(state[ids]):
            return "a damaged learned state (its codes do not match)"
    numbers = [*state["group_thresholds_"].values(), *state["cause_thresholds_"].values()]
    if not all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in numbers) or not all(
            isinstance(m, float) or hasattr(m, "predict_proba") for m in state["cause_models_"].values()):
        return "a damaged learned state"
    plain = len(state["tfidf_"].vocabulary_) + len(state["cause_ids_"])  # the cause features without embeddings
    for model in state["cause_models_"].values():
        width = getattr(model, "n_features_in_", None)
        if width is not None and (width > plain) != uses_embeddings:
            return "its cause classifiers do not match config.json's uses_embeddings"
    return None


def _use_codebook(model: CodingModel, codebook: Codebook, path: Path, directory: Path) -> None:
    """Find mentions with ``codebook``'s patterns. The trained parts are kept: the disambiguator scores a phrase
    it never saw by its code and context only, and the cause classifiers read the new cause cues."""
    for kind, trained in ((GROUP, model.group_ids_), (CAUSE, model.cause_ids_)):
        ids = codebook.ids(kind)
        if set(ids) != set(trained):
            missing, extra = sorted(set(trained) - set(ids)), sorted(set(ids) - set(trained))
            detail = "; ".join(part for part in (f"missing {', '.join(missing)}" if missing else "",
                                                 f"not trained {', '.join(extra)}" if extra else "") if part)
            raise ModelError(f"{path}: its top-level {kind} codes differ from the model in {directory} ({detail}); "
                             f"train a model on this codebook with `synthesis train --codebook {path}`")
    model.codebook = codebook
    model.finder_ = CandidateFinder(codebook)
