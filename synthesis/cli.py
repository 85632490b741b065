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
out = Console(soft_wrap=True)  # a summary line is one line, however long its paths
err = Console(stderr=True, soft_wrap=True)  # notes are one line too, as errors are

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


def _recorded_run(config: Config, kind: str, progress: Progress, stage, outcome):
    """``stage(store, run_id)`` inside a run recorded in the store; ``outcome(result)`` gives its status and
    summary."""
    from synthesis.store import Store

    with Store(config.store_url) as store, store.recorded_run(kind, config.model_dump(mode="json")) as run_id:
        result = _with_bars(progress, lambda: stage(store, run_id))
        store.finish_run(run_id, *outcome(result))
    return result


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
    """The main job: ingest the corpus, code every segment, cluster themes and write the Word reports."""
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
        if result.coding:
            out.print(f"model {result.coding['model_version']}: {result.coding['segments_coded']:,} segments coded "
                      f"now, {result.coding['segments_total']:,} in the store", highlight=False)
        _print_themes(result.themes, config)
        if result.reports:
            _print_reports(result.reports)
    if result.themes.skipped:
        err.print(f"note: {result.themes.skipped}", highlight=False)
    if not result.ok:
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

    try:
        config = load_config(config_file, db_url=db)
        progress = _progress(quiet)
        summary = _recorded_run(config, "ingest", progress,
                                lambda store, run_id: ingest_paths(paths, store, config, progress, run_id),
                                lambda s: ("ok" if s.ok else "partial", {"problems": s.problems}))
    except SynthesisError as error:
        _fail(error)
    if not quiet:
        _print_ingest(summary)
    if not summary.ok:
        raise typer.Exit(1)


ModelOption = Annotated[Optional[Path], typer.Option(
    "--model", help="Model directory (default: models/lnob-coder, or a newer one `synthesis retrain` recorded in the "
    "store).")]
CodebookOption = Annotated[Optional[Path], typer.Option("--codebook", help="Codebook YAML (default: the LNOB one).")]
ModelCodebookOption = Annotated[Optional[Path], typer.Option(
    "--codebook", help="Codebook YAML whose patterns find the mentions (default: the one the model was trained "
    "with); its top-level codes must be the model's.")]


@app.command()
def train(
    output: Annotated[Optional[Path], typer.Option("--output", help="Model directory to write "
                                                   "(default models/lnob-coder).")] = None,
    gold_dir: Annotated[Optional[Path], typer.Option("--gold", help="Folder with train/dev/test.jsonl (and "
                                                     "optionally train-causes.jsonl).")] = None,
    codebook: CodebookOption = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Train the coding model from the gold splits; writes model files, metrics.json and a model card."""
    from synthesis.coding import train as train_model

    try:
        config = load_config(config_file, gold_dir=gold_dir, codebook=codebook)
        progress = _progress(quiet)
        result = _with_bars(progress, lambda: train_model(config, output, progress=progress))
    except SynthesisError as error:
        _fail(error)
    if not quiet:
        test = result["metrics"]["test"]
        line = (f"model {result['version']} written to {result['path']}: test micro-F1 groups "
                f"{test['groups']['micro_f1']:.3f}, causes {test['causes']['micro_f1']:.3f}")
        if "real_dev" in result["metrics"]:
            real = result["metrics"]["real_dev"]
            line += f"; real_dev groups {real['groups']['micro_f1']:.3f}, causes {real['causes']['micro_f1']:.3f}"
        out.print(line, highlight=False)
        if result["real_eval_skipped"]:
            out.print(f"note: {result['real_eval_skipped']}", highlight=False)


@app.command()
def code(
    input_file: Annotated[Path, typer.Option("--input", help="JSONL {id,text}, CSV (id,text) or TXT (a text a line).")],
    output: Annotated[Path, typer.Option("--output", help="JSONL to write, one object per input line.")],
    model: ModelOption = None,
    codebook: ModelCodebookOption = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Code texts from a file: groups, causes, mentions with offsets, and scores."""
    from synthesis.coding import code_file
    from synthesis.review.retrain import model_dir_for

    try:
        config = load_config(config_file)
        model = model or model_dir_for(config)  # a model `retrain` recorded in the store, unless model_dir is set
        progress = _progress(quiet)
        summary = _with_bars(progress, lambda: code_file(config, input_file, output, model, progress, codebook))
    except SynthesisError as error:
        _fail(error)
    if not quiet:
        out.print(f"{summary.coded} coded, {summary.failed} failed; written to {output}", highlight=False)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Option("--gold", help="Gold JSONL {id,text,groups,causes}.")],
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
    codebook: ModelCodebookOption = None,
    errors: Annotated[Optional[Path], typer.Option(
        "--errors", help="Also write the texts the model codes differently from their labels to this JSONL file "
                         "(codes missed and added, mentions, scores).")] = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Score the model on gold labels: per-code precision/recall/F1, micro and macro F1, per language."""
    import json as json_module

    from synthesis.coding import evaluate_file
    from synthesis.review.retrain import model_dir_for

    try:
        config = load_config(config_file)
        # the model `code` would use: one `retrain` recorded in the store, unless model_dir is set
        report = evaluate_file(config, gold, model or model_dir_for(config), codebook, errors)
    except SynthesisError as error:
        _fail(error)
    if as_json:
        print(json_module.dumps(report, indent=2, ensure_ascii=False))
    elif not quiet:
        _print_evaluation(report)
        if errors is not None:
            out.print(f"{report['disagreements']['texts']} of {report['n']} texts coded differently from their "
                      f"labels: {errors}")


# --- themes commands ---


@app.command()
def themes(
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Output folder (default build/).")] = None,
    db: DbOption = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Cluster the stored segments into themes (BERTopic) and write OUT/themes/."""
    from synthesis.themes import build_themes

    try:
        config = load_config(config_file, out_dir=out_dir, db_url=db)
        progress = _progress(quiet)
        summary = _recorded_run(config, "themes", progress,
                                lambda store, run_id: build_themes(config, store, run_id, progress),
                                lambda s: ("partial" if s.skipped else "ok", s.facts()))
    except SynthesisError as error:
        _fail(error)
    if summary.skipped:
        err.print(f"note: {summary.skipped}", highlight=False)
    if not quiet:
        _print_themes(summary, config)


def _print_themes(summary, config: Config) -> None:
    outliers = f"{summary.outliers / summary.segments:.1%}" if summary.segments else "0%"
    out.print(f"{summary.themes} themes over {summary.segments:,} segments ({outliers} outliers; fitted on "
              f"{summary.fitted_on:,} distinct texts, {summary.embedded:,} newly embedded); "
              f"{summary.renames_carried} human names carried over; files in {config.out_dir / 'themes'}",
              highlight=False)

# --- report commands ---

@app.command()
def report(
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Output folder; reports go to OUT/reports/ "
                                                    "(default build/).")] = None,
    db: DbOption = None,
    templates: Annotated[Optional[Path], typer.Option("--templates", help="Folder of Word and narrative templates "
                                                      "(default report_templates/).")] = None,
    country: Annotated[Optional[str], typer.Option("--country", help="Only this dialogue country's profile "
                                                   "(ISO code, e.g. KEN).")] = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Write the Word reports: the global synthesis, a profile per dialogue country, and evidence.jsonl."""
    from synthesis.report import build_reports
    from synthesis.review.retrain import coding_config
    from synthesis.store import Store

    try:
        config = load_config(config_file, out_dir=out_dir, db_url=db, templates_dir=templates)
        progress = _progress(quiet)
        with Store(config.store_url) as store:
            config = coding_config(config, store)  # the model whose scores the reports quote, as `run` does
            recorded = store.latest_setting("run", "corpus_dir")
            if "corpus_dir" not in config.model_fields_set and recorded and Path(recorded).is_dir():
                # the corpus `run` read: sources are cited relative to it, as `run`'s reports cite them
                config = config.model_copy(update={"corpus_dir": Path(recorded)})
            summary = _with_bars(progress, lambda: build_reports(config, store, progress, country=country))
    except SynthesisError as error:
        _fail(error)
    if not quiet:
        _print_reports(summary)


def _print_reports(summary) -> None:
    written = ([summary.global_report] if summary.global_report else []) + list(summary.country_reports)
    out.print(f"{len(written)} reports written to {summary.reports_dir} in {summary.seconds:.1f} s; "
              f"{summary.quotes:,} quotes ({summary.redacted} redacted) in {summary.evidence.name}; "
              f"{summary.reviewed_units:,} of {summary.coded_units:,} coded segments reviewed", highlight=False)
    if summary.little_data:
        out.print(f"little data: {', '.join(summary.little_data)}", highlight=False)


# --- review commands ---

review_app = typer.Typer(help="The review web app and the offline review sheet.", no_args_is_help=True)
users_app = typer.Typer(help="Review app accounts.", no_args_is_help=True)
app.add_typer(review_app, name="review")
app.add_typer(users_app, name="users")


@review_app.command("serve")
def review_serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to bind (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Serve the review web app over the store (uvicorn)."""
    import uvicorn

    from synthesis.review.app import create_app

    try:
        web = create_app(load_config(config_file, db_url=db))
    except SynthesisError as error:
        _fail(error)
    if not quiet:
        out.print(f"review app on http://{host}:{port}/ (Ctrl-C stops it)", highlight=False)
    uvicorn.run(web, host=host, port=port, log_level="warning" if quiet else "info")


@review_app.command("export")
def review_export(
    xlsx: Annotated[Path, typer.Option("--xlsx", help="Review sheet to write (.xlsx).")],
    reviewer: Annotated[str, typer.Option("--reviewer", help="Whose queue (items they have not reviewed).")] = "",
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many items, most uncertain first.")] = 500,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file (a filled-in sheet).")] = False,
    db: DbOption = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Write a review sheet of the queue for reviewers without the app."""
    from synthesis.review.sheets import export_sheet
    from synthesis.store import Store

    try:
        config = load_config(config_file, db_url=db)
        with Store(config.store_url) as store:
            count = export_sheet(config, store, xlsx, reviewer, limit=limit, force=force)
    except SynthesisError as error:
        _fail(error)
    if not quiet:
        out.print(f"{count} items written to {xlsx}", highlight=False)


@review_app.command("import")
def review_import(
    sheet: Annotated[Path, typer.Argument(help="A filled-in review sheet (.xlsx).")],
    reviewer: Annotated[str, typer.Option("--reviewer", help="Who reviewed it (recorded with every row).")],
    db: DbOption = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Validate a review sheet and store its reviewed rows: all of them, or none (one line per bad row)."""
    from synthesis.review.sheets import SheetError, import_sheet
    from synthesis.store import Store

    try:
        config = load_config(config_file, db_url=db)
        with Store(config.store_url) as store:
            result = import_sheet(config, store, sheet, reviewer)
    except SheetError as error:
        for problem in error.problems:
            print(f"error: {sheet} {problem}", file=sys.stderr)
        print(f"error: {sheet}: nothing imported", file=sys.stderr)
        raise typer.Exit(1)
    except SynthesisError as error:
        _fail(error)
    for number in result.unmarked:
        print(f"warning: {sheet} row {number}: its codes or memo were edited but it is not marked reviewed, so it was "
              "not imported; write yes in its reviewed cell and import the sheet again", file=sys.stderr)
    if not quiet:
        already = f" ({len(result.already)} rows imported before were skipped)" if result.already else ""
        out.print(f"{result.stored} reviews imported from {sheet}{already}", highlight=False)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option("--role", help="reviewer or admin.")] = "reviewer",
    db: DbOption = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Add a review app account; the password is prompted for (or read from stdin's first line)."""
    from synthesis.review.auth import add_user

    password = _password()
    user, stored = _on_store(config_file, db, lambda store: (add_user(store, name, role, password),
                                                             store.review_counts()))
    if not quiet:
        out.print(f"user {user.name} ({user.role}) added", highlight=False)
        if stored.get(user.name):  # a removed account's: reviews are kept by name
            out.print(f"note: {stored[user.name]:,} reviews stored under the name {user.name} (an account removed "
                      "earlier?) are this account's: it sees them as its own", highlight=False)


@users_app.command("passwd")
def users_passwd(
    name: Annotated[str, typer.Argument(help="Login name.")],
    db: DbOption = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Set a new password for an account and sign it out everywhere; prompted for (or read from stdin's first line)."""
    from synthesis.review.auth import reset_password

    password = _password()
    _on_store(config_file, db, lambda store: reset_password(store, name, password))
    if not quiet:
        out.print(f"password of {name} changed; its sessions are ended", highlight=False)


@users_app.command("remove")
def users_remove(
    name: Annotated[str, typer.Argument(help="Login name.")],
    db: DbOption = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Remove an account and sign it out; its reviews stay, under its name."""
    from synthesis.review.auth import remove_user

    _on_store(config_file, db, lambda store: remove_user(store, name))
    if not quiet:
        out.print(f"user {name} removed (its reviews are kept)", highlight=False)


@users_app.command("list")
def users_list(db: DbOption = None, config_file: ConfigOption = None) -> None:
    """List the review app's accounts and their roles."""
    for user in _on_store(config_file, db, lambda store: store.list_users()):
        out.print(f"{user.name}\t{user.role}", highlight=False)


def _on_store(config_file: Path | None, db: str | None, job):
    """``job(store)`` on the configured store; a ``SynthesisError`` is the command's one-line error."""
    from synthesis.store import Store

    try:
        config = load_config(config_file, db_url=db)
        with Store(config.store_url) as store:
            return job(store)
    except SynthesisError as error:
        _fail(error)


def _password() -> str:
    """A password typed twice at a terminal, else the first line of stdin (scripts, CI)."""
    if sys.stdin.isatty():
        return typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@app.command()
def retrain(
    db: DbOption = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Retrain the coding model with the reviews (over gold), write a new version, re-code the store."""
    from synthesis.review.retrain import retrain as retrain_model, unchanged_message
    from synthesis.store import Store

    try:
        config = load_config(config_file, db_url=db)
        progress = _progress(quiet)
        with Store(config.store_url) as store:
            result = _with_bars(progress, lambda: retrain_model(config, store, progress))
    except SynthesisError as error:
        _fail(error)
    if result.get("unchanged"):
        if not quiet:
            out.print(unchanged_message(result), highlight=False)
        return
    if not quiet:
        line = f"model {result['version']} written to {result['path']} ({result['reviews_used']} reviews used)"
        for name in ("test", "real_dev"):
            if name in result["after"]:
                was = result["before"].get(name)
                now = result["after"][name]
                line += (f"; {name} micro-F1 groups {_was(was, 'groups')}{now['groups']:.3f}, "
                         f"causes {_was(was, 'causes')}{now['causes']:.3f}")
        out.print(line, highlight=False)
        if result["reviews_held_out"]:
            out.print(f"note: {result['reviews_held_out']:,} reviewed texts are also gold dev, test or real-text "
                      "texts and were not trained on, so those scores stay held out (the reviews still code the "
                      "store and the reports)", highlight=False)
        if result["real_eval_skipped"]:
            out.print(f"note: {result['real_eval_skipped']}", highlight=False)
        recoded = f"{result['coding']['segments_coded']:,} segments re-coded"
        if "model_dir" in config.model_fields_set:  # the configured model wins at the next run
            out.print(f"{recoded}; model_dir is set (to {config.model_dir}), so later runs code with that model, not "
                      f"this one: set model_dir to {result['path']} to keep it", highlight=False)
        else:
            out.print(f"{recoded}; later runs on this store code with it while model_dir is left at its default",
                      highlight=False)


def _was(before: dict | None, key: str) -> str:
    return f"{before[key]:.3f} -> " if before else ""



def _print_evaluation(report: dict) -> None:
    for key in ("groups", "causes"):
        table = Table(title=f"{key} ({report['n']} texts, model {report['model']})")
        for column in ("code", "precision", "recall", "F1", "support"):
            table.add_column(column, justify="left" if column == "code" else "right")
        for code, s in report[key]["per_code"].items():
            table.add_row(code, f"{s['precision']:.2f}", f"{s['recall']:.2f}", f"{s['f1']:.2f}", str(s["support"]))
        table.add_row("micro", f"{report[key]['micro_precision']:.2f}", f"{report[key]['micro_recall']:.2f}",
                      f"{report[key]['micro_f1']:.3f}", "")
        table.add_row("macro", "", "", f"{report[key]['macro_f1']:.3f}", "")
        out.print(table)
    for language, sub in report.get("by_language", {}).items():
        out.print(f"{language}: {sub['n']} texts, groups micro-F1 {sub['groups']['micro_f1']:.3f} "
                  f"(macro {sub['groups']['macro_f1']:.3f}), causes micro-F1 {sub['causes']['micro_f1']:.3f} "
                  f"(macro {sub['causes']['macro_f1']:.3f})", highlight=False)


def _print_ingest(summary: IngestSummary) -> None:
    line = f"{summary.ingested} ingested, {summary.skipped} skipped"
    if summary.unchanged:
        line += f", {summary.unchanged} unchanged"
    if summary.replaced:
        line += f" ({summary.replaced} replaced a changed file)"
    if summary.removed:
        line += f", {summary.removed} removed (gone from the folder)"
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
