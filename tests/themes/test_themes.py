"""Themes on a small real store: real embeddings, real BERTopic, real SQLite, real files."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from themes_corpus import make_store, write_corpus

from synthesis.store import Store
from synthesis.themes import build_themes


@pytest.fixture(scope="module")
def themed(tmp_path_factory):
    """A store with four subjects (three English, one Spanish), clustered once; tests copy it before changing it."""
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


def test_themes_are_stored_with_keywords_quotes_and_profiles(themed):
    config, summary = themed
    assert summary.skipped == ""
    assert 2 <= summary.themes <= config.themes_max
    assert summary.outliers / summary.segments < 0.10
    with Store(config.store_url) as store:
        themes = store.themes()
        assigned = store.segment_theme_ids()
    assert [t.number for t in themes] == list(range(len(themes)))
    assert sum(t.size for t in themes) == len(assigned) == summary.segments - summary.outliers
    for theme in themes:
        assert theme.label and theme.label_source == "generated"
        assert 1 <= len(theme.keywords) <= 10
        assert 3 <= len(theme.quotes) <= config.themes_quotes
        assert sum(theme.profile["country"].values()) == theme.size
        assert sum(theme.profile["language"].values()) == theme.size


def test_every_quote_is_verbatim_at_its_offsets(themed):
    config, _ = themed
    with Store(config.store_url) as store:
        for theme in store.themes():
            for quote in theme.quotes:
                assert store.document_text(quote.document_id)[quote.start:quote.end] == quote.text
                assert quote.source_path.endswith(".txt") and quote.country


def test_subjects_fall_into_separate_themes(themed):
    config, _ = themed
    with Store(config.store_url) as store:
        themes = store.themes()
    words = {t.id: " ".join(t.keywords) for t in themes}
    subjects = (("water", "borehole"), ("disabilities", "blind", "deaf", "braille"), ("land",))
    best = []  # per subject, the theme whose keywords name it most
    for subject in subjects:
        hits = {theme: sum(word in w.split() for word in subject) for theme, w in words.items()}
        theme, count = max(hits.items(), key=lambda kv: (kv[1], -kv[0]))
        assert count >= 1, (subject, words)
        best.append(theme)
    assert len(set(best)) == len(subjects), words  # three subjects, three different themes


def test_output_files(themed):
    config, summary = themed
    folder = config.out_dir / "themes"
    with open(folder / "themes.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == summary.themes
    assert {"theme_id", "label", "size", "keywords"} <= set(rows[0])
    assert all(1 <= len(r["keywords"].split("; ")) <= 10 for r in rows)
    # quotes cited as the reports cite them: the file relative to the corpus folder, the paragraph counted from 1
    assert all(re.fullmatch(r"[\w-]+\.txt, ¶ [1-9]\d*, characters \d+–\d+ \[Q\d+\]", r["quote_1_source"]) for r in rows)
    with open(folder / "theme_by_country.csv", encoding="utf-8") as handle:
        by_country = list(csv.DictReader(handle))
    assert {"Kenya", "Nepal", "Peru"} <= set(by_country[0])
    assert sum(int(r["size"]) for r in by_country) == summary.segments - summary.outliers
    assert (folder / "theme_by_group.csv").exists()
    assert (folder / "theme_sizes.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "plotly" in (folder / "keywords_barchart.html").read_text(encoding="utf-8")[:200000].lower()
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".themes.")]  # no temporary folder left


def test_rerun_gives_the_same_themes_and_embeds_nothing_new(themed_copy):
    with Store(themed_copy.store_url) as store:
        before = [(t.label, t.keywords, t.size) for t in store.themes()]
        summary = build_themes(themed_copy, store, store.start_run("themes", {}))
        after = [(t.label, t.keywords, t.size) for t in store.themes()]
    assert after == before
    assert summary.embedded == 0


def test_a_rename_survives_a_rerun(themed_copy):
    with Store(themed_copy.store_url) as store:
        first = store.themes()[0]
        store.rename_theme(first.id, "Distance to water", "analyst")
        summary = build_themes(themed_copy, store, store.start_run("themes", {}))
        themes = store.themes()
    renamed = [t for t in themes if t.label == "Distance to water"]
    assert len(renamed) == 1 and renamed[0].label_source == "human"
    assert renamed[0].keywords == first.keywords
    assert summary.renames_carried == 1 and summary.problems == []


def test_a_rename_survives_a_change_of_the_codes_the_themes_weigh(themed_copy):
    # a rename keeps its theme's centroid: the texts' embedding, then one column per code; a sub-code added in the
    # review app (or another themes_code_weight) makes later centroids another width (a matmul error, every run)
    with Store(themed_copy.store_url) as store:
        first = store.themes()[0]
        store.rename_theme(first.id, "Distance to water", "analyst")
        for config in (themed_copy.model_copy(update={"themes_code_weight": 0.0}), themed_copy):
            summary = build_themes(config, store, store.start_run("themes", {}))
            assert summary.renames_carried == 1 and summary.problems == []
            assert [t.label for t in store.themes()].count("Distance to water") == 1


def test_a_rename_whose_theme_is_gone_is_reported_not_fatal(tmp_path, themed_copy):
    with Store(themed_copy.store_url) as store:
        water = next(t for t in store.themes() if "water" in " ".join(t.keywords))
        store.rename_theme(water.id, "Old name", "analyst")
    config = make_store(tmp_path, write_corpus(tmp_path / "other", subjects=("disability", "land")), "other.sqlite")
    from synthesis.store.themes import renames

    with Store(themed_copy.store_url) as old, Store(config.store_url) as store:
        # carry the rename over to a store whose corpus no longer has that subject
        from synthesis.store.schema import theme_renames

        with store.engine.begin() as connection:
            connection.execute(theme_renames.insert(), [
                {"label": label, "keywords": keywords, "centroid": centroid, "author": "analyst",
                 "created_at": __import__("datetime").datetime.now()}
                for _, label, keywords, centroid in renames(old.engine)])
        summary = build_themes(config, store, store.start_run("themes", {}))
        labels = [t.label for t in store.themes()]
    assert summary.themes >= 1 and "Old name" not in labels
    assert any("Old name" in p and "no longer matches" in p for p in summary.problems)


def test_too_few_segments_give_one_theme_with_the_reason(tmp_path):
    config = make_store(tmp_path, write_corpus(tmp_path / "c", per_subject=4, subjects=("water", "land")))
    with Store(config.store_url) as store:
        summary = build_themes(config, store, store.start_run("themes", {}))
        themes = store.themes()
    assert "fewer than themes_min_segments" in summary.skipped
    assert len(themes) == 1 and themes[0].size == 8 and summary.outliers == 0
    assert themes[0].keywords and len(themes[0].quotes) >= 3


def test_identical_segments_give_one_theme(tmp_path):
    folder = tmp_path / "same"
    folder.mkdir()
    (folder / "same.txt").write_text("Title\n=====\n\n" + "\n\n".join(["The wells are dry."] * 40) + "\n")
    config = make_store(tmp_path, folder)
    with Store(config.store_url) as store:
        summary = build_themes(config, store, store.start_run("themes", {}))
        themes = store.themes()
    assert summary.skipped and len(themes) == 1 and themes[0].size == 40
    assert len(themes[0].quotes) == 1  # the same text is quoted once


def test_an_empty_store_gives_no_themes_and_says_why(tmp_path):
    config = make_store(tmp_path, tmp_path / "nothing-here-yet")
    with Store(config.store_url) as store:
        summary = build_themes(config, store, store.start_run("themes", {}))
        assert store.themes() == []
    assert summary.themes == 0 and "no segments" in summary.skipped
    assert (config.out_dir / "themes" / "themes.csv").read_text(encoding="utf-8").startswith("theme_id,label")


def test_guided_themes_seeded_from_the_codebook(themed_copy):
    config = themed_copy.model_copy(update={"themes_guided": True})
    with Store(config.store_url) as store:
        summary = build_themes(config, store, store.start_run("themes", {}))
        themes = store.themes()
    assert summary.skipped == "" and len(themes) >= 2
    assert sum(t.size for t in themes) == summary.segments - summary.outliers


def test_a_large_consultation_is_fitted_on_a_sample_and_the_rest_assigned(tmp_path):
    from conftest import write_survey_csv

    corpus = write_corpus(tmp_path / "c", per_subject=10, subjects=("water", "land"))
    subjects = ["The wells are dry in {p} and the pump at the {p} school is broken.",
                "Widows in {p} lose their land to in-laws and the court does not help them in {p}."]
    places = ["Kisumu", "Garissa", "Turkana", "Kitui", "Marsabit", "Wajir", "Mandera", "Isiolo", "Samburu", "Lamu"]
    rows = [[f"R{i}", "English", "Kenya", "Female", "25-34", subjects[i % 2].format(p=places[i // 2 % 10]) +
             f" Household {i}.", ""] for i in range(120)]
    write_survey_csv(corpus / "consultation.csv", rows)
    config = make_store(tmp_path, corpus).model_copy(update={"themes_sample": 100})
    with Store(config.store_url) as store:
        summary = build_themes(config, store, store.start_run("themes", {}))
        themes = store.themes()
    assert summary.segments == 140 and summary.fitted_on < 140  # 20 dialogue paragraphs + 80 sampled answers
    assert summary.outliers / summary.segments < 0.10
    assert sum(t.size for t in themes) == summary.segments - summary.outliers


def test_an_unwritable_themes_folder_stops_before_the_stored_themes_change(themed_copy):
    from synthesis.errors import ReportError

    folder = themed_copy.out_dir / "themes"
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("a file of the user's")
    with Store(themed_copy.store_url) as store:
        before = [(t.id, t.label) for t in store.themes()]
        with pytest.raises(ReportError, match="a file has the name of the themes folder"):
            build_themes(themed_copy, store, store.start_run("themes", {}))
        assert [(t.id, t.label) for t in store.themes()] == before
    assert folder.read_text() == "a file of the user's"


def test_spellings_of_one_country_are_counted_as_one_as_in_the_reports(tmp_path):
    # "Kenya" and "KENYA" were two columns of theme_by_country.csv and two countries in a theme's description
    corpus = write_corpus(tmp_path / "c", per_subject=4, subjects=("water", "land", "water", "land"))
    manifest = corpus / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace(",Kenya,", ",KENYA,")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = make_store(tmp_path, corpus)
    with Store(config.store_url) as store:
        assert {u.country for u in store.iter_units()} == {"Nepal", "Kenya", "KENYA"}
        build_themes(config, store, store.start_run("themes", {}))
        [theme] = store.themes()
    assert theme.profile["country"] == {"Kenya": 8, "Nepal": 8}
    assert "16 segments from 2 countries" in theme.description
    with open(config.out_dir / "themes" / "theme_by_country.csv", encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    assert (row["Kenya"], row["Nepal"]) == ("8", "8") and "KENYA" not in row


def test_a_clustering_that_finds_no_theme_gives_one_theme_not_none(tmp_path, monkeypatch):
    # before: "0 themes over 56 segments (100.0% outliers)", and whether it happened hung on the embedding cache
    import synthesis.themes as themes
    from synthesis.themes.fitting import Fitted

    config = make_store(tmp_path, write_corpus(tmp_path / "c", per_subject=12))
    monkeypatch.setattr(themes, "fit", lambda texts, *args, **kwargs: Fitted(None, [-1] * len(texts)))
    with Store(config.store_url) as store:
        summary = build_themes(config, store, store.start_run("themes", {}))
        stored = store.themes()
    assert "the clustering found no theme" in summary.skipped
    assert len(stored) == 1 and stored[0].size == summary.segments and summary.outliers == 0
    assert stored[0].keywords
