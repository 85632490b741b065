"""The reports on the bundled corpus's store (build/project.sqlite from `make run`), when it exists."""

from __future__ import annotations

import json
import shutil

import docx
import pytest

from conftest import REPO
from synthesis.config import Config
from synthesis.report import build_reports
from synthesis.store import Store

STORE = REPO / "build" / "project.sqlite"


@pytest.mark.e2e
@pytest.mark.skipif(not STORE.exists(), reason="build/project.sqlite not built (make run)")
def test_reports_on_the_bundled_corpus(tmp_path):
    copy = tmp_path / "project.sqlite"
    shutil.copy(STORE, copy)
    config = Config(out_dir=tmp_path / "out", db_url=f"sqlite:///{copy}", templates_dir=REPO / "report_templates",
                    corpus_dir=REPO / "corpora" / "lnob-2016")
    with Store(config.store_url) as store:
        summary = build_reports(config, store)
        rows = [json.loads(line) for line in summary.evidence.read_text(encoding="utf-8").splitlines()]
        texts = {}
        for row in rows:
            text = texts.setdefault(row["document_id"], store.document_text(row["document_id"]))
            if not row["redacted"]:
                assert text[row["start"]:row["end"]] == row["text"]
    assert len(summary.country_reports) == 29 and summary.seconds < 60
    document = docx.Document(summary.global_report)
    assert len(document.tables) > 10 and len(document.inline_shapes) == 5
    assert sum(p.style.name == "Quote" for p in document.paragraphs) > 20
