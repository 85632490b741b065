"""The bundled corpus: its shape, and an end-to-end ingest with exact provenance for every segment."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter

import pytest
import yaml
from sqlalchemy import select

from conftest import CORPUS, REPO
from synthesis.config import Config
from synthesis.pipeline import run
from synthesis.segment import normalise
from synthesis.store import Store
from synthesis.store.schema import documents, respondents, segments

CODEBOOK = yaml.safe_load((REPO / "corpora" / "codebooks" / "lnob.yaml").read_text(encoding="utf-8"))
GROUPS = {c["id"] for c in CODEBOOK["groups"]}
CAUSES = {c["id"] for c in CODEBOOK["causes"]}


def _manifest():
    with open(CORPUS / "manifest.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_manifest_lists_the_29_dialogues_of_the_programme():
    dialogues = [row for row in _manifest() if row["file"].startswith("dialogues/")]
    assert len(dialogues) == 29
    assert len({row["iso"] for row in dialogues}) == 29
    for row in dialogues:
        assert (CORPUS / row["file"]).is_file(), row["file"]
        assert row["country"] and row["date"] and row["organisation"] and row["language"] in {"en", "es", "fr"}
    formats = Counter(row["file"].rsplit(".", 1)[1] for row in dialogues)
    assert formats["pdf"] >= 2 and formats["txt"] >= 1 and formats["md"] >= 1 and formats["docx"] > 14
    languages = {row["iso"]: row["language"] for row in dialogues}
    assert {iso for iso, lang in languages.items() if lang == "es"} == {"ARG", "BOL", "COL", "SLV", "PER"}
    assert {iso for iso, lang in languages.items() if lang == "fr"} == {"TGO"}


def _gold():
    lines = {}
    for split in ("train", "dev", "test", "train-causes"):
        with open(CORPUS / "gold" / f"{split}.jsonl", encoding="utf-8") as handle:
            lines[split] = [json.loads(line) for line in handle if line.strip()]
    return lines


def test_the_second_coding_covers_the_test_split_text_for_text():
    with open(CORPUS / "gold" / "test.second-coder.jsonl", encoding="utf-8") as handle:
        second = [json.loads(line) for line in handle if line.strip()]
    test = _gold()["test"]
    assert [(i["id"], i["text"]) for i in second] == [(i["id"], i["text"]) for i in test]
    assert all(set(i["groups"]) <= GROUPS and set(i["causes"]) <= CAUSES for i in second)
    differs = [t["id"] for i, t in zip(second, test) if set(i["groups"]) != set(t["groups"])]
    assert differs, "a copy of the gold labels, not a second coding"


def test_gold_splits_are_disjoint_valid_and_large_enough():
    gold = _gold()
    everything = [item for split in gold.values() for item in split]
    assert len(everything) >= 400
    ids = [item["id"] for item in everything]
    assert len(ids) == len(set(ids))
    texts = [normalise(item["text"]) for item in everything]
    assert len(texts) == len(set(texts)), "the same text in two gold lines (or two splits)"
    for item in everything:
        assert set(item) >= {"id", "text", "groups", "causes"}
        assert set(item["groups"]) <= GROUPS and set(item["causes"]) <= CAUSES, item["id"]
    labelled = Counter(code for item in everything for code in item["groups"] + item["causes"])
    assert all(labelled[code] >= 3 for code in CAUSES)
    assert sum(1 for item in everything if item["id"].startswith("cons-")) >= 100
    causes_only = gold["train-causes"]
    assert len(causes_only) >= 1000 and all(item["id"].startswith(("rep2-", "rep3-")) for item in causes_only)
    assert sum(1 for item in causes_only if not item["groups"] and not item["causes"]) >= 100  # negatives too


@pytest.mark.e2e
def test_run_ingests_the_whole_corpus_with_exact_provenance(tmp_path):
    config = Config(corpus_dir=CORPUS, out_dir=tmp_path)
    result = run(config)
    assert result.ok
    assert result.ingest.ok, result.ingest.problems
    # the later stages ran on all of it: every unit coded, themes a report can hold, a report per dialogue country
    assert result.coding["segments_coded"] == result.coding["segments_total"] > 20000
    assert 8 <= result.themes.themes <= config.themes_max and result.themes.outliers / result.themes.segments < 0.1
    assert len(result.reports.country_reports) == 29 and result.reports.global_report.exists()
    assert result.corpus.dialogue_countries == 29
    assert result.corpus.respondents == 4747
    assert set(result.corpus.languages) == {"en", "es", "fr"}
    with Store(config.store_url) as store, store.engine.connect() as connection:
        texts = dict(connection.execute(select(documents.c.id, documents.c.text)).all())
        for row in connection.execute(select(segments.c.document_id, segments.c.start_char, segments.c.end_char,
                                             segments.c.text)):
            assert texts[row.document_id][row.start_char:row.end_char] == row.text
        countries = connection.execute(select(respondents.c.country).distinct()).scalars().all()
        dialogue = {r.key: r for r in connection.execute(select(documents).where(documents.c.kind == "dialogue"))}
        roles = Counter(connection.execute(select(segments.c.speaker_role).where(segments.c.kind == "turn")).scalars())
    assert len(countries) == 102
    assert {"facilitator", "participant"} <= set(roles)
    for row in _manifest():
        if row["file"].startswith("dialogues/"):
            doc = dialogue[row["file"].split("/")[1].rsplit(".", 1)[0]]
            assert (doc.country, doc.iso, doc.language) == (row["country"], row["iso"], row["language"])
            words = len(re.findall(r"\w+", doc.text))
            assert 1200 <= words <= 2700, (doc.key, words)
    # every dialogue gold text is a verbatim part of its transcript (rep-, rep2-, rep3-: report-style training texts
    # written on their own, see the corpus README)
    by_iso = {doc.iso: doc.text for doc in dialogue.values()}
    for split in _gold().values():
        for item in split:
            if not item["id"].startswith(("cons-", "rep-", "rep2-", "rep3-")):
                assert normalise(item["text"]) in by_iso[item["id"].split("-")[0]], item["id"]
    again = run(config)
    assert (again.ingest.ingested, again.ingest.unchanged) == (0, result.ingest.ingested)
