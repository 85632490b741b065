"""The main job, one stage after another: ``run(config)``."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from synthesis.config import Config
from synthesis.ingest import ingest_paths
from synthesis.progress import SILENT, Progress
from synthesis.records import CorpusSummary, IngestSummary
from synthesis.store import Store


@dataclass(frozen=True)
class RunResult:
    run_id: int
    ingest: IngestSummary
    corpus: CorpusSummary


def run(config: Config, progress: Progress = SILENT) -> RunResult:
    """Ingest the corpus's dialogues and consultation into the store and summarise what it holds."""
    config.out_dir.mkdir(parents=True, exist_ok=True)
    with Store(config.store_url) as store:
        run_id = store.start_run("run", config.model_dump(mode="json"))
        inputs = [config.corpus_dir / "dialogues", config.corpus_dir / "consultation"]
        ingest = ingest_paths([p for p in inputs if p.exists()] or [config.corpus_dir], store, config, progress,
                              run_id)
        corpus = store.corpus_summary()
        store.finish_run(run_id, "ok" if ingest.ok else "partial",
                         {"ingest": asdict(ingest), "corpus": asdict(corpus)})
    return RunResult(run_id, ingest, corpus)
