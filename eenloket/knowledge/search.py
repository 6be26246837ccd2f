"""Knowledge search: one interface, the same SQL on both databases.

`article_search()` takes a queryset that the selectors already scoped (who may see what) and
filtered (department, service, audience, language) and returns ranked hits with highlighted
snippets.

Ranking reads `SearchPosting`, an inverted index in an ordinary table: one row per stem per
published article with its weighted count (title x3, keywords x2, body x1) and the article's
length, precomputed at publication. One `GROUP BY` query sums BM25 over the postings of the
query's terms for the matches within the scope and returns the top rows. An article matches
when it has one of the query's rarer terms (see COMMON_SHARE). Which index finds the matches
is each database's fastest (measured, docs/knowledge.md): on PostgreSQL the postings
themselves, on SQLite its FTS5 table. The matches are the same either way and every match
is scored by the same BM25, so both databases give the same results for the same data
(tests/knowledge/test_relevance.py pins them; test_search.py compares both ways on SQLite).
The vocabulary (`SearchTerm`, articles per stem) and the index statistics are cached per
process and reloaded when the index changes (`SearchStats.generation`). Typos in short
queries are corrected against the vocabulary, and an unfinished last word (while typing) is
completed from it.

Stemming is done in Python (text.py) with PostgreSQL's `dutch` algorithm and stop words.

The index is kept by the service layer (`search_index` / `search_unindex` on publication),
never by signals.
"""

from __future__ import annotations

import bisect
import math
import secrets
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString

from eenloket.knowledge import text
from eenloket.knowledge.models import Article, SearchPosting, SearchStats, SearchTerm

# Whether the matches come from the database's own full-text index (FTS5) or from the
# postings; None: the backend's choice. Set by a test and bench/knowledge_matching.py to
# compare both on SQLite (they must give the same results).
MATCH_THROUGH_INDEX: bool | None = None

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
SHORT_QUERY_TERMS = 3  # typo tolerance and completion only for queries this short
RANK_MARGIN = 5  # rows fetched beyond the limit, for the final rounded order
# Terms in more than this share of the articles rank little (low idf): when a query also has
# rarer terms, only those pick the candidates (all terms still count in the score).
COMMON_SHARE = 0.2
K1 = 1.2
B = 0.75
SERVICE_BOOST = 1.5  # added to the score of articles about the ticket's service
COMPLETIONS = 3


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float
    snippet: SafeString


@dataclass
class SearchResult:
    query: str
    terms: list[str] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    truncated: bool = False  # the query was longer than MAX_QUERY_CHARS

    @property
    def articles(self) -> list[Article]:
        return [hit.article for hit in self.hits]


# --- backends ----------------------------------------------------------------------------


class PostgresBackend:
    """PostgreSQL picks the matches from the postings: through the GIN index on a `dutch`
    tsvector the same candidates cost 3x (p50) to 5x (p95) more, since a bitmap heap scan
    visits the wide article row of every match (measured: docs/knowledge.md, Search). So
    PostgreSQL keeps no full-text index of its own (dropped in migration 0007)."""

    vendor = "postgresql"
    matches_through_index = False

    def index(self, article: Article) -> None:
        pass

    def unindex(self, article_id: int) -> None:
        pass

    def clear(self) -> None:
        pass


class SqliteBackend:
    """SQLite picks the matches through FTS5 (about 1.5x faster than the postings there,
    measured: docs/knowledge.md, Search) and ranks them from the postings like PostgreSQL,
    so both give the same results. The FTS5 table holds the Python stems."""

    vendor = "sqlite"
    matches_through_index = True

    @staticmethod
    def _match(terms: list[str]) -> str:
        return " OR ".join(f'"{term}"' for term in terms)

    def matching(self, terms: list[str]) -> RawSQL:
        """Ids of the articles with any of the terms, through the FTS5 index (terms are
        letters and digits only, text.WORD: quoting them is all the escaping needed)."""
        return RawSQL(
            "SELECT rowid FROM knowledge_article_fts WHERE knowledge_article_fts MATCH %s",
            [self._match(terms)],
        )

    def index(self, article: Article) -> None:
        title, keywords, body = (
            " ".join(text.stem(w) for w in f.split()) for f in _field_words(article)
        )
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM knowledge_article_fts WHERE rowid = %s", [article.pk])
            cursor.execute(
                "INSERT INTO knowledge_article_fts (rowid, title, keywords, body)"
                " VALUES (%s, %s, %s, %s)",
                [article.pk, title, keywords, body],
            )

    def unindex(self, article_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM knowledge_article_fts WHERE rowid = %s", [article_id])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM knowledge_article_fts")


def _field_words(article: Article) -> tuple[str, str, str]:
    """The words of title, keywords and body as both engines index them."""
    return (
        " ".join(text.words(article.title)),
        " ".join(text.words(article.keywords)),
        " ".join(text.words(article.body_text)),
    )


def backend() -> PostgresBackend | SqliteBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()


# --- keeping the index -------------------------------------------------------------------


def _vocabulary_add(terms: set[str], delta: int) -> None:
    if not terms:
        return
    if delta > 0:
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=term[:100], article_count=0) for term in terms],
            ignore_conflicts=True,
        )
    SearchTerm.objects.filter(term__in=[term[:100] for term in terms]).update(
        article_count=F("article_count") + delta
    )


def _new_generation() -> int:
    # Random rather than counted: a rolled-back transaction or a restored database can
    # never bring back a generation that a process cached with other contents.
    return secrets.randbits(62)


def _stats_add(articles: int, length: int) -> None:
    if not SearchStats.objects.filter(pk=1).update(
        articles=F("articles") + articles,
        total_length=F("total_length") + length,
        generation=_new_generation(),
    ):
        SearchStats.objects.create(
            pk=1,
            articles=max(articles, 0),
            total_length=max(length, 0),
            generation=_new_generation(),
        )


def _postings(article_id: int, weights: dict[str, int], length: int) -> list[SearchPosting]:
    return [
        SearchPosting(term=term[:100], article_id=article_id, weight=weight, length=length)
        for term, weight in weights.items()
    ]


def search_index(article: Article) -> None:
    """(Re)index the published content of an article. Call inside the publishing
    transaction; `article.index_terms` must still hold what was indexed before."""
    old = set(article.index_terms or {})
    old_length = article.index_length if old else 0
    weights = text.term_weights(
        title=article.title, keywords=article.keywords, body=article.body_text
    )
    article.index_terms = weights
    article.index_length = sum(weights.values())
    Article.objects.filter(pk=article.pk).update(
        index_terms=weights, index_length=article.index_length
    )
    SearchPosting.objects.filter(article_id=article.pk).delete()
    SearchPosting.objects.bulk_create(_postings(article.pk, weights, article.index_length))
    _vocabulary_add(old - set(weights), -1)
    _vocabulary_add(set(weights) - old, +1)
    _stats_add(0 if old else 1, article.index_length - old_length)
    backend().index(article)


def search_unindex(article: Article) -> None:
    if article.index_terms:
        _stats_add(-1, -article.index_length)
    _vocabulary_add(set(article.index_terms or {}), -1)
    article.index_terms, article.index_length = {}, 0
    Article.objects.filter(pk=article.pk).update(index_terms={}, index_length=0)
    SearchPosting.objects.filter(article_id=article.pk).delete()
    backend().unindex(article.pk)


def search_rebuild(*, progress=None) -> int:
    """Rebuild the whole index from the published articles (after a bulk import or a
    restore). Returns the number of articles indexed."""
    engine = backend()
    engine.clear()
    SearchTerm.objects.all().delete()
    SearchPosting.objects.all().delete()
    Article.objects.update(index_terms={}, index_length=0)
    vocabulary: dict[str, int] = {}
    total_length = 0
    published = Article.objects.filter(published_version__isnull=False).order_by("id")
    count = 0
    postings: list[SearchPosting] = []
    for article in published.iterator(chunk_size=500):
        weights = text.term_weights(
            title=article.title, keywords=article.keywords, body=article.body_text
        )
        length = sum(weights.values())
        Article.objects.filter(pk=article.pk).update(index_terms=weights, index_length=length)
        postings.extend(_postings(article.pk, weights, length))
        if len(postings) >= 5000:
            SearchPosting.objects.bulk_create(postings, batch_size=5000)
            postings = []
        total_length += length
        for term in weights:
            vocabulary[term] = vocabulary.get(term, 0) + 1
        engine.index(article)
        count += 1
        if progress and count % 1000 == 0:
            progress(f"{count} articles indexed")
    SearchPosting.objects.bulk_create(postings, batch_size=5000)
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=term[:100], article_count=n) for term, n in vocabulary.items()],
        batch_size=1000,
        ignore_conflicts=True,
    )
    SearchStats.objects.update_or_create(
        pk=1,
        defaults={
            "articles": count,
            "total_length": total_length,
            "generation": _new_generation(),
        },
    )
    return count


# --- the vocabulary, cached per process ---------------------------------------------------


class Vocabulary:
    """Every indexed term with its article count, for idf, completion and typo correction.
    Loaded once per index generation (SearchStats.generation) and kept by the process."""

    def __init__(self, counts: dict[str, int]):
        self.counts = counts
        self.sorted = sorted(counts)
        # (first letter, length) -> terms: the typo check compares only plausible words.
        self.buckets: dict[tuple[str, int], list[tuple[str, int]]] = {}
        for term, count in counts.items():
            self.buckets.setdefault((term[:1], len(term)), []).append((term, count))

    def complete(self, term: str) -> list[str]:
        """Known terms that start with an unfinished word (the user is still typing)."""
        if len(term) < 3:
            return []
        start = bisect.bisect_left(self.sorted, term)
        found = []
        for candidate in self.sorted[start:]:
            if not candidate.startswith(term):
                break
            found.append(candidate)
        found.sort(key=lambda candidate: (-self.counts[candidate], candidate))
        return found[:COMPLETIONS]

    def correct(self, term: str) -> str | None:
        """The most common known term within one typo (two for longer words)."""
        if len(term) < 4:
            return None
        limit = 1 if len(term) <= 6 else 2
        best: tuple[int, int, str] | None = None
        for length in range(len(term) - limit, len(term) + limit + 1):
            for candidate, count in self.buckets.get((term[0], length), ()):
                distance = _distance(term, candidate, limit)
                if distance <= limit:
                    key = (distance, -count, candidate)
                    if best is None or key < best:
                        best = key
        return best[2] if best else None


@dataclass(frozen=True)
class _State:
    generation: int | None
    articles: int
    total_length: int
    vocabulary: Vocabulary


_cached: _State | None = None


def _state() -> _State:
    """The index statistics (one small query) and the vocabulary of that generation."""
    global _cached
    row = SearchStats.objects.filter(pk=1).values_list("articles", "total_length", "generation")
    articles, total_length, generation = row.first() or (0, 0, None)
    cached = _cached
    if cached is None or cached.generation != generation or generation is None:
        counts = dict(
            SearchTerm.objects.filter(article_count__gt=0).values_list("term", "article_count")
        )
        cached = _State(generation, articles, total_length, Vocabulary(counts))
        _cached = cached
    return cached


# --- querying ----------------------------------------------------------------------------


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (limit + 1) once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def query_terms(query: str) -> tuple[list[str], bool]:
    truncated = len(query) > MAX_QUERY_CHARS
    terms: list[str] = []
    for term in text.stems(query[:MAX_QUERY_CHARS]):
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS], truncated


def _ranking_query(
    articles: QuerySet[Article],
    weights: dict[str, float],
    rare: list[str],
    idf: dict[str, float],
    average: float,
    service_id: int | None,
    limit: int,
) -> tuple[str, list]:
    """BM25 summed in the database over the postings of the matches:
    sum over terms of weight x idf x tf x (k1 + 1) / (tf + k1 x (1 - b + b x length / avg)).

    Written as SQL rather than built with the ORM: composing the CASE of every term and the
    EXISTS of the service boost cost about 3 ms of CPU per search, more than the query
    itself. The same SQL on both databases; only the scope (who may see what, the filters)
    comes from the ORM."""
    engine = backend()
    through_index = (
        engine.matches_through_index if MATCH_THROUGH_INDEX is None else MATCH_THROUGH_INDEX
    )
    scope = articles.order_by()
    if through_index:
        # Only articles with a rarer term are matches (see COMMON_SHARE).
        scope = scope.filter(id__in=engine.matching(rare))
    scope_sql, scope_params = scope.values("id").query.sql_with_params()
    real = "double precision" if connection.vendor == "postgresql" else "real"
    weight = f"CAST(p.weight AS {real})"
    terms = sorted(weights)
    factor = " ".join("WHEN p.term = %s THEN %s" for _ in terms)
    params: list = []
    for term in terms:
        params += [term, weights[term] * idf[term] * (K1 + 1)]
    score = (
        f"SUM(((CASE {factor} ELSE %s END * {weight}) /"
        f" ({weight} + (%s + (%s * CAST(p.length AS {real}))))))"
    )
    params += [0.0, K1 * (1 - B), K1 * B / average]
    if service_id:
        score = (
            f"({score} + CASE WHEN EXISTS(SELECT 1 FROM {_SERVICES} s"  # noqa: S608
            " WHERE s.article_id = p.article_id AND s.service_id = %s) THEN %s ELSE %s END)"
        )
        params += [service_id, SERVICE_BOOST, 0.0]
    # Only placeholders, our table names and the ORM's compiled scope go into the text;
    # every value is a parameter.
    sql = (
        f"SELECT {score} AS score, p.article_id FROM knowledge_searchposting p"  # noqa: S608
        f" WHERE p.term IN ({', '.join(['%s'] * len(terms))})"
        f" AND p.article_id IN ({scope_sql}) GROUP BY p.article_id"
    )
    params += [*terms, *scope_params]
    if len(rare) < len(weights) and not through_index:
        # Only articles with a rarer term are matches; the common terms add to their score.
        sql += (
            f" HAVING SUM(CASE WHEN p.term IN ({', '.join(['%s'] * len(rare))})"
            " THEN 1 ELSE 0 END) > 0"
        )
        params += rare
    sql += " ORDER BY score DESC, p.article_id LIMIT %s"
    params.append(limit + RANK_MARGIN)
    return sql, params


_SERVICES = Article.services.through._meta.db_table


def _ranked(*args, limit: int) -> list[tuple[float, int]]:
    sql, params = _ranking_query(*args, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Rounded so that float noise (the order of a sum) never orders equal scores
    # differently per database; the margin covers rows that rounding could reorder.
    scored = [(round(value, 9), article_id) for value, article_id in rows]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return scored[:limit]


def article_search(
    articles: QuerySet[Article],
    query: str,
    *,
    limit: int = 10,
    service_id: int | None = None,
) -> SearchResult:
    """Rank the articles of a scoped queryset for a free-text query (see module doc)."""
    terms, truncated = query_terms(query or "")
    result = SearchResult(query=query or "", terms=terms, truncated=truncated)
    if not terms:
        return result
    state = _state()
    known = state.vocabulary.counts
    weights: dict[str, float] = {}
    for term in terms:
        if known.get(term):
            weights[term] = 1.0
        elif len(terms) <= SHORT_QUERY_TERMS:
            completions = state.vocabulary.complete(term)
            if completions:
                for completion in completions:
                    weights.setdefault(completion, 1.0)
            else:
                corrected = state.vocabulary.correct(term)
                if corrected:
                    result.corrections[term] = corrected
                    weights.setdefault(corrected, 1.0)
    if not weights:
        return result
    total = max(state.articles, 1) if state.generation is not None else 1
    average = (state.total_length / total if state.generation is not None else 1.0) or 1.0
    idf = {
        term: math.log(1 + (total - known.get(term, 0) + 0.5) / (known.get(term, 0) + 0.5))
        for term in weights
    }
    rare = [term for term in weights if known.get(term, 0) <= COMMON_SHARE * total]
    top = _ranked(articles, weights, sorted(rare or weights), idf, average, service_id, limit=limit)
    # The hits show title, department and snippet (the panel also the Markdown body): not
    # the rendered HTML nor the stored term weights.
    chosen = articles.defer("index_terms", "body_html").in_bulk(
        [article_id for _, article_id in top]
    )
    matched = frozenset(weights)
    seen: dict[str, bool] = {}  # the hits share most of their words
    result.hits = [
        Hit(
            article=chosen[article_id],
            score=score,
            snippet=text.snippet(chosen[article_id].body_text, matched, seen=seen),
        )
        for score, article_id in top
        if article_id in chosen
    ]
    return result
