"""Sweeping the hidden folders a killed run left behind.

Reports, themes and models are written into a hidden folder beside their place and moved in when complete; a run
killed on the way (kill -9, a power cut) leaves that folder. Each writer sweeps its own kind before it starts, once
a folder is old enough that no running writer can still be filling it.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

STALE_SECONDS = 6 * 3600  # longer than any run takes; a younger folder may be another run's, still being written


def sweep(folder: Path, pattern: str) -> None:
    """Delete the folders in ``folder`` named like ``pattern`` (a glob of hidden names) and untouched for
    ``STALE_SECONDS``."""
    if not pattern.startswith("."):
        raise ValueError(f"{pattern}: only hidden staging folders are swept")
    now = time.time()
    for path in folder.glob(pattern):
        try:
            if path.is_dir() and not path.is_symlink() and now - path.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue  # gone already, or not ours to read: left alone
