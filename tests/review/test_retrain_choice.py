"""Which model codes a store after `synthesis retrain`: the retrained one while the default model is the one it
replaced, whatever the default model's file times."""

from __future__ import annotations

import json
import os
import shutil

from synthesis.config import Config
from synthesis.review.retrain import model_dir_in_use
from synthesis.store import Store


def _model(folder, version):
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps({"version": version}), encoding="utf-8")
    return folder


def test_the_retrained_model_stays_in_use_when_the_default_models_file_is_touched(tmp_path):
    default = _model(tmp_path / "models" / "lnob-coder", "default-1")
    retrained = _model(tmp_path / "models" / "lnob-coder-20261207", "default-1-reviewed")
    url = f"sqlite:///{tmp_path / 'project.sqlite'}"
    # model_dir left at its default (not set by the user), the default being this folder
    config = Config.model_construct(_fields_set={"db_url"}, **{**dict(Config()), "db_url": url, "model_dir": default})
    with Store(url) as store:
        store.record_model_version("default-1-reviewed", str(retrained), "0" * 64,
                                   {"before": {}, "after": {}, "default_model_version": "default-1"})
        assert model_dir_in_use(config, store) == retrained
        # before, a newer file time of the default model (a copy, an unzip, a checkout) dropped the retrained one
        later = os.stat(retrained / "config.json").st_mtime + 60
        os.utime(default / "config.json", (later, later))
        assert model_dir_in_use(config, store) == retrained
        # a default model trained again (another version) wins
        (default / "config.json").write_text(json.dumps({"version": "default-2"}), encoding="utf-8")
        assert model_dir_in_use(config, store) == default
        # a model_dir the user set always wins
        mine = retrained.parent / "mine"
        assert model_dir_in_use(Config(db_url=url, model_dir=mine), store) == mine
    shutil.rmtree(tmp_path / "models")
