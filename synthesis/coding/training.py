"""Training a coding model from gold splits and writing its versioned directory with metrics and model card."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from synthesis.coding.codebook import DEFAULT_CODEBOOK, Codebook, load_codebook
from synthesis.coding.evaluate import score
from synthesis.coding.inputs import read_labelled
from synthesis.coding.model import SCORING_REVISION, CodingModel
from synthesis.coding.model_card import model_card
from synthesis.coding.model_io import check_output, save_model
from synthesis.config import Config
from synthesis.embeddings import Embedder
from synthesis.errors import InputError
from synthesis.language import LanguageDetector
from synthesis.progress import SILENT, Progress
from synthesis.records import LabelledText
from synthesis.segment import normalise


BUNDLED_GOLD = DEFAULT_CODEBOOK.parents[1] / "lnob-2016" / "gold"
# An optional file beside the splits: labelled texts that train the cause classifier only (see CodingModel.fit)
CAUSES_ONLY = "train-causes.jsonl"


def text_detector(config: Config) -> LanguageDetector:
    """The language detector for texts coded on their own (`synthesis code`, gold files): from 10 characters, as
    such a text has no document whose language a shorter one could take."""
    return LanguageDetector(config.languages, min_chars=10)


def with_languages(items: Sequence[LabelledText], detector: LanguageDetector) -> list[LabelledText]:
    languages = detector.detect([i.text for i in items], [i.language or "en" for i in items])
    return [i if i.language else replace(i, language=lang) for i, lang in zip(items, languages)]


def real_eval_items(config: Config, codebook, detector: LanguageDetector) -> tuple[list[LabelledText] | None, str]:
    """The real-text evaluation file's texts with their languages, or (None, why) where there are none to score: no
    file (why is empty for the default file, which many machines lack), or the default file (a setting the user did
    not make) labelled with codes this codebook lacks, as it is for a codebook of one's own. A file the user named
    must fit the codebook."""
    path = config.real_eval
    if not path.is_file():
        if "real_eval" in config.model_fields_set:  # a file the user named: a typo is not passed over in silence
            return None, f"real_eval not scored: {path} {'is not a file' if path.exists() else 'not found'}"
        return None, ""  # the default file, beside the repository (../shared): absent on many machines
    try:
        items = read_labelled(path, codebook)
    except InputError:
        if "real_eval" in config.model_fields_set:
            raise
        labels = {code for item in read_labelled(path) for code in item.groups + item.causes}  # a broken file raises
        foreign = sorted(labels - {code.id for code in codebook.codes})
        if not foreign:
            raise
        return None, (f"real_eval not scored: {path} is labelled with codes the codebook {codebook.name} does not "
                      f"have ({', '.join(foreign[:3])}{', ...' if len(foreign) > 3 else ''})")
    return with_languages(items, detector), ""


def data_sha256(items: Sequence[LabelledText]) -> str:
    """A hash of everything in ``items`` that the model learns from; the language too, which picks the phrases a
    text is matched with."""
    canonical = json.dumps([[i.id, i.text, i.language, sorted(i.groups), sorted(i.causes)] for i in items],
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _same(text: str) -> str:
    """A text as compared with another: as ingest stores a segment (NFC, no invisible characters, white space
    folded), which a gold text may not be."""
    return normalise(text)


@dataclass(frozen=True)
class TrainingData:
    """What ``train`` learns from and scores on, read and checked before any training."""

    codebook_path: Path
    codebook: Codebook
    splits: dict[str, list[LabelledText]]  # train (with the extra texts), dev, test
    real: list[LabelledText] | None  # the real-text file, when scored
    real_skipped: str  # why it is not scored, or ""
    causes_only: list[LabelledText]
    reviews_used: int
    reviews_held_out: int

    @property
    def sha256(self) -> str:
        return data_sha256(self.splits["train"] + self.splits["dev"] + self.causes_only)

    def trained(self, model_dir: Path, seed: int) -> bool:
        """Whether the model in ``model_dir`` was trained on exactly this data, with this codebook, scoring code and
        seed: training again would write the same model."""
        try:
            info = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return (isinstance(info, dict) and info.get("training_data_sha256") == self.sha256
                and info.get("codebook_sha256") == self.codebook.sha256
                and info.get("scoring_revision") == SCORING_REVISION and info.get("seed") == seed)


def training_data(config: Config, extra: Sequence[LabelledText] = ()) -> TrainingData:
    """The gold splits, the causes-only file and the real-text file, with ``extra`` labelled texts (reviews) taking
    precedence over gold texts with the same text; an ``extra`` text that is also one of dev, test or the real-text
    file is not trained on (``reviews_held_out``): those scores stay held out."""
    codebook_path = config.codebook or DEFAULT_CODEBOOK
    codebook = load_codebook(codebook_path)
    detector = text_detector(config)
    splits = {}
    for name in ("train", "dev", "test"):
        path = config.gold_dir / f"{name}.jsonl"
        if not path.is_file():
            raise InputError(path, "gold split not found")
        splits[name] = with_languages(read_labelled(path, codebook), detector)
    real, skipped = real_eval_items(config, codebook, detector)  # read before training: its errors come first
    causes_path = config.gold_dir / CAUSES_ONLY
    causes_only = with_languages(read_labelled(causes_path, codebook), detector) if causes_path.is_file() else []
    scored = {_same(i.text) for items in (splits["dev"], splits["test"], real or ()) for i in items}
    held_out = [i for i in extra if _same(i.text) in scored]
    extra = [i for i in extra if _same(i.text) not in scored]
    overridden = {_same(i.text) for i in extra}
    splits["train"] = ([i for i in splits["train"] if _same(i.text) not in overridden]
                       + list(with_languages(extra, detector)))
    causes_only = [i for i in causes_only if _same(i.text) not in overridden]
    return TrainingData(codebook_path, codebook, splits, real, skipped, causes_only, len(extra), len(held_out))


def train(config: Config, output: Path | None = None, extra: Sequence[LabelledText] = (),
          progress: Progress = SILENT, data: TrainingData | None = None) -> dict:
    """Train on the gold train split (plus ``extra`` labelled texts: see ``training_data``, or the ``data`` it read)
    and, where the gold folder has one, its causes-only file; tune thresholds on dev and out-of-fold training
    predictions, score test and the real-text file, and write the model directory."""
    output = output or config.model_dir
    check_output(output)  # before the work, not after it
    data = data or training_data(config, extra)
    codebook, splits, real, causes_only = data.codebook, data.splits, data.real, data.causes_only
    train_items = splits["train"]
    embedder = Embedder(config.cache_dir, precision=config.embedding_precision)
    with progress.task("Training the coding model") as task:
        model = CodingModel(codebook, embedder=embedder, seed=config.seed).fit(train_items, splits["dev"], causes_only)
        task.advance()
    evaluations = [("dev", splits["dev"]), ("test", splits["test"])]
    if real is not None:
        evaluations.append(("real_dev", real))
    metrics = {}
    with progress.task("Scoring", total=len(evaluations)) as task:
        for name, items in evaluations:
            metrics[name] = score(items, model.predict([i.text for i in items], [i.language for i in items]), codebook)
            task.advance()
    data_hash = data.sha256
    # the codebook's patterns and the scoring code are part of the model: a change to either is a new version
    # (stores re-code)
    identity = f"{data_hash}{codebook.sha256}{SCORING_REVISION}"
    if model.threshold_folds_used_:  # the seeded folds decide thresholds too: another seed is another version
        identity += f"|threshold_folds={model.threshold_folds_used_}|seed={model.seed}"
    version = f"{codebook.name}-{hashlib.sha256(identity.encode()).hexdigest()[:10]}"
    info = {"version": version, "training_data_sha256": data_hash, "codebook": codebook.name,
            "codebook_sha256": codebook.sha256, "train_size": len(train_items), "causes_only_size": len(causes_only),
            "dev_size": len(splits["dev"]), "test_size": len(splits["test"]), "reviews_used": data.reviews_used,
            "reviews_held_out": data.reviews_held_out,
            "threshold_folds_used": model.threshold_folds_used_,
            "group_thresholds": model.group_thresholds_, "cause_thresholds": model.cause_thresholds_}
    sources = {"gold": str(config.gold_dir), "real_eval": str(config.real_eval),
               "bundled": config.gold_dir.resolve() == BUNDLED_GOLD}
    save_model(model, output, info, data.codebook_path,
               {"metrics.json": json.dumps(metrics, indent=2, sort_keys=True) + "\n",
                "README.md": model_card(info, metrics, codebook, sources)})
    return {"path": str(output), **info, "metrics": metrics, "real_eval_skipped": data.real_skipped}
