import pytest

from synthesis.themes import outputs
from synthesis.themes.outputs import write_outputs


def test_a_new_set_replaces_the_earlier_one_whole_and_other_folders_are_left_alone(tmp_path, monkeypatch):
    folder = tmp_path / "themes"
    mine = tmp_path / "themes.partial"  # a folder of the user's, where an earlier version wrote its temporary one
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    assert write_outputs(folder, []) == ["theme_by_cause.csv", "theme_by_country.csv", "theme_by_group.csv",
                                         "theme_by_language.csv", "themes.csv"]
    earlier = {p.name: p.read_bytes() for p in folder.iterdir()}

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs, "_crosstab_csv", fail)
    with pytest.raises(OSError):
        write_outputs(folder, [])
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == earlier  # the earlier set, as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["themes", "themes.partial"]  # no temporary folder left
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "mine"
