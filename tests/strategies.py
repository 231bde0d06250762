"""
Hypothesis strategies for records and ledgers, shared by every property test.
"""

from __future__ import annotations

import datetime
import operator
import random

import attrs
from hypothesis import strategies as st

from scorecard import (
    AllRule,
    AnyRule,
    Book,
    ChangeRule,
    Citation,
    Confidence,
    Event,
    EventRule,
    Grade,
    JudgmentRule,
    Ledger,
    Metric,
    Observation,
    Op,
    Period,
    Prediction,
    Source,
    SourceKind,
    ThresholdRule,
    Verdict,
    When,
)
from scorecard._characters import unsafe_character
from scorecard._time import Duration

EVENT_IDS = ("alpha", "beta", "gamma")
METRIC_IDS = ("price", "funding")
PREDICTION_IDS = tuple(f"p-{n}" for n in range(6))

slugs = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,15}\Z")
#: Text a record may hold: no surrogates or controls, and none of what the model refuses (bidi
#: embeddings and overrides, line and paragraph separators), which would make the draw invalid.
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda t: t.strip() != "" and unsafe_character(t) is None
)
days = st.dates(min_value=datetime.date(2022, 1, 1), max_value=datetime.date(2028, 12, 31))
finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False, allow_infinity=False)
years = st.integers(min_value=2022, max_value=2028)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """A period label of any supported shape."""
    year = draw(years)
    shape = draw(st.sampled_from(["year", "half", "quarter", "month", "day"]))
    if shape == "year":
        return Period.parse(str(year))
    if shape == "half":
        return Period.parse(f"{year}-H{draw(st.integers(1, 2))}")
    if shape == "quarter":
        return Period.parse(f"{year}-Q{draw(st.integers(1, 4))}")
    if shape == "month":
        return Period.parse(f"{year}-{draw(st.integers(1, 12)):02d}")
    return Period.day(draw(days))


durations = st.builds(
    lambda n, unit: Duration.parse(f"{n} {unit}"),
    st.integers(1, 36),
    st.sampled_from(["days", "weeks", "months", "years"]),
)
event_rules = st.builds(
    EventRule,
    event=st.sampled_from(EVENT_IDS),
    expect=st.booleans(),
    partly_within=st.none() | durations,
)
threshold_rules = st.builds(
    ThresholdRule,
    metric=st.sampled_from(METRIC_IDS),
    op=st.sampled_from(Op),
    value=finite,
    partly=st.none() | finite,
    when=st.sampled_from(When),
    period=st.none() | periods(),
)


@st.composite
def change_rules(draw: st.DrawFn) -> ChangeRule:
    """A change rule whose `to` period starts after its `from` period."""
    first = draw(periods())
    second = draw(periods().filter(lambda p: p.start > first.start))
    return ChangeRule(
        metric=draw(st.sampled_from(METRIC_IDS)),
        from_=first,
        to=second,
        op=draw(st.sampled_from(Op)),
        factor=draw(positive),
        partly=draw(st.none() | positive),
    )


leaf_rules = event_rules | threshold_rules | change_rules() | st.builds(JudgmentRule, criteria=st.none() | texts)
rules = st.recursive(
    leaf_rules,
    lambda children: (
        st.builds(AllRule, of=st.lists(children, min_size=1, max_size=3).map(tuple))
        | st.builds(AnyRule, of=st.lists(children, min_size=1, max_size=3).map(tuple))
    ),
    max_leaves=5,
)
sources = st.builds(
    Source,
    title=st.none() | texts,
    document=texts,
    url=st.none() | texts,
    quote=st.none() | texts,
    translation=st.none() | texts,
)


@st.composite
def predictions(draw: st.DrawFn, ids: st.SearchStrategy[str] = slugs) -> Prediction:
    """A valid prediction with any rule."""
    made = draw(days)
    return Prediction(
        id=draw(ids),
        claim=draw(texts),
        # Any name, or one person under several spellings (which reviews count as one).
        by=draw(texts | st.sampled_from(["Ann Lee", "ann  lee", "ANN LEE", "Ann\u200bLee"])),
        made=made,
        due=made + datetime.timedelta(days=draw(st.integers(0, 1500))),
        source=draw(sources),
        rule=draw(rules),
        tags=tuple(draw(st.lists(slugs, max_size=3, unique=True))),
        probability=draw(st.none() | st.floats(min_value=0.01, max_value=0.99)),
        hedge=draw(st.none() | st.sampled_from(["likely", "大概率", "unlikely"])),
        notes=draw(st.none() | texts),
    )


@st.composite
def events(draw: st.DrawFn) -> Event:
    """A dated event, possibly reported later, or an undated event checked on a day."""
    event_id = draw(st.sampled_from(EVENT_IDS))
    if draw(st.booleans()):
        on = draw(days)
        reported = draw(st.none() | st.integers(0, 200).map(lambda n: on + datetime.timedelta(days=n)))
        return Event(event_id, draw(texts), on, draw(texts), draw(st.sampled_from(Confidence)), reported)
    checked = draw(st.none() | days)
    if checked is None:
        return Event(event_id, draw(texts))
    return Event(event_id, draw(texts), source=draw(texts), confidence=Confidence.LOW, checked=checked)


@st.composite
def observations(draw: st.DrawFn) -> Observation:
    """An observation for a period or a day."""
    span = draw(periods())
    use_day = span.start == span.end and draw(st.booleans())
    reported = draw(st.none() | st.integers(0, 400).map(lambda n: span.end + datetime.timedelta(days=n)))
    return Observation(
        metric=draw(st.sampled_from(METRIC_IDS)),
        value=draw(finite),
        summary=draw(texts),
        source=draw(texts),
        confidence=draw(st.sampled_from(Confidence)),
        period=None if use_day else span,
        on=span.start if use_day else None,
        reported=reported,
    )


@st.composite
def bar_queries(draw: st.DrawFn) -> tuple[list[Observation], int, Op, float]:
    """
    One metric's observations, how many of them a rule looks at, and a bar to meet.

    Values come from a few numbers so that ties (with each other and with the bar) are common.
    """
    values = st.sampled_from([-1.5, 0.0, 1.0, 2.0, 2.5, 7.0]) | finite
    found = [
        attrs.evolve(observation, metric="price", value=draw(values))
        for observation in draw(st.lists(observations(), max_size=40))
    ]
    return found, draw(st.integers(0, len(found))), draw(st.sampled_from(Op)), draw(values)


#: A source: a bare address, or a table with a kind and a publication day.
citations = texts | st.builds(
    Citation, url=texts, published=st.none() | days, kind=st.none() | st.sampled_from(SourceKind)
)
verdicts = st.builds(
    Verdict,
    prediction=st.sampled_from(PREDICTION_IDS),
    on=days,
    grade=st.sampled_from([Grade.YES, Grade.PARTLY, Grade.NO, Grade.VOID]),
    why=texts,
    sources=st.lists(citations, min_size=1, max_size=2).map(tuple),
    by=st.sampled_from([None, "Ann", "Bob", "Cy"]),
    final=st.booleans(),
)
metrics = st.just((Metric("price", "USD"), Metric("funding", "USD")))


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    """A ledger over the fixed event and metric ids, with distinct verdict days per prediction."""
    found_verdicts = draw(st.lists(verdicts, max_size=4, unique_by=lambda v: (v.prediction, v.on)))
    return Ledger(
        metric=draw(metrics),
        event=tuple(draw(st.lists(events(), max_size=4, unique_by=lambda e: e.id))),
        observation=tuple(draw(st.lists(observations(), max_size=8))),
        verdict=tuple(found_verdicts),
    )


def _book(found: list[Prediction], ledger: Ledger) -> Book:
    unique = {p.id: p for p in found}
    return Book(tuple(unique.values()), ledger)


#: A book of up to six predictions over the fixed ids, with a ledger over the fixed entries.
books = st.builds(
    _book,
    st.lists(predictions(ids=st.sampled_from(PREDICTION_IDS)), min_size=1, max_size=6),
    ledgers(),
)

_toml_keys = st.sampled_from(["id", "a", "b-c", "d_e", "on", "value"])
#: Values that stress a line scanner: brackets, quotes, "=" and line breaks inside strings.
_toml_scalars = (
    st.integers(-5, 5)
    | st.text(st.sampled_from(["x", "[", "]", "=", "'", '"', "\n", "#", "{", "}", " "]), max_size=8)
    | st.lists(st.integers(0, 3), max_size=3)
)
#: TOML documents: tables within tables and arrays of tables, up to three levels deep.
toml_documents = st.recursive(
    st.dictionaries(_toml_keys, _toml_scalars, max_size=4),
    lambda children: st.dictionaries(
        _toml_keys, _toml_scalars | children | st.lists(children, min_size=1, max_size=2), max_size=4
    ),
    max_leaves=12,
)

#: Cells that stress CSV splitting: separators, quotes, line ends and NUL inside text.
awkward_text = st.text(st.sampled_from(["a", "b", ",", '"', "\n", "\r", "\x00", " ", "é"]), max_size=6)
#: Column orders a forecast table may come in, with an unknown extra column now and then.
table_columns = st.tuples(
    st.permutations(
        ["question", "title", "forecaster", "probability", "made", "due", "outcome", "resolved", "tags", "extra"]
    ),
    st.booleans(),
).map(lambda drawn: [name for name in drawn[0] if name != "extra" or drawn[1]])


@st.composite
def forecast_rows(draw: st.DrawFn, columns: list[str]) -> list[str]:
    """One valid forecast row for *columns*; free-text cells may hold anything CSV can quote."""
    values = {
        "question": draw(st.sampled_from(["q1", "q2", "q,3", 'q"4'])),
        "title": draw(awkward_text),
        "forecaster": draw(st.sampled_from(["ann", "bob", "c,y", ""])),
        "probability": draw(st.sampled_from(["0.1", "0.55", "1", "0", ""])),
        # Made before, on and after the day resolved: the last two are hindsight, never scored.
        "made": draw(st.sampled_from(["2024-01-02", "2025-02-01", "2025-06-30", ""])),
        "due": draw(st.sampled_from(["2025-01-01", ""])),
        "outcome": draw(st.sampled_from(["yes", "no", "partly", "void", ""])),
        "resolved": draw(st.sampled_from(["2025-02-01", ""])),
        "tags": draw(st.sampled_from(["a;b", "a", "", "b,c"])),
        "extra": draw(awkward_text),
    }
    return [values[name] for name in columns]


@st.composite
def forecast_tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]], str]:
    """A header, its rows and a line ending: a valid table, however its cells are quoted."""
    columns = draw(table_columns)
    rows = draw(st.lists(forecast_rows(columns), min_size=1, max_size=30))
    return columns, rows, draw(st.sampled_from(["\n", "\r\n"]))


@st.composite
def dated_tables(draw: st.DrawFn) -> str:
    """A valid CSV table of few questions and forecasters with many forecasts made the same day, equal or not, over the whole calendar, some on or after the day resolved."""
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["q1", "q2"]),
                st.sampled_from(["ann", "bob"]),
                st.sampled_from(["0.1", "0.55", "1", "0", "", ".5", "+0.5", "5e-1", " 0.25 "]),
                st.sampled_from(
                    ["", "0001-01-01", "0999-12-31", "1000-01-01", "2024-02-29", "2024-03-01", "9999-12-31"]
                ),
                st.sampled_from(["yes", "no", "partly", "void", ""]),
                st.sampled_from(["a", "b;c", ""]),
                st.sampled_from(["", "2024-03-01", "1000-01-01"]),
            ),
            min_size=1,
            max_size=40,
        )
    )
    lines = [",".join(row) for row in rows]
    return "question,forecaster,probability,made,outcome,tags,resolved\n" + "\n".join(lines) + "\n"


#: Probabilities of forecast updates: the same texts written differently, and many distinct
#: values, whose weighted sums differ in their last bits when added in another order.
_UPDATE_PROBABILITIES = (
    st.sampled_from(["0.1", "0.55", "1", "0", "", ".5", " 0.25 ", "7e-1", "0.43", "0.98"])
    | st.integers(1, 99).map(lambda n: f"0.{n:02d}")
    | st.floats(0, 1).map(repr)
)


@st.composite
def updated_tables(draw: st.DrawFn) -> str:
    """A valid CSV table of few forecasters updating forecasts on few questions: same-day updates, updates after due or on or after the day resolved, no probability, no made or due, single forecasts."""
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["q1", "q2"]),
                st.sampled_from(["ann", "bob", ""]),
                _UPDATE_PROBABILITIES,
                st.sampled_from(["", "2024-03-17"])
                | st.dates(datetime.date(2023, 12, 1), datetime.date(2024, 4, 30)).map(str),
                st.sampled_from(["", "2024-01-04", "2024-02-29", "2024-03-17", "2025-01-01"]),
                st.sampled_from(["yes", "no", "partly", "void", ""]),
                st.sampled_from(["a", "b;c", ""]),
                st.sampled_from(["", "2024-03-17", "2024-02-29"]),
            ),
            min_size=1,
            max_size=50,
        )
    )
    lines = [",".join(row) for row in rows]
    return "question,forecaster,probability,made,due,outcome,tags,resolved\n" + "\n".join(lines) + "\n"


#: Fragments a hostile or careless user puts where text, dates and numbers belong.
HOSTILE_FRAGMENTS = (
    "\x1b[2J\x1b]0;pwned\x07", "\u202e", "\r", "\u2028", "\ufeff", "\u200b", "\x00", "\x85",
    "|**Yes**|", "~~", "`", "<script>alert(1)</script>", "[x](javascript:alert(1))", "\\",
    "9999-12-31", "0000", "99999 years", "٢٠٢٤", "0.5_5", "1" + "0" * 400, "1e400", "-0", "nan",
    "../..", "/", "x" * 300, "Guangmi Li", "guangmi  li", "likley", "partly", "Sort of", "YES",
)  # fmt: skip
hostile_text = st.lists(st.sampled_from(HOSTILE_FRAGMENTS) | st.text(max_size=5), min_size=1, max_size=3).map("".join)

_BASE_FIELDS = {
    "id": '"{id}"',
    "claim": '"A claim."',
    "by": '"A Forecaster"',
    "made": "2024-01-15",
    "due": "2024-12-31",
}
_RULES = (
    '[rule]\nkind = "event"\nevent = "e1"\npartly_within = "6 months"\n',
    '[rule]\nkind = "threshold"\nmetric = "m1"\nop = ">="\nvalue = 5\n',
    '[rule]\nkind = "change"\nmetric = "m1"\nfrom = "2024"\nto = "2025"\nop = "<="\nfactor = 0.5\n',
    '[rule]\nkind = "judgment"\n',
)


def toml_string(text: str) -> str:
    """*text* as a TOML basic string, control characters and all written as escapes."""
    return '"' + "".join(
        f"\\u{ord(c):04x}" if ord(c) < 0x20 or c in '"\\\x7f' or 0xD800 <= ord(c) <= 0xDFFF else c for c in text
    ) + '"'  # fmt: skip


@st.composite
def hostile_records(draw: st.DrawFn, record_id: str) -> bytes:
    """A prediction file: mostly valid, with one field given a hostile value, raw or as a string."""
    fields = dict(_BASE_FIELDS)
    fields["id"] = fields["id"].format(id=record_id)
    target = draw(st.sampled_from([*fields, "probability", "hedge", "notes", "tags"]))
    value = draw(hostile_text)
    raw = draw(st.booleans()) and all(c.isprintable() and c not in '"\\' for c in value)
    if draw(st.booleans()):  # a valid record half the time, so commands get past loading
        target, value, raw = "probability", "0.7", True
    fields[target] = value if raw else toml_string(value)
    lines = [f"{key} = {text}" for key, text in fields.items()]
    # Dates nested below the top level (a source's published, an update's on) must survive every
    # output format as well as made and due do.
    published = draw(st.sampled_from(["", "published = 2024-06-01\n"]))
    update = draw(st.sampled_from(["", '\n[[forecast]]\non = 2024-09-01\nprobability = 0.6\nwhy = "News."\n']))
    source = '\n[source]\nurl = "https://example.org/x"\n' + published
    text = "\n".join(lines) + source + draw(st.sampled_from(_RULES)) + update
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=40))
    return text.encode("utf-8", "surrogatepass")


@st.composite
def hostile_ledgers(draw: st.DrawFn) -> bytes:
    """A ledger: an event, a metric and observations, and a verdict, one value made hostile."""
    value = toml_string(draw(hostile_text))
    place = draw(st.integers(0, 9))  # 5 to 9: a valid ledger
    parts = [
        f'[[event]]\nid = "e1"\non = 2024-06-01\nsummary = {value if place == 0 else chr(34) + "It happened." + chr(34)}\n'
        'source = "https://example.org/e"\nconfidence = "high"\n',
        '[[metric]]\nid = "m1"\nunit = "USD"\n',
        f'[[observation]]\nmetric = "m1"\nperiod = {value if place == 1 else chr(34) + "2025" + chr(34)}\nvalue = 7\n'
        'summary = "Seven."\nsource = "https://example.org/o"\nconfidence = "high"\n',
        f'[[verdict]]\nprediction = "r0"\non = 2025-01-05\ngrade = {value if place == 2 else chr(34) + "yes" + chr(34)}\n'
        f"why = {value if place == 3 else chr(34) + 'Because.' + chr(34)}\n"
        f"sources = [{value if place == 4 else chr(34) + 'https://example.org/v' + chr(34)}]\n",
    ]
    return "\n".join(parts).encode("utf-8", "surrogatepass")


@st.composite
def hostile_tables(draw: st.DrawFn) -> bytes:
    """A forecast table whose cells may hold anything, including unbalanced quotes and escapes."""
    rows = ["question,title,forecaster,probability,made,due,outcome,resolved,tags"]
    for number in range(draw(st.integers(0, 4))):
        probability = draw(st.sampled_from(["0.7", "70%", "1e400", "٠.٥", "0.5_5", ""]))
        cells = [f"q{number}", draw(hostile_text), draw(hostile_text), probability, "2024-01-01"]
        cells += [draw(st.sampled_from(["2024-12-31", "9999-12-31", "0000-01-01"]))]
        cells += [draw(st.sampled_from(["yes", "YES", "", "maybe"])), "", "a;b"]
        rows.append(",".join(cells))
    return ("\n".join(rows) + "\n").encode("utf-8", "surrogatepass")


NEW_REST = ["--by", "b", "--made", "2025-01-01", "--due", "2025-02-01", "--into", "s", "--url", "https://example.org/n"]
#: Command lines over a hostile repository: every command, with awkward arguments.
hostile_commands = st.one_of(
    st.just(["check"]),
    st.just(["list"]),
    st.builds(lambda s: ["list", "--by", s], hostile_text),
    st.builds(lambda s: ["show", s], st.sampled_from(["r0", "r1", "nope"]) | hostile_text),
    st.builds(lambda d: ["grade", "--as-of", d], st.sampled_from(["2025-06-30", "9999-12-31", "0001-01-01"])),
    st.builds(lambda d: ["due", "--within", d], st.sampled_from(["30d", "99999y", "10000y", "0d"])),
    st.builds(lambda y: ["review", y], st.sampled_from(["2024", "2025", "0000", "9999", "0001"])),
    st.just(["score", "table.csv"]),
    st.just(["score", "table.csv", "--group-by", "forecaster", "--format", "md"]),
    st.just(["export"]),
    st.just(["import", "table.csv", "--into", "predictions/imported"]),
    st.builds(
        lambda i, c: ["new", "--id", i, "--claim", c, *NEW_REST],
        st.sampled_from(["n1", "r0", "n1\n"]) | hostile_text,
        hostile_text,
    ),
    st.just(["schema", "evidence"]),
    # Every document a command prints as JSON, and every command's help text.
    st.builds(
        lambda argv: [*argv, "--format", "json"],
        st.sampled_from([["list"], ["show", "r0"], ["grade"], ["due"], ["check"], ["score", "table.csv"]]),
    ),
    st.builds(
        lambda name: [name, "--help"],
        st.sampled_from(["check", "list", "show", "due", "grade", "review", "score", "new", "import", "export"]),
    ),
)


#: Pieces of hostile CSV: stray and unbalanced quotes, runs of line ends, long plain text.
_hostile_pieces = st.sampled_from(
    [
        "q1",
        ",",
        '"',
        '""',
        "\n",
        "\r",
        "\r\n",
        "\n" * 50,
        'Phone with a 6" screen',
        "x" * 200,
        "0.5",
        "yes",
        "2024-01-02",
    ]
)


@st.composite
def adversarial_tables(draw: st.DrawFn) -> tuple[str, str]:
    """A header and a row pattern that, repeated, makes a hostile table: unbalanced quotes, runs of newlines."""
    header = draw(st.sampled_from(["question,title,probability,outcome\n", "question\n", "title,question\r\n"]))
    body = "".join(draw(st.lists(_hostile_pieces, min_size=1, max_size=12)))
    return header, body


#: Text meant to break out of wherever it is shown: markup, line breaks, controls, bidi and zero-width characters.
markup_text = st.text(
    st.sampled_from(list("a é中|*_`[]()<>#~&$!\\:\r\n\t\x00\x1b\u2028\u202e\u200b\u00ad"))
    | st.characters(codec="utf-8"),
    max_size=24,
)
#: The same, less what a record refuses to hold (controls, bidi overrides, line separators):
#: markup and invisible characters a record may carry to a page.
record_markup_text = st.text(
    st.sampled_from(list("a é中|*_`[]()<>#~&$!\\:\n\t\u200b\u00ad"))
    | st.characters(
        codec="utf-8",
        exclude_categories=("Cc", "Cs", "Zl", "Zp"),
        exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    max_size=24,
)
#: Addresses, web and not, with hostile tails.
markup_urls = st.builds(
    operator.add,
    st.sampled_from(["https://example.com/", "http://x.org/a?b=1&c=2", "javascript:alert(1)//", ""]),
    markup_text,
)
record_markup_urls = st.builds(
    operator.add,
    st.sampled_from(["https://example.com/", "http://x.org/a?b=1&c=2", "javascript:alert(1)//", ""]),
    record_markup_text,
)

#: Any JSON document: nulls, booleans, integers, finite numbers and text, in arrays and objects.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | finite | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=16,
)


#: Forecasts with yes/no outcomes, as the calibration statistics take them (partly left out).
#: Probabilities are in steps of 0.1 %, as people state them; on that grid 1 - p never rounds a
#: probability to 0 or 1, so flipping every forecast is exact enough to compare.
binary_forecasts = st.lists(
    st.tuples(st.integers(0, 1000).map(lambda k: k / 1000), st.sampled_from([0.0, 1.0])), max_size=60
)


@st.composite
def calibrated_forecasts(draw: st.DrawFn, n: int = 2000) -> list[tuple[float, float]]:
    """
    *n* forecasts whose outcomes come true with exactly the stated probability (seeded draws).

    The probabilities are uniform on a drawn range, from timid (20-80 %) to bold (1-99 %).
    """
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    low = draw(st.floats(0.01, 0.2))
    high = draw(st.floats(0.8, 0.99))
    forecasts = []
    for _ in range(n):
        p = rng.uniform(low, high)
        forecasts.append((p, 1.0 if rng.random() < p else 0.0))
    return forecasts


#: One question's forecasts by different forecasters: (probability, outcome 1 or 0), at least two,
#: with the edges the log score clips (0 and 1) and repeated values.
question_forecasts = st.lists(
    st.tuples(
        st.sampled_from([0.0, 1.0, 0.5, 0.0005]) | st.floats(min_value=0.0, max_value=1.0),
        st.sampled_from([0.0, 1.0]),
    ),
    min_size=2,
    max_size=40,
)
