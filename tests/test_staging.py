"""Sweeping the hidden folders a killed run left: old ones go, young ones (another run's) and others stay."""

from __future__ import annotations

import os
import time

import pytest

from synthesis.staging import STALE_SECONDS, sweep


def test_only_old_hidden_folders_of_the_pattern_are_swept(tmp_path):
    old, young, other, file = (tmp_path / ".partial-old", tmp_path / ".partial-young", tmp_path / ".keep-old",
                               tmp_path / ".partial-file")
    for folder in (old, young, other):
        folder.mkdir()
        (folder / "global_synthesis.docx").write_bytes(b"x")
    file.write_bytes(b"x")
    long_ago = time.time() - STALE_SECONDS - 60
    for path in (old, other, file):
        os.utime(path, (long_ago, long_ago))
    sweep(tmp_path, ".partial-*")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".keep-old", ".partial-file", ".partial-young"]
    with pytest.raises(ValueError):
        sweep(tmp_path, "*")

