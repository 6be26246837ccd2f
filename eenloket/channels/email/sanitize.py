"""Mail HTML made inert with nh3 before it is stored or shown, and turned into plain text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s",
        "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
        "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"lang", "dir"},
}
# Their content goes too, not just the tags.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "title", "head", "template", "noscript"})


REMOTE_SCHEMES = ("http:", "https:")


def html_sanitize_counting(markup: str, *, remote_images: bool = False) -> tuple[str, int]:
    """Only harmless markup is left: no script, style, event handler, form, frame or
    javascript: link; and, unless `remote_images`, no remote image (it would tell the sender
    the mail was read): only the mail's own parts (cid:). Also says how many remote images
    the markup has (left out or kept)."""
    if not markup:
        return "", 0
    remote = 0

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        nonlocal remote
        if tag == "img" and attribute == "src":
            source = value.strip().lower()
            if source.startswith("cid:"):
                return value
            if source.startswith(REMOTE_SCHEMES):
                remote += 1
                return value if remote_images else None
            return None
        return value

    clean = nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=attribute_filter,
        url_schemes={"http", "https", "mailto", "cid"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return clean, remote


def html_sanitize(markup: str, *, remote_images: bool = False) -> str:
    """`html_sanitize_counting` without the count."""
    return html_sanitize_counting(markup, remote_images=remote_images)[0]


_BLOCKS = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "pre"}
)


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT:
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "blockquote":
            self.parts.append("> ")

    def handle_endtag(self, tag):
        if tag in DROPPED_WITH_CONTENT:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(markup: str) -> str:
    """Readable plain text of (sanitized) HTML: blocks become lines, entities decoded."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    text = html.unescape("".join(collector.parts))
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
