"""
The static site: every page and link there, byte-identical rebuilds, and no file written where it must not be.
"""

from __future__ import annotations

import datetime
import os
import posixpath
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings

import scorecard
from scorecard import AllRule, Book, EventRule, JudgmentRule, Ledger, Prediction, Source, ThresholdRule
from scorecard._cli import main
from scorecard._model import Op
from scorecard._site import SITE_MARK, forecaster_slugs, site_files, subjects

from .pages import PageLinks, internal_links
from .repo import DATA
from .strategies import books

GOLDEN = Path(__file__).parent / "golden" / "site"
AS_OF = datetime.date(2026, 1, 15)
ATOM = "{http://www.w3.org/2005/Atom}"
#: The quickstart's site files pinned byte for byte (one of each kind of page).
PINNED = (
    "index.html",
    "feed.xml",
    "forecasters/guangmi-li.html",
    "forecasters/guangmi-li.svg",
    "predictions/li-2024-gpt5-by-end-2024.html",
)


@pytest.fixture(name="repo")
def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(DATA / "quickstart", root)
    return root


def _quickstart_files() -> dict[str, str]:
    return site_files(scorecard.load(DATA / "quickstart"), as_of=AS_OF)


@pytest.mark.parametrize("name", PINNED)
def test_quickstart_site_matches_its_golden_files(name: str) -> None:
    """The quickstart's site as of 2026-01-15 renders exactly as its committed golden files."""
    text = _quickstart_files()[name]
    path = GOLDEN / name.replace("/", "--")
    if os.environ.get("SCORECARD_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8", newline="\n")

    assert path.read_text(encoding="utf-8") == text


def test_the_site_has_every_page() -> None:
    """An index, a feed, each year's review with its review.json and full tallies, two files per forecaster, a page per prediction."""
    book = scorecard.load(DATA / "quickstart")
    files = site_files(book, as_of=AS_OF)
    years = sorted({p.due.year for p in book.predictions if p.due.year <= AS_OF.year})
    forecasters = {p.by for p in book.predictions}

    expected = {"index.html", "feed.xml"}
    expected |= {f"reviews/{year}/{name}" for year in years for name in ("index.html", "review.json", "tallies.html")}
    expected |= {f"forecasters/{s}.{ext}" for s in forecaster_slugs(forecasters).values() for ext in ("html", "svg")}
    expected |= {f"predictions/{p.id}.html" for p in book.predictions}
    assert expected == set(files)


def _broken_links(files: dict[str, str]) -> list[tuple[str, str]]:
    ids = {}
    for page, text in files.items():
        parser = PageLinks()
        parser.feed(text)
        ids[page] = parser.ids
    broken = []
    for page, link in internal_links(files):
        parts = urlsplit(link)
        target = (
            posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) if parts.path else page
        )
        if target not in files or (parts.fragment and parts.fragment not in ids.get(target, set())):
            broken.append((page, link))
    return broken


def test_every_internal_link_resolves() -> None:
    """Every relative link of every page names a file of the site, and every #fragment an id on its page."""
    files = _quickstart_files()

    assert [] == _broken_links(files)
    assert not any(link.startswith("/") for _, link in internal_links(files))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books)
def test_any_book_makes_a_site_whose_links_resolve_and_whose_feed_parses(book: scorecard.Book) -> None:
    """For any records and ledger the site's links resolve, its feed is well-formed Atom, and no page is absolute."""
    files = site_files(book, as_of=datetime.date(2027, 6, 30))

    assert [] == _broken_links(files)
    assert f"{ATOM}feed" == ET.fromstring(files["feed.xml"].encode("utf-8")).tag  # noqa: S314 - our own output
    assert {f"predictions/{p.id}.html" for p in book.predictions} <= set(files)


def test_the_feed_is_atom_with_one_entry_per_graded_prediction() -> None:
    """The feed parses as Atom; each entry links a prediction page and is dated by its decision, newest first."""
    files = _quickstart_files()
    feed = ET.fromstring(files["feed.xml"].encode("utf-8"))  # noqa: S314 - our own output
    entries = feed.findall(f"{ATOM}entry")
    graded = [r for r in scorecard.grade(scorecard.load(DATA / "quickstart"), as_of=AS_OF) if r.outcome.decided]
    graded = [r for r in graded if r.grade.value in {"yes", "partly", "no", "void"}]

    assert f"{ATOM}feed" == feed.tag
    assert len(graded) == len(entries)
    links = [e.find(f"{ATOM}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert all(link in files for link in links)
    days = [e.findtext(f"{ATOM}updated") or "" for e in entries]
    assert sorted(days, reverse=True) == days


def test_a_rebuild_writes_nothing_and_two_builds_are_identical(repo: Path, tmp_path: Path) -> None:
    """Building twice writes every file once; a copy built elsewhere is byte for byte the same."""
    first = scorecard.write_site(repo, as_of=AS_OF)
    again = scorecard.write_site(repo, as_of=AS_OF)
    other = tmp_path / "other"
    shutil.copytree(DATA / "quickstart", other)
    scorecard.write_site(other, as_of=AS_OF)

    assert 0 == len(again.written)
    assert len(first.written) == again.unchanged
    mine = {p.relative_to(repo / "build/site"): p.read_bytes() for p in (repo / "build/site").rglob("*") if p.is_file()}
    theirs = {
        p.relative_to(other / "build/site"): p.read_bytes() for p in (other / "build/site").rglob("*") if p.is_file()
    }
    assert mine == theirs


def test_a_file_a_person_wrote_is_not_replaced(repo: Path) -> None:
    """A hand-written index.html in the site's folder stops the build before anything is written."""
    (repo / "build/site").mkdir(parents=True)
    (repo / "build/site/index.html").write_text(f"<p>mine; it mentions {SITE_MARK} on line one</p>\n", encoding="utf-8")

    with pytest.raises(scorecard.WriteError, match=r"index\.html: exists and was not written by scorecard site"):
        scorecard.write_site(repo, as_of=AS_OF)
    assert ["index.html"] == [p.name for p in (repo / "build/site").rglob("*")]


def test_no_file_is_written_through_a_symbolic_link(repo: Path, tmp_path: Path) -> None:
    """A folder of the site that is a link to elsewhere is refused, and nothing lands there."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "build/site").mkdir(parents=True)
    (repo / "build/site/predictions").symlink_to(elsewhere)

    with pytest.raises(scorecard.WriteError, match="symbolic link"):
        scorecard.write_site(repo, as_of=AS_OF)
    assert [] == list(elsewhere.iterdir())


def test_the_site_folder_stays_inside_the_repository(repo: Path) -> None:
    """An --out that leaves the repository is refused."""
    with pytest.raises(scorecard.WriteError, match="must be a relative path inside the repository"):
        scorecard.write_site(repo, out="../outside", as_of=AS_OF)


def test_the_repository_itself_is_no_site_folder(repo: Path) -> None:
    """--out . is refused: the site would mix its pages with the repository's files."""
    with pytest.raises(scorecard.WriteError) as caught:
        scorecard.write_site(repo, out=".", as_of=AS_OF)
    assert ".: is the repository itself; give the site a folder of its own" == str(caught.value)


def test_a_page_no_longer_in_the_site_is_removed(repo: Path) -> None:
    """A generated page left by an earlier build is removed; a person's file beside it stays."""
    scorecard.write_site(repo, as_of=AS_OF)
    stale = repo / "build/site/predictions/gone.html"
    stale.write_text(f"<!DOCTYPE html>\n<!-- {SITE_MARK} -->\n", encoding="utf-8")
    kept = repo / "build/site/CNAME"
    kept.write_text("example.org\n", encoding="utf-8")

    built = scorecard.write_site(repo, as_of=AS_OF)

    assert (stale,) == built.removed
    assert kept.exists()


def test_forecasters_never_share_a_page() -> None:
    """Names that fold to the same slug, or to none, get distinct stable addresses."""
    slugs = forecaster_slugs(["Ann Lee", "ann lee", "李", "Bob"])

    assert "bob" == slugs["Bob"]
    assert 4 == len(set(slugs.values()))
    assert slugs["李"].startswith("f-")
    assert slugs == forecaster_slugs(["Bob", "李", "ann lee", "Ann Lee"])


def test_site_command_writes_and_reports(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`scorecard site` builds the site and says how many files it wrote."""
    assert 0 == main(["site", "-C", str(repo), "--as-of", "2026-01-15"], today=datetime.date(2026, 2, 1))

    out = capsys.readouterr().out
    count = len(_quickstart_files())
    assert f"build/site/: {count} written, 0 unchanged, 0 removed\n" == out


def test_a_rule_is_graded_on_its_events_and_metrics() -> None:
    """The subjects of a combined rule are those of its parts; a judgment call has none."""
    rule = AllRule((EventRule("launch"), ThresholdRule("price", Op.LE, 1.0)))

    assert frozenset({"event launch", "metric price"}) == subjects(rule)
    assert frozenset() == subjects(JudgmentRule())


def test_forecasters_on_the_same_event_are_compared() -> None:
    """Two forecasters' predictions on one event are linked from each other's page."""

    def on_launch(pid: str, by: str) -> Prediction:
        return Prediction(
            pid,
            f"Launch, says {by}.",
            by,
            datetime.date(2024, 1, 1),
            datetime.date(2025, 1, 1),
            Source(title="A post", url="https://example.org/p"),
            EventRule("launch"),
        )

    files = site_files(Book((on_launch("a", "Ann"), on_launch("b", "Bo")), Ledger()), as_of=AS_OF)

    assert 'href="../predictions/b.html"' in files["forecasters/ann.html"]
    assert 'href="../predictions/a.html"' in files["forecasters/bo.html"]


def test_one_forecaster_written_two_ways_has_one_page() -> None:
    """Records by "Ann Lee" and "ann  lee" make one forecaster page, listing both, under the spelling used most."""

    def by(pid: str, name: str) -> Prediction:
        return Prediction(
            pid,
            f"Claim {pid}.",
            name,
            datetime.date(2024, 1, 1),
            datetime.date(2025, 1, 1),
            Source(title="A post", url="https://example.org/p"),
            JudgmentRule(),
        )

    files = site_files(Book((by("a", "Ann Lee"), by("b", "ann  lee"), by("c", "Ann Lee")), Ledger()), as_of=AS_OF)

    assert ["forecasters/ann-lee.html", "forecasters/ann-lee.svg"] == sorted(
        name for name in files if name.startswith("forecasters/")
    )
    page = files["forecasters/ann-lee.html"]
    assert all(f'href="../predictions/{pid}.html"' in page for pid in "abc")
    assert "ann  lee" not in files["predictions/b.html"]


def test_control_and_invisible_characters_never_reach_the_site_raw() -> None:
    """Whatever the model holds (validators bypassed), pages show invisible characters as code points and the feed parses."""
    prediction = Prediction(
        "p",
        "Claim.",
        "Ann",
        datetime.date(2024, 1, 1),
        datetime.date(2025, 1, 1),
        Source(title="T", url="https://example.org/a"),
        JudgmentRule(),
        probability=0.7,
    )
    # Loading refuses such text; the output must be safe even if a record got past it.
    object.__setattr__(prediction, "claim", "Claim \x00\x1b[2J \uffff \u202e <b>&")
    object.__setattr__(prediction, "by", "Ann\u200b")

    files = site_files(Book((prediction,), Ledger()), as_of=datetime.date(2025, 6, 1))

    assert ET.fromstring(files["feed.xml"].encode("utf-8")).tag == f"{ATOM}feed"  # noqa: S314 - our own output
    page = files["predictions/p.html"]
    assert "<h1>Claim ‹U+0000›‹U+001B›[2J ‹U+FFFF› ‹U+202E› &lt;b&gt;&amp;</h1>" in page
    # review.json is data, not a page: it keeps the text as it is (JSON escapes the controls).
    shown = "".join(text for name, text in files.items() if not name.endswith(".json"))
    assert not any(c in shown for c in "\x00\x1b\uffff\u202e\u200b")


def test_site_command_refuses_a_person_file_with_one_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A hand-written page in the way is one error line and exit 1, never a traceback."""
    (repo / "build/site").mkdir(parents=True)
    (repo / "build/site/feed.xml").write_text("<feed>mine</feed>\n", encoding="utf-8")

    assert 1 == main(["site", "-C", str(repo), "--as-of", "2026-01-15"], today=datetime.date(2026, 2, 1))

    err = capsys.readouterr().err
    assert (
        "scorecard site: error: build/site/feed.xml: exists and was not written by scorecard site; "
        "use --force to replace it\n"
    ) == err


def test_a_year_with_nothing_due_has_a_review_when_something_was_decided_early_in_it() -> None:
    """A prediction due in 2027 but decided in 2025 is listed in a 2025 review, though nothing is due in 2025."""
    early = Prediction(
        "early",
        "A launch by 2027.",
        "Ann",
        datetime.date(2024, 1, 1),
        datetime.date(2027, 12, 31),
        Source(title="A post", url="https://example.org/p"),
        EventRule("launch"),
        probability=0.7,
    )
    launch = scorecard.Event(
        "launch", "It launched.", datetime.date(2025, 5, 1), "https://example.org/l", scorecard.Confidence.HIGH
    )

    files = site_files(Book((early,), Ledger(event=(launch,))), as_of=datetime.date(2025, 12, 31))

    assert ["reviews/2025/index.html", "reviews/2025/review.json", "reviews/2025/tallies.html"] == sorted(
        name for name in files if name.startswith("reviews/")
    )
    assert "<h3>Decided early (1)</h3>" in files["reviews/2025/index.html"]
    assert 'href="../../predictions/early.html"' in files["reviews/2025/index.html"]
