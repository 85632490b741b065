"""A killed or interrupted ingest leaves the store consistent: the old version of the file, never half a new one."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from conftest import write_survey_csv
from synthesis.store import Store
from synthesis.store.schema import respondents, segments, sources

ROWS = 40_000


def _rows(n, prefix):
    return [[f"{prefix}{i}", "English", "Kenya", "Female", "40-60",
             f"Pastoralist women in ward {i} and persons with disabilities.", "Distance and drought."]
            for i in range(n)]


def _counts(url):
    with Store(url) as store, store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        orphans = connection.execute(
            text("SELECT count(*) FROM segments WHERE document_id NOT IN (SELECT id FROM documents)")).scalar()
        assert orphans == 0
        return tuple(connection.execute(select(func.count()).select_from(t)).scalar_one()
                     for t in (sources, respondents, segments))


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_interrupted_ingest_keeps_the_previous_version(tmp_path, sig):
    url = f"sqlite:///{tmp_path / 'project.sqlite'}"
    survey = write_survey_csv(tmp_path / "consultation.csv", _rows(10, "old"))
    subprocess.run([sys.executable, "-m", "synthesis", "ingest", str(survey), "--db", url, "-q"], check=True)
    before = _counts(url)
    assert before[:2] == (1, 10)

    write_survey_csv(survey, _rows(ROWS, "new"))
    # a shell starts background jobs with SIGINT ignored, and the child would inherit that: it gets Ctrl-C's default
    child = subprocess.Popen([sys.executable, "-m", "synthesis", "ingest", str(survey), "--db", url, "-q"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    wal = Path(str(tmp_path / "project.sqlite") + "-wal")
    deadline = time.time() + 120
    while time.time() < deadline and child.poll() is None and (not wal.exists() or wal.stat().st_size < 2_000_000):
        time.sleep(0.05)
    assert child.poll() is None, "the ingest finished before it could be interrupted; raise ROWS"
    child.send_signal(sig)
    _, stderr = child.communicate(timeout=60)
    # Ctrl-C ends the command as the shell expects (130), without a traceback
    assert child.returncode == (-signal.SIGKILL if sig == signal.SIGKILL else 130), stderr.decode()[-2000:]
    assert b"Traceback" not in stderr

    assert _counts(url) == before  # the interrupted transaction left nothing behind
    subprocess.run([sys.executable, "-m", "synthesis", "ingest", str(survey), "--db", url, "-q"], check=True)
    assert _counts(url)[:2] == (1, ROWS)
