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


def test_an_earlier_set_is_put_back_when_the_new_one_cannot_be_moved_in(tmp_path, monkeypatch):
    folder = tmp_path / "themes"
    write_outputs(folder, [])
    earlier = {p.name: p.read_bytes() for p in folder.iterdir()}
    moves = []
    replace = outputs.os.replace

    def second_move_fails(source, target):
        moves.append(source)
        if len(moves) == 2:  # the new set, after the earlier one was moved aside
            raise OSError(13, "Permission denied")
        replace(source, target)

    monkeypatch.setattr(outputs.os, "replace", second_move_fails)
    with pytest.raises(OSError):
        write_outputs(folder, [])
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == ["themes"]
