"""
Tests for the scoring math, cross-checked against scikit-learn on random data.
"""

from __future__ import annotations

import math
import random
import statistics
import warnings

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scorecard._statistics import (
    ACX_EDGES,
    CLIP,
    Accumulator,
    HitRate,
    binomial,
    bootstrap_difference,
    bootstrap_mean,
    bootstrap_means,
    brier,
    calibration,
    calibration_in_the_large,
    log_loss,
    natural_log_score,
    peer_scores,
    recalibration,
    relative_briers,
    shared_scores,
    sharpness,
    spiegelhalter_z,
    wilson,
)

from .strategies import binary_forecasts, calibrated_forecasts, question_forecasts


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
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    pairs = random_pairs(seed, 500)
    probabilities = [p for p, _ in pairs]
    outcomes = [int(o) for _, o in pairs]

    result = calibration(pairs)

    assert result.brier == pytest.approx(sklearn_metrics.brier_score_loss(outcomes, probabilities), abs=1e-12)
    assert result.log_loss == pytest.approx(sklearn_metrics.log_loss(outcomes, probabilities) / math.log(2), abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_calibration_curve_matches_sklearn(seed: int) -> None:
    """Non-empty decile bins give sklearn's calibration_curve, to 1e-12."""
    sklearn_calibration = pytest.importorskip("sklearn.calibration")
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
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
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


def test_joint_bootstrap_by_hand() -> None:
    """Constant columns give point intervals; fewer than two rows or columns of unequal length give none."""
    assert ((0.5, 0.5), (2.0, 2.0)) == bootstrap_means([[0.5, 0.5, 0.5], [2.0, 2.0, 2.0]])
    assert bootstrap_means([[0.5], [2.0]]) is None
    assert bootstrap_means([[0.5, 0.5], [2.0]]) is None
    assert bootstrap_means([]) is None


@given(
    st.lists(st.sampled_from([0.0, 0.01, 0.09, 0.25, 0.36, 0.5, 0.81, 1.0]), min_size=2, max_size=300),
    st.integers(0, 2**32),
)
def test_joint_bootstrap_of_an_increasing_function_matches_separate_ones(values: list[float], seed: int) -> None:
    """When the second column increases with the first, both intervals equal the separate bootstraps' exactly."""
    logs = [math.log2(1.0 + value) for value in values]

    joint = bootstrap_means([values, logs], seed=seed, resamples=200)

    assert joint == (bootstrap_mean(values, seed=seed, resamples=200), bootstrap_mean(logs, seed=seed, resamples=200))


def test_joint_bootstrap_resamples_rows_together() -> None:
    """Two columns that always sum to 1 have resampled means that always sum to 1, so their intervals mirror."""
    rng = random.Random(4)
    first = [rng.choice([0.0, 0.25, 0.5, 0.75, 1.0]) for _ in range(300)]
    second = [1.0 - value for value in first]

    (low, high), (low_2, high_2) = bootstrap_means([first, second], seed=9) or ((0.0, 0.0), (0.0, 0.0))

    assert low < high
    assert low_2 == pytest.approx(1.0 - high, abs=1e-12)
    assert high_2 == pytest.approx(1.0 - low, abs=1e-12)


def _chain_of_binomials(values: list[float], resamples: int, rng: random.Random) -> list[float]:
    """Resampled means as one binomial draw per distinct value, each link worked out afresh."""
    counts: dict[float, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    means = []
    for _ in range(resamples):
        remaining, weight_left, total = len(values), len(values), 0.0
        for value in sorted(counts):
            if remaining == 0:
                break
            weight = counts[value]
            drawn = remaining if weight == weight_left else binomial(rng, remaining, weight / weight_left)
            total, remaining, weight_left = total + drawn * value, remaining - drawn, weight_left - weight
        means.append(total / len(values))
    return means


@given(
    st.lists(st.sampled_from([0.0, 0.01, 0.09, 0.25, 0.36, 0.5, 0.81, 1.0]), min_size=2, max_size=300),
    st.integers(0, 2**32),
)
def test_resampling_draws_as_a_chain_of_binomial_calls_does(values: list[float], seed: int) -> None:
    """The resampler with its links set up once gives exactly the means of calling binomial link by link."""
    from scorecard._statistics import _chained_means

    counts: dict[tuple[float, ...], int] = {}
    for value in values:
        counts[value,] = counts.get((value,), 0) + 1
    assert [_chain_of_binomials(values, 50, random.Random(seed))] == _chained_means(
        counts, len(values), 50, random.Random(seed)
    )


@given(
    st.lists(st.sampled_from([0.0, 0.01, 0.09, 0.25, 0.36, 0.5, 0.81, 1.0]), min_size=48, max_size=300),
    st.integers(0, 2**32),
)
def test_few_distinct_values_are_resampled_as_a_chain(values: list[float], seed: int) -> None:
    """With at most eight distinct values among 48 or more, every resample is the chain of binomial draws."""
    from scorecard._statistics import _resampled_means

    rows = [(value,) for value in values]
    assert [_chain_of_binomials(values, 50, random.Random(seed))] == _resampled_means(rows, 50, random.Random(seed))


def _picked_one_by_one(values: list[float], resamples: int, rng: random.Random) -> list[float]:
    """Resampled means as n rows picked by position, each with a uniform random number."""
    n = len(values)
    return [math.fsum(values[int(rng.random() * n)] for _ in range(n)) / n for _ in range(resamples)]


@given(st.lists(st.floats(0.0, 1.0), min_size=2, max_size=60, unique=True), st.integers(0, 2**32))
def test_values_mostly_distinct_are_resampled_by_picking_rows(values: list[float], seed: int) -> None:
    """When most values are distinct (probabilities given to many decimals), each resample picks n rows by position."""
    from scorecard._statistics import _resampled_means

    rows = [(value,) for value in values]
    assert [_picked_one_by_one(values, 30, random.Random(seed))] == _resampled_means(rows, 30, random.Random(seed))


def test_picking_rows_and_the_chain_give_one_interval() -> None:
    """On 600 values of which 150 distinct, both ways of resampling give the same 95 % interval, within noise."""
    from scorecard._statistics import _chained_means, _percentiles, _picked_means

    rng = random.Random(11)
    pool = [rng.random() for _ in range(150)]
    values = pool * 4
    counts: dict[tuple[float, ...], int] = {(value,): 4 for value in pool}

    (picked,) = _picked_means([(value,) for value in values], 2000, random.Random(1))
    (chained,) = _chained_means(counts, len(values), 2000, random.Random(1))

    picked_low, picked_high = _percentiles(picked, 0.95)
    chained_low, chained_high = _percentiles(chained, 0.95)
    assert picked_low == pytest.approx(chained_low, abs=0.005)
    assert picked_high == pytest.approx(chained_high, abs=0.005)
    assert picked_low < sum(values) / len(values) < picked_high


def test_two_columns_picked_share_their_rows() -> None:
    """Picked rows carry both columns: two columns that sum to 1 have resampled means that sum to 1."""
    from scorecard._statistics import _picked_means

    rng = random.Random(12)
    first = [rng.random() for _ in range(200)]
    rows = [(value, 1.0 - value) for value in first]

    means, complements = _picked_means(rows, 100, random.Random(2))

    assert all(a + b == pytest.approx(1.0, abs=1e-12) for a, b in zip(means, complements, strict=True))
    assert len(set(means)) == 100


@given(st.lists(st.integers(1, 50), min_size=1, max_size=9), st.integers(0, 200), st.integers(0, 2**32))
def test_a_multinomial_draw_places_every_pick(weights: list[int], n: int, seed: int) -> None:
    """A multinomial draw gives each category a count, none negative, and the counts add up to the picks."""
    from scorecard._statistics import multinomial

    drawn = multinomial(random.Random(seed), n, weights)

    assert len(drawn) == len(weights)
    assert min(drawn) >= 0
    assert sum(drawn) == n


def test_multinomial_draws_have_the_right_means() -> None:
    """Over 3,000 draws of 90 picks with weights 1, 2 and 6, each category averages 10, 20 and 60 picks."""
    from scorecard._statistics import multinomial

    rng = random.Random(5)
    draws = [multinomial(rng, 90, [1, 2, 6]) for _ in range(3000)]

    for category, expected in enumerate((10, 20, 60)):
        assert statistics.fmean(draw[category] for draw in draws) == pytest.approx(expected, abs=0.4)


def test_kappa_interval_by_counts_matches_resampling_items() -> None:
    """The κ interval from multinomial draws of the rating pairs equals, within noise, the one from resampling items."""
    from scorecard._statistics import bootstrap_kappa, weighted_kappa

    rng = random.Random(8)
    ratings = [(a, a if rng.random() < 0.7 else rng.randint(0, 2)) for a in (rng.randint(0, 2) for _ in range(300))]
    items = sorted(
        kappa
        for kappa in (weighted_kappa(rng.choices(ratings, k=len(ratings))) for _ in range(2000))
        if kappa is not None
    )

    low, high = bootstrap_kappa(ratings, seed=3) or (0.0, 0.0)

    assert low == pytest.approx(items[49], abs=0.02)
    assert high == pytest.approx(items[1949], abs=0.02)
    assert low < (weighted_kappa(ratings) or 0.0) < high


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


# Sharpness and calibration beyond the bins (issue 18): hand-computed examples, independent
# implementations (statsmodels, numpy, scipy) and properties.


def test_sharpness_by_hand() -> None:
    """10 %, 50 %, 90 % have spread √((0.16 + 0 + 0.16) / 3) and mean distance (0.4 + 0 + 0.4) / 3 from 50 %."""
    result = sharpness([0.1, 0.5, 0.9])

    assert result is not None
    assert result.spread == pytest.approx(math.sqrt(0.32 / 3), abs=1e-15)
    assert result.mean_distance == pytest.approx(0.8 / 3, abs=1e-15)
    pair = sharpness([0.2, 0.6])
    assert pair is not None
    assert (0.2, 0.2) == pytest.approx((pair.spread, pair.mean_distance), abs=1e-15)


def test_sharpness_of_nothing() -> None:
    """No probabilities have no sharpness."""
    assert sharpness([]) is None


def test_calibration_in_the_large_by_hand() -> None:
    """Forecasts of 90, 70, 80 and 60 % with two yes: mean 0.75 minus base rate 0.5 is 0.25."""
    assert calibration_in_the_large([(0.9, 1.0), (0.7, 0.0), (0.8, 1.0), (0.6, 0.0)]) == pytest.approx(0.25, abs=1e-15)
    assert calibration_in_the_large([]) is None


def test_recalibration_of_two_groups_by_hand() -> None:
    """
    With two distinct probabilities the fit passes through both groups' observed log odds.

    At 1/3 (logit −ln 2) one yes in five (logit −2 ln 2), at 2/3 (logit ln 2) four in five
    (2 ln 2): slope 4 ln 2 / 2 ln 2 = 2, intercept 0. At 1/3 one in two (logit 0), at 2/3 four in
    five: slope 2 ln 2 / 2 ln 2 = 1, intercept 0 − 1 · (−ln 2) = ln 2.
    """
    timid = [(1 / 3, 1.0)] + [(1 / 3, 0.0)] * 4 + [(2 / 3, 1.0)] * 4 + [(2 / 3, 0.0)]
    leaning_yes = [(1 / 3, 1.0), (1 / 3, 0.0)] + [(2 / 3, 1.0)] * 4 + [(2 / 3, 0.0)]

    timid_fit, leaning_fit = recalibration(timid), recalibration(leaning_yes)

    assert timid_fit is not None
    assert leaning_fit is not None
    assert (0.0, 2.0) == pytest.approx((timid_fit.intercept, timid_fit.slope), abs=1e-9)
    assert (math.log(2), 1.0) == pytest.approx((leaning_fit.intercept, leaning_fit.slope), abs=1e-9)


@pytest.mark.parametrize(
    "pairs",
    [
        pytest.param([(0.2, 1.0), (0.8, 0.0)], id="two pairs"),
        pytest.param([(0.2, 1.0), (0.5, 1.0), (0.8, 1.0)], id="all yes"),
        pytest.param([(0.6, 1.0), (0.6, 0.0), (0.6, 1.0)], id="one probability"),
        pytest.param([(0.0, 1.0), (0.0005, 0.0), (0.001, 1.0)], id="one probability once clipped"),
        pytest.param([(0.2, 0.0), (0.3, 0.0), (0.6, 1.0), (0.7, 1.0)], id="complete separation"),
        pytest.param([(0.7, 0.0), (0.8, 0.0), (0.2, 1.0), (0.3, 1.0)], id="complete separation, reversed"),
        pytest.param([(0.2, 0.0), (0.5, 0.0), (0.5, 1.0), (0.7, 1.0)], id="quasi-complete separation"),
    ],
)
def test_recalibration_undefined(pairs: list[tuple[float, float]]) -> None:
    """Too few pairs, one outcome, one probability or separated outcomes have no recalibration."""
    assert recalibration(pairs) is None


def test_recalibration_that_does_not_converge() -> None:
    """A fit still moving after its last allowed step gives None; the same data fit with more steps."""
    pairs = [(0.2, 0.0), (0.5, 0.0), (0.5, 1.0), (0.7, 1.0), (0.9, 1.0), (0.1, 1.0), (0.95, 0.0)]

    assert recalibration(pairs, iterations=1) is None
    assert recalibration(pairs) is not None


def test_spiegelhalter_z_by_hand() -> None:
    """
    (80 %, yes), (30 %, no), (60 %, no): Z = −1/√7 and p = erfc(1/√14).

    Numerator 0.2·(−0.6) − 0.3·0.4 − 0.6·(−0.2) = −0.12; denominator
    √(0.36·0.16 + 0.16·0.21 + 0.04·0.24) = √0.1008 = 0.12·√7.
    """
    result = spiegelhalter_z([(0.8, 1.0), (0.3, 0.0), (0.6, 0.0)])

    assert result is not None
    assert result.z == pytest.approx(-1 / math.sqrt(7), abs=1e-15)
    assert result.p_value == pytest.approx(math.erfc(1 / math.sqrt(14)), abs=1e-15)
    assert 0.7054569861 == pytest.approx(result.p_value, abs=1e-10)


@pytest.mark.parametrize("pairs", [[], [(0.0, 0.0), (0.5, 1.0), (1.0, 0.0), (0.5, 0.0)]])
def test_spiegelhalter_z_undefined(pairs: list[tuple[float, float]]) -> None:
    """Without pairs, or with every probability 0, ½ or 1, Z's denominator is 0 and there is no Z."""
    assert spiegelhalter_z(pairs) is None


def test_bootstrap_of_paired_differences_by_hand() -> None:
    """Equal differences give a zero-width interval at their value; one difference gives none."""
    assert (0.5, 0.5) == bootstrap_mean([0.5, 0.5, 0.5])
    assert bootstrap_mean([0.5]) is None
    assert bootstrap_mean([]) is None


def test_bootstrap_of_paired_differences_is_seeded() -> None:
    """The same seed gives the same interval, another seed another, and it contains the mean."""
    rng = random.Random(2)
    differences = [rng.gauss(0.1, 0.5) for _ in range(50)]

    first = bootstrap_mean(differences, seed=1)

    assert first is not None
    assert first == bootstrap_mean(differences, seed=1)
    assert first != bootstrap_mean(differences, seed=2)
    assert first[0] <= sum(differences) / len(differences) <= first[1]


def _generated_forecasts(seed: int, intercept: float, slope: float, n: int) -> list[tuple[float, float]]:
    # Outcomes drawn from the recalibration model itself, so the fit has a known truth to find;
    # probabilities cover the whole range, exact 0 and 1 (clipped) and a few repeated hedge values.
    rng = random.Random(seed)
    pairs = []
    for _ in range(n):
        p = rng.choice([rng.random(), rng.random(), rng.choice([0.0, 0.05, 0.3, 0.7, 0.95, 1.0])])
        clipped = min(max(p, 0.001), 0.999)
        eta = intercept + slope * math.log(clipped / (1 - clipped))
        pairs.append((p, 1.0 if rng.random() < 1 / (1 + math.exp(-eta)) else 0.0))
    return pairs


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(
    ("intercept", "slope", "n"),
    [(0.0, 1.0, 400), (0.0, 0.5, 300), (0.0, 2.0, 300), (0.8, 1.0, 200), (-0.5, 0.3, 50), (0.3, 1.6, 1000)],
    ids=["calibrated", "overconfident", "timid", "leaning yes", "small and overconfident", "large"],
)
def test_recalibration_matches_statsmodels(seed: int, intercept: float, slope: float, n: int) -> None:
    """Intercept and slope equal statsmodels' Logit(y, add_constant(logit p)).fit() to 1e-6."""
    np = pytest.importorskip("numpy")
    sm = pytest.importorskip("statsmodels.api")
    pairs = _generated_forecasts(seed, intercept, slope, n)
    p = np.clip([p for p, _ in pairs], CLIP, 1 - CLIP)

    expected = sm.Logit(np.array([o for _, o in pairs]), sm.add_constant(np.log(p / (1 - p)))).fit(disp=0)

    result = recalibration(pairs)
    assert result is not None
    assert list(expected.params) == pytest.approx([result.intercept, result.slope], abs=1e-6)


@given(pairs=binary_forecasts)
def test_recalibration_matches_statsmodels_wherever_it_fits(pairs: list[tuple[float, float]]) -> None:
    """Whenever a recalibration is returned, statsmodels converges to the same intercept and slope, to 1e-6."""
    np = pytest.importorskip("numpy")
    sm = pytest.importorskip("statsmodels.api")
    result = recalibration(pairs)
    assume(result is not None)
    assert result is not None
    p = np.clip([p for p, _ in pairs], CLIP, 1 - CLIP)

    with warnings.catch_warnings():
        # Nearly separated data can stop statsmodels short; such a fit is no reference.
        warnings.simplefilter("ignore")
        expected = sm.Logit(np.array([o for _, o in pairs]), sm.add_constant(np.log(p / (1 - p)))).fit(disp=0)
    assume(expected.mle_retvals["converged"])

    assert list(expected.params) == pytest.approx([result.intercept, result.slope], rel=1e-6, abs=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_spiegelhalter_z_matches_numpy_and_scipy(seed: int) -> None:
    """Z equals a vectorised numpy computation to 1e-12, and its p-value scipy's 2·norm.sf(|Z|)."""
    np = pytest.importorskip("numpy")
    scipy_stats = pytest.importorskip("scipy.stats")
    pairs = _generated_forecasts(seed, 0.2 * seed - 0.4, 0.6 + 0.3 * seed, 500)
    p = np.array([p for p, _ in pairs])
    o = np.array([o for _, o in pairs])

    z = np.sum((o - p) * (1 - 2 * p)) / np.sqrt(np.sum((1 - 2 * p) ** 2 * p * (1 - p)))

    result = spiegelhalter_z(pairs)
    assert result is not None
    assert result.z == pytest.approx(z, abs=1e-12)
    assert result.p_value == pytest.approx(scipy_stats.norm.sf(abs(z)) * 2, abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_bootstrap_of_paired_differences_agrees_with_scipy(seed: int) -> None:
    """
    Scipy's percentile bootstrap (its own resampling, 9,999 resamples) gives the same ends within 0.25 standard errors.

    The resamples differ, so only Monte Carlo noise separates the two: about 0.07 standard
    errors of the mean at the 2.5 % end with 2,000 resamples, so 0.25 is well over three of it.
    """
    np = pytest.importorskip("numpy")
    scipy_stats = pytest.importorskip("scipy.stats")
    rng = random.Random(seed)
    differences = [rng.choice([-0.25, 0.0, 0.04, 0.5]) + rng.gauss(0, 0.1) for _ in range(80)]
    standard_error = float(np.std(differences, ddof=1)) / math.sqrt(len(differences))

    theirs = scipy_stats.bootstrap(
        (np.array(differences),), np.mean, n_resamples=9999, method="percentile", rng=np.random.default_rng(seed)
    ).confidence_interval

    ours = bootstrap_mean(differences, seed=seed)
    assert ours is not None
    assert ours == pytest.approx((theirs.low, theirs.high), abs=0.25 * standard_error)


def test_bootstrap_of_paired_differences_covers_the_true_mean() -> None:
    """
    In 200 seeded trials of 40 normal differences the 95 % interval holds the true mean 181-199 times.

    That is 95 % ± 3 binomial standard deviations (√(200·0.95·0.05) ≈ 3.1); the percentile
    bootstrap runs slightly short of its level on small samples, which this still allows.
    """
    covered = 0
    for trial in range(200):
        rng = random.Random(1000 + trial)
        differences = [rng.gauss(0.2, 1.0) for _ in range(40)]
        low, high = bootstrap_mean(differences, seed=trial, resamples=500) or (math.inf, -math.inf)
        covered += low <= 0.2 <= high

    assert 181 <= covered <= 199


@settings(max_examples=25)
@given(pairs=calibrated_forecasts())
def test_calibrated_forecasts_look_calibrated(pairs: list[tuple[float, float]]) -> None:
    """On 2,000 forecasts that come true with their stated probability, the slope is within 0.35 of 1 and |Z| < 5."""
    fit = recalibration(pairs)
    test = spiegelhalter_z(pairs)

    assert fit is not None
    assert test is not None
    # The slope's standard error here is at most about 0.07 (timid forecasts), so 0.35 is five of them.
    assert abs(fit.slope - 1.0) < 0.35
    assert abs(test.z) < 5.0


@given(pairs=binary_forecasts)
def test_flipping_every_forecast_changes_no_verdict(pairs: list[tuple[float, float]]) -> None:
    """
    Forecasting 1 - p on the opposite question keeps Z, slope and sharpness and negates the intercept and the lean.

    Z's numerator and denominator terms are unchanged by p → 1 - p, o → 1 - o; logit(1 - p) is
    −logit(p), so the recalibration line only changes the sign of its intercept.
    """
    flipped = [(1.0 - p, 1.0 - o) for p, o in pairs]

    z, z_flipped = spiegelhalter_z(pairs), spiegelhalter_z(flipped)
    fit, fit_flipped = recalibration(pairs), recalibration(flipped)
    sharp, sharp_flipped = sharpness([p for p, _ in pairs]), sharpness([p for p, _ in flipped])
    lean, lean_flipped = calibration_in_the_large(pairs), calibration_in_the_large(flipped)

    assert (z is None) == (z_flipped is None)
    if z is not None and z_flipped is not None:
        assert abs(z.z) == pytest.approx(abs(z_flipped.z), rel=1e-9, abs=1e-9)
    assert (fit is None) == (fit_flipped is None)
    if fit is not None and fit_flipped is not None:
        assert fit.slope == pytest.approx(fit_flipped.slope, rel=1e-6, abs=1e-9)
        assert fit.intercept == pytest.approx(-fit_flipped.intercept, rel=1e-6, abs=1e-9)
    assert (sharp is None) == (sharp_flipped is None)
    if sharp is not None and sharp_flipped is not None:
        assert attrs.astuple(sharp) == pytest.approx(attrs.astuple(sharp_flipped), abs=1e-12)
    assert (lean is None) == (lean_flipped is None)
    if lean is not None and lean_flipped is not None:
        assert lean == pytest.approx(-lean_flipped, abs=1e-12)


@given(pairs=binary_forecasts)
def test_recalibrated_forecasts_are_calibrated(pairs: list[tuple[float, float]]) -> None:
    """Refitting the forecasts the fit recalibrated to gives the calibrated line: intercept 0, slope 1."""
    fit = recalibration(pairs)
    assume(fit is not None)
    assert fit is not None
    # A flat fit (outcomes unrelated to the forecasts) recalibrates every forecast to one
    # probability, which has no recalibration of its own.
    assume(abs(fit.slope) > 0.01)
    etas = [fit.intercept + fit.slope * math.log(q / (1 - q)) for q in (min(max(p, CLIP), 1 - CLIP) for p, _ in pairs)]
    # The refit clips too; the identity holds only where no recalibrated forecast is clipped.
    assume(all(abs(eta) < math.log((1 - CLIP) / CLIP) - 1e-6 for eta in etas))

    refit = recalibration([(1 / (1 + math.exp(-eta)), o) for eta, (_, o) in zip(etas, pairs, strict=True)])

    assert refit is not None
    assert (0.0, 1.0) == pytest.approx((refit.intercept, refit.slope), abs=1e-6)


@given(p=st.floats(0.0, 1.0), n=st.integers(1, 50))
def test_constant_forecasts_have_no_spread(p: float, n: int) -> None:
    """The same probability stated n times has spread exactly 0 and mean distance |p - ½|."""
    result = sharpness([p] * n)

    assert result is not None
    assert 0.0 == result.spread
    assert result.mean_distance == pytest.approx(abs(p - 0.5), abs=1e-15)


def test_bootstrap_difference_by_hand() -> None:
    """Constant samples give a zero-width interval at the difference of their values; a single value gives none."""
    assert (-0.25, -0.25) == bootstrap_difference([0.25, 0.25], [0.5, 0.5, 0.5])
    assert bootstrap_difference([0.25], [0.5, 0.5]) is None
    assert bootstrap_difference([0.25, 0.5], []) is None


def test_bootstrap_difference_covers_the_true_difference() -> None:
    """
    In 200 seeded trials of two normal samples (30 and 50 values) the 95 % interval holds the true difference 181-199 times.

    That is 95 % ± 3 binomial standard deviations; outcomes and Brier scores take few distinct
    values in reviews, but the interval must also hold for continuous ones.
    """
    covered = 0
    for trial in range(200):
        rng = random.Random(5000 + trial)
        now = [rng.gauss(0.3, 1.0) for _ in range(30)]
        before = [rng.gauss(0.1, 0.5) for _ in range(50)]
        low, high = bootstrap_difference(now, before, seed=trial, resamples=400) or (math.inf, -math.inf)
        covered += low <= 0.2 <= high

    assert 181 <= covered <= 199


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
