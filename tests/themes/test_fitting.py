"""Joining outliers and unassigned texts to the nearest theme."""

import numpy as np

from synthesis.themes.fitting import centroids, join_nearest


def test_outliers_join_the_nearest_theme_above_the_threshold():
    vectors = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.7, 0.7], [-1, 0]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    topics = np.array([0, 0, 1, -1, -1])
    joined = join_nearest(vectors, topics, centroids(vectors, topics), threshold=0.2)
    assert joined[:3].tolist() == [0, 0, 1]
    assert joined[3] in (0, 1)  # close to both
    assert joined[4] == -1  # opposite to theme 0, orthogonal to theme 1: stays an outlier


def test_a_fit_with_only_outliers_leaves_everything_unassigned():
    vectors = np.eye(3, dtype=np.float32)
    topics = np.full(3, -1)
    assert centroids(vectors, topics) == {}
    assert join_nearest(vectors, topics, {}, threshold=0.2).tolist() == [-1, -1, -1]


def test_theme_keywords_leave_out_the_words_of_email_addresses_and_links():
    from synthesis.themes.fitting import vectorizer

    texts = ["Write to maria.lopez@gmail.com about the clinic for deaf children.",
             "See www.juanperez-blog.org/clinic for the clinic that deaf children need."]
    words = set(vectorizer(["en"], min_df=1).fit(texts).get_feature_names_out())
    # before, "maria", "lopez", "gmail", "juanperez", "blog" could name a theme in the reports
    assert {"clinic", "deaf", "children", "deaf children"} <= words
    assert not words & {"maria", "lopez", "gmail", "com", "www", "juanperez", "blog", "org"}
