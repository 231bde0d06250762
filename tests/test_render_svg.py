"""
Tests for the reliability diagram as SVG: well-formed, escaped, and described in words.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from scorecard._render_svg import describe, escape, render_svg
from scorecard._statistics import calibration

from .strategies import markup_text

SVG = "{http://www.w3.org/2000/svg}"
PAIRS = [(0.8, 1.0), (0.8, 0.0), (0.75, 1.0), (0.2, 0.0)]
DESCRIPTION = (
    "Points on the diagonal are perfectly calibrated. "
    "20–30 %: 1 predictions, stated 20% on average, 0% came true; "
    "70–80 %: 1 predictions, stated 75% on average, 100% came true; "
    "80–90 %: 2 predictions, stated 80% on average, 50% came true."
)


def test_describe_says_each_bin() -> None:
    """The text alternative names every non-empty bin: its range, count, mean stated and share true."""
    assert describe(calibration(PAIRS)) == DESCRIPTION


def test_describe_without_predictions() -> None:
    """With nothing scored the text alternative says so."""
    assert describe(calibration([])) == "No scored predictions yet."


def test_escape_markup_and_invisible_characters() -> None:
    """Markup characters become entities and invisible ones are written out."""
    assert escape('<a & "b" \u200b>') == "&lt;a &amp; &quot;b&quot; ‹U+200B›&gt;"


def test_svg_parses_with_title_and_text_alternative() -> None:
    """The SVG parses as XML; its title and desc carry the given title and the chart in words."""
    root = ET.fromstring(render_svg(calibration(PAIRS), title='Calibration <2025> & "you"'))  # noqa: S314
    assert root.tag == f"{SVG}svg"
    assert (root.get("role"), root.get("aria-labelledby")) == ("img", "chart-title chart-desc")
    assert root.findtext(f"{SVG}title") == 'Calibration <2025> & "you"'
    assert root.findtext(f"{SVG}desc") == DESCRIPTION
    assert [c.findtext(f"{SVG}title") for c in root.iter(f"{SVG}circle")] == [
        "20–30 %: n=1, stated 20%, came true 0%",
        "70–80 %: n=1, stated 75%, came true 100%",
        "80–90 %: n=2, stated 80%, came true 50%",
    ]


def test_empty_svg_says_no_predictions() -> None:
    """An empty chart parses, has no points and says that nothing is scored yet."""
    root = ET.fromstring(render_svg(calibration([]), title="Nothing"))  # noqa: S314
    assert list(root.iter(f"{SVG}circle")) == []
    assert [t.text for t in root.iter(f"{SVG}text")][-1] == "no scored predictions yet"
    assert root.findtext(f"{SVG}desc") == "No scored predictions yet."


@given(
    markup_text,
    st.lists(st.tuples(st.floats(0, 1), st.sampled_from([0.0, 0.5, 1.0])), max_size=20),
)
def test_svg_is_always_well_formed(title: str, pairs: list[tuple[float, float]]) -> None:
    """Invariant: whatever the title and forecasts, the SVG parses as XML and has a title and desc."""
    root = ET.fromstring(render_svg(calibration(pairs), title=title))  # noqa: S314
    assert root.find(f"{SVG}title") is not None
    assert root.findtext(f"{SVG}desc") == describe(calibration(pairs))
