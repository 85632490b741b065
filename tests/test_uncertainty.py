"""The review queue's uncertainty: distance of each score to its own code's threshold."""

import pytest

from synthesis.uncertainty import margin, uncertainty


def test_margin_is_zero_on_the_threshold_and_one_at_the_ends():
    assert margin(0.3, 0.3) == 0 and margin(0.0, 0.3) == 1 and margin(1.0, 0.3) == 1
    assert margin(0.65, 0.3) == pytest.approx(0.5) and margin(0.15, 0.3) == pytest.approx(0.5)


def test_uncertainty_measures_against_each_codes_threshold_not_half():
    thresholds = {"group": {"youth": 0.6}, "cause": {"governance": 0.3, "geography": 0.5}}
    on_threshold = uncertainty({"youth": 0.0}, {"governance": 0.3, "geography": 0.05}, thresholds)
    at_half = uncertainty({"youth": 0.0}, {"governance": 0.5, "geography": 0.05}, thresholds)
    assert on_threshold == pytest.approx(1 - (0 + 0.9) / 2) and at_half < on_threshold
    assert uncertainty({"youth": 0.58}, {}, thresholds) > uncertainty({"youth": 0.5}, {}, thresholds)
    assert uncertainty({}, {"unknown": 0.5}, {}) == 0.5  # a code without a threshold: 0.5; a missing one: certain
    assert uncertainty({}, {}, thresholds) == 0.0


def test_two_unsure_codes_come_before_one():
    thresholds = {"group": {"youth": 0.5}, "cause": {"governance": 0.3}}
    assert uncertainty({"youth": 0.5}, {"governance": 0.3}, thresholds) == 1.0
    assert uncertainty({"youth": 0.5}, {"governance": 0.3}, thresholds) > uncertainty({"youth": 0.5},
                                                                                       {"governance": 0.0}, thresholds)
