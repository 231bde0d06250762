"""
Every JSON document the tool writes, in one place, with one set of key names.

``review.json``, ``grade``/``show``/``list``/``due``/``check --format json`` and
``score --format json``: a graded prediction has the same keys wherever it appears (those of
``grade --format json``, which DESIGN.md fixes).
"""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING, Any

import attrs

from ._characters import json_escaped
from ._statistics import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, MIN_RANKED

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._comparison import Comparisons, Standing
    from ._errors import Problem
    from ._grade import Graded, Result
    from ._model import Prediction
    from ._query import Due
    from ._review import Agreement, Entry, Review, Tally
    from ._score import Figures, ScoreReport
    from ._timing import Timing
    from ._trend import Change, Trend

GENERATOR = "scorecard review"


def dumps(data: object) -> str:
    r"""
    JSON as every command prints it: sorted keys, UTF-8 kept readable, one entry per line.

    Controls and bidi overrides, which a file name, a TOML key or a table cell may hold, are
    written as ``\u`` escapes (``json_escaped``).

    The top two levels are laid out by hand and everything below is encoded compactly, so
    the C encoder does the work (``indent`` would force the slow pure-Python one) and a
    diff of two reviews still shows one changed prediction as one changed line.
    """
    compact = _COMPACT.encode

    def block(value: object, pad: str) -> str:
        if isinstance(value, dict) and value:
            inner = ",\n".join(f"{pad}  {compact(key)}: {compact(value[key])}" for key in sorted(value))
            return "{\n" + inner + f"\n{pad}}}"
        if isinstance(value, list) and value:
            return "[\n" + ",\n".join(f"{pad}  {compact(item)}" for item in value) + f"\n{pad}]"
        return compact(value)

    if isinstance(data, dict) and data:
        inner = ",\n".join(f"  {compact(key)}: {block(data[key], '  ')}" for key in sorted(data))
        return json_escaped("{\n" + inner + "\n}")
    return json_escaped(block(data, ""))


def _iso_date(value: object) -> str:
    # Records carry dates at any depth (a source's published, each forecast's on): JSON has no
    # date type, so every one is written as ISO 8601 text, as made and due are.
    if isinstance(value, datetime.date):
        return value.isoformat()
    msg = f"Object of type {type(value).__name__} is not JSON serializable"
    raise TypeError(msg)


#: One encoder for every line: ``json.dumps`` with options builds a new one per call, which
#: cost as much as the encoding of a review's ten thousand one-line entries.
_COMPACT = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=_iso_date)


def prediction_data(prediction: Prediction) -> dict[str, Any]:
    """
    The plain-data form of a prediction record.
    """
    # cattrs is imported here, not at the top: `score --format json` builds its document in this
    # module and needs no record converter (23 ms of its start-up).
    from ._convert import converter  # noqa: PLC0415

    data: dict[str, Any] = converter().unstructure(prediction)
    data["made"] = prediction.made.isoformat()
    data["due"] = prediction.due.isoformat()
    return data


def result_data(result: Result) -> dict[str, Any]:
    """
    One graded prediction as the ``grade --format json`` contract lays it out.
    """
    prediction = result.prediction
    return {
        "id": prediction.id,
        "by": prediction.by,
        "claim": prediction.claim,
        "made": prediction.made.isoformat(),
        "due": prediction.due.isoformat(),
        "tags": list(prediction.tags),
        "grade": result.grade.value,
        "decided": None if result.outcome.decided is None else result.outcome.decided.isoformat(),
        "probability": result.probability,
        "probability_basis": result.probability_basis,
        "explanation": result.explanation,
        "evidence": list(result.outcome.evidence),
        "sources": [source.url for source in result.outcome.sources],
        "rule_grade": result.rule_outcome.grade.value,
        "overridden_by_verdict": result.verdict is not None,
        "basis": result.basis.value,
        "graders": [
            {"by": r.grader, "grade": r.verdict.grade.value, "on": r.effective.isoformat(), "self": r.self_grade}
            for r in result.readings
        ],
    }


def graded_document(graded: Graded, results: Sequence[Result]) -> dict[str, Any]:
    """
    The ``grade --format json`` document.
    """
    return {
        "as_of": graded.as_of.isoformat(),
        "policy": graded.policy,
        "predictions": [result_data(r) for r in results],
    }


def show_document(prediction: Prediction, result: Result | None, as_of: datetime.date) -> dict[str, Any]:
    """
    The ``show --format json`` document: the record and its grade as of a day (None before it was made).
    """
    return {
        "prediction": prediction_data(known_by(prediction, as_of)),
        "as_of": as_of.isoformat(),
        "grade": None if result is None else result_data(result),
    }


def list_document(
    predictions: Sequence[Prediction], grades: dict[str, str] | None, as_of: datetime.date | None = None
) -> list[dict[str, Any]]:
    """
    The ``list --format json`` document: each record (as of *as_of*), with its grade when one was asked for.
    """
    return [
        prediction_data(p if as_of is None else known_by(p, as_of))
        | ({"grade": grades.get(p.id)} if grades is not None else {})
        for p in predictions
    ]


def known_by(prediction: Prediction, day: datetime.date) -> Prediction:
    """
    *prediction* as it stood on *day*: without the forecast updates made after it.
    """
    if all(update.on <= day for update in prediction.forecast):
        return prediction
    return attrs.evolve(prediction, forecast=tuple(update for update in prediction.forecast if update.on <= day))


def due_document(found: Due) -> dict[str, Any]:
    """
    The ``due --format json`` document.
    """
    return {
        "as_of": found.as_of.isoformat(),
        "within": str(found.within),
        "due_soon": [result_data(r) for r in found.soon],
        "past_due_unresolved": [result_data(r) for r in found.overdue],
    }


def check_document(predictions: int, evidence: int, problems: Sequence[Problem]) -> dict[str, Any]:
    """
    The ``check --format json`` document: counts, and every problem with its place.
    """
    errors = sum(problem.severity.value == "error" for problem in problems)
    return {
        "predictions": predictions,
        "evidence": evidence,
        "errors": errors,
        "warnings": len(problems) - errors,
        "problems": [
            {"path": p.path, "line": p.line, "field": p.field, "message": p.message, "severity": p.severity.value}
            for p in problems
        ],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _interval(value: tuple[float, float] | None) -> list[float | None] | None:
    return None if value is None else [_round(value[0]), _round(value[1])]


def entry_data(entry: Entry) -> dict[str, Any]:
    """
    One scorecard row of a review, with the keys of ``grade --format json`` where they overlap.
    """
    return {
        "id": entry.id,
        "claim": entry.claim,
        "by": entry.by,
        "made": entry.made.isoformat(),
        "due": entry.due.isoformat(),
        "decided": None if entry.decided is None else entry.decided.isoformat(),
        "grade": entry.grade.value,
        "label": entry.grade.label,
        "explanation": entry.explanation,
        "evidence": list(entry.evidence),
        "sources": list(entry.sources),
        "quote": entry.quote,
        "source_title": entry.source_title,
        "source_url": entry.source_url,
        "source_document": entry.source_document,
        "probability": _round(entry.probability),
        "probability_basis": entry.probability_basis,
        "call": None if entry.credit is None else {1.0: "right", 0.5: "partly", 0.0: "wrong"}[entry.credit],
        "basis": entry.basis.value,
        "overridden_by_verdict": entry.overridden,
        "secondary_only": entry.secondary_only,
        "recorded_late": entry.recorded_late,
        "graders": [{"by": name, "grade": grade_.value, "self": own} for name, grade_, own in entry.graders],
    }


def _tally_data(tally: Tally) -> dict[str, Any]:
    rate = tally.hit_rate
    return {
        "name": tally.name,
        "yes": tally.yes,
        "partly": tally.partly,
        "no": tally.no,
        "pending": tally.pending,
        "unresolved": tally.unresolved,
        "void": tally.void,
        "disputed": tally.disputed,
        "graded": tally.graded,
        "calls": {"n": rate.graded, "right": tally.right, "partly": tally.half, "wrong": tally.wrong},
        "hit_rate": {"strict": _round(rate.strict), "half_credit": _round(rate.half_credit)},
    }


def _agreement_data(agreement: Agreement | None) -> dict[str, Any] | None:
    if agreement is None:
        return None
    return {
        "graders": [agreement.first, agreement.second] if agreement.second else "all",
        "n": agreement.n,
        "agreed": agreement.agreed,
        "kappa": _round(agreement.kappa),
        "kappa_interval": _interval(agreement.interval),
    }


def review_data(review_: Review) -> dict[str, Any]:
    """
    The review as plain data with stable keys: the content of review.json.
    """
    cal = review_.calibration
    decomposition = cal.decomposition
    grading = review_.grading
    standings = {row.forecaster: row for row in review_.comparisons.standings}
    return {
        "generator": GENERATOR,
        "year": review_.year,
        "as_of": review_.as_of.isoformat(),
        "interim": review_.interim,
        "cohort": f"predictions due in {review_.year}",
        "partly": "counts as 0.5" if review_.include_partly else "excluded from probability scores",
        "policy": review_.policy,
        "scorecard": [entry_data(e) for e in review_.entries],
        "decided_early": [entry_data(e) for e in review_.early],
        "tallies": {
            "overall": _tally_data(review_.overall),
            "by_forecaster": [_tally_data(t) for t in review_.by_forecaster],
            "by_source": [_tally_data(t) for t in review_.by_source],
            "by_tag": [_tally_data(t) for t in review_.by_tag],
            "by_year_made": [_tally_data(t) for t in review_.by_year_made],
            "hit_rate_half_credit_interval": _interval(review_.hit_rate_interval),
        },
        "calibration": {
            "forecasts": cal.n,
            "brier": _round(cal.brier),
            "brier_convention": "0-1: mean of (p - o)^2; 0 is perfect, always 50% scores 0.25",
            "brier_interval": _interval(review_.brier_interval),
            "log_loss_bits": _round(cal.log_loss),
            "log_loss_clipping": "probabilities clipped to [0.001, 0.999]",
            "log_loss_interval": _interval(review_.log_loss_interval),
            "base_rate": _round(cal.base_rate),
            "brier_skill": _round(cal.brier_skill),
            "bootstrap": {"resamples": BOOTSTRAP_RESAMPLES, "seed": BOOTSTRAP_SEED, "level": 0.95},
            "decomposition": None
            if decomposition is None
            else {
                "reliability": _round(decomposition.reliability),
                "resolution": _round(decomposition.resolution),
                "uncertainty": _round(decomposition.uncertainty),
                "within_bin_variance": _round(decomposition.within_variance),
                "within_bin_covariance": _round(decomposition.within_covariance),
            },
            "sharpness": None
            if review_.sharpness is None
            else {"spread": _round(review_.sharpness.spread), "mean_distance": _round(review_.sharpness.mean_distance)},
            "calibration_in_the_large": _round(review_.calibration_in_the_large),
            "recalibration": None
            if review_.recalibration is None
            else {"intercept": _round(review_.recalibration.intercept), "slope": _round(review_.recalibration.slope)},
            "spiegelhalter": None
            if review_.spiegelhalter is None
            else {"z": _round(review_.spiegelhalter.z), "p_value": _round(review_.spiegelhalter.p_value)},
            "beyond_bins_outcomes": "calibration-in-the-large, recalibration and Spiegelhalter use Yes and No only",
            "bins_preset": review_.bins,
            "bins": [
                {
                    "lo": b.lo,
                    "hi": b.hi,
                    "n": b.n,
                    "mean_probability": _round(b.mean_probability),
                    "observed": _round(b.observed),
                    "interval": None if b.low is None else [_round(b.low), _round(b.high)],
                }
                for b in cal.bins
            ],
        },
        "hedges": [
            {
                "phrase": h.phrase,
                "probability": h.probability,
                "n": h.n,
                "observed": _round(h.observed),
                "interval": [_round(h.low), _round(h.high)],
            }
            for h in review_.hedges
        ],
        "league": [
            {
                "forecaster": row.forecaster,
                "rank": row.rank,
                **{k: v for k, v in _tally_data(row.tally).items() if k != "name"},
                "scored": row.scored,
                "brier": _round(row.brier),
                "brier_interval": _interval(row.brier_interval),
                "log_loss_bits": _round(row.log_loss),
                **_standing_data(standings.get(row.forecaster)),
            }
            for row in review_.league
        ],
        "league_order": f"Brier score, lowest first, for forecasters with at least {MIN_RANKED} scored predictions",
        "comparisons": _comparisons_data(review_.comparisons),
        "timing": _timing_data(review_),
        "pending": [entry_data(e) for e in review_.pending],
        "history": [{k: v for k, v in attrs.asdict(h).items() if k != "grades"} for h in review_.history],
        "trend": _trend_data(review_),
        "changes": [
            {"id": c.id, "claim": c.claim, "review": c.year, "was": c.before, "now": c.now.value}
            for c in review_.changes
        ],
        "grading": {
            "graders": [{"by": g.grader, "graded": g.graded, "self_grades": g.self_grades} for g in grading.graders],
            "decided_by": {
                "rule": grading.by_rule,
                "independent": grading.by_independent,
                "self": grading.by_self,
                "disputed": grading.disputed,
            },
            "agreement": _agreement_data(grading.overall),
            "agreement_by_pair": [_agreement_data(a) for a in grading.pairs],
            "kappa_weights": "linear, on no < partly < yes; adjudicating (final) verdicts excluded",
            "self_vs_independent": [
                {
                    "forecaster": i.forecaster,
                    "n": i.n,
                    "self_hit_rate": _round(i.self_rate),
                    "independent_hit_rate": _round(i.independent_rate),
                }
                for i in grading.inflation
            ],
            "evidence_base": {
                "primary_press_or_research": grading.firm_sources,
                "secondary_only": grading.secondary_only,
                "self_only": grading.self_only,
                "unclassified": grading.unclassified,
            },
        },
    }


def _standing_data(standing: Standing | None) -> dict[str, Any]:
    return {
        "shared_questions": 0 if standing is None else standing.shared,
        "peer_score": None if standing is None else _round(standing.peer_score),
        "relative_brier": None if standing is None else _round(standing.relative_brier),
    }


def _comparisons_data(comparisons: Comparisons) -> dict[str, Any]:
    return {
        "shared_questions": len(comparisons.questions),
        "same_question": "same event by the same deadline (either way round), same metric, bar and deadline, "
        "same change between the same periods, or the same compound rule; judgments never",
        "forecasters": [{"forecaster": row.forecaster, **_standing_data(row)} for row in comparisons.standings],
        "head_to_head": [
            {
                "first": pair.first,
                "second": pair.second,
                "questions": pair.questions,
                "mean_brier_difference": _round(pair.mean_difference),
                "interval": _interval(pair.interval),
            }
            for pair in comparisons.pairs
        ],
        "related": [{"subject": subject, "forecasters": n} for subject, n in comparisons.related],
    }


def _timing_rows(found: Timing) -> dict[str, Any]:
    return {
        "horizon": [
            {
                "horizon": row.label,
                "years_from": row.years_from,
                "years_to": row.years_to,
                "graded": row.graded,
                "calls": {
                    "n": row.hit_rate.graded,
                    "right": row.hit_rate.yes,
                    "partly": row.hit_rate.partly,
                    "wrong": row.hit_rate.no,
                },
                "hit_rate": {"strict": _round(row.hit_rate.strict), "half_credit": _round(row.hit_rate.half_credit)},
                "scored": row.scored,
                "brier": _round(row.brier),
            }
            for row in found.horizon
        ],
        "lateness": [
            {"days": row.days, "calls": row.calls, "came_true": row.came_true, "share": _round(row.share)}
            for row in found.lateness
        ],
    }


def _timing_data(review_: Review) -> dict[str, Any] | None:
    if review_.timing is None:
        return None
    return {
        **_timing_rows(review_.timing),
        "by_forecaster": [{"forecaster": t.name, **_timing_rows(t)} for t in review_.timing_by_forecaster],
    }


def _change_data(change: Change) -> dict[str, Any]:
    return {
        "before": _round(change.before),
        "now": _round(change.now),
        "change": _round(change.change),
        "n_before": change.n_before,
        "n_now": change.n_now,
        "interval": _interval(change.interval),
    }


def _trend_rows(found: Trend) -> dict[str, Any]:
    return {"brier": _change_data(found.brier), "hit_rate_half_credit": _change_data(found.hit_rate)}


def _trend_data(review_: Review) -> dict[str, Any] | None:
    if review_.trend is None:
        return None
    return {
        "before": review_.year - 1,
        "now": review_.year,
        **_trend_rows(review_.trend),
        "by_forecaster": [{"forecaster": t.name, **_trend_rows(t)} for t in review_.trend_by_forecaster],
    }


def score_data(report: ScoreReport) -> dict[str, Any]:
    """
    The ``score --format json`` document.
    """
    data = _figures_data(report.overall)
    data["bins_preset"] = report.bins
    data["log_loss_unit"] = "bits"
    data["policy"] = report.policy
    if report.group_by is not None:
        data["group_by"] = report.group_by
        data["groups"] = {name: _figures_data(figures) for name, figures in report.groups}
        for name, figures in report.groups:
            if figures.shared is not None:
                data["groups"][name] |= {
                    "peer_score": figures.shared.peer_score,
                    "relative_brier": figures.shared.relative_brier,
                    "shared_questions": figures.shared.questions,
                }
    if report.median is not None:
        data["aggregate"] = {"median": {"brier": report.median.brier, "questions": report.median.questions}}
    return data


def _figures_data(figures: Figures) -> dict[str, Any]:
    cal = figures.calibration
    return {
        "forecasts": figures.forecasts,
        "after_resolution": figures.after_resolution,
        "resolved": figures.resolved,
        "void": figures.void,
        "open": figures.open,
        "forecasters": figures.forecasters,
        "brier": cal.brier,
        "log_loss": cal.log_loss,
        "bins": [
            {"lo": b.lo, "hi": b.hi, "n": b.n, "mean_probability": b.mean_probability, "observed": b.observed}
            for b in cal.bins
        ],
        "hit_rate": {
            "yes": figures.hit_rate.yes,
            "partly": figures.hit_rate.partly,
            "no": figures.hit_rate.no,
            "strict": figures.hit_rate.strict,
            "half_credit": figures.hit_rate.half_credit,
        },
    }
