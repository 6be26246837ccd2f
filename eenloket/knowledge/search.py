"""One search interface over two full-text engines.

`article_search()` takes a queryset that the selectors already scoped (who may see what) and
filtered (department, service, audience, language) and returns ranked hits with highlighted
snippets. The database finds the candidates with its own full-text index:

- PostgreSQL: a stored `tsvector` column (`search_vector`, built with the `dutch` text search
  configuration, title weight A, keywords B, body C) with a GIN index;
- SQLite: an FTS5 table (`knowledge_article_fts`) holding the same words, stemmed in Python
  with the same Snowball algorithm and stop words.

Both engines return at most `CANDIDATES` matches (by their own rank); the final order is
computed here, in Python, with BM25 over the stored term weights (`Article.index_terms`) and
the vocabulary (`SearchTerm`), so the two databases give the same results for the same data.
Typos in short queries are corrected against the vocabulary, and an unfinished last word
(while typing) is completed from it.

The index is kept by the service layer (`search_index` / `search_unindex` on publication),
never by signals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.utils.safestring import SafeString

from eenloket.knowledge import text
from eenloket.knowledge.models import Article, SearchStats, SearchTerm

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
SHORT_QUERY_TERMS = 3  # typo tolerance and completion only for queries this short
CANDIDATES = 200
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
    vendor = "postgresql"

    @staticmethod
    def _tsquery(terms: list[str]) -> str:
        # Terms are letters and digits only (text.WORD), so they need no escaping; the
        # `simple` configuration takes the Python stems as they are.
        return " | ".join(f"'{term}'" for term in terms)

    def candidates(self, articles: QuerySet[Article], terms: list[str]) -> QuerySet[Article]:
        query = self._tsquery(terms)
        return (
            articles.extra(
                where=["knowledge_article.search_vector @@ to_tsquery('simple', %s)"],
                params=[query],
            )
            .annotate(
                native_rank=RawSQL(
                    "ts_rank(knowledge_article.search_vector, to_tsquery('simple', %s))", [query]
                )
            )
            .order_by("-native_rank", "id")
        )

    @staticmethod
    def frequency(term: str) -> RawSQL:
        return RawSQL("COALESCE((knowledge_article.index_terms ->> %s)::int, 0)", [term])

    def index(self, article: Article) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE knowledge_article SET search_vector ="
                " setweight(to_tsvector('dutch', %s), 'A')"
                " || setweight(to_tsvector('dutch', %s), 'B')"
                " || setweight(to_tsvector('dutch', %s), 'C') WHERE id = %s",
                [*_field_words(article), article.pk],
            )

    def unindex(self, article_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE knowledge_article SET search_vector = NULL WHERE id = %s", [article_id]
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE knowledge_article SET search_vector = NULL")


class SqliteBackend:
    vendor = "sqlite"

    @staticmethod
    def _match(terms: list[str]) -> str:
        return " OR ".join(f'"{term}"' for term in terms)

    def candidates(self, articles: QuerySet[Article], terms: list[str]) -> QuerySet[Article]:
        match = self._match(terms)
        return (
            articles.extra(
                where=[
                    "knowledge_article.id IN (SELECT rowid FROM knowledge_article_fts"
                    " WHERE knowledge_article_fts MATCH %s)"
                ],
                params=[match],
            )
            .annotate(
                # bm25() is lower for better matches
                native_rank=RawSQL(
                    "(SELECT -bm25(knowledge_article_fts, 3.0, 2.0, 1.0)"
                    " FROM knowledge_article_fts WHERE knowledge_article_fts MATCH %s"
                    " AND knowledge_article_fts.rowid = knowledge_article.id)",
                    [match],
                )
            )
            .order_by("-native_rank", "id")
        )

    @staticmethod
    def frequency(term: str) -> RawSQL:
        return RawSQL(
            "COALESCE(json_extract(knowledge_article.index_terms, %s), 0)", [f'$."{term}"']
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


def _stats_add(articles: int, length: int) -> None:
    if not SearchStats.objects.filter(pk=1).update(
        articles=F("articles") + articles, total_length=F("total_length") + length
    ):
        SearchStats.objects.create(pk=1, articles=max(articles, 0), total_length=max(length, 0))


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
    backend().unindex(article.pk)


def search_rebuild(*, progress=None) -> int:
    """Rebuild the whole index from the published articles (after a bulk import or a
    restore). Returns the number of articles indexed."""
    engine = backend()
    engine.clear()
    SearchTerm.objects.all().delete()
    Article.objects.update(index_terms={}, index_length=0)
    vocabulary: dict[str, int] = {}
    total_length = 0
    published = Article.objects.filter(published_version__isnull=False).order_by("id")
    count = 0
    for article in published.iterator(chunk_size=500):
        weights = text.term_weights(
            title=article.title, keywords=article.keywords, body=article.body_text
        )
        Article.objects.filter(pk=article.pk).update(
            index_terms=weights, index_length=sum(weights.values())
        )
        total_length += sum(weights.values())
        for term in weights:
            vocabulary[term] = vocabulary.get(term, 0) + 1
        engine.index(article)
        count += 1
        if progress and count % 1000 == 0:
            progress(f"{count} articles indexed")
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=term[:100], article_count=n) for term, n in vocabulary.items()],
        batch_size=1000,
        ignore_conflicts=True,
    )
    SearchStats.objects.update_or_create(
        pk=1, defaults={"articles": count, "total_length": total_length}
    )
    return count


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


def _complete(term: str) -> list[str]:
    """Known terms that start with an unfinished word (the user is still typing)."""
    if len(term) < 3:
        return []
    return list(
        SearchTerm.objects.filter(term__startswith=term, article_count__gt=0)
        .order_by("-article_count", "term")
        .values_list("term", flat=True)[:COMPLETIONS]
    )


def _correct(term: str) -> str | None:
    """The most common known term within one typo (two for longer words)."""
    if len(term) < 4:
        return None
    limit = 1 if len(term) <= 6 else 2
    candidates = (
        SearchTerm.objects.annotate(length=Length("term"))
        .filter(
            term__startswith=term[0],
            length__gte=len(term) - limit,
            length__lte=len(term) + limit,
            article_count__gt=0,
        )
        .values_list("term", "article_count")
    )
    best: tuple[int, int, str] | None = None
    for candidate, count in candidates:
        distance = _distance(term, candidate, limit)
        if distance <= limit:
            key = (distance, -count, candidate)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def query_terms(query: str) -> tuple[list[str], bool]:
    truncated = len(query) > MAX_QUERY_CHARS
    terms: list[str] = []
    for term in text.stems(query[:MAX_QUERY_CHARS]):
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS], truncated


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
    known = dict(SearchTerm.objects.filter(term__in=terms).values_list("term", "article_count"))
    weights: dict[str, float] = {}
    for term in terms:
        if known.get(term):
            weights[term] = 1.0
        elif len(terms) <= SHORT_QUERY_TERMS:
            completions = _complete(term)
            if completions:
                for completion in completions:
                    weights.setdefault(completion, 1.0)
            else:
                corrected = _correct(term)
                if corrected:
                    result.corrections[term] = corrected
                    weights.setdefault(corrected, 1.0)
    if not weights:
        return result
    if len(weights) > len(known):
        known = dict(
            SearchTerm.objects.filter(term__in=list(weights)).values_list("term", "article_count")
        )
    stats = SearchStats.objects.filter(pk=1).first()
    total = max(stats.articles, 1) if stats else 1
    average = (stats.total_length / total if stats else 1.0) or 1.0
    idf = {
        term: math.log(1 + (total - known.get(term, 0) + 0.5) / (known.get(term, 0) + 0.5))
        for term in weights
    }
    rare = [term for term in weights if known.get(term, 0) <= COMMON_SHARE * total]
    engine = backend()
    candidates = engine.candidates(articles, sorted(rare or weights))
    about_service: set[int] = set()
    if service_id:
        about_service = set(articles.filter(services__id=service_id).values_list("id", flat=True))
    ordered_terms = sorted(weights)
    columns = {f"tf_{n}": engine.frequency(term) for n, term in enumerate(ordered_terms)}
    rows = candidates.annotate(**columns).values_list("id", "index_length", *columns)[:CANDIDATES]
    scored: list[tuple[float, int]] = []
    for article_id, index_length, *frequencies in rows:
        score = 0.0
        norm = K1 * (1 - B + B * (index_length or 1) / average)
        for term, frequency in zip(ordered_terms, frequencies, strict=True):
            if frequency:
                score += weights[term] * idf[term] * frequency * (K1 + 1) / (frequency + norm)
        if article_id in about_service:
            score += SERVICE_BOOST
        # Rounded so that float noise never orders equal scores differently per database.
        scored.append((round(score, 9), article_id))
    scored.sort(key=lambda item: (-item[0], item[1]))
    top = scored[:limit]
    chosen = articles.in_bulk([article_id for _, article_id in top])
    matched = frozenset(weights)
    result.hits = [
        Hit(
            article=chosen[article_id],
            score=score,
            snippet=text.snippet(chosen[article_id].body_text, matched),
        )
        for score, article_id in top
        if article_id in chosen
    ]
    return result
