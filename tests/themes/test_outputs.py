import pytest

from synthesis.errors import ReportError
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
    with pytest.raises(ReportError, match=r"themes: cannot write the themes files: No space left on device"):
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
    with pytest.raises(ReportError, match="Permission denied"):
        write_outputs(folder, [])
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == ["themes"]


def test_a_file_where_the_themes_folder_goes_is_refused_and_kept(tmp_path):
    (tmp_path / "themes").write_text("mine", encoding="utf-8")
    with pytest.raises(ReportError, match=r"themes: a file has the name of the themes folder"):
        write_outputs(tmp_path / "themes", [])
    assert (tmp_path / "themes").read_text(encoding="utf-8") == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["themes"]
    (tmp_path / "out").write_text("a file", encoding="utf-8")  # --out names a file
    with pytest.raises(ReportError, match=r"out: cannot write the themes files there"):
        outputs.check_folder(tmp_path / "out" / "themes")


def test_quotes_in_themes_csv_have_personal_data_removed(tmp_path):
    import csv

    from synthesis.records import Quote, Theme

    quote = Quote(segment_id=1, text="Write to amina@example.org or call 06 12 34 56 78.", source_path="c.csv",
                  document_id=1, document_title="", country="Togo", iso="TGO", language="fr", kind="answer",
                  paragraph_index=0, start=10, end=60)
    theme = Theme(id=1, number=1, label="Contact", label_source="generated", keywords=("contact",), size=1,
                  description="", quotes=(quote,), profile={})
    write_outputs(tmp_path / "themes", [theme])
    with open(tmp_path / "themes" / "themes.csv", encoding="utf-8") as handle:
        row = list(csv.DictReader(handle))[0]
    assert row["quote_1"] == "Write to [email removed] or call [phone removed]."
    assert row["quote_1_source"] == "c.csv, ¶ 1, characters 10–60 [Q1]"  # cited as the reports cite it
    answer = Quote(**{**vars(quote), "respondent": "4893905161", "row": 4, "question": "q2_why"})
    write_outputs(tmp_path / "themes", [Theme(**{**vars(theme), "quotes": (answer,)})], corpus_dir=tmp_path)
    with open(tmp_path / "themes" / "themes.csv", encoding="utf-8") as handle:
        assert list(csv.DictReader(handle))[0]["quote_1_source"] == \
            "c.csv, respondent 4893905161, q2_why, characters 10–60 [Q1]"


def test_a_chart_that_cannot_be_written_fails_the_set_and_one_that_cannot_be_drawn_is_skipped(tmp_path, caplog):
    # a full disk while a chart was written was only a warning: a truncated chart replaced the earlier complete one
    folder = tmp_path / "themes"
    write_outputs(folder, [])
    earlier = {p.name: p.read_bytes() for p in folder.iterdir()}

    class Figure:
        def write_html(self, path, **kwargs):
            path.write_text("<html><body>half", encoding="utf-8")
            raise OSError(28, "No space left on device")

    class Model:
        topics_ = [0, 1, -1, 1]

        def visualize_topics(self):
            raise ValueError("too few topics to map")

        def visualize_barchart(self, **kwargs):
            return Figure()

    with pytest.raises(ReportError, match="No space left on device"):
        write_outputs(folder, [], Model())
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == earlier
    # before, numpy's words alone ("zero-size array to reduction operation maximum which has no identity")
    assert "intertopic_map.html not written: BERTopic could not draw it for 2 themes (too few topics to map)" in caplog.text
