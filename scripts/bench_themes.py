"""Theme quality and speed on the bundled corpus: our configuration against BERTopic's defaults and scikit-learn's
LDA, all on the same segments (and, for BERTopic, the same embeddings), in one run. Prints JSON.

Works on a copy of a coded store (default build/project.sqlite, made by `synthesis run`), so the store itself is
not changed. Measures, per model: NPMI coherence of the top-10 keywords (gensim's CoherenceModel, "c_npmi", on the
same tokenised segments for every model: lower-cased words and word pairs, stop words kept, co-occurrence counted
within a segment), topic diversity (share of distinct words among all topics' top-25), outlier share, number of
themes and wall time. Our configuration runs with an empty embedding cache (cold), then three times warm; BERTopic's
defaults run three times; the median time is reported. Our time is the whole step (reading the store, fitting,
storing themes, writing OUT/themes/), BERTopic's is ``fit_transform`` alone.
Also measures how much themes follow language (normalised mutual information between language and theme, and the
number of themes that are at least 80% one non-English language), with and without our multilingual measures.

    .venv/bin/python scripts/bench_themes.py [--db sqlite:///build/project.sqlite]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from synthesis.config import load_config
from synthesis.embeddings import Embedder
from synthesis.store import Store
from synthesis.themes import build_themes
from synthesis.themes.fitting import embedding_backend, vectorizer

TOP_NPMI, TOP_DIVERSITY = 10, 25
RUNS = 3  # timed runs of our warm configuration and of BERTopic's defaults; the median is reported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="build/project.sqlite", help="SQLite file of a coded store")
    parser.add_argument("--config", type=Path, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-themes-"))
    try:
        print(json.dumps(bench(Path(args.db.removeprefix("sqlite:///")), args.config, work), indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench(store_file: Path, config_file: Path | None, work: Path) -> dict:
    shutil.copy(store_file, work / "project.sqlite")
    config = load_config(config_file, out_dir=work / "out", db_url=f"sqlite:///{work / 'project.sqlite'}",
                         cache_dir=work / "cache")
    results = {}
    with Store(config.store_url) as store:
        for name in ("ours_cold", "ours_warm", "ours_warm", "ours_warm"):
            started = time.perf_counter()
            with store.recorded_run("themes", {"benchmark": "bench_themes"}) as run_id:  # not left 'running'
                summary = build_themes(config, store, run_id)
                store.finish_run(run_id, "ok", {})
            results.setdefault(name, []).append((round(time.perf_counter() - started, 1), summary.fit_seconds))
        results = {name: {"seconds": statistics.median(t for t, _ in runs),
                          "fit_seconds": statistics.median(f for _, f in runs)} for name, runs in results.items()}
        texts, languages, topics = _assignments(store)
        units = [u for u in store.iter_units() if u.text.strip()]
    model = summary.model
    ours = {t: [w for w, _ in model.get_topic(t) if w] for t in sorted(set(model.topics_) - {-1})}
    tokenised = _tokenise(texts)
    warm = results.pop("ours_warm")
    results["ours"] = _scores(ours, tokenised, summary.outliers / summary.segments, warm)
    results["ours"]["fit_seconds"] = warm["fit_seconds"]  # BERTopic's part of our step: like for like
    results["ours"]["seconds_cold_cache"] = results.pop("ours_cold")["seconds"]
    results["ours"]["language"] = _language(languages, topics)

    embeddings = Embedder(config.cache_dir).encode(texts)  # warm: the same vectors our run used
    results["bertopic_default"] = _bertopic_default(texts, embeddings, config, tokenised)
    # not a goal, a pointer: the defaults reduced to our number of themes (NPMI depends much on topic size)
    results["bertopic_default_same_number_of_themes"] = _bertopic_default(texts, embeddings, config, tokenised,
                                                                          nr_topics=len(ours), repeats=1)
    results["lda"] = _lda(texts, len(ours), config, tokenised)

    plain = config.model_copy(update={"themes_language_centring": False, "themes_code_weight": 0.0,
                                      "out_dir": work / "plain"})
    with Store(config.store_url) as store:
        with store.recorded_run("themes", {"benchmark": "bench_themes"}) as run_id:
            build_themes(plain, store, run_id)
            store.finish_run(run_id, "ok", {})
        _, plain_languages, plain_topics = _assignments(store)
    results["ours"]["language_without_multilingual_measures"] = _language(plain_languages, plain_topics)
    results["segments"] = len(units)
    results["distinct_texts"] = len(texts)
    results["goals"] = {
        "npmi_above_both": results["ours"]["npmi"] > max(results["bertopic_default"]["npmi"], results["lda"]["npmi"]),
        "diversity_at_least_0.80": results["ours"]["diversity"] >= 0.80,
        "outliers_under_10pct": results["ours"]["outliers"] < 0.10,
        "warm_faster_than_bertopic_default": results["ours"]["seconds"] < results["bertopic_default"]["seconds"],
        "warm_fit_faster_than_bertopic_default": (results["ours"]["fit_seconds"]
                                                  < results["bertopic_default"]["seconds"]),
    }
    return results


def _assignments(store: Store) -> tuple[list[str], list[str], list[int]]:
    """Distinct texts (first occurrence order), their language and their stored theme (-1 = outlier)."""
    theme_of = store.segment_theme_ids()
    seen: dict[str, tuple[str, int]] = {}
    for unit in store.iter_units():
        if unit.text.strip() and unit.text not in seen:
            seen[unit.text] = (unit.language, theme_of.get(unit.id, -1))
    return list(seen), [v[0] for v in seen.values()], [v[1] for v in seen.values()]


def _tokenise(texts: list[str]) -> list[list[str]]:
    from sklearn.feature_extraction.text import CountVectorizer

    analyse = CountVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b").build_analyzer()
    return [analyse(t) for t in texts]


def _scores(topics: dict[int, list[str]], tokenised: list[list[str]], outliers: float, timing: dict) -> dict:
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    dictionary = Dictionary(tokenised)
    known = [[w for w in words[:TOP_NPMI] if w in dictionary.token2id] for words in topics.values()]
    known = [words for words in known if len(words) >= 2]
    npmi = CoherenceModel(topics=known, texts=tokenised, dictionary=dictionary, coherence="c_npmi",
                          window_size=1000, processes=1).get_coherence() if known else float("nan")
    top = [w for words in topics.values() for w in words[:TOP_DIVERSITY]]
    return {"themes": len(topics), "npmi": round(float(npmi), 4),
            "diversity": round(len(set(top)) / len(top), 4) if top else 0.0, "outliers": round(outliers, 4),
            "seconds": timing["seconds"], "keywords_not_in_tokenised_text": sum(
                len(words[:TOP_NPMI]) for words in topics.values()) - sum(len(k) for k in known)}


def _bertopic_default(texts, embeddings, config, tokenised, nr_topics=None, repeats=RUNS) -> dict:
    from bertopic import BERTopic

    random.seed(config.seed)
    np.random.seed(config.seed)
    times = []
    for _ in range(repeats):  # the median of several runs: on shared cores one run's time is noisy
        started = time.perf_counter()
        model = BERTopic(embedding_model=embedding_backend(Embedder(config.cache_dir)), nr_topics=nr_topics)
        topics, _ = model.fit_transform(texts, embeddings)
        times.append(time.perf_counter() - started)
    seconds = statistics.median(times)
    words = {}
    vocabulary = model.vectorizer_model.get_feature_names_out()
    for topic in sorted(set(topics) - {-1}):
        row = model.c_tf_idf_[topic + model._outliers].toarray().ravel()
        words[topic] = [vocabulary[i] for i in np.argsort(-row)[:TOP_DIVERSITY]]
    outliers = sum(t == -1 for t in topics) / len(topics)
    return _scores(words, tokenised, outliers, {"seconds": round(seconds, 1)})


def _lda(texts, n_topics, config, tokenised) -> dict:
    from sklearn.decomposition import LatentDirichletAllocation

    started = time.perf_counter()
    counts = vectorizer(config.languages)
    matrix = counts.fit_transform(texts)
    lda = LatentDirichletAllocation(n_components=n_topics, random_state=config.seed, learning_method="online",
                                    n_jobs=1).fit(matrix)
    seconds = time.perf_counter() - started
    vocabulary = counts.get_feature_names_out()
    words = {k: [vocabulary[i] for i in np.argsort(-row)[:TOP_DIVERSITY]] for k, row in enumerate(lda.components_)}
    return _scores(words, tokenised, 0.0, {"seconds": round(seconds, 1)})


def _language(languages: list[str], topics: list[int]) -> dict:
    from sklearn.metrics import normalized_mutual_info_score

    pairs = [(lang, t) for lang, t in zip(languages, topics) if t != -1]
    by_theme: dict[int, Counter] = {}
    for language, theme in pairs:
        by_theme.setdefault(theme, Counter())[language] += 1
    language_themes = sum(1 for c in by_theme.values()
                          if (top := c.most_common(1)[0])[0] != "en" and top[1] >= 0.8 * sum(c.values()))
    return {"nmi_language_theme": round(normalized_mutual_info_score([p[0] for p in pairs], [p[1] for p in pairs]), 4),
            "themes_mostly_one_non_english_language": language_themes, "themes": len(by_theme),
            "non_english_share": round(sum(lang != "en" for lang in languages) / len(languages), 4)}


if __name__ == "__main__":
    main()
