"""The main job, one stage after another: ``run(config)``."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from synthesis.coding import code_store
from synthesis.config import Config
from synthesis.errors import ModelError, ReportError
from synthesis.ingest import ingest_paths
from synthesis.progress import SILENT, Progress
from synthesis.records import CorpusSummary, IngestSummary
from synthesis.review.retrain import coding_config
from synthesis.report import ReportSummary, build_reports
from synthesis.report.data import count_countries
from synthesis.store import Store
from synthesis.themes import ThemeSummary, build_themes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunResult:
    run_id: int
    ingest: IngestSummary
    corpus: CorpusSummary
    coding: dict
    themes: ThemeSummary
    reports: ReportSummary | None

    @property
    def ok(self) -> bool:
        return self.ingest.ok and bool(self.coding) and self.reports is not None


def run(config: Config, progress: Progress = SILENT) -> RunResult:
    """Ingest the corpus's dialogues and consultation, code every segment, cluster themes, write the reports."""
    config.out_dir.mkdir(parents=True, exist_ok=True)
    with Store(config.store_url) as store, store.recorded_run("run", config.model_dump(mode="json")) as run_id:
        inputs = [config.corpus_dir / "dialogues", config.corpus_dir / "consultation"]
        ingest = ingest_paths([p for p in inputs if p.exists()] or [config.corpus_dir], store, config, progress,
                              run_id)
        corpus = count_countries(store.corpus_summary())  # spellings of one country once, as in the reports
        try:
            config = coding_config(config, store)  # the latest retrained model, when there is one
            coding = code_store(config, store, run_id, progress)
        except ModelError as error:
            log.warning("coding skipped: %s", error)
            coding = {}
        themes = build_themes(config, store, run_id, progress)
        try:
            reports = build_reports(config, store, progress)
        except ReportError as error:
            log.warning("reports not written: %s", error)
            reports = None
        result = RunResult(run_id, ingest, corpus, coding, themes, reports)
        store.finish_run(run_id, "ok" if result.ok else "partial",
                         {"ingest": asdict(ingest), "corpus": asdict(corpus), "coding": coding,
                          "themes": themes.facts(), "reports": _report_facts(reports)})
    return result


def _report_facts(reports: ReportSummary | None) -> dict | None:
    if reports is None:
        return None
    return {"reports": len(reports.country_reports) + bool(reports.global_report), "quotes": reports.quotes,
            "redacted": reports.redacted, "reviewed_units": reports.reviewed_units, "seconds": reports.seconds}
