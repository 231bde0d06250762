"""
Reading generated pages in tests: the links and ids of HTML pages.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit


class PageLinks(HTMLParser):
    """Collects every href and src, and every id, of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002 - every tag
        """Note the tag's links and id."""
        for name, value in attrs:
            if name in {"href", "src"} and value is not None:
                self.links.append(value)
            if name == "id" and value is not None:
                self.ids.add(value)


def internal_links(files: dict[str, str]) -> list[tuple[str, str]]:
    """Each (page, link) whose link is relative, resolved against the page."""
    found = []
    for page, text in files.items():
        if not page.endswith(".html"):
            continue
        parser = PageLinks()
        parser.feed(text)
        for link in parser.links:
            if urlsplit(link).scheme:
                continue
            found.append((page, link))
    return found
