"""A small corpus with clear subjects in English and Spanish, and a real SQLite store holding it."""

from __future__ import annotations

import random
from pathlib import Path

from synthesis.config import load_config
from synthesis.ingest import ingest_paths
from synthesis.store import Store

SUBJECTS = {
    "water": ("The {who} in {place} walk {n} kilometres to fetch water because the wells are dry and the hand "
              "pump has been broken since {when}.",
              "In {place} the water point is far away and the {who} queue for hours at the borehole for water."),
    "disability": ("Children with disabilities in {place} cannot enter the school: there are no ramps, no sign "
                   "language interpreters and teachers are not trained.",
                   "Deaf and blind persons in {place} are left out of classrooms; the school has no ramp and "
                   "no braille books for the {who}."),
    "land": ("Widows in {place} lose their land when their husband dies; the in-laws take the fields and the "
             "customary court does not recognise the {who}'s title.",
             "Women in {place} cannot inherit land, so the {who} farm plots they do not own and cannot get credit."),
    "agua": ("En {place} las familias caminan {n} kilómetros para buscar agua porque el pozo está seco desde "
             "{when}.",
             "En {place} no hay agua potable y las mujeres hacen fila durante horas en el pozo comunitario."),
}
PLACES = ["the northern hills", "the river villages", "the eastern district", "the island", "the valley",
          "the border towns", "the highlands", "the delta"]
WHO = ["women", "families", "older people", "children", "farmers", "households"]
WHEN = ["last year", "the floods", "the drought", "March", "the war"]


def write_corpus(folder: Path, per_subject: int = 14, subjects=tuple(SUBJECTS), seed: int = 7) -> Path:
    """One .txt transcript per subject group with ``per_subject`` distinct paragraphs each, and a manifest."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["file,country,iso,date,organisation,language,doc_type,title"]
    for number, subject in enumerate(subjects):
        paragraphs = set()
        while len(paragraphs) < per_subject:
            template = rng.choice(SUBJECTS[subject])
            paragraphs.add(template.format(who=rng.choice(WHO), place=rng.choice(PLACES), n=rng.randint(2, 19),
                                           when=rng.choice(WHEN)))
        name = f"d{number}-{subject}.txt"
        title = f"Dialogue {number}"
        (folder / name).write_text(f"{title}\n{'=' * len(title)}\n\n" + "\n\n".join(sorted(paragraphs)) + "\n",
                                   encoding="utf-8")
        country, iso = (("Peru", "PER") if subject == "agua" else ("Kenya", "KEN") if number % 2 else
                        ("Nepal", "NPL"))
        rows.append(f"{name},{country},{iso},2016-10-01,A forum,{'es' if subject == 'agua' else 'en'},"
                    f"national dialogue report,{title}")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def make_store(tmp: Path, corpus: Path, name: str = "project.sqlite"):
    corpus.mkdir(parents=True, exist_ok=True)
    config = load_config(None, corpus_dir=corpus, out_dir=tmp / "out", db_url=f"sqlite:///{tmp / name}",
                         cache_dir=tmp / "cache", themes_min_size=5, themes_umap_neighbors=8)
    with Store(config.store_url) as store:
        ingest_paths([corpus], store, config)
    return config
