"""The ``synthesis`` command: a thin layer that parses options, calls the package and prints results."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, SpinnerColumn, TextColumn
from rich.progress import TimeElapsedColumn
from rich.table import Table

from synthesis import __version__
from synthesis.config import Config, load_config
from synthesis.errors import SynthesisError
from synthesis.progress import SILENT, Progress, Task
from synthesis.records import CorpusSummary, IngestSummary

app = typer.Typer(help="Qualitative analysis and report synthesis for Leave No One Behind dialogues.",
                  no_args_is_help=True, add_completion=False)
out = Console()
err = Console(stderr=True)

ConfigOption = Annotated[Optional[Path], typer.Option("--config", help="TOML file of settings (see ARCHITECTURE.md).")]
DbOption = Annotated[Optional[str], typer.Option("--db", help="Store URL; default sqlite:///OUT/project.sqlite.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or summary; problems still show.")]


class _RichTask(Task):
    def __init__(self, bars: RichProgress, label: str, total: float | None):
        super().__init__()
        self._bars, self._id = bars, bars.add_task(label, total=total)

    def advance(self, amount: float = 1) -> None:
        super().advance(amount)
        self._bars.advance(self._id, amount)

    def close(self) -> None:
        self._bars.remove_task(self._id)


class _RichProgress(Progress):
    def __init__(self) -> None:
        self.bars = RichProgress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True)

    def task(self, label: str, total: float | None = None) -> Task:
        return _RichTask(self.bars, label, total)


def _progress(quiet: bool) -> Progress:
    return SILENT if quiet or not err.is_terminal else _RichProgress()


class _OneLine(logging.Formatter):
    """``warning: <file>: <reason>``, one line per problem, never wrapped."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}".replace("\n", " ")


def _setup_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)


def _fail(error: SynthesisError) -> None:
    print(f"error: {error}", file=sys.stderr)
    raise typer.Exit(1)


def _with_bars(progress: Progress, job):
    if isinstance(progress, _RichProgress):
        with progress.bars:
            return job()
    return job()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False) -> None:
    _setup_logging()
    if version:
        out.print(__version__)
        raise typer.Exit()


@app.command()
def run(
    corpus_dir: Annotated[Optional[Path], typer.Argument(help="Corpus folder (default corpora/lnob-2016).")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Output folder (default build/).")] = None,
    db: DbOption = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """The main job: ingest the corpus into the store and summarise it."""
    from synthesis import pipeline

    try:
        config = load_config(config_file, corpus_dir=corpus_dir, out_dir=out_dir, db_url=db)
        progress = _progress(quiet)
        result = _with_bars(progress, lambda: pipeline.run(config, progress))
    except SynthesisError as error:
        _fail(error)
    if not quiet:
        _print_ingest(result.ingest)
        _print_corpus(result.corpus, config)
    if not result.ingest.ok:
        raise typer.Exit(1)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.docx .pdf .txt .md .csv .xlsx).")],
    db: DbOption = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Ingest transcripts and consultation exports into the store (re-ingesting unchanged files adds nothing)."""
    from synthesis.ingest import ingest_paths
    from synthesis.store import Store

    try:
        config = load_config(config_file, db_url=db)
        progress = _progress(quiet)
        with Store(config.store_url) as store:
            run_id = store.start_run("ingest", config.model_dump(mode="json"))
            summary = _with_bars(progress, lambda: ingest_paths(paths, store, config, progress, run_id))
            store.finish_run(run_id, "ok" if summary.ok else "partial", {"problems": summary.problems})
    except SynthesisError as error:
        _fail(error)
    if not quiet:
        _print_ingest(summary)
    if not summary.ok:
        raise typer.Exit(1)


def _print_ingest(summary: IngestSummary) -> None:
    line = f"{summary.ingested} ingested, {summary.skipped} skipped"
    if summary.unchanged:
        line += f", {summary.unchanged} unchanged"
    if summary.replaced:
        line += f" ({summary.replaced} replaced a changed file)"
    if summary.rows_skipped:
        line += f"; {summary.rows_skipped} rows skipped"
    out.print(line + f"; {summary.documents} documents, {summary.segments} segments added", highlight=False)


def _print_corpus(corpus: CorpusSummary, config: Config) -> None:
    table = Table(title=f"Store {config.store_url}", show_header=False)
    table.add_row("documents", f"{corpus.documents:,} ({corpus.sources} files)")
    table.add_row("segments", f"{corpus.segments:,}")
    table.add_row("respondents", f"{corpus.respondents:,}")
    table.add_row("countries", f"{corpus.countries} ({corpus.dialogue_countries} with a dialogue)")
    table.add_row("languages", ", ".join(f"{k or '?'} {v:,}" for k, v in corpus.languages.items()))
    out.print(table)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
