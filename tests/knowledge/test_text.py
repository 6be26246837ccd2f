"""Untrusted article text stays inert: Markdown becomes safe HTML; snippets are escaped."""

from html.parser import HTMLParser

import pytest

from eenloket.knowledge import text


class Elements(HTMLParser):
    """The elements and attributes a browser would build from the HTML."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert('x')</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="#" onclick="alert(1)">klik</a>',
        "[klik](javascript:alert(1))",
        "[klik](JaVaScRiPt:alert(1))",
        '<iframe src="https://evil.example"></iframe>',
        "<svg onload=alert(1)>",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_malicious_markdown_is_inert(source):
    elements = Elements()
    elements.feed(text.markdown_to_html(source))
    dangerous = [
        (tag, name, value)
        for tag, attrs in elements.found
        for name, value in attrs
        if name.startswith("on") or (name == "href" and not value.startswith(("http", "mailto")))
    ]
    tags = {tag for tag, _ in elements.found}
    assert (tags - {"p", "a"}, dangerous) == (set(), [])


def test_markdown_keeps_its_formatting():
    html = text.markdown_to_html("## Stappen\n\n1. **Open** [YouForce](https://youforce.nl)")
    assert html == (
        "<h2>Stappen</h2>\n<ol>\n<li><strong>Open</strong> "
        '<a href="https://youforce.nl" rel="noopener noreferrer nofollow">YouForce</a></li>\n'
        "</ol>\n"
    )


def test_a_top_heading_is_demoted_so_the_page_keeps_one_h1():
    assert text.markdown_to_html("# Kop") == "<h2>Kop</h2>\n"


def test_a_snippet_marks_the_matching_words_and_escapes_the_rest():
    snippet = text.snippet("Vraag <b>verlof</b> aan in YouForce", {text.stem("verlof")})
    assert str(snippet) == "Vraag <mark>&lt;b&gt;verlof&lt;/b&gt;</mark> aan in YouForce"


def test_stems_drop_stop_words_and_share_the_stem():
    assert text.stems("Hoe vraag ik mijn verlofaanvragen aan") == text.stems("vraag verlofaanvraag")
