"""The main job, one stage after another: ``run(config)``."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from synthesis.coding import code_store
from synthesis.config import Config
from synthesis.errors import ModelError
from synthesis.ingest import ingest_paths
from synthesis.progress import SILENT, Progress
from synthesis.records import CorpusSummary, IngestSummary
from synthesis.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunResult:
    run_id: int
    ingest: IngestSummary
    corpus: CorpusSummary
    coding: dict

    @property
    def ok(self) -> bool:
        return self.ingest.ok and bool(self.coding)


def run(config: Config, progress: Progress = SILENT) -> RunResult:
    """Ingest the corpus's dialogues and consultation, then code every segment."""
    config.out_dir.mkdir(parents=True, exist_ok=True)
    with Store(config.store_url) as store:
        run_id = store.start_run("run", config.model_dump(mode="json"))
        inputs = [config.corpus_dir / "dialogues", config.corpus_dir / "consultation"]
        ingest = ingest_paths([p for p in inputs if p.exists()] or [config.corpus_dir], store, config, progress,
                              run_id)
        corpus = store.corpus_summary()
        try:
            coding = code_store(config, store, run_id, progress)
        except ModelError as error:
            log.warning("coding skipped: %s", error)
            coding = {}
        result = RunResult(run_id, ingest, corpus, coding)
        store.finish_run(run_id, "ok" if result.ok else "partial",
                         {"ingest": asdict(ingest), "corpus": asdict(corpus), "coding": coding})
    return result
