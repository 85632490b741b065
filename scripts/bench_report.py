"""Times writing every report (global synthesis + one profile per dialogue country) from a coded store.

Reads the store (default build/project.sqlite, made by `synthesis run`); writes the reports into a temporary
folder (deleted afterwards) and prints JSON: seconds, reports, quotes, coded and reviewed segments, themes.

    .venv/bin/python scripts/bench_report.py [--db sqlite:///build/project.sqlite]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from synthesis.config import load_config
from synthesis.report import build_reports
from synthesis.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite:///build/project.sqlite")
    parser.add_argument("--config", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        config = load_config(args.config, out_dir=out, db_url=args.db)
        started = time.perf_counter()
        with Store(config.store_url) as store:
            summary = build_reports(config, store)
            themes = len(store.themes())
        seconds = time.perf_counter() - started
    print(json.dumps({
        "store": args.db, "seconds": round(seconds, 2), "target_seconds": 20,
        "reports": 1 + len(summary.country_reports), "quotes": summary.quotes, "redacted": summary.redacted,
        "coded_segments": summary.coded_units, "reviewed_segments": summary.reviewed_units, "themes": themes,
    }, indent=2))


if __name__ == "__main__":
    main()
