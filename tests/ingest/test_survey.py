"""Consultation exports read through the survey column mapping: headers as tools and teams write them, columns the
mapping does not place, and second header rows in the tools' languages."""

from __future__ import annotations

import csv

import pytest
import yaml
from sqlalchemy import select

from conftest import FIXTURES
from synthesis.config import Config
from synthesis.ingest import ingest_paths
from synthesis.ingest.survey import DEFAULT_MAPPING
from synthesis.store import Store
from synthesis.store.schema import respondents, segments


def _ingest(paths, url, **config):
    with Store(url) as store:
        return ingest_paths(paths, store, Config(db_url=url, **config))


def _write_csv(path, rows, delimiter=","):
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def _team_mapping(path, change):
    """A team's copy of the bundled mapping, changed by ``change(raw)``."""
    raw = yaml.safe_load(DEFAULT_MAPPING.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def _answers(url):
    with Store(url) as store, store.engine.connect() as connection:
        return connection.execute(select(segments.c.question, segments.c.text).where(segments.c.kind == "answer")
                                  ).all()


def test_headers_match_the_mapping_whatever_their_apostrophes_accents_and_spacing(tmp_path, sqlite_url, caplog):
    # the team typed its French headers from a keyboard ("Tranche d'âge"); the export wrote "Tranche d’âge" and a
    # no-break space before "?": both columns were dropped without a word, the answers and age bands lost
    def french(raw):
        raw["id"].append("Identifiant")
        raw["attributes"]["age_band"].append("Tranche d'âge")
        raw["questions"]["q1_groups"].append("Quels groupes sont les plus exclus dans votre localite?")
        raw["questions"]["q5_help"].append("Qu'est-ce qui aiderait a ne laisser personne de cote ?")

    mapping = _team_mapping(tmp_path / "mapping.yaml", french)
    export = _write_csv(tmp_path / "export.csv", [
        ["Identifiant", "TRANCHE D\u2019ÂGE", "Quels groupes sont les plus exclus dans votre localité\u00a0?",
         "Qu\u2019est\u2010ce qui aiderait à ne laisser personne de côté\u202f?"],
        ["FR-1", "20-40 ans", "Les veuves", "Réformer le code de la famille"],
    ])
    summary = _ingest([export], sqlite_url, survey_mapping=mapping)
    assert summary.ok and summary.documents == 1
    assert sorted(_answers(sqlite_url)) == [("q1_groups", "Les veuves"), ("q5_help", "Réformer le code de la famille")]
    with Store(sqlite_url) as store, store.engine.connect() as connection:
        assert connection.execute(select(respondents.c.age_band)).scalars().all() == ["20-40"]
    assert "not in the survey column mapping" not in caplog.text


def test_columns_the_mapping_does_not_place_are_named_in_one_warning(tmp_path, sqlite_url, caplog):
    # a question whose header the mapping does not know was left out silently
    export = _write_csv(tmp_path / "export.csv", [
        ["Respondent ID", "Collector ID", "Start Date", "Which groups are most excluded in your locality?",
         "Anything else you\nwant to tell us?", "", "Région"],
        ["1", "9", "2016-10-01", "Pastoralist women.", "Roads.", "", "Rift Valley"],
        ["2", "9", "2016-10-01", "Youth.", "", "", "Coast"],
    ])
    summary = _ingest([export], sqlite_url)
    assert summary.ok and summary.documents == 2  # a warning, not a problem: the file is read
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [f"{export}: 2 column(s) not in the survey column mapping, not read: 'Anything else you want "
                        "to tell us?'; 'Région' (add each as an alias of its question or attribute, or to "
                        "ignored_columns)"]


def test_the_bundled_export_layout_gives_no_warning(tmp_path, sqlite_url, caplog):
    # its Collector ID, Start Date and End Date are a survey tool's own columns, deliberately not read
    summary = _ingest([FIXTURES / "consultation.csv"], sqlite_url)
    assert summary.ok and summary.documents == 4
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


@pytest.mark.parametrize("open_ended, other", [
    ("Respuesta abierta", "Otro (especifique)"),
    ("Réponse ouverte", "Autre (veuillez préciser)"),
    ("Reponse ouverte", "AUTRE (VEUILLEZ PRECISER)"),
])
def test_a_second_header_row_in_spanish_or_french_is_a_header(tmp_path, sqlite_url, open_ended, other):
    # SurveyMonkey's Spanish and French exports: the row was read as a respondent, "empty respondent id; row
    # skipped", and every ingest ended with exit status 1
    export = _write_csv(tmp_path / "encuesta.csv", [
        ["Respondent ID", "Which groups are most excluded in your locality?", "Why are they excluded?"],
        ["", open_ended, other],
        ["5001", "Las mujeres indígenas", "Por la discriminación"],
    ], delimiter=";")
    summary = _ingest([export], sqlite_url)
    assert summary.ok and (summary.documents, summary.rows_skipped) == (1, 0)
    with Store(sqlite_url) as store, store.engine.connect() as connection:
        assert connection.execute(select(respondents.c.row)).scalars().all() == [3]


def test_a_teams_copy_of_the_mapping_knows_the_tools_labels_and_columns_of_the_bundled_one(tmp_path, sqlite_url,
                                                                                          caplog):
    # a copy made before the labels were added would go on reading the sub-label row as a respondent
    def older(raw):
        raw["subheader_labels"] = ["Response", "Open-Ended Response"]
        raw.pop("ignored_columns", None)

    mapping = _team_mapping(tmp_path / "mapping.yaml", older)
    export = _write_csv(tmp_path / "export.csv", [
        ["Respondent ID", "Collector ID", "Which groups are most excluded in your locality?"],
        ["", "", "Respuesta abierta"],
        ["5001", "77", "Las mujeres indígenas"],
    ])
    summary = _ingest([export], sqlite_url, survey_mapping=mapping)
    assert summary.ok and (summary.documents, summary.rows_skipped) == (1, 0)
    assert not [r for r in caplog.records if r.levelname == "WARNING"]
