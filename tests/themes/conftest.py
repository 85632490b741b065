"""Fixtures: the small themes corpus clustered once per module, and private copies of its store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from themes_corpus import make_store, write_corpus

from synthesis.store import Store


@pytest.fixture(scope="module")
def themed(tmp_path_factory):
    """A store with four subjects (three English, one Spanish), clustered once; tests copy it before changing it."""
    from synthesis.themes import build_themes

    tmp = tmp_path_factory.mktemp("themes")
    config = make_store(tmp, write_corpus(tmp / "corpus"))
    with Store(config.store_url) as store:
        run_id = store.start_run("themes", {})
        summary = build_themes(config, store, run_id)
    return config, summary


@pytest.fixture
def themed_copy(themed, tmp_path):
    """A private copy of the clustered store (and its embedding cache), safe to change."""
    config, _ = themed
    source = Path(config.store_url.removeprefix("sqlite:///"))
    shutil.copy(source, tmp_path / "project.sqlite")
    return config.model_copy(update={"db_url": f"sqlite:///{tmp_path / 'project.sqlite'}",
                                     "out_dir": tmp_path / "out"})
