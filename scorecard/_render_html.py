"""
The review as one self-contained HTML page: inline CSS and SVG, no network, readable on a phone.

Every text that comes from a file goes through ``html.escape``; links are made only of web addresses.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ._render_md import TALLY_HEADERS, bin_label, interval, number, percent, safe_url
from ._render_svg import render_svg

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._review import Entry, Review, Tally

CSS = """
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans SC",sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:1rem}
h1{font-size:1.8rem;margin:.5rem 0}h2{font-size:1.35rem;margin-top:2rem;border-bottom:1px solid #ddd}
.wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.92rem}
th,td{border:1px solid #ddd;padding:.4rem .5rem;vertical-align:top;text-align:left}
th{background:#f0f0f0}
td.n{text-align:right;white-space:nowrap}
.claim{font-weight:600}.meta{color:#555;font-size:.85rem}.quote{color:#444;font-style:italic;font-size:.85rem}
.grade{font-weight:700;white-space:nowrap}.yes{color:#0a7a2f}.partly{color:#9a6700}.no{color:#b3261e}
.unresolved,.void,.pending{color:#666}
svg.calibration{max-width:100%;height:auto;background:#fff}
@media (max-width:600px){body{font-size:15px}table.scorecard td{display:block;border:0;border-bottom:1px solid #eee}
table.scorecard tr{display:block;border:1px solid #ddd;margin-bottom:.6rem}table.scorecard thead{display:none}}
""".strip()


def _link(text: str, url: str | None) -> str:
    address = safe_url(url)
    if address is None:
        return escape(text)
    return f'<a href="{escape(address)}">{escape(text)}</a>'


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], css: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(rows_cell for rows_cell in row) + "</tr>" for row in rows)
    return f'<div class="wrap"><table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _td(text: str, css: str = "") -> str:
    return f'<td class="{css}">{text}</td>' if css else f"<td>{text}</td>"


def _scorecard_rows(entries: Sequence[Entry]) -> list[list[str]]:
    rows = []
    for e in entries:
        where = e.source_title or e.source_document or "source"
        prediction = (
            f'<div class="claim">{escape(e.claim)}</div>'
            f'<div class="meta">{escape(e.by)}, {e.made} · due {e.due} · {_link(where, e.source_url)}</div>'
        )
        if e.quote:
            prediction += f'<div class="quote">“{escape(e.quote)}”</div>'
        evidence = escape(e.evidence)
        if e.source:
            evidence += f' <span class="meta">({_link("source", e.source)})</span>'
        rows.append([_td(prediction), _td(evidence), _td(escape(e.grade.label), f"grade {e.grade.value}")])
    return rows


def _tally_rows(tallies: Sequence[Tally]) -> list[list[str]]:
    return [
        [_td(escape(t.name))]
        + [_td(str(v), "n") for v in (t.yes, t.partly, t.no, t.pending, t.unresolved, t.void)]
        + [_td(percent(t.hit_rate.strict), "n"), _td(percent(t.hit_rate.half_credit), "n")]
        for t in tallies
    ]


def _body(review: Review) -> str:
    overall, cal = review.overall, review.calibration
    rate = overall.hit_rate
    parts = [
        f"<h1>Scorecard {review.year}</h1>",
        f"<p>Predictions that came due or were resolved in {review.year}, graded as of {review.as_of} with only "
        "the evidence known by then.</p>",
        f"<p><strong>{overall.total} predictions: {overall.yes} Yes, {overall.partly} Sort of, {overall.no} No, "
        f"{overall.unresolved} unresolved, {overall.void} void, {overall.pending} pending.</strong> Hit rate "
        f"{percent(rate.strict)} strict, {percent(rate.half_credit)} with half credit"
        f"{escape(interval(review.hit_rate_interval, as_percent=True))}.</p>",
        "<h2>1. The scorecard</h2>",
        _table(["Prediction", "Evidence", "Grade"], _scorecard_rows(review.entries), "scorecard")
        if review.entries
        else "<p>Nothing came due or was resolved this year.</p>",
        "<h2>2. Tallies</h2>",
    ]
    for title, tallies in (
        ("Overall", (overall,)),
        ("By forecaster", review.by_forecaster),
        ("By source", review.by_source),
        ("By tag", review.by_tag),
        ("By year made", review.by_year_made),
    ):
        parts += [f"<h3>{title}</h3>", _table(TALLY_HEADERS, _tally_rows(tallies))]
    parts += [
        "<h2>3. Calibration</h2>",
        render_svg(cal, title=f"Calibration, predictions due or resolved in {review.year}"),
    ]
    if cal.n:
        parts.append(
            "<ul>"
            f"<li><strong>Brier score</strong> (0–1 convention, 0 is perfect, always 50 % scores 0.25): "
            f"{number(cal.brier)}{escape(interval(review.brier_interval))}</li>"
            f"<li><strong>Log loss</strong>: {number(cal.log_loss)} bits (probabilities clipped to [0.001, 0.999])"
            f"{escape(interval(review.log_loss_interval))}</li>"
            f"<li><strong>Brier skill score</strong> against the base rate ({percent(cal.base_rate)}): {number(cal.brier_skill)}</li>"
            "</ul>"
        )
        d = cal.decomposition
        if d is not None:
            parts.append(
                _table(
                    [
                        "Reliability",
                        "Resolution",
                        "Uncertainty",
                        "Within-bin variance",
                        "Within-bin covariance",
                        "Sum = Brier",
                    ],
                    [
                        [
                            _td(number(v, 4), "n")
                            for v in (
                                d.reliability,
                                d.resolution,
                                d.uncertainty,
                                d.within_variance,
                                d.within_covariance,
                                d.total,
                            )
                        ]
                    ],
                )
            )
        parts.append(
            _table(
                ["Stated probability", "n", "Mean stated", "Observed", "95 % Wilson interval"],
                [
                    [
                        _td(bin_label(b.lo, b.hi)),
                        _td(str(b.n), "n"),
                        _td(percent(b.mean_probability), "n"),
                        _td(percent(b.observed), "n"),
                        _td("–" if b.low is None else f"{percent(b.low)}–{percent(b.high)}", "n"),
                    ]
                    for b in cal.bins
                    if b.n
                ],
            )
        )
    parts.append("<h3>What the hedge words meant</h3>")
    parts.append(
        _table(
            ["Hedge", "Read as", "n", "Came true", "95 % Wilson interval"],
            [
                [
                    _td(escape(h.phrase)),
                    _td(percent(h.probability), "n"),
                    _td(str(h.n), "n"),
                    _td(percent(h.observed), "n"),
                    _td(f"{percent(h.low)}–{percent(h.high)}", "n"),
                ]
                for h in review.hedges
            ],
        )
    )
    parts += [
        "<h2>4. Forecaster league table</h2>",
        _table(
            ["Forecaster", "Graded", "Hit rate", "With half credit", "With a probability", "Brier"],
            [
                [
                    _td(escape(row.forecaster)),
                    _td(str(row.tally.hit_rate.graded), "n"),
                    _td(percent(row.tally.hit_rate.strict), "n"),
                    _td(percent(row.tally.hit_rate.half_credit), "n"),
                    _td(str(row.scored), "n"),
                    _td(number(row.brier), "n"),
                ]
                for row in review.league
            ],
        ),
        f"<h2>5. Still pending ({len(review.pending)})</h2>",
        _table(
            ["Due", "Prediction", "By"],
            [[_td(str(e.due)), _td(escape(e.claim)), _td(escape(e.by))] for e in review.pending],
        ),
        "<h2>6. Compared with earlier reviews</h2>",
        _table(
            ["Year", "As of", "Graded", "Hit rate", "With half credit", "Brier"],
            [
                [
                    _td(str(h.year)),
                    _td(escape(h.as_of)),
                    _td(str(h.graded), "n"),
                    _td(percent(h.hit_rate_strict), "n"),
                    _td(percent(h.hit_rate_half_credit), "n"),
                    _td(number(h.brier), "n"),
                ]
                for h in review.history
            ]
            + [
                [
                    _td(f"<strong>{review.year}</strong>"),
                    _td(str(review.as_of)),
                    _td(str(rate.graded), "n"),
                    _td(percent(rate.strict), "n"),
                    _td(percent(rate.half_credit), "n"),
                    _td(number(cal.brier), "n"),
                ]
            ],
        ),
    ]
    return "\n".join(parts)


def render_html(review: Review) -> str:
    """
    The whole page.
    """
    return (
        "<!DOCTYPE html>\n<!-- generated by `scorecard review`; edit the records and ledger, not this file -->\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Scorecard {review.year}</title><style>{CSS}</style></head>"
        f"<body><main>\n{_body(review)}\n</main></body></html>\n"
    )


def render_fragment(review: Review) -> str:
    """
    The scorecard table alone, for notebooks.
    """
    return _table(["Prediction", "Evidence", "Grade"], _scorecard_rows(review.entries), "scorecard")
