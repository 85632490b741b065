import pytest

from synthesis.config import Config, load_config
from synthesis.errors import ConfigError


def test_defaults_and_store_url():
    config = Config()
    assert config.store_url == "sqlite:///build/project.sqlite"
    assert Config(db_url="postgresql+psycopg://x@h/db").store_url == "postgresql+psycopg://x@h/db"


def test_every_field_has_help_text():
    assert all(field.description for field in Config.model_fields.values())


def test_unknown_and_invalid_keys_are_errors(tmp_path):
    path = tmp_path / "synthesis.toml"
    path.write_text("batch_size = 0\n")
    with pytest.raises(ConfigError, match="batch_size"):
        load_config(path)
    path.write_text("[oops\n")
    with pytest.raises(ConfigError, match="synthesis.toml"):
        load_config(path)
    with pytest.raises(ConfigError, match="colour"):
        load_config(None, colour="red")


def test_file_values_and_overrides(tmp_path):
    path = tmp_path / "synthesis.toml"
    path.write_text('batch_size = 50\nout_dir = "elsewhere"\n')
    config = load_config(path, out_dir=None, db_url="sqlite:///x.sqlite")
    assert (config.batch_size, str(config.out_dir), config.store_url) == (50, "elsewhere", "sqlite:///x.sqlite")
