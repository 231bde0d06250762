"""
A review page as one self-contained HTML file: inline CSS and SVG, no network, readable on a phone.

Only escaping and markup live here; what the page says is ``_page``'s. Every text goes through
``html.escape``; links are only the web addresses ``_page`` allowed.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ._page import GENERATED, Bullets, Chart, Heading, Paragraph, Table, visible

if TYPE_CHECKING:
    from ._page import Block, Cell, Line, Page, Span

CSS = """
:root{color-scheme:light dark}
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Noto Sans SC",sans-serif;margin:0;color:#1b1b1b;background:#fafafa;overflow-wrap:break-word}
main{max-width:1440px;margin:0 auto;padding:1rem}p,ul,nav{max-width:80ch}
h1{font-size:1.8rem;margin:.5rem 0}h2{font-size:1.35rem;margin-top:2rem;border-bottom:1px solid #ddd}
a{color:#0b5cad}
.wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.92rem}
th,td{border:1px solid #ddd;padding:.4rem .5rem;vertical-align:top;text-align:left}
th{background:#f0f0f0}
td.n{text-align:right;white-space:nowrap}
td.right{color:#0a7a2f}td.partly{color:#8a5c00}td.wrong{color:#b3261e}td.muted,.muted{color:#595959}
table.scorecard td:first-child{width:40%}table.scorecard td:nth-child(2){width:7.5rem}
nav{font-size:.9rem}
svg.calibration{max-width:100%;height:auto}
@media (prefers-color-scheme:dark){body{color:#e6e6e6;background:#0d1117}a{color:#79b8ff}
table{background:#161b22}th{background:#21262d}th,td{border-color:#30363d}h2{border-color:#30363d}
td.right{color:#56d364}td.partly{color:#e3b341}td.wrong{color:#ff7b72}td.muted,.muted{color:#a0a7b0}}
@media (max-width:640px){body{font-size:15px}main{padding:.6rem}
table,tbody,tr{display:block;width:auto}thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
tr{border:1px solid #ddd;margin-bottom:.6rem;padding:.3rem .5rem;background:inherit}
td{display:inline-block;max-width:100%;border:0;padding:.1rem 1rem .1rem 0}td:first-child{display:block}
td.n{text-align:left;white-space:normal}td[data-label]::before{content:attr(data-label) ": ";font-weight:600}
table.scorecard td{display:block;width:auto!important}table.scorecard td:first-child::before{content:none}}
""".strip()


def escape(text: str) -> str:
    """
    *text* safe in HTML text and quoted attributes, invisible characters written out.
    """
    return html.escape(visible(text))


def _span(span: Span) -> str:
    text = escape(span.text)
    if span.code:
        text = f"<code>{text}</code>"
    if span.link is not None:
        text = f'<a href="{escape(span.link)}">{text}</a>'
    if span.strong:
        text = f"<strong>{text}</strong>"
    if span.em:
        text = f"<em>{text}</em>"
    if span.css is not None:
        text = f'<span class="{escape(span.css)}">{text}</span>'
    return text


def _line(line: Line) -> str:
    return "".join([_span(span) for span in line])


def _cell(cell: Cell, label: str) -> str:
    """
    One ``<td>``; *label* is the column's ``data-label`` attribute, already escaped, or "".
    """
    if cell.numeric:
        css = ' class="n"' if not cell.css else f' class="n {cell.css}"'
    else:
        css = "" if not cell.css else f' class="{cell.css}"'
    if len(cell.lines) == 1:
        return f"<td{css}{label}>{_line(cell.lines[0])}</td>"
    return f"<td{css}{label}>{'<br>'.join([_line(line) for line in cell.lines])}</td>"


def _table(table: Table) -> str:
    if not table.rows:
        return f"<p>{escape(table.empty)}</p>"
    head = "".join([f'<th scope="col">{escape(h)}</th>' for h in table.headers])
    # On a phone each row becomes a card, and each cell says which column it is: the labels are
    # escaped once per table, not once per cell.
    labels = [f' data-label="{escape(header)}"' if header else "" for header in table.headers]
    body = "".join(
        [
            "<tr>" + "".join([_cell(cell, label) for cell, label in zip(row, labels, strict=True)]) + "</tr>"
            for row in table.rows
        ]
    )
    css = f' class="{escape(table.css)}"' if table.css else ""
    return f'<div class="wrap"><table{css}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _block(block: Block, chart: str) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{_line(block.spans)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_line(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Heading):
        return f"<h3>{escape(block.text)}</h3>"
    if isinstance(block, Chart):
        return chart
    return _table(block)


def render_body(page: Page, chart: str) -> str:
    """
    The page's content, without the document around it; *chart* is the inline SVG.
    """
    parts = [f"<h1>{escape(page.title)}</h1>"]
    parts += [_block(block, chart) for block in page.lead]
    parts.append(
        "<nav>Contents: "
        + " · ".join(f'<a href="#{escape(s.anchor)}">{escape(s.title)}</a>' for s in page.sections)
        + "</nav>"
    )
    for section in page.sections:
        parts.append(f'<h2 id="{escape(section.anchor)}">{escape(section.title)}</h2>')
        parts += [_block(block, chart) for block in section.blocks]
    parts.append(f"<p><em>{_line(page.footer)}</em></p>")
    return "\n".join(parts)


def render_html(page: Page, chart: str, *, generated: str = GENERATED) -> str:
    """
    The whole page as one HTML document; its second line is the comment *generated*.
    """
    return (
        f"<!DOCTYPE html>\n<!-- {generated} -->\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(page.title)}</title><style>{CSS}</style></head>"
        f"<body><main>\n{render_body(page, chart)}\n</main></body></html>\n"
    )


def render_fragment(page: Page) -> str:
    """
    The scorecard table alone, for notebooks.
    """
    first = page.sections[0].blocks[0]
    return _table(first) if isinstance(first, Table) else ""
