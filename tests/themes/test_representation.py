"""Keyword choice for themes: main language first, words used together before alternatives for one another."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
from bertopic.vectorizers import ClassTfidfTransformer
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from synthesis.themes.representation import CoOccurringKeywords, _npmi

ENGLISH = ["the borehole is broken and water is far", "water from the borehole is dirty",
           "the borehole pump is broken again", "women walk far for water every day", "no water since May"]
SPANISH = ["pozo agua pozo agua roto pozo agua lejos pozo agua", "agua pozo agua pozo sucia agua pozo",
           "pozo roto agua pozo agua", "agua pozo lejos agua pozo"]  # fewer segments, but many more words
OTHER = ["the school has no teachers for deaf children", "deaf children sit at the back of the school"] * 3
NOISE = ["meeting starts at nine", "lunch is served"]  # outliers (-1): the first c-TF-IDF row


def _keywords(texts, topics, languages, **options):
    vectorizer = CountVectorizer().fit(texts)
    documents = pd.DataFrame({"Document": texts, "Topic": topics})
    counts = sparse.vstack([sparse.csr_matrix(vectorizer.transform([t for t, k in zip(texts, topics) if k == topic])
                                              .sum(axis=0)) for topic in sorted(set(topics))])
    c_tf_idf = ClassTfidfTransformer().fit_transform(counts)
    model = SimpleNamespace(vectorizer_model=vectorizer)
    candidates = {topic: [] for topic in sorted(set(topics))}
    result = CoOccurringKeywords(languages, **options).extract_topics(model, documents, c_tf_idf, candidates)
    assert all(len(words) == options.get("top_n_words", 25) for topic, words in result.items() if topic != -1)
    weights = [w for words in result.values() for _, w in words]
    assert all(w > 0 for w in weights)
    return {topic: [word for word, _ in words if word] for topic, words in result.items()}


def test_a_mixed_language_theme_gets_keywords_in_its_main_language():
    texts = NOISE + ENGLISH + SPANISH + OTHER
    topics = [-1] * len(NOISE) + [0] * (len(ENGLISH) + len(SPANISH)) + [1] * len(OTHER)
    languages = {t: "es" for t in SPANISH} | {t: "en" for t in NOISE + ENGLISH + OTHER}
    spanish = {"pozo", "agua", "roto", "sucia", "lejos"}
    words = _keywords(texts, topics, languages, top_n_words=8)
    assert "borehole" in words[0] and "water" in words[0]
    assert not spanish & set(words[0])
    assert "deaf" in words[1] and not {"borehole", "water"} & set(words[1])
    assert words[-1] == []  # outliers keep what BERTopic gave them
    unfiltered = _keywords(texts, topics, {}, top_n_words=8)
    assert {"pozo", "agua"} <= set(unfiltered[0])  # without languages, the wordier Spanish segments win


def test_npmi_is_one_for_words_always_together_and_near_minus_one_for_words_never_together():
    members = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1]], dtype=np.float32))
    npmi = _npmi(members)
    assert npmi[0, 1] > 0.99
    assert npmi[0, 2] == -1.0


def test_cooccurrence_weight_puts_words_used_together_first():
    texts = (["floods river bank"] * 5 + ["earthquake rubble"] * 6 + ["floods river rain"] * 3)
    topics = [0] * len(texts)
    languages = dict.fromkeys(texts, "en")
    plain = _keywords(texts, topics, languages, cooccurrence=0.0, top_n_words=3)[0]
    together = _keywords(texts, topics, languages, cooccurrence=3.0, top_n_words=3)[0]
    assert set(plain[:2]) == set(together[:2]) == {"floods", "river"}
    assert plain[2] == "earthquake"  # the next most used word, never in a segment with floods or river
    assert together[2] == "bank"  # used with them
