"""
A review page as Markdown: reviews/YEAR/README.md, the page people read on GitHub.

Only escaping and markup live here; what the page says is ``_page``'s.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._page import GENERATED, Bullets, Cell, Chart, Heading, Paragraph, Table, visible

if TYPE_CHECKING:
    from ._page import Block, Line, Page, Span

#: Every ASCII character that can start or end markup in CommonMark, GFM or GitHub's extensions
#: ("&" an entity, "$" math, "~" strikethrough, "|" a cell); CommonMark lets a
#: backslash escape any ASCII punctuation, so escaping one too many is harmless.
_MARKUP = "\\|*_`[]<>#~&$"
_MARKDOWN_ESCAPES = str.maketrans({char: "\\" + char for char in _MARKUP})
#: Whether a text holds any of them: most texts hold none, and searching in C for one is a third
#: of the cost of translating character by character (a review has a hundred thousand texts).
_HAS_MARKUP = re.compile(f"[{re.escape(_MARKUP)}]")


def md_cell(text: str) -> str:
    """
    Make text safe inside a Markdown table cell: one line, pipes and markup escaped.

    Every kind of line break (CR and the Unicode separators included) becomes a space, so no
    value can end a row or start a new one; invisible characters are written out (``visible``).
    """
    text = visible(" ".join(text.split()))
    return text.translate(_MARKDOWN_ESCAPES) if _HAS_MARKUP.search(text) else text


def _span(span: Span) -> str:
    if span.code:
        # Inside a code span nothing is markup; a backtick or pipe cannot occur in the commands shown.
        return "`" + visible(" ".join(span.text.split())).replace("`", "'").replace("|", "/") + "`"
    text = md_cell(span.text)
    if not text:
        return " " if span.text[:1].isspace() else ""
    if span.link is not None:
        text = f"[{text}](<{span.link}>)"
    if span.strong:
        text = f"**{text}**"
    if span.em:
        text = f"*{text}*"
    # Emphasis markers must touch their text, so the spaces around a span stay outside them.
    lead = " " if span.text[:1].isspace() else ""
    trail = " " if span.text[-1:].isspace() else ""
    return f"{lead}{text}{trail}"


def _line(line: Line) -> str:
    return "".join([_span(span) for span in line])


def _cell(cell: Cell) -> str:
    # Lists, not generators, inside join: a review has tens of thousands of cells.
    return "<br>".join([_line(line) for line in cell.lines])


def _table(table: Table) -> list[str]:
    if not table.rows:
        return [md_cell(table.empty)]
    lines = ["| " + " | ".join([md_cell(h) for h in table.headers]) + " |"]
    lines.append("|" + "|".join(["--:" if cell.numeric else "---" for cell in table.rows[0]]) + "|")
    lines += ["| " + " | ".join([_cell(cell) for cell in row]) + " |" for row in table.rows]
    return lines


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [_line(block.spans)]
    if isinstance(block, Bullets):
        return [f"- {_line(item)}" for item in block.items]
    if isinstance(block, Heading):
        return [f"### {md_cell(block.text)}"]
    if isinstance(block, Chart):
        return [f"![{md_cell(block.alt)}](calibration.svg)"]
    return _table(block)


def render_markdown(page: Page) -> str:
    """
    The whole page as Markdown.
    """
    out = [f"<!-- {GENERATED} -->", f"# {md_cell(page.title)}", ""]
    for block in page.lead:
        out += [*_block(block), ""]
    out += ["Contents: " + " · ".join(f"[{md_cell(s.title)}](#{s.anchor})" for s in page.sections), ""]
    for section in page.sections:
        out += [f"## {md_cell(section.title)}", ""]
        for block in section.blocks:
            out += [*_block(block), ""]
    out += [f"*{_line(page.footer)}*", ""]
    return "\n".join(out)
