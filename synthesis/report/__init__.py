"""Word reports: the global synthesis and one profile per dialogue country, plus the evidence index.

``build_reports(config, store)`` reads the store once (``data``), builds a plain-data context per report
(``global_report``, ``country_report``), renders each with docxtpl (``render``) into a temporary folder, and
only when everything succeeded moves the files into ``<out_dir>/reports/``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping

from synthesis.config import Config
from synthesis.errors import ReportError
from synthesis.progress import SILENT, Progress
from synthesis.report.context import with_evidence
from synthesis.report.country_report import country_context, slug
from synthesis.report.data import Dialogue, load_report_data
from synthesis.report.evidence import EvidenceLog, write_jsonl
from synthesis.report.global_report import global_context
from synthesis.report.narrative import Narrator
from synthesis.report.quotes import QuoteMaker
from synthesis.report.regions import country_key, iso_of
from synthesis.report.render import COUNTRY_TEMPLATE, GLOBAL_TEMPLATE, check_template, render
from synthesis.staging import sweep
from synthesis.store import Store

GLOBAL_NAME, EVIDENCE_NAME = "global_synthesis.docx", "evidence.jsonl"
PROFILE_LIST = ".profiles"  # the profiles of the latest full set, one a line: what a later set may retire
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportSummary:
    """What ``build_reports`` wrote."""

    reports_dir: Path
    global_report: Path | None  # None when only one country was asked for
    country_reports: tuple[Path, ...]
    evidence: Path
    quotes: int  # quotes printed in the reports written now
    redacted: int  # of which had personal data removed
    coded_units: int
    reviewed_units: int
    little_data: tuple[str, ...]  # countries whose dialogue had little data
    seconds: float


def build_reports(config: Config, store: Store, progress: Progress = SILENT, country: str | None = None,
                  agreement: Mapping | None = None, created: datetime | None = None) -> ReportSummary:
    """Write ``reports/global_synthesis.docx``, ``reports/countries/<iso>-<country>.docx`` per dialogue country
    and ``reports/evidence.jsonl`` under ``config.out_dir``. ``country`` (ISO code or name) writes that country's
    profile only. ``agreement`` (intercoder agreement: ``n``, ``alpha``, ``kappa`` per code) goes in the method."""
    started = time.perf_counter()
    created = created or datetime.now(timezone.utc).replace(microsecond=0)
    templates = Path(config.templates_dir)
    for name in ((COUNTRY_TEMPLATE,) if country else (GLOBAL_TEMPLATE, COUNTRY_TEMPLATE)):
        check_template(templates / name)
    narrator = Narrator(templates)
    if agreement is None:
        from synthesis.review.agreement import agreement as measure_agreement
        from synthesis.review.codebook_edit import codebook_in_use

        measured = measure_agreement(store, codebook_in_use(config, store).codebook)  # the codes the report counts
        agreement = measured if measured["segments"] else None
    data = load_report_data(config, store, agreement)
    dialogues = _chosen(data.dialogues, country)
    quote = QuoteMaker(data, store, config.report_quote_chars)
    reports_dir = config.out_dir / "reports"
    try:
        (reports_dir / "countries").mkdir(parents=True, exist_ok=True)
        for left in (".partial-*", ".replaced-*"):  # by a run killed while it wrote
            sweep(reports_dir, left)
        staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=reports_dir))
    except OSError as error:
        raise ReportError(f"{reports_dir}: cannot write reports: {error.strerror or error}") from None
    log = EvidenceLog()
    written: list[tuple[Path, Path]] = []  # (staged file, final place)
    try:
        with progress.task("reports", total=len(dialogues) + (0 if country else 1)) as task:
            if not country:
                context = with_evidence(global_context(data, quote, narrator, config, created))
                written.append(_stage(templates / GLOBAL_TEMPLATE, context, staging, reports_dir / GLOBAL_NAME))
                log.add(GLOBAL_NAME, context.quotes)
                task.advance()
            names = _profile_names(data.dialogues)  # every country's: a name given a number stays its own
            for dialogue in dialogues:
                name = names[dialogue.country]
                context = with_evidence(country_context(dialogue, data, quote, narrator, config, created))
                written.append(_stage(templates / COUNTRY_TEMPLATE, context, staging, reports_dir / name))
                log.add(name, context.quotes)
                task.advance()
        evidence = staging / EVIDENCE_NAME
        write_jsonl(evidence, log.rows(previous=reports_dir / EVIDENCE_NAME if country else None))
        written.append((evidence, reports_dir / EVIDENCE_NAME))
        _move_into_place(written, reports_dir)
        if not country:
            _remove_retired(reports_dir, {final for _, final in written})
    except OSError as error:
        raise ReportError(f"{reports_dir}: cannot write reports: {error.strerror or error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ReportSummary(
        reports_dir=reports_dir,
        global_report=None if country else reports_dir / GLOBAL_NAME,
        country_reports=tuple(final for _, final in written if final.parent.name == "countries"),
        evidence=reports_dir / EVIDENCE_NAME, quotes=len(log), redacted=log.redacted, coded_units=data.coded_units,
        reviewed_units=data.reviewed_units,
        little_data=tuple(d.country for d in dialogues
                          if len(data.dialogue_units(d.country)) < config.report_min_units),
        seconds=round(time.perf_counter() - started, 2))


def _stage(template: Path, context, staging: Path, final: Path) -> tuple[Path, Path]:
    staged = staging / final.name
    render(template, context, staged)
    return staged, final


def _profile_names(dialogues: tuple[Dialogue, ...]) -> dict[str, str]:
    """Country -> ``countries/<iso>-<country>.docx`` (ASCII letters and digits only: an ISO code from a manifest may
    hold anything). A name without ASCII letters ("日本") ends in a short hash of the country's name, and so does
    each of several countries that would share one, so that a country keeps its file name whatever else is in the
    store (``--country`` writes the same file as a full run)."""
    def stem(dialogue: Dialogue, hashed: bool) -> str:
        iso = re.sub(r"[^a-z0-9]+", "", dialogue.iso.lower())
        name = slug(dialogue.country)
        if hashed or name == "country":
            name += "-" + hashlib.sha256(dialogue.country.encode("utf-8")).hexdigest()[:6]
        return "-".join(filter(None, (iso, name)))

    shared = Counter(stem(d, False) for d in dialogues)
    return {d.country: f"countries/{stem(d, shared[stem(d, False)] > 1)}.docx" for d in dialogues}


def _remove_retired(reports_dir: Path, current: set[Path]) -> None:
    """Delete the profiles an earlier full set wrote for countries no longer in the store (their dialogue was removed
    or its country renamed), so that the folder holds the set just written. Only files this tool wrote are deleted:
    each full set lists its profiles in ``reports/.profiles``; a writer's own copies are never in it. A profile that
    cannot be deleted (open in Word) is reported and left."""
    listing = reports_dir / PROFILE_LIST
    try:
        earlier = listing.read_text(encoding="utf-8").splitlines() if listing.is_file() else []
    except (OSError, UnicodeDecodeError):
        earlier = []
    for name in earlier:
        path = reports_dir / name
        if name.startswith("countries/") and "/" not in name[len("countries/"):] and path not in current:
            try:
                path.unlink(missing_ok=True)
            except OSError as error:
                _log.warning("%s: no dialogue of this country is stored any more, but it cannot be removed: %s", path,
                             error.strerror or error)
    names = sorted(final.relative_to(reports_dir).as_posix() for final in current if final.suffix == ".docx")
    listing.write_text("".join(f"{name}\n" for name in names), encoding="utf-8")


def _move_into_place(written: list[tuple[Path, Path]], reports_dir: Path) -> None:
    """Move each staged file to its final place, all or none: the file it replaces is first moved aside, and every
    one is put back if a move fails (a report open in a program that locks it, a full disk) or the run is
    interrupted; the set-aside files are deleted once all are in place. One that cannot be put back is kept, and the
    error names where. A folder where a report goes is refused before anything moves."""
    for _, final in written:
        if final.is_dir():
            raise ReportError(f"{final}: a folder has the name this report is written under; rename or move it")
    backup = Path(tempfile.mkdtemp(prefix=".replaced-", dir=reports_dir))
    aside: list[tuple[Path, Path]] = []  # (moved aside, its place)
    placed: list[Path] = []
    try:
        for number, (staged, final) in enumerate(written):
            if final.exists() or final.is_symlink():
                old = backup / f"{number}-{final.name}"
                os.replace(final, old)
                aside.append((old, final))
            os.replace(staged, final)
            placed.append(final)
    except BaseException as error:
        replaced = {final for _, final in aside}
        for final in placed:
            if final not in replaced:
                final.unlink(missing_ok=True)
        kept = []
        for old, final in aside:
            try:
                os.replace(old, final)
            except OSError:
                kept.append(final.name)
        if not kept:
            shutil.rmtree(backup, ignore_errors=True)
        elif isinstance(error, OSError):
            raise ReportError(f"{reports_dir}: cannot write reports: {error.strerror or error}; the earlier "
                              f"{', '.join(kept)} could not be put back: see {backup}") from None
        raise
    shutil.rmtree(backup, ignore_errors=True)


def _chosen(dialogues: tuple[Dialogue, ...], country: str | None) -> list[Dialogue]:
    if country is None:
        return list(dialogues)
    # an ISO code in any case, or a name as country_key compares them ("Perú", "peru"), or another name of the
    # country ("Timor-Leste" for a dialogue headed "East Timor")
    code, key, iso = country.strip().casefold(), country_key(country), iso_of(country)
    chosen = [d for d in dialogues if code == d.iso.casefold() or key == country_key(d.country) or iso == d.iso != ""]
    if not chosen:
        known = ", ".join(f"{d.iso} ({d.country})" if d.iso else f"{d.country} (no ISO code)"
                          for d in dialogues) or "none"
        raise ReportError(f"{country}: no dialogue country with this ISO code or name (known: {known})")
    return chosen


__all__ = ["ReportSummary", "build_reports"]
