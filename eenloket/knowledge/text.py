"""Text handling shared by both search backends: Markdown to safe HTML, words to stems,
highlighted snippets.

Stemming is the Snowball "Dutch (Porter)" algorithm with PostgreSQL's Dutch stop words: the
same algorithm and list as PostgreSQL's `dutch` text search configuration (tested in
tests/knowledge/test_search.py), so that both databases see the same terms.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from html import escape  # Django's escape without its lazy-string wrapper: the same output

import nh3
import snowballstemmer
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# PostgreSQL's tsearch_data/dutch.stop, word for word.
STOP_WORDS = frozenset(
    """de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar
    om hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar
    naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al
    waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd
    altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest
    andere""".split()  # noqa: SIM905 - the list as PostgreSQL ships it
)
# Words are runs of letters and digits; the rest (punctuation, Markdown) separates them.
WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORD = 60  # longer "words" are noise (hashes, pasted URLs) and never match anything

_stemmer = snowballstemmer.stemmer("dutch_porter")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """The lowercased words of a text that count for search (no stop words)."""
    return [
        word
        for word in WORD.findall(text.lower())
        if word not in STOP_WORDS and len(word) <= MAX_WORD
    ]


def stems(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


# Field weights for ranking: a word in the title counts three times, a keyword twice.
TITLE_WEIGHT = 3
KEYWORD_WEIGHT = 2
BODY_WEIGHT = 1


def term_weights(*, title: str, keywords: str, body: str) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for weight, text in (
        (TITLE_WEIGHT, title),
        (KEYWORD_WEIGHT, keywords),
        (BODY_WEIGHT, body),
    ):
        for term in stems(text):
            counts[term] += weight
    return dict(counts)


# --- Markdown ----------------------------------------------------------------------------

# CommonMark without raw HTML: tags typed in an article are shown as text, never run.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


def markdown_to_html(source: str) -> str:
    """Markdown rendered to HTML that is safe to show: no scripts, no event handlers, no
    javascript: links (nh3 keeps only http, https and mailto links), headings demoted so
    that the page keeps one h1."""
    html = _markdown.render(source)
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )


def html_to_text(html: str) -> str:
    """Plain text of safe HTML, for snippets."""
    text = re.sub(r"</(p|li|h2|h3|h4|tr|pre|blockquote)>", "\n", html)
    text = nh3.clean(text, tags=set())
    text = (
        text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&#39;", "'")
    )
    return re.sub(r"[ \t]+", " ", re.sub(r"\n\s*\n+", "\n", text)).strip()


# --- snippets ----------------------------------------------------------------------------

SNIPPET_WORDS = 30


@lru_cache(maxsize=200_000)
def _token_stems(token: str) -> frozenset[str]:
    """The stems of the words in one whitespace-separated token ("Loonstrook," -> loonstrok).
    Cached: articles share most of their words, so searches look the same tokens up."""
    return frozenset(stem(word) for word in words(token))


# Splitting keeps the whitespace: [token, space, token, ...] (the first may be empty).
_SPLIT = re.compile(r"(\s+)")


def snippet(
    text: str,
    terms: frozenset[str] | set[str],
    *,
    size: int = SNIPPET_WORDS,
    seen: dict[str, bool] | None = None,
) -> SafeString:
    """The passage of `text` with the most query terms, those words wrapped in <mark>;
    everything else escaped. `seen` (token -> matches) may be shared by the snippets of one
    search: the hits of a query repeat most of their words."""
    parts = _SPLIT.split(text.strip())
    tokens = parts[0::2]
    if not tokens[0]:
        return mark_safe("")
    if seen is None:
        seen = {}
    hits = []
    for token in tokens:
        hit = seen.get(token)
        if hit is None:
            hit = seen[token] = not _token_stems(token).isdisjoint(terms)
        hits.append(hit)
    window = min(size, len(tokens))
    running = sum(hits[:window])
    best_start, best_count = 0, running
    for start in range(1, len(tokens) - window + 1):
        running += hits[start + window - 1] - hits[start - 1]
        if running > best_count:
            best_start, best_count = start, running
    out = []
    for index in range(best_start, best_start + window):
        if index > best_start:
            out.append(parts[2 * index - 1])  # whitespace: nothing to escape
        word = escape(tokens[index])
        out.append(f"<mark>{word}</mark>" if hits[index] else word)
    prefix = "… " if best_start > 0 else ""
    suffix = " …" if best_start + window < len(tokens) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # every token escaped
