"""
The scoring math, in one place for reviews and forecast tables.

Outcomes are numbers: 1 for yes, 0 for no, and 0.5 for partly (half credit) unless the caller
leaves partly out. Every score is computed from running sums, so a million rows need no list.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from operator import itemgetter
from typing import TYPE_CHECKING, TypeAlias

import attrs

if TYPE_CHECKING:
    import random
    from collections.abc import Callable, Iterable, Sequence

#: Probabilities are clipped to [CLIP, 1 - CLIP] for the log loss only, so one confident miss
#: costs at most log2(1 / 0.001) ≈ 9.97 bits instead of infinity. Brier uses raw values.
CLIP = 0.001
#: Resamples and seed of every bootstrap in a review, so the same inputs give the same intervals.
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20240627
#: A forecaster needs this many graded predictions with a probability to be ranked.
MIN_RANKED = 5
#: z for a two-sided 95 % interval.
Z95 = 1.959963984540054
DECILES: tuple[float, ...] = tuple(i / 10 for i in range(11))
#: ACX / Scott Alexander style: forecasts below 50 % are folded onto 1 - p, bins around 50, 60,
#: 70, 80, 90, 95 and 99 %.
ACX_EDGES: tuple[float, ...] = (0.5, 0.55, 0.65, 0.75, 0.85, 0.925, 0.97, 1.0)
BIN_PRESETS: dict[str, tuple[tuple[float, ...], bool]] = {
    "deciles": (DECILES, False),
    "quintiles": (tuple(i / 5 for i in range(6)), False),
    "acx": (ACX_EDGES, True),
}


@attrs.frozen
class Bin:
    """
    One reliability bin [lo, hi): how many forecasts, their mean probability, what happened.

    The last bin is closed at hi. *low* and *high* are the Wilson 95 % interval of *observed*.
    """

    lo: float
    hi: float
    n: int
    mean_probability: float | None
    observed: float | None
    low: float | None
    high: float | None


@attrs.frozen
class Decomposition:
    """
    Murphy's decomposition with the within-bin terms (Stephenson, Coelho & Jolliffe 2008).

    brier = reliability - resolution + uncertainty + within_variance - within_covariance, exactly:

    - reliability = Σ n_k (p̄_k - ō_k)² / N
    - resolution = Σ n_k (ō_k - ō)² / N
    - uncertainty = Σ (o_i - ō)² / N   (= ō(1 - ō) when every outcome is 0 or 1)
    - within_variance = Σ_k Σ_i∈k (p_i - p̄_k)² / N
    - within_covariance = 2 Σ_k Σ_i∈k (p_i - p̄_k)(o_i - ō_k) / N
    """

    reliability: float
    resolution: float
    uncertainty: float
    within_variance: float
    within_covariance: float

    @property
    def total(self) -> float:
        """
        The Brier score the parts add up to.
        """
        return self.reliability - self.resolution + self.uncertainty + self.within_variance - self.within_covariance


@attrs.frozen
class Calibration:
    """
    Proper scores and calibration of forecasts with known outcomes.

    *brier* is in the 0-1 convention (0 perfect, 0.25 always-50 %); *log_loss* is in bits;
    *brier_skill* is 1 - brier / uncertainty, the skill over always forecasting the base rate.
    """

    n: int
    brier: float | None
    log_loss: float | None
    base_rate: float | None
    brier_skill: float | None
    bins: tuple[Bin, ...]
    decomposition: Decomposition | None


@attrs.frozen
class HitRate:
    """
    Hit rate over graded claims: strict (yes only) and with half credit for partly.
    """

    yes: int
    partly: int
    no: int

    @property
    def graded(self) -> int:
        """
        How many claims were graded yes, partly or no.
        """
        return self.yes + self.partly + self.no

    @property
    def strict(self) -> float | None:
        """
        Yes / graded.
        """
        return self.yes / self.graded if self.graded else None

    @property
    def half_credit(self) -> float | None:
        """
        (yes + partly / 2) / graded.
        """
        return (self.yes + 0.5 * self.partly) / self.graded if self.graded else None


def brier(probability: float, outcome: float) -> float:
    """
    The Brier score of one forecast: (p - o)².
    """
    return (probability - outcome) ** 2


def log_loss(probability: float, outcome: float) -> float:
    """
    The log loss of one forecast in bits, -(o log2 p + (1 - o) log2 (1 - p)), p clipped to [CLIP, 1 - CLIP].
    """
    p = min(max(probability, CLIP), 1.0 - CLIP)
    return -(outcome * math.log2(p) + (1.0 - outcome) * math.log2(1.0 - p))


def wilson(successes: float, n: int, z: float = Z95) -> tuple[float, float]:
    """
    The Wilson score interval for a proportion successes / n (successes may be fractional).
    """
    if n == 0:
        msg = "no observations"
        raise ValueError(msg)
    phat = successes / n
    denominator = 1.0 + z * z / n
    centre = (phat + z * z / (2 * n)) / denominator
    half = z * math.sqrt(max(phat * (1.0 - phat) / n + z * z / (4 * n * n), 0.0)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


class Accumulator:
    """
    Running sums from which every score and the full decomposition follow.

    Add (probability, outcome) pairs one at a time; nothing per pair is kept.
    """

    __slots__ = ("_bins", "edges", "fold", "n", "sum_brier", "sum_log", "sum_o", "sum_o2")

    def __init__(self, edges: Sequence[float] = DECILES, *, fold: bool = False) -> None:
        self.edges = tuple(edges)
        self.fold = fold
        self.n = 0
        self.sum_brier = 0.0
        self.sum_log = 0.0
        self.sum_o = 0.0
        self.sum_o2 = 0.0
        # per bin: n, Σp, Σo, Σp², Σpo, Σo²
        self._bins = [[0, 0.0, 0.0, 0.0, 0.0, 0.0] for _ in range(len(self.edges) - 1)]

    def add(self, probability: float, outcome: float, weight: int = 1) -> None:
        """
        Count *weight* forecasts of *probability* with *outcome*.

        Tables pass each distinct (probability, outcome) pair once with its count, which is
        the same sum as adding the pair that many times. With *fold*, a forecast below 50 % is
        binned as 1 - p on the outcome 1 - o: its Brier score is unchanged, so the
        decomposition still adds up to the same score.
        """
        self.n += weight
        self.sum_brier += weight * (probability - outcome) ** 2
        p = min(max(probability, CLIP), 1.0 - CLIP)
        self.sum_log -= weight * (outcome * math.log2(p) + (1.0 - outcome) * math.log2(1.0 - p))
        self.sum_o += weight * outcome
        self.sum_o2 += weight * outcome * outcome
        if self.fold and probability < 0.5:  # noqa: PLR2004 - folding is about the 50 % line
            probability, outcome = 1.0 - probability, 1.0 - outcome
        index = min(max(bisect_right(self.edges, probability) - 1, 0), len(self._bins) - 1)
        sums = self._bins[index]
        sums[0] += weight
        sums[1] += weight * probability
        sums[2] += weight * outcome
        sums[3] += weight * probability * probability
        sums[4] += weight * probability * outcome
        sums[5] += weight * outcome * outcome

    def result(self) -> Calibration:
        """
        The scores of everything added so far.
        """
        n = self.n
        bins = tuple(self._bin(k) for k in range(len(self._bins)))
        if n == 0:
            return Calibration(0, None, None, None, None, bins, None)
        base = self.sum_o / n
        score = self.sum_brier / n
        # The decomposition takes its base rate from the binned outcomes, which differ from the
        # raw ones only when folding; that keeps its identity exact in both cases.
        binned_base = sum(sums[2] for sums in self._bins) / n
        uncertainty = max(sum(sums[5] for sums in self._bins) / n - binned_base * binned_base, 0.0)
        raw_uncertainty = max(self.sum_o2 / n - base * base, 0.0)
        reliability = resolution = within_variance = within_covariance = 0.0
        for count, sum_p, sum_o, sum_p2, sum_po, _ in self._bins:
            if count == 0:
                continue
            mean_p, mean_o = sum_p / count, sum_o / count
            reliability += count * (mean_p - mean_o) ** 2
            resolution += count * (mean_o - binned_base) ** 2
            within_variance += sum_p2 - count * mean_p * mean_p
            within_covariance += 2.0 * (sum_po - count * mean_p * mean_o)
        decomposition = Decomposition(
            reliability / n, resolution / n, uncertainty, within_variance / n, within_covariance / n
        )
        skill = 1.0 - score / raw_uncertainty if raw_uncertainty > 0 else None
        return Calibration(n, score, self.sum_log / n, base, skill, bins, decomposition)

    def _bin(self, k: int) -> Bin:
        count, sum_p, sum_o, *_ = self._bins[k]
        lo, hi = self.edges[k], self.edges[k + 1]
        if count == 0:
            return Bin(lo, hi, 0, None, None, None, None)
        low, high = wilson(sum_o, int(count))
        return Bin(lo, hi, int(count), sum_p / count, sum_o / count, low, high)


def calibration(
    pairs: Iterable[tuple[float, float]], edges: Sequence[float] = DECILES, *, fold: bool = False
) -> Calibration:
    """
    Scores and reliability bins of (probability, outcome) pairs.
    """
    accumulator = Accumulator(edges, fold=fold)
    for probability, outcome in pairs:
        accumulator.add(probability, outcome)
    return accumulator.result()


def binomial(rng: random.Random, n: int, p: float) -> int:
    """
    One draw from the binomial distribution with *n* trials and success chance *p*.

    This is CPython 3.12's ``random.binomialvariate`` (its n = 1 fast path included), carried
    here so that a seeded review gives the same intervals on every Python version; a test
    compares the two draw for draw where 3.12 is there. Small means use the geometric method;
    larger ones Hörmann's BTRS transformed rejection.
    """
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    if n == 1:
        return int(rng.random() < p)
    if p > 0.5:  # noqa: PLR2004 - symmetry keeps BTRS in its valid range
        return n - binomial(rng, n, 1.0 - p)
    if n * p < 10.0:  # noqa: PLR2004 - the switch-over point of the reference implementation
        return _geometric(rng.random, n, math.log2(1.0 - p))
    return _btrs(rng.random, n, _btrs_constants(n, p))


def multinomial(rng: random.Random, n: int, weights: Sequence[int]) -> list[int]:
    """
    How many of *n* picks fall on each category, each picked with a chance in proportion to its weight.

    A chain of binomial draws: each category takes its share of the picks left, among the
    weight left. The weights are counts (a resample's categories are its distinct items).
    """
    drawn, remaining, left = [], n, sum(weights)
    for weight in weights:
        found = remaining if weight == left else binomial(rng, remaining, weight / left)
        drawn.append(found)
        remaining -= found
        left -= weight
    return drawn


def _geometric(random_: Callable[[], float], n: int, c: float) -> int:
    # Successes are counted by geometric jumps over the trials; c is log2(1 - p).
    x = y = 0
    if not c:
        return x
    while True:
        y += math.floor(math.log2(random_()) / c) + 1
        if y > n:
            return x
        x += 1


_BTRS: TypeAlias = tuple[float, float, float, float, float, float, int, float]


def _btrs_constants(n: int, p: float) -> _BTRS:
    spq = math.sqrt(n * p * (1.0 - p))
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    vr = 0.92 - 4.2 / b
    alpha = (2.83 + 5.1 / b) * spq
    lpq = math.log(p / (1.0 - p))
    m = math.floor((n + 1) * p)
    h = math.lgamma(m + 1) + math.lgamma(n - m + 1)
    return a, b, c, vr, alpha, lpq, m, h


def _btrs(random_: Callable[[], float], n: int, constants: _BTRS) -> int:
    a, b, c, vr, alpha, lpq, m, h = constants
    while True:
        u = random_() - 0.5
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + c)
        if k < 0 or k > n:
            continue
        v = random_()
        if us >= 0.07 and v <= vr:  # noqa: PLR2004 - BTRS squeeze constant
            return k
        v *= alpha / (a / (us * us) + b)
        if math.log(v) <= h - math.lgamma(k + 1) - math.lgamma(n - k + 1) + (k - m) * lpq:
            return k


def bootstrap_mean(
    values: Sequence[float],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> tuple[float, float] | None:
    """
    A percentile bootstrap interval for the mean of *values*, seeded.

    Resampling n values with replacement only decides how many times each distinct value is
    drawn: a multinomial draw, made as a chain of binomial draws. Scores take few distinct
    values (hedge words share probabilities, outcomes are 0, ½ or 1), so thousands of
    resamples of thousands of predictions cost milliseconds.
    """
    found = bootstrap_means([values], resamples=resamples, seed=seed, level=level)
    return None if found is None else found[0]


def bootstrap_means(
    columns: Sequence[Sequence[float]],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> tuple[tuple[float, float], ...] | None:
    """
    Percentile bootstrap intervals for the mean of each of *columns*, their rows resampled together.

    The columns are figures of the same predictions (a Brier score and a log loss each), so
    one resample of the predictions gives every column's resampled mean: the intervals
    describe the same resamples, for the cost of one. With one column this is
    ``bootstrap_mean``, draw for draw. None with fewer than two rows.
    """
    size = len(columns[0]) if columns else 0
    if size < 2 or any(len(column) != size for column in columns):  # noqa: PLR2004 - one row has no spread
        return None
    import random  # noqa: PLC0415 - only reviews resample

    rng = random.Random(seed)  # noqa: S311 - reproducible resampling, not cryptography
    rows = list(zip(*columns, strict=True))
    return tuple(_percentiles(means, level) for means in _resampled_means(rows, resamples, rng))


def bootstrap_difference(
    now: Sequence[float],
    before: Sequence[float],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> tuple[float, float] | None:
    """
    A percentile bootstrap interval for mean(*now*) − mean(*before*), seeded.

    The two samples hold different predictions (two years' cohorts), so each is resampled on its
    own, *now* first, from one random stream; the i-th resampled difference pairs the i-th
    resample of each.
    """
    if len(now) < 2 or len(before) < 2:  # noqa: PLR2004 - one value has no spread to resample
        return None
    import random  # noqa: PLC0415 - only reviews resample

    rng = random.Random(seed)  # noqa: S311 - reproducible resampling, not cryptography
    (later,) = _resampled_means([(value,) for value in now], resamples, rng)
    (earlier,) = _resampled_means([(value,) for value in before], resamples, rng)
    return _percentiles([a - b for a, b in zip(later, earlier, strict=True)], level)


#: What one link of the chain of binomial draws costs, in rows picked one by one: 1.5–2 µs
#: against 0.2–0.3 µs (this project's 2-core machine, 20 to 5,000 rows, one and two columns).
CHAIN_LINK_IN_ROWS = 6


def _resampled_means(rows: Sequence[tuple[float, ...]], resamples: int, rng: random.Random) -> list[list[float]]:
    """
    The mean of each column of *rows* in each of *resamples* resamples: one list per column.

    Both ways of resampling are exact; the cheaper one for these rows is taken. Scores usually
    take few distinct values (hedges share probabilities), and a chain of one binomial draw per
    distinct row costs nothing like picking every row. Probabilities stated to many decimals
    make nearly every row distinct: the chain would then cost six times as much as picking
    (5,000 such predictions: 8.1 s for the Brier and log-loss intervals, against 2 s).
    """
    counts: dict[tuple[float, ...], int] = {}
    for row in rows:
        counts[row] = counts.get(row, 0) + 1
    if len(counts) * CHAIN_LINK_IN_ROWS > len(rows):
        return _picked_means(rows, resamples, rng)
    return _chained_means(counts, len(rows), resamples, rng)


def _picked_means(rows: Sequence[tuple[float, ...]], resamples: int, rng: random.Random) -> list[list[float]]:
    """
    Resampled means of each column, each resample picking ``len(rows)`` rows by position.

    Sums are ``math.fsum``'s, correctly rounded: the same on every Python version, where
    ``sum`` of floats changed in 3.12.
    """
    size = len(rows)
    random_ = rng.random
    columns = list(zip(*rows, strict=True))
    if size == 1:
        # itemgetter of one position gives the item, not a tuple: one row resamples to itself.
        return [[values[0]] * resamples for values in columns]
    means: list[list[float]] = [[] for _ in columns]
    for _ in range(resamples):
        # The picked rows are gathered in C, once per column.
        picked = itemgetter(*[int(random_() * size) for _ in range(size)])
        for values, found in zip(columns, means, strict=True):
            found.append(math.fsum(picked(values)) / size)
    return means


def _chained_means(
    counts: dict[tuple[float, ...], int], size: int, resamples: int, rng: random.Random
) -> list[list[float]]:
    """
    Resampled means of each column, each resample a chain of binomial draws over the distinct rows *counts*.
    """
    # One resample is a chain of binomial draws, one per distinct row, each with the row's
    # share of the rows from it on. Those shares are the same in every resample (only the
    # draws left change), so each link's chance, its mirror above ½ and its constants are worked
    # out once; the draws are ``binomial``'s own, random number for random number (a test holds
    # the two to it). A review resamples thousands of times, and pair by pair hundreds of lists.
    links = []
    left = size
    distinct = sorted(counts)
    for row in distinct:
        weight = counts[row]
        chance = weight / left
        mirrored = chance > 0.5  # noqa: PLR2004 - binomial's symmetry
        low = 1.0 - chance if mirrored else chance
        constants: dict[int, _BTRS] = {}
        links.append((row[0], weight == left, chance, mirrored, low, math.log2(1.0 - low), constants))
        left -= weight
    # The first column is summed as the draws are made; any others afterwards, from the draws
    # kept, in the same order (one column is the common case, and keeps no list).
    others = [[row[column] for row in distinct] for column in range(1, len(distinct[0]))] if distinct else []
    random_ = rng.random
    firsts: list[float] = []
    rest: list[list[float]] = [[] for _ in others]
    draws: list[int] = []
    for _ in range(resamples):
        remaining, total = size, 0.0
        draws.clear()
        for value, last, chance, mirrored, low, c, constants in links:
            if remaining == 0:
                break
            if last:
                drawn = remaining
            elif remaining == 1:
                drawn = int(random_() < chance)
            else:
                if remaining * low < 10.0:  # noqa: PLR2004 - binomial's switch to BTRS
                    x = _geometric(random_, remaining, c)
                else:
                    # The draws left cluster around their mean, so BTRS's constants (two
                    # log-gammas among them) are mostly worked out already.
                    found = constants.get(remaining)
                    if found is None:
                        found = constants[remaining] = _btrs_constants(remaining, low)
                    x = _btrs(random_, remaining, found)
                drawn = remaining - x if mirrored else x
            total += drawn * value
            if others:
                draws.append(drawn)
            remaining -= drawn
        firsts.append(total / size)
        for values, means in zip(others, rest, strict=True):
            # Links after the draws ran out add nothing.
            total = 0.0
            for drawn, value in zip(draws, values, strict=False):
                total += drawn * value
            means.append(total / size)
    return [firsts, *rest]


def _percentiles(samples: list[float], level: float) -> tuple[float, float]:
    samples.sort()
    tail = (1.0 - level) / 2
    return _quantile(samples, tail), _quantile(samples, 1.0 - tail)


def normal_interval(values: Sequence[float], z: float = Z95) -> tuple[float, float] | None:
    """
    The mean of *values* ± z standard errors: a 95 % interval by the central limit theorem.

    For per-forecaster figures in a league table, where a bootstrap of every forecaster's many
    distinct scores would cost seconds; None with fewer than two values.
    """
    n = len(values)
    if n < 2:  # noqa: PLR2004 - one value has no spread
        return None
    mean = math.fsum(values) / n
    spread = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1) / n)
    return mean - z * spread, mean + z * spread


def _quantile(ordered: Sequence[float], q: float) -> float:
    # Linear interpolation between order statistics (numpy's default, "type 7").
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def call_credit(probability: float | None, outcome: float) -> float | None:
    """
    The hit credit of a call: above ½ calls the claim, below ½ calls it false, ½ makes no call.

    *outcome* is 1 (yes), 0.5 (partly) or 0 (no). A prediction without a probability calls the
    claim. None when no call was made.
    """
    if probability is None or probability > 0.5:  # noqa: PLR2004 - the line between the two calls
        return outcome
    if probability < 0.5:  # noqa: PLR2004
        return 1.0 - outcome
    return None


def weighted_kappa(ratings: Sequence[tuple[int, int]]) -> float | None:
    """
    Cohen's κ with linear weights for two raters on an ordered scale (ratings as ranks 0, 1, 2…).

    κ = 1 − Σ w·observed / Σ w·expected with w = |i − j|: the weighting scikit-learn's
    ``cohen_kappa_score(weights="linear")`` uses. None when agreement by chance is certain
    (both raters gave one and the same rating throughout) or there are no ratings.
    """
    counts: dict[tuple[int, int], int] = {}
    for pair in ratings:
        counts[pair] = counts.get(pair, 0) + 1
    return _kappa_of_counts(counts.items())


def _kappa_of_counts(counts: Iterable[tuple[tuple[int, int], int]]) -> float | None:
    # κ depends on the ratings only through how many items got each pair of ratings.
    first: dict[int, int] = {}
    second: dict[int, int] = {}
    n = observed = 0
    for (a, b), count in counts:
        first[a] = first.get(a, 0) + count
        second[b] = second.get(b, 0) + count
        observed += count * abs(a - b)
        n += count
    expected = sum(count_a * count_b * abs(a - b) for a, count_a in first.items() for b, count_b in second.items())
    if expected == 0:
        return None
    return 1.0 - (observed / n) / (expected / (n * n))


def bootstrap_kappa(
    ratings: Sequence[tuple[int, int]],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> tuple[float, float] | None:
    """
    A percentile bootstrap interval for ``weighted_kappa``, resampling rated items, seeded.

    Resamples where κ is undefined are dropped; None with fewer than two items.

    κ needs only the count of each pair of ratings, so a resample is one multinomial draw of
    those counts (a few pairs: Yes, Sort of and No by two graders make at most nine), not a
    list of every item: 5,000 items took 3.1 s to resample item by item.
    """
    if len(ratings) < 2:  # noqa: PLR2004 - one item has no spread to resample
        return None
    import random  # noqa: PLC0415 - only reviews resample

    rng = random.Random(seed)  # noqa: S311 - reproducible resampling, not cryptography
    counts: dict[tuple[int, int], int] = {}
    for pair in ratings:
        counts[pair] = counts.get(pair, 0) + 1
    pairs = sorted(counts)
    weights = [counts[pair] for pair in pairs]
    values = []
    for _ in range(resamples):
        kappa = _kappa_of_counts(zip(pairs, multinomial(rng, len(ratings), weights), strict=True))
        if kappa is not None:
            values.append(kappa)
    if not values:
        return None
    values.sort()
    tail = (1.0 - level) / 2
    return _quantile(values, tail), _quantile(values, 1.0 - tail)


# Sharpness and calibration beyond the reliability bins (issue 18). Every function here takes
# probabilities with outcomes 1 or 0: callers leave out partly (half-credit) outcomes first.

#: Newton–Raphson steps the recalibration fit may take before it is called non-convergent.
RECALIBRATION_ITERATIONS = 50
#: The fit has converged when a step moves no coefficient by more than this, relative to its
#: size (Newton's method converges quadratically, so the next step would be far smaller still).
_CONVERGED = 1e-10
#: A step halved below this fraction only rounds: the likelihood is as high as floats can tell.
_SMALLEST_STEP = 1e-10


@attrs.frozen
class Sharpness:
    """
    How far from 50 % the stated probabilities are, and how spread out (whatever happened).

    *spread* is their population standard deviation; *mean_distance* is the mean of |p - ½|.
    """

    spread: float
    mean_distance: float


def sharpness(probabilities: Sequence[float]) -> Sharpness | None:
    """
    The sharpness of stated probabilities (Murphy 1973; Gneiting, Balabdaoui & Raftery 2007).

    Outcomes play no part. None when there are no probabilities.
    """
    n = len(probabilities)
    if n == 0:
        return None
    # Deviations from the first value, not from the mean: a constant list then gives exactly 0,
    # and the shifted sums lose no precision when the probabilities sit close together.
    first = probabilities[0]
    shifted = [p - first for p in probabilities]
    mean_shift = math.fsum(shifted) / n
    spread = math.sqrt(math.fsum((d - mean_shift) ** 2 for d in shifted) / n)
    return Sharpness(spread, math.fsum(abs(p - 0.5) for p in probabilities) / n)


def calibration_in_the_large(pairs: Sequence[tuple[float, float]]) -> float | None:
    """
    The mean stated probability minus the base rate: above 0, the forecasts said yes too often.

    Outcomes are 1 or 0 (callers leave out partly outcomes). None when there are no pairs.
    """
    if not pairs:
        return None
    return (math.fsum(p for p, _ in pairs) - math.fsum(o for _, o in pairs)) / len(pairs)


@attrs.frozen
class Recalibration:
    """
    Logistic recalibration (Cox 1958): logit P(outcome = 1) = intercept + slope · logit(p).

    A calibrated forecaster has intercept 0 and slope 1. A slope below 1 means the stated
    probabilities were too extreme (over-confidence), above 1 too timid; the intercept is the
    overall lean towards yes (above 0) or no once the slope is allowed for.
    """

    intercept: float
    slope: float


def recalibration(
    pairs: Sequence[tuple[float, float]], *, iterations: int = RECALIBRATION_ITERATIONS
) -> Recalibration | None:
    """
    The maximum-likelihood logistic recalibration of (probability, outcome) pairs.

    Outcomes are 1 or 0 (callers leave out partly outcomes). The covariate is logit(p) with p
    clipped to [CLIP, 1 - CLIP]; the fit is Newton–Raphson (iteratively reweighted least
    squares), starting from the calibrated line (0, 1) and halving a step that would lower the
    likelihood. None when it cannot be estimated:

    - fewer than 3 pairs;
    - every outcome the same, or every (clipped) probability the same;
    - (quasi-)complete separation: some probability splits the pairs so that every yes lies on
      one side of it and every no on the other (ties at it allowed), so the likelihood has no
      maximum and the slope grows without bound;
    - no convergence within *iterations* steps.
    """
    if len(pairs) < 3:  # noqa: PLR2004 - two pairs are always separated or share one probability
        return None
    xs = [_logit(min(max(p, CLIP), 1.0 - CLIP)) for p, _ in pairs]
    ys = [o for _, o in pairs]
    yes = [x for x, y in zip(xs, ys, strict=True) if y == 1.0]
    no = [x for x, y in zip(xs, ys, strict=True) if y != 1.0]
    if not yes or not no or min(xs) == max(xs):
        return None
    # With one covariate, the likelihood has a finite maximum exactly when the yes and the no
    # covariates overlap (Albert & Anderson 1984); otherwise Newton's method would only drift.
    if max(no) <= min(yes) or max(yes) <= min(no):
        return None
    beta = (0.0, 1.0)
    current = _log_likelihood(xs, ys, beta)
    for _ in range(iterations):
        g0 = g1 = h00 = h01 = h11 = 0.0
        for x, y in zip(xs, ys, strict=True):
            mu = _sigmoid(beta[0] + beta[1] * x)
            w = mu * (1.0 - mu)
            g0 += y - mu
            g1 += (y - mu) * x
            h00 += w
            h01 += w * x
            h11 += w * x * x
        determinant = h00 * h11 - h01 * h01
        if not determinant > 0.0:
            return None
        step = ((h11 * g0 - h01 * g1) / determinant, (h00 * g1 - h01 * g0) / determinant)
        scale = 1.0
        while True:
            candidate = (beta[0] + scale * step[0], beta[1] + scale * step[1])
            likelihood = _log_likelihood(xs, ys, candidate)
            if likelihood >= current or scale < _SMALLEST_STEP:
                break
            scale /= 2.0
        beta, current = candidate, likelihood
        if max(abs(scale * step[0]), abs(scale * step[1])) <= _CONVERGED * max(1.0, abs(beta[0]), abs(beta[1])):
            return Recalibration(beta[0], beta[1])
    return None


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _sigmoid(eta: float) -> float:
    # Written both ways so that exp never overflows, whatever the sign of eta.
    if eta >= 0:
        return 1.0 / (1.0 + math.exp(-eta))
    e = math.exp(eta)
    return e / (1.0 + e)


def _log_likelihood(xs: Sequence[float], ys: Sequence[float], beta: tuple[float, float]) -> float:
    # Σ y·η - log(1 + e^η), with log(1 + e^η) = max(η, 0) + log1p(e^-|η|) so it cannot overflow.
    total = []
    for x, y in zip(xs, ys, strict=True):
        eta = beta[0] + beta[1] * x
        total.append(y * eta - max(eta, 0.0) - math.log1p(math.exp(-abs(eta))))
    return math.fsum(total)


@attrs.frozen
class SpiegelhalterZ:
    """
    Spiegelhalter's test of calibration: *z* is standard normal if the probabilities were true.

    *p_value* is two-sided, from the normal distribution.
    """

    z: float
    p_value: float


def spiegelhalter_z(pairs: Sequence[tuple[float, float]]) -> SpiegelhalterZ | None:
    """
    Spiegelhalter's (1986) Z of (probability, outcome) pairs.

    Z = Σ (o - p)(1 - 2p) / √Σ (1 - 2p)² p (1 - p), with raw probabilities; the two-sided p-value
    is erfc(|Z| / √2). Outcomes are 1 or 0 (callers leave out partly outcomes). None when the
    denominator is 0, as when every probability is 0, ½ or 1 (or there are no pairs).
    """
    variance = math.fsum((1.0 - 2.0 * p) ** 2 * p * (1.0 - p) for p, _ in pairs)
    if not variance > 0.0:
        return None
    z = math.fsum((o - p) * (1.0 - 2.0 * p) for p, o in pairs) / math.sqrt(variance)
    return SpiegelhalterZ(z, math.erfc(abs(z) / math.sqrt(2.0)))


# Comparisons on shared questions (issue 18): Metaculus's peer score and Fatebook's relative Brier.


@attrs.frozen
class Shared:
    """
    A forecaster against the others on the questions they shared.

    *peer_score* is the mean of Metaculus's binary peer score (``peer_scores``) over those
    questions, *relative_brier* the mean of their Brier minus the Brier of the others' median
    (``relative_briers``); both None when *questions* is 0.
    """

    peer_score: float | None
    relative_brier: float | None
    questions: int


def natural_log_score(probability: float, outcome: float) -> float:
    """
    The natural log of the probability given to what happened (p for yes, 1 - p for no), p clipped as ``log_loss`` clips it.
    """
    p = min(max(probability, CLIP), 1.0 - CLIP)
    return math.log(p if outcome else 1.0 - p)


def peer_scores(log_scores: Sequence[float]) -> list[float]:
    """
    Each forecaster's peer score on one question: 100 × (ln q_i − the mean of ln q_j over the others).

    *log_scores* are the forecasters' ``natural_log_score``; they sum to zero over the question.
    Empty for fewer than two forecasters, who have no one to be compared with.
    """
    n = len(log_scores)
    if n < 2:  # noqa: PLR2004 - a peer needs another
        return []
    total = math.fsum(log_scores)
    return [100.0 * (mine - (total - mine) / (n - 1)) for mine in log_scores]


def relative_briers(forecasts: Sequence[tuple[float, float]]) -> list[float]:
    """
    Each forecaster's Brier minus the Brier of the median of the others' probabilities, on one question.

    *forecasts* are (probability, outcome) pairs; the median is ``statistics.median``'s (the
    mean of the two middle values when the others are even in number). Empty for fewer than two.
    """
    n = len(forecasts)
    if n < 2:  # noqa: PLR2004 - a median of others needs another
        return []
    ordered = sorted(p for p, _ in forecasts)
    # Without one forecast, the others' middle positions shift by one past where it stood.
    lower_at, upper_at = (n - 2) // 2, (n - 1) // 2
    found = []
    for p, outcome in forecasts:
        at = bisect_right(ordered, p) - 1  # one position holding p; equal values are interchangeable
        lower = ordered[lower_at + (lower_at >= at)]
        upper = ordered[upper_at + (upper_at >= at)]
        median = lower if lower_at == upper_at else (lower + upper) / 2
        found.append((p - outcome) ** 2 - (median - outcome) ** 2)
    return found


def shared_scores(questions: Iterable[Sequence[tuple[str, float, float]]]) -> dict[str, Shared]:
    """
    Per forecaster, peer score and relative Brier averaged over the questions they shared with others.

    Each question is its (forecaster, probability, outcome) forecasts, one per forecaster, outcome
    1 or 0. Questions are taken in the order given and forecasters in theirs, so the sums, and
    their last bits, do not depend on how the forecasts were read.
    """
    peers: dict[str, list[float]] = {}
    relative: dict[str, list[float]] = {}
    # Forecasts repeat few distinct (probability, outcome) pairs: each log is taken once.
    logs: dict[tuple[float, float], float] = {}
    for forecasts in questions:
        if len(forecasts) < 2:  # noqa: PLR2004 - nobody to be compared with
            continue
        pairs = [(p, outcome) for _, p, outcome in forecasts]
        for pair in pairs:
            if pair not in logs:
                logs[pair] = natural_log_score(*pair)
        scored = zip(forecasts, peer_scores([logs[pair] for pair in pairs]), relative_briers(pairs), strict=True)
        for (name, _, _), peer, difference in scored:
            if name in peers:
                peers[name].append(peer)
                relative[name].append(difference)
            else:
                peers[name] = [peer]
                relative[name] = [difference]
    return {
        name: Shared(
            math.fsum(peers[name]) / len(peers[name]), math.fsum(relative[name]) / len(relative[name]), len(peers[name])
        )
        for name in sorted(peers)
    }
