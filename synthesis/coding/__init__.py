"""Coding: who is left behind (excluded groups) and why (root causes), per segment.

Public API: ``load_codebook``, ``CodingModel``, ``train``, ``load_model``, ``code_file``, ``code_store``,
``evaluate_file``, ``code_labelled``.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

from synthesis.coding.codebook import Codebook, load_codebook
from synthesis.coding.evaluate import disagreements, score
from synthesis.coding.inputs import check_source, read_labelled, read_texts
from synthesis.coding.model import CodingModel
from synthesis.coding.model_io import load_model
from synthesis.coding.training import text_detector, train, with_languages
from synthesis.config import Config
from synthesis.embeddings import Embedder
from synthesis.errors import InputError
from synthesis.language import LanguageDetector
from synthesis.progress import SILENT, Progress
from synthesis.records import Coding, LabelledText

log = logging.getLogger(__name__)

__all__ = ["Codebook", "CodingModel", "load_codebook", "load_model", "train", "code_file", "code_store",
           "evaluate_file", "code_labelled", "CodeSummary"]

BATCH = 512


@dataclass
class CodeSummary:
    coded: int = 0
    failed: int = 0
    problems: list[str] | None = None


def _model(config: Config, model_dir: Path | None, codebook: Path | None = None) -> CodingModel:
    embedder = Embedder(config.cache_dir, precision=config.embedding_precision)
    return load_model(model_dir or config.model_dir, embedder, codebook)


def code_file(config: Config, source: Path, output: Path, model_dir: Path | None = None,
              progress: Progress = SILENT, codebook: Path | None = None) -> CodeSummary:
    """Code every text of ``source`` and write one JSON line per input, in input order, to ``output``
    (written to a temporary file, then renamed; where no line could be coded, an earlier ``output`` stays as it was).
    Bad lines are reported and left out. ``codebook`` replaces the
    model's own codebook for finding mentions (same top-level codes)."""
    check_source(source)
    _check_output(output, source)
    model = _model(config, model_dir, codebook)
    detector = text_detector(config)
    summary = CodeSummary(problems=[])

    def problem(error: InputError) -> None:
        log.error("%s", error)
        summary.problems.append(str(error))
        summary.failed += 1

    partial = _temporary(output)
    created = [folder for folder in (output.parent, *output.parent.parents) if not folder.exists()]
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(output, f"cannot create its folder {output.parent}: {error.strerror}") from None
    try:
        with open(partial, "x", encoding="utf-8") as handle, progress.task("Coding", None) as task:
            batch = []
            for item in read_texts(source, problem):
                batch.append(item)
                if len(batch) >= BATCH:
                    _write(handle, model, detector, batch)
                    summary.coded += len(batch)
                    task.advance(len(batch))
                    batch = []
            if batch:
                _write(handle, model, detector, batch)
                summary.coded += len(batch)
                task.advance(len(batch))
        if not summary.coded:  # an earlier output stays as it was
            raise InputError(source, f"no line could be coded (see above): {output} not written" if summary.failed
                             else "no texts to code")
        os.replace(partial, output)
    except OSError as error:
        _remove(partial, created)
        reading = error.filename is not None and Path(error.filename) == source
        raise InputError(source if reading else output,
                         f"cannot {'read' if reading else 'write'} it: {error.strerror}") from None
    except BaseException:
        _remove(partial, created)  # nothing half-written is left behind
        raise
    return summary


def _remove(partial: Path, folders: list[Path]) -> None:
    """Remove a partial output and the folders made for it (innermost first, each only if still empty)."""
    _unlink(partial)
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            break


def _write(handle, model: CodingModel, detector: LanguageDetector, batch) -> None:
    texts = [item.text for item in batch]
    unknown = [i for i, item in enumerate(batch) if not item.language]  # the others gave theirs
    detected = dict(zip(unknown, detector.detect([texts[i] for i in unknown], ["en"] * len(unknown))))
    languages = [item.language or detected[i] for i, item in enumerate(batch)]
    for item, coding in zip(batch, model.predict(texts, languages)):
        record = {"id": item.id, "groups": list(coding.groups), "causes": list(coding.causes),
                  "mentions": [asdict(m) for m in coding.mentions],
                  "group_scores": dict(coding.group_scores), "cause_scores": dict(coding.cause_scores)}
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def evaluate_file(config: Config, gold: Path, model_dir: Path | None = None, codebook: Path | None = None,
                  errors: Path | None = None) -> dict:
    """Score the model on a gold JSONL file: per code, micro and macro F1, per language. ``errors``: also write the
    texts whose coding differs from their labels there, one JSON line each (``evaluate.disagreements``)."""
    check_source(gold)
    if errors is not None:
        _check_output(errors, gold)
    model = _model(config, model_dir, codebook)
    items, codings = _code_labelled(config, model, read_labelled(gold, model.codebook))
    report = {"model": getattr(model, "version", str(model_dir or config.model_dir)), "gold": str(gold),
              **score(items, codings, model.codebook)}
    if errors is not None:
        records = disagreements(items, codings, model.codebook)
        _write_lines(errors, (json.dumps(r, ensure_ascii=False) for r in records))
        report["disagreements"] = {"file": str(errors), "texts": len(records)}
    return report


def code_labelled(config: Config, items: Sequence[LabelledText], model_dir: Path | None = None,
                  codebook: Path | None = None) -> tuple[CodingModel, list[Coding]]:
    """The model of ``model_dir`` (default: the configured one) and its codings of labelled ``items``, in order
    (each text's language detected where it has none); ``codebook`` as in ``code_file``."""
    model = _model(config, model_dir, codebook)
    return model, _code_labelled(config, model, items)[1]


def _code_labelled(config: Config, model: CodingModel,
                   items: Sequence[LabelledText]) -> tuple[list[LabelledText], list[Coding]]:
    items = with_languages(items, text_detector(config))
    return items, model.predict([i.text for i in items], [i.language for i in items])


def _check_output(output: Path, source: Path) -> None:
    """Refuse, before any work, an output that cannot be written: a folder, the input, or a path under a file."""
    if output.is_dir():
        raise InputError(output, "is a folder: name the JSONL file to write")
    if output.exists() and output.resolve() == source.resolve():
        raise InputError(output, "is the input file: name another file to write")
    above = next((folder for folder in output.parents if folder.exists()), None)
    if above is not None and not above.is_dir():
        raise InputError(output, f"cannot be written: {above} is a file, not a folder")


def _temporary(path: Path) -> Path:
    """A name beside ``path`` that no file has, for the temporary file it is written through (created with "x":
    a file of the user's is never overwritten, and the file gets the usual permissions)."""
    name = path.name
    while len(name.encode("utf-8", "surrogateescape")) > 200:  # a long name of the user's still fits in 255 bytes
        name = name[:-1]
    return path.with_name(f".{name}.{uuid.uuid4().hex[:12]}.partial")


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # a folder, or no access: the error that brought us here is the one to report
        pass


def _write_lines(path: Path, lines) -> None:
    """Write ``lines`` to ``path`` through a temporary file renamed at the end: nothing half-written is left."""
    partial = _temporary(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "x", encoding="utf-8") as handle:
            for line in lines:
                handle.write(line + "\n")
        os.replace(partial, path)
    except OSError as error:
        _unlink(partial)
        raise InputError(path, f"cannot write it: {error.strerror}") from None
    except BaseException:
        _unlink(partial)  # nothing half-written is left behind
        raise


def code_store(config: Config, store, run_id: int, progress: Progress = SILENT) -> dict:
    """Code every stored unit segment not yet coded by this model version; store predictions with the version."""
    model = _model(config, None)
    version = model.version
    # the thresholds the review queue measures uncertainty against, under the version that codes (which may end in
    # +r<revision> or +codebook-<hash>, unlike the one in the model folder's config.json)
    store.record_thresholds(version, {"group": model.group_thresholds_, "cause": model.cause_thresholds_})
    total = 0
    with progress.task("Coding segments", store.count_units(uncoded_by=version)) as task:
        for batch in store.iter_unit_batches(BATCH * 4, uncoded_by=version):
            codings = model.predict([s.text for s in batch], [s.language for s in batch])
            store.write_predictions(run_id, version, list(zip(batch, codings)))
            total += len(batch)
            task.advance(len(batch))
    store.record_coding(run_id, version)  # the version in use, also when every segment was coded already
    return {"model_version": version, "segments_coded": total, "segments_total": store.count_units()}
