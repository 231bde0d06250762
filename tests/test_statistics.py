"""
Tests for the scoring math, cross-checked against scikit-learn on random data.
"""

from __future__ import annotations

import math
import random
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard._statistics import (
    ACX_EDGES,
    Accumulator,
    HitRate,
    binomial,
    bootstrap_mean,
    brier,
    calibration,
    log_loss,
    natural_log_score,
    peer_scores,
    relative_briers,
    shared_scores,
    wilson,
)

from .strategies import question_forecasts

sklearn_metrics = pytest.importorskip("sklearn.metrics")
sklearn_calibration = pytest.importorskip("sklearn.calibration")


def random_pairs(seed: int, n: int) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    pairs = []
    for _ in range(n):
        p = rng.uniform(0.002, 0.998)
        pairs.append((p, 1.0 if rng.random() < p**1.3 else 0.0))
    return pairs


@pytest.mark.parametrize("seed", range(5))
def test_brier_and_log_loss_match_sklearn(seed: int) -> None:
    """Brier equals sklearn's brier_score_loss and log loss equals sklearn's log_loss / ln 2, to 1e-12."""
    pairs = random_pairs(seed, 500)
    probabilities = [p for p, _ in pairs]
    outcomes = [int(o) for _, o in pairs]

    result = calibration(pairs)

    assert result.brier == pytest.approx(sklearn_metrics.brier_score_loss(outcomes, probabilities), abs=1e-12)
    assert result.log_loss == pytest.approx(sklearn_metrics.log_loss(outcomes, probabilities) / math.log(2), abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_calibration_curve_matches_sklearn(seed: int) -> None:
    """Non-empty decile bins give sklearn's calibration_curve, to 1e-12."""
    pairs = random_pairs(seed, 800)
    observed, predicted = sklearn_calibration.calibration_curve(
        [int(o) for _, o in pairs], [p for p, _ in pairs], n_bins=10, strategy="uniform"
    )

    bins = [b for b in calibration(pairs).bins if b.n]

    assert [b.observed for b in bins] == pytest.approx(list(observed), abs=1e-12)
    assert [b.mean_probability for b in bins] == pytest.approx(list(predicted), abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_brier_skill_matches_sklearn_d2(seed: int) -> None:
    """Brier skill against the base rate equals sklearn's d2_brier_score, to 1e-12."""
    d2 = getattr(sklearn_metrics, "d2_brier_score", None)
    if d2 is None:
        pytest.skip("this scikit-learn has no d2_brier_score")
    pairs = random_pairs(seed, 400)

    assert calibration(pairs).brier_skill == pytest.approx(
        d2([int(o) for _, o in pairs], [p for p, _ in pairs]), abs=1e-12
    )


@given(
    pairs=st.lists(
        st.tuples(st.floats(0.0, 1.0), st.sampled_from([0.0, 0.5, 1.0])),
        min_size=1,
        max_size=200,
    ),
    fold=st.booleans(),
)
def test_decomposition_adds_up_to_brier(pairs: list[tuple[float, float]], fold: bool) -> None:
    """Reliability - resolution + uncertainty + within-bin terms equals the Brier score, to 1e-12."""
    result = calibration(
        pairs, ACX_EDGES if fold else (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0), fold=fold
    )

    assert result.decomposition is not None
    assert result.brier is not None
    assert result.decomposition.total == pytest.approx(result.brier, abs=1e-12)


@given(pairs=st.lists(st.tuples(st.floats(0.0, 1.0), st.sampled_from([0.0, 1.0])), min_size=1, max_size=100))
def test_brier_is_between_zero_and_one(pairs: list[tuple[float, float]]) -> None:
    """The Brier score is within [0, 1] and equals the plain mean of squared errors."""
    result = calibration(pairs)

    assert result.brier is not None
    assert 0.0 <= result.brier <= 1.0
    assert result.brier == pytest.approx(sum((p - o) ** 2 for p, o in pairs) / len(pairs), abs=1e-12)


def test_certain_and_right_scores_zero() -> None:
    """A forecaster certain and right scores Brier 0 and the clipped minimum log loss."""
    result = calibration([(1.0, 1.0), (0.0, 0.0)])

    assert 0.0 == result.brier
    assert result.log_loss == pytest.approx(-math.log2(0.999))


def test_log_loss_clips_confident_misses() -> None:
    """A forecast of 0 that comes true costs log2(1000) bits, not infinity."""
    assert log_loss(0.0, 1.0) == pytest.approx(math.log2(1000))


def test_uncertainty_for_binary_outcomes_is_base_rate_variance() -> None:
    """With 0/1 outcomes, uncertainty is ō(1 - ō)."""
    result = calibration([(0.7, 1.0), (0.7, 1.0), (0.2, 0.0), (0.6, 0.0)])

    assert result.decomposition is not None
    assert result.decomposition.uncertainty == pytest.approx(0.25)


def test_wilson_interval() -> None:
    """The Wilson interval of 8/10 matches the textbook values."""
    low, high = wilson(8, 10)

    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)


def test_empty_calibration() -> None:
    """No forecasts give no scores and empty bins."""
    result = Accumulator().result()

    assert (0, None, None) == (result.n, result.brier, result.decomposition)
    assert 10 == len(result.bins)


def test_acx_folding() -> None:
    """With ACX bins, a 20 % forecast that fails counts as an 80 % forecast that comes true."""
    result = calibration([(0.2, 0.0), (0.8, 1.0)], ACX_EDGES, fold=True)

    (bin_80,) = [b for b in result.bins if b.n]
    assert (0.75, 0.85, 2, 0.8, 1.0) == (bin_80.lo, bin_80.hi, bin_80.n, bin_80.mean_probability, bin_80.observed)


def test_hit_rate() -> None:
    """Hit rates count yes strictly and partly as half."""
    rate = HitRate(yes=3, partly=2, no=5)

    assert (10, 0.3, 0.4) == (rate.graded, rate.strict, rate.half_credit)
    assert HitRate(0, 0, 0).strict is None


def test_bootstrap_is_seeded_and_brackets_the_estimate() -> None:
    """The same seed gives the same interval, and it contains the point estimate."""
    values = [brier(p, o) for p, o in random_pairs(7, 60)]

    first = bootstrap_mean(values, seed=1)
    again = bootstrap_mean(values, seed=1)

    assert first == again
    assert first is not None
    assert first[0] <= sum(values) / len(values) <= first[1]
    assert bootstrap_mean(values[:1]) is None


def test_bootstrap_matches_direct_resampling() -> None:
    """Resampling by multinomial counts gives the interval direct resampling gives, within noise."""
    rng = random.Random(3)
    values = [rng.choice([0.0, 0.0625, 0.25, 0.5625, 1.0]) for _ in range(400)]
    direct = sorted(sum(rng.choice(values) for _ in values) / len(values) for _ in range(2000))

    low, high = bootstrap_mean(values, resamples=2000, seed=5) or (0.0, 0.0)

    assert low == pytest.approx(direct[49], abs=0.01)
    assert high == pytest.approx(direct[1949], abs=0.01)


@pytest.mark.parametrize(("n", "p"), [(20, 0.1), (1000, 0.3), (5000, 0.8), (50, 0.0), (50, 1.0)])
def test_binomial_draws_have_the_right_mean(n: int, p: float) -> None:
    """The vendored binomial sampler's draws average n·p."""
    rng = random.Random(11)
    draws = [binomial(rng, n, p) for _ in range(4000)]

    assert sum(draws) / len(draws) == pytest.approx(n * p, abs=max(0.05 * n * p, 0.2))
    assert all(0 <= d <= n for d in draws)


@pytest.mark.skipif(not hasattr(random.Random, "binomialvariate"), reason="random.binomialvariate is new in 3.12")
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 300), p=st.floats(0.0, 1.0))
def test_binomial_draws_as_python_3_12_does(seed: int, n: int, p: float) -> None:
    """The carried binomial sampler gives CPython 3.12's binomialvariate draws, draw for draw, n = 1 included."""
    ours, theirs = random.Random(seed), random.Random(seed)

    assert [binomial(ours, n, p) for _ in range(20)] == [theirs.binomialvariate(n, p) for _ in range(20)]  # type: ignore[attr-defined]


@given(forecasts=question_forecasts)
def test_peer_scores_sum_to_zero_over_a_question(forecasts: list[tuple[float, float]]) -> None:
    """Over the forecasters of any question, peer scores sum to zero (to 1e-9)."""
    scores = peer_scores([natural_log_score(p, outcome) for p, outcome in forecasts])

    assert len(forecasts) == len(scores)
    assert abs(math.fsum(scores)) < 1e-9


@given(forecasts=question_forecasts)
def test_relative_brier_uses_the_median_of_the_others(forecasts: list[tuple[float, float]]) -> None:
    """Each forecaster's relative Brier is their Brier minus that of statistics.median of the others' probabilities."""
    expected = [
        brier(p, outcome) - brier(statistics.median(q for j, (q, _) in enumerate(forecasts) if j != i), outcome)
        for i, (p, outcome) in enumerate(forecasts)
    ]

    assert expected == relative_briers(forecasts)


def test_peer_score_of_three_forecasters() -> None:
    """On a question that happened, 0.8 against 0.4 and 0.6 scores 100 × (ln 0.8 − (ln 0.4 + ln 0.6) / 2)."""
    scores = peer_scores([natural_log_score(p, 1.0) for p in (0.8, 0.4, 0.6)])

    assert pytest.approx(100 * (math.log(0.8) - (math.log(0.4) + math.log(0.6)) / 2)) == scores[0]
    assert pytest.approx(100 * (math.log(0.6) - (math.log(0.8) + math.log(0.4)) / 2)) == scores[2]


def test_log_score_clips_certainty() -> None:
    """A forecast of 0 on what happened scores ln 0.001, not minus infinity; the probability of no is 1 − p."""
    assert (math.log(0.001), math.log(0.75)) == (natural_log_score(0.0, 1.0), natural_log_score(0.25, 0.0))


def test_shared_scores_leave_out_lone_forecasters() -> None:
    """A question with one forecaster counts for no one; the others average over the questions they shared."""
    found = shared_scores(
        [
            [("ann", 0.9, 1.0), ("bob", 0.5, 1.0)],
            [("ann", 0.2, 0.0)],
            [("ann", 0.3, 0.0), ("bob", 0.3, 0.0), ("cy", 0.6, 0.0)],
        ]
    )

    assert {"ann": 2, "bob": 2, "cy": 1} == {name: shared.questions for name, shared in found.items()}
    assert pytest.approx(((0.1**2 - 0.5**2) + (0.3**2 - 0.45**2)) / 2) == found["ann"].relative_brier
    assert pytest.approx(100 * (math.log(0.4) - math.log(0.7))) == found["cy"].peer_score
