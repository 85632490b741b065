"""Benchmark ingestion; prints JSON.

Reads: the bundled corpus (corpora/lnob-2016); writes a consultation export scaled with
scripts/make_consultation.py --scale N and temporary stores, all under a temporary folder (deleted after).
Measures, in one run: documents/s and segments/s ingesting the bundled corpus; rows/s, segments/s, wall time and
peak RSS ingesting the scaled consultation; and, as the reference, a bare pandas.read_csv of the same file.
Each measurement runs in its own child process so that peak RSS is that job's alone.

    python scripts/bench_ingest.py [--scale 100] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpora" / "lnob-2016"

CHILD_INGEST = """
import json, resource, sys, time
from pathlib import Path
from synthesis.config import Config
from synthesis.ingest import ingest_paths
from synthesis.store import Store
url, paths = sys.argv[1], [Path(p) for p in sys.argv[2:]]
started = time.perf_counter()
with Store(url) as store:
    summary = ingest_paths(paths, store, Config(db_url=url))
    corpus = store.corpus_summary()
print(json.dumps({"seconds": time.perf_counter() - started, "documents": summary.documents,
                  "segments": summary.segments, "respondents": corpus.respondents, "skipped": summary.skipped,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CHILD_PANDAS = """
import json, resource, sys, time
import pandas as pd
started = time.perf_counter()
frame = pd.read_csv(sys.argv[1], header=[0, 1], dtype=str, keep_default_na=False)
print(json.dumps({"seconds": time.perf_counter() - started, "rows": len(frame),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter and return the JSON it prints (with its own peak RSS in MB)."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["peak_rss_mb"] = round(result["peak_rss_mb"], 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="consultation scale factor (default 100)")
    parser.add_argument("--keep", type=Path, help="keep the scaled export and stores in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)

    dialogues = child(CHILD_INGEST, f"sqlite:///{work / 'dialogues.sqlite'}", str(CORPUS / "dialogues"))
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_consultation.py"), "--scale", str(args.scale),
                    "--out", str(work), "--no-xlsx"], check=True, capture_output=True)
    export = next(work.glob(f"lnob_consultation_2016_x{args.scale}.csv"), None) or next(work.glob("*.csv"))
    reference = child(CHILD_PANDAS, str(export))
    consultation = child(CHILD_INGEST, f"sqlite:///{work / 'consultation.sqlite'}", str(export))

    report = {
        "machine": {"cpus": os.cpu_count()},
        "bundled_dialogues": {
            "documents": dialogues["documents"],
            "segments": dialogues["segments"],
            "seconds": round(dialogues["seconds"], 2),
            "documents_per_s": round(dialogues["documents"] / dialogues["seconds"], 2),
            "segments_per_s": round(dialogues["segments"] / dialogues["seconds"], 1),
        },
        "consultation": {
            "scale": args.scale,
            "file_mb": round(export.stat().st_size / 1024 / 1024, 1),
            "respondents": consultation["respondents"],
            "segments": consultation["segments"],
            "seconds": round(consultation["seconds"], 1),
            "rows_per_s": round(consultation["respondents"] / consultation["seconds"], 1),
            "segments_per_s": round(consultation["segments"] / consultation["seconds"], 1),
            "peak_rss_mb": consultation["peak_rss_mb"],
        },
        "reference_pandas_read_csv": {
            "rows": reference["rows"],
            "seconds": round(reference["seconds"], 2),
            "rows_per_s": round(reference["rows"] / reference["seconds"], 1),
            "peak_rss_mb": reference["peak_rss_mb"],
        },
    }
    print(json.dumps(report, indent=2))
    if not args.keep:
        for path in sorted(work.iterdir()):
            path.unlink()
        work.rmdir()


if __name__ == "__main__":
    main()
